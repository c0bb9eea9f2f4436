package org.lmrec.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The k-core of a dataset: repeatedly drops users and items with fewer than k interactions until
 * every remaining user and item has at least k (removing an item can push a user below k and vice
 * versa, hence the loop). Interactions are counted with repeats, as in the usual 5-core filtering.
 */
public final class KCoreFilter {
  private KCoreFilter() {}

  /**
   * Returns a new dataset named {@code <name>-<k>core}, re-indexed densely while keeping the relative
   * order of users, items and each sequence (with its timestamps). Items without interactions are
   * dropped for any k >= 1. The result may be empty when nothing survives.
   */
  public static Dataset apply(Dataset data, int k) {
    if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
    int numUsers = data.numUsers();
    int numItems = data.numItems();
    boolean[] userAlive = new boolean[numUsers];
    boolean[] itemAlive = new boolean[numItems + 1];
    Arrays.fill(userAlive, true);
    Arrays.fill(itemAlive, 1, numItems + 1, true);
    boolean changed = true;
    while (changed) {
      changed = false;
      int[] itemCount = new int[numItems + 1];
      for (int u = 0; u < numUsers; u++) {
        if (!userAlive[u]) continue;
        int len = 0;
        for (int item : data.sequence(u)) if (itemAlive[item]) len++;
        if (len < k) {
          userAlive[u] = false;
          changed = true;
          continue;
        }
        for (int item : data.sequence(u)) if (itemAlive[item]) itemCount[item]++;
      }
      for (int i = 1; i <= numItems; i++) {
        if (itemAlive[i] && itemCount[i] < k) {
          itemAlive[i] = false;
          changed = true;
        }
      }
    }
    return restrict(data, userAlive, itemAlive, data.name() + "-" + k + "core");
  }

  private static Dataset restrict(Dataset data, boolean[] userAlive, boolean[] itemAlive, String name) {
    int[] newIndex = new int[itemAlive.length];
    List<String> itemIds = new ArrayList<>();
    List<Map<String, String>> attributes = new ArrayList<>();
    itemIds.add(null);
    attributes.add(data.itemAttributes(0));
    for (int i = 1; i < itemAlive.length; i++) {
      if (!itemAlive[i]) continue;
      newIndex[i] = itemIds.size();
      itemIds.add(data.itemId(i));
      attributes.add(data.itemAttributes(i));
    }
    List<String> userIds = new ArrayList<>();
    List<int[]> sequences = new ArrayList<>();
    List<long[]> times = new ArrayList<>();
    for (int u = 0; u < userAlive.length; u++) {
      if (!userAlive[u]) continue;
      int[] seq = data.sequence(u);
      long[] ts = data.timestamps(u);
      int len = 0;
      for (int item : seq) if (itemAlive[item]) len++;
      int[] s = new int[len];
      long[] t = ts == null ? null : new long[len];
      int j = 0;
      for (int p = 0; p < seq.length; p++) {
        if (!itemAlive[seq[p]]) continue;
        s[j] = newIndex[seq[p]];
        if (t != null) t[j] = ts[p];
        j++;
      }
      userIds.add(data.userId(u));
      sequences.add(s);
      times.add(t);
    }
    long[][] timestamps = data.hasTimestamps() ? times.toArray(new long[0][]) : null;
    return new Dataset(name, userIds, itemIds, attributes, sequences.toArray(new int[0][]), timestamps);
  }
}
