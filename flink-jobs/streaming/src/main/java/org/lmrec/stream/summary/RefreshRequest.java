package org.lmrec.stream.summary;

/**
 * A refresh the endpoint backend is asked for: the user's window of complete blocks (at most
 * max-blocks of them) as item texts, and its sequence number. A Flink POJO, so Async I/O can keep
 * it in a checkpoint while it is in flight.
 */
public class RefreshRequest {
  public String userId;
  /** Sequence number: the user's complete blocks when it was asked for. */
  public long blocks;
  public int windowBlocks;
  /** Each item of the window, oldest first, as {@code {"t": title, "a": {attributes}}}. */
  public String[] items;
  public long requestedAt;

  public RefreshRequest() {}

  public RefreshRequest(String userId, long blocks, int windowBlocks, String[] items, long requestedAt) {
    this.userId = userId;
    this.blocks = blocks;
    this.windowBlocks = windowBlocks;
    this.items = items;
    this.requestedAt = requestedAt;
  }
}
