package org.lmrec.stream.summary;

/** What came of a {@link RefreshRequest}: the summary text, or the reason it failed (text null). A Flink POJO. */
public class RefreshResult {
  public String userId;
  public long blocks;
  public int windowBlocks;
  public String text;
  public String failure;
  public String summariserVersion;
  public long requestedAt;
  public long finishedAt;

  public RefreshResult() {}

  static RefreshResult ok(RefreshRequest r, String text, String version, long now) {
    RefreshResult x = of(r, version, now);
    x.text = text;
    return x;
  }

  static RefreshResult failed(RefreshRequest r, String reason, String version, long now) {
    RefreshResult x = of(r, version, now);
    x.failure = reason;
    return x;
  }

  private static RefreshResult of(RefreshRequest r, String version, long now) {
    RefreshResult x = new RefreshResult();
    x.userId = r.userId;
    x.blocks = r.blocks;
    x.windowBlocks = r.windowBlocks;
    x.summariserVersion = version;
    x.requestedAt = r.requestedAt;
    x.finishedAt = now;
    return x;
  }
}
