package org.lmrec.stream.experiment;

/**
 * One record of the experiments topic as the job sees it: the experiment id (the record key) and
 * its definition as JSON, or null for a tombstone that removes the experiment. Also carries where
 * it came from, so a definition the job refuses can be dead-lettered with its source. A Flink POJO.
 */
public class ExperimentUpdate {
  public String id;
  /** The definition ({@code org.lmrec.experiment.ExperimentJson}); null removes the experiment. */
  public String json;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;

  public ExperimentUpdate() {}

  /**
   * A record that changes nothing: the broadcast input of the sequence operator must exist even
   * when a job has no experiments source, and an empty bounded source is not allowed.
   */
  public static ExperimentUpdate nothing() {
    ExperimentUpdate u = of(null, null);
    u.sourceTopic = NOTHING;
    return u;
  }

  public boolean isNothing() {
    return NOTHING.equals(sourceTopic) && id == null;
  }

  private static final String NOTHING = "(no experiments)";

  public static ExperimentUpdate of(String id, String json) {
    ExperimentUpdate u = new ExperimentUpdate();
    u.id = id;
    u.json = json;
    u.sourceTopic = "file";
    u.sourcePartition = -1;
    u.sourceOffset = -1;
    return u;
  }
}
