package org.lmrec.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Users, items and each user's chronological interaction sequence, with dense integer ids.
 *
 * <p>Items are numbered {@code 1..numItems}; index 0 is reserved for padding so that models can use
 * it as the "no item" embedding. Users are numbered {@code 0..numUsers-1}. The external ids of both
 * are kept so that artifacts and recommendations speak the source's language.
 */
public final class Dataset {
  private final String name;
  private final List<String> userIds;
  private final List<String> itemIds; // index 0 = padding (null)
  private final List<Map<String, String>> itemAttributes; // index 0 = empty
  private final int[][] sequences;
  private final long[][] timestamps; // may be null when the source has no times

  public Dataset(
      String name,
      List<String> userIds,
      List<String> itemIds,
      List<Map<String, String>> itemAttributes,
      int[][] sequences,
      long[][] timestamps) {
    this.name = Objects.requireNonNull(name, "name");
    this.userIds = List.copyOf(userIds);
    List<String> items = new ArrayList<>(itemIds.size());
    items.addAll(itemIds);
    this.itemIds = Collections.unmodifiableList(items);
    this.itemAttributes = Collections.unmodifiableList(new ArrayList<>(itemAttributes));
    this.sequences = Objects.requireNonNull(sequences, "sequences");
    this.timestamps = timestamps;
    if (this.userIds.size() != sequences.length) {
      throw new IllegalArgumentException(
          "userIds has " + this.userIds.size() + " entries but there are " + sequences.length + " sequences");
    }
    if (this.itemIds.isEmpty() || this.itemIds.get(0) != null) {
      throw new IllegalArgumentException("itemIds must start with a null padding entry at index 0");
    }
    if (this.itemAttributes.size() != this.itemIds.size()) {
      throw new IllegalArgumentException("itemAttributes must have one entry per item index (including 0)");
    }
    if (timestamps != null && timestamps.length != sequences.length) {
      throw new IllegalArgumentException("timestamps must have one row per user");
    }
    int n = numItems();
    for (int u = 0; u < sequences.length; u++) {
      for (int item : sequences[u]) {
        if (item < 1 || item > n) {
          throw new IllegalArgumentException("user " + this.userIds.get(u) + " has item index " + item + " outside 1.." + n);
        }
      }
      if (timestamps != null && timestamps[u].length != sequences[u].length) {
        throw new IllegalArgumentException("timestamps of user " + this.userIds.get(u) + " do not match its sequence");
      }
    }
  }

  public String name() {
    return name;
  }

  public int numUsers() {
    return sequences.length;
  }

  /** Number of real items; valid item indices are {@code 1..numItems()}. */
  public int numItems() {
    return itemIds.size() - 1;
  }

  public long numInteractions() {
    long total = 0;
    for (int[] s : sequences) total += s.length;
    return total;
  }

  /** The chronological item indices of user {@code u}. The array is shared: do not modify it. */
  public int[] sequence(int u) {
    return sequences[u];
  }

  /** All sequences, indexed by user. Shared: do not modify. */
  public int[][] sequences() {
    return sequences;
  }

  public boolean hasTimestamps() {
    return timestamps != null;
  }

  /** Event times (epoch seconds) of user {@code u}, aligned with {@link #sequence(int)}; null when absent. */
  public long[] timestamps(int u) {
    return timestamps == null ? null : timestamps[u];
  }

  public String userId(int u) {
    return userIds.get(u);
  }

  public List<String> userIds() {
    return userIds;
  }

  public String itemId(int item) {
    return itemIds.get(item);
  }

  /** External item ids by index; entry 0 is null (padding). */
  public List<String> itemIds() {
    return itemIds;
  }

  public Map<String, String> itemAttributes(int item) {
    return itemAttributes.get(item);
  }

  /**
   * The item's text for a language model: {@code key is value; key is value; ...} with each value
   * cut to {@code maxValueChars} characters (METHODS.md uses about 100).
   */
  public String itemText(int item, int maxValueChars) {
    return ItemText.of(itemAttributes.get(item), maxValueChars);
  }

  /** Number of distinct users who interacted with each item (index 0 unused). */
  public int[] distinctUsersPerItem() {
    int[] counts = new int[numItems() + 1];
    int[] lastSeenBy = new int[numItems() + 1];
    java.util.Arrays.fill(lastSeenBy, -1);
    for (int u = 0; u < sequences.length; u++) {
      for (int item : sequences[u]) {
        if (lastSeenBy[item] != u) {
          lastSeenBy[item] = u;
          counts[item]++;
        }
      }
    }
    return counts;
  }

  /** A short human-readable summary: counts and density. */
  public String summary() {
    long inter = numInteractions();
    double density = inter / ((double) Math.max(1, numUsers()) * Math.max(1, numItems()));
    return String.format(
        "%s: %,d users, %,d items, %,d interactions, avg length %.1f, density %.4f%%",
        name, numUsers(), numItems(), inter, inter / (double) Math.max(1, numUsers()), density * 100);
  }

  /** Helper for item attribute maps that keep insertion order. */
  public static Map<String, String> attributes(String... keyValues) {
    if (keyValues.length % 2 != 0) throw new IllegalArgumentException("key/value pairs expected");
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
    return m;
  }
}
