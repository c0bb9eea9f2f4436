package org.lmrec.retrain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetBuilder;

/**
 * The dataset a retraining run trains on: the prepared histories of the archive window plus the
 * item catalogue. Catalogue items nobody interacted with yet are included too, so that the model
 * knows them (and can recommend them from their text) before their first interaction.
 */
public final class RetrainingData {
  private RetrainingData() {}

  /**
   * @param histories prepared histories, in a deterministic order (the data preparation sorts by user)
   * @param catalogue item attributes by external item id (may be empty: items are then known by id only)
   */
  public static Dataset of(String name, List<UserHistory> histories, Map<String, Map<String, String>> catalogue) {
    DatasetBuilder b = new DatasetBuilder(name);
    for (UserHistory h : histories) {
      for (int i = 0; i < h.length(); i++) b.interaction(h.userId(), h.items()[i], Math.floorDiv(h.eventTimesMillis()[i], 1000));
    }
    // Sorted, so the same catalogue always gives the same item indices.
    for (Map.Entry<String, Map<String, String>> e : new TreeMap<>(catalogue).entrySet()) b.itemAttributes(e.getKey(), e.getValue());
    return b.build();
  }
}
