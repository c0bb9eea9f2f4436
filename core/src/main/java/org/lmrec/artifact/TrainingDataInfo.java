package org.lmrec.artifact;

import org.lmrec.data.Dataset;

/**
 * What a model was trained on, recorded so that a served model can be traced back to its data.
 *
 * @param firstEventTime epoch seconds of the earliest interaction, null when the data has no timestamps
 * @param lastEventTime epoch seconds of the latest interaction, null when the data has no timestamps
 */
public record TrainingDataInfo(
    String datasetName,
    int numUsers,
    int numItems,
    long numInteractions,
    Long firstEventTime,
    Long lastEventTime,
    String description) {

  /** Summarises a dataset; the event-time range is scanned from its timestamps when present. */
  public static TrainingDataInfo of(Dataset data, String description) {
    Long first = null;
    Long last = null;
    if (data.hasTimestamps()) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int u = 0; u < data.numUsers(); u++) {
        for (long t : data.timestamps(u)) {
          min = Math.min(min, t);
          max = Math.max(max, t);
        }
      }
      if (min <= max) {
        first = min;
        last = max;
      }
    }
    return new TrainingDataInfo(
        data.name(), data.numUsers(), data.numItems(), data.numInteractions(), first, last, description);
  }
}
