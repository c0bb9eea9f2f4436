package org.lmrec.stream.replay;

import java.util.List;
import org.lmrec.replay.ReplayOutcome;

/** A {@link ReplayOutcome} on its way through Flink: a POJO with an array, which Flink serializes without Kryo. */
public class ReplayOutcomeRecord {
  public String model;
  public String userId;
  public String eventId;
  public long eventTime;
  public String nextItemId;
  public String[] shown;

  public ReplayOutcomeRecord() {}

  public ReplayOutcome toOutcome() {
    return ReplayOutcome.of(model, userId, eventId, eventTime, nextItemId, List.of(shown));
  }
}
