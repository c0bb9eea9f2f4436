package org.lmrec.stream.scoring;

/** A user's window after an accepted interaction, waiting for its micro-batch. A Flink POJO. */
public class ScoringRequest {
  public String userId;
  public String eventId;
  public long eventTime;
  /** When the triggering record reached the job (epoch ms): latency is measured from here. */
  public long receivedAt;
  /** External item ids, oldest first, the triggering item last (unless it arrived late). */
  public String[] history;

  public ScoringRequest() {}

  public ScoringRequest(String userId, String eventId, long eventTime, long receivedAt, String[] history) {
    this.userId = userId;
    this.eventId = eventId;
    this.eventTime = eventTime;
    this.receivedAt = receivedAt;
    this.history = history;
  }
}
