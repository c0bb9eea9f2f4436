package org.lmrec.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects interactions with external ids and produces a {@link Dataset} with dense indices.
 *
 * <p>Users and items get indices in order of first appearance, so the same input file always gives
 * the same dataset. Interactions of a user are sorted by time with a stable sort, so ties keep the
 * file's order (the SASRec and Amazon files are already chronological).
 */
public final class DatasetBuilder {
  private final String name;
  private final Map<String, Integer> userIndex = new HashMap<>();
  private final List<String> userIds = new ArrayList<>();
  private final List<IntLongList> perUser = new ArrayList<>();
  private final Map<String, Integer> itemIndex = new HashMap<>();
  private final List<String> itemIds = new ArrayList<>();
  private final List<Map<String, String>> itemAttributes = new ArrayList<>();
  private boolean anyTimestamp;

  public DatasetBuilder(String name) {
    this.name = name;
    itemIds.add(null);
    itemAttributes.add(Map.of());
  }

  /** Registers an item (so that items without interactions still get an index) and returns its index. */
  public int item(String itemId) {
    Integer idx = itemIndex.get(itemId);
    if (idx == null) {
      idx = itemIds.size();
      itemIndex.put(itemId, idx);
      itemIds.add(itemId);
      itemAttributes.add(new LinkedHashMap<>());
    }
    return idx;
  }

  /** Whether an item with this external id has been registered. */
  public boolean hasItem(String itemId) {
    return itemIndex.containsKey(itemId);
  }

  /** Sets (replaces) the attributes of an item, registering it if needed. */
  public DatasetBuilder itemAttributes(String itemId, Map<String, String> attributes) {
    int idx = item(itemId);
    itemAttributes.set(idx, new LinkedHashMap<>(attributes));
    return this;
  }

  /** Adds one interaction; {@code timestamp} in epoch seconds or {@link Long#MIN_VALUE} when unknown. */
  public DatasetBuilder interaction(String userId, String itemId, long timestamp) {
    Integer u = userIndex.get(userId);
    if (u == null) {
      u = userIds.size();
      userIndex.put(userId, u);
      userIds.add(userId);
      perUser.add(new IntLongList());
    }
    if (timestamp != Long.MIN_VALUE) anyTimestamp = true;
    perUser.get(u).add(item(itemId), timestamp);
    return this;
  }

  public DatasetBuilder interaction(String userId, String itemId) {
    return interaction(userId, itemId, Long.MIN_VALUE);
  }

  public Dataset build() {
    int n = userIds.size();
    int[][] seqs = new int[n][];
    long[][] times = anyTimestamp ? new long[n][] : null;
    for (int u = 0; u < n; u++) {
      IntLongList l = perUser.get(u);
      Integer[] order = new Integer[l.size];
      for (int i = 0; i < order.length; i++) order[i] = i;
      if (anyTimestamp) Arrays.sort(order, (a, b) -> Long.compare(l.longs[a], l.longs[b])); // stable
      seqs[u] = new int[l.size];
      if (times != null) times[u] = new long[l.size];
      for (int i = 0; i < order.length; i++) {
        seqs[u][i] = l.ints[order[i]];
        if (times != null) times[u][i] = l.longs[order[i]];
      }
    }
    return new Dataset(name, userIds, itemIds, itemAttributes, seqs, times);
  }

  private static final class IntLongList {
    int[] ints = new int[8];
    long[] longs = new long[8];
    int size;

    void add(int i, long l) {
      if (size == ints.length) {
        ints = Arrays.copyOf(ints, size * 2);
        longs = Arrays.copyOf(longs, size * 2);
      }
      ints[size] = i;
      longs[size] = l;
      size++;
    }
  }
}
