package org.lmrec.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a user in an arm, the same one every time and on every machine: bucket = first 8 bytes of
 * SHA-256(UTF-8 of {@code salt + '\0' + userId}) as an unsigned number, mod {@value #BUCKETS};
 * arms own consecutive bucket ranges in arm order, sized by weight. Nothing is stored per user.
 *
 * <p>Holds one {@code MessageDigest} and a small cache of bucket ranges, so it is NOT
 * thread-safe: use one instance per thread (one per Flink operator instance).
 */
public final class ArmAssigner {
  public static final int BUCKETS = 10_000;

  private record Ranges(Experiment experiment, int[] ends) {}

  private final UserHash hash = new UserHash();
  private final Map<String, Ranges> rangesById = new HashMap<>();

  /** The user's arm name; empty when the user is outside the experiment's population. */
  public Optional<String> arm(Experiment e, String userId) {
    if (!e.population().includes(e.salt(), userId, hash)) return Optional.empty();
    int[] ends = ends(e);
    int b = bucket(e.salt(), userId);
    for (int i = 0; i < ends.length; i++) {
      if (b < ends[i]) return Optional.of(e.arms().get(i).name());
    }
    throw new IllegalStateException("bucket " + b + " beyond the last range end " + ends[ends.length - 1]); // ends[last] == BUCKETS
  }

  /** The user's bucket in [0, {@value #BUCKETS}). */
  public int bucket(String salt, String userId) {
    return (int) Long.remainderUnsigned(hash.first64(salt, userId), BUCKETS);
  }

  private int[] ends(Experiment e) {
    Ranges r = rangesById.get(e.id());
    if (r == null || r.experiment() != e) { // identity: a new definition gets new ranges
      r = new Ranges(e, rangeEnds(e.arms()));
      rangesById.put(e.id(), r);
    }
    return r.ends();
  }

  /**
   * Exclusive end bucket of each arm's range: arm i owns {@code [ends[i-1], ends[i])}. Sizes are
   * {@code BUCKETS * weight / totalWeight} rounded by largest remainder (ties to the earlier arm),
   * so they sum to exactly {@value #BUCKETS} and depend only on the weights.
   */
  public static int[] rangeEnds(List<Arm> arms) {
    int k = arms.size();
    long total = 0;
    for (Arm a : arms) total += a.weight();
    int[] size = new int[k];
    long[] remainder = new long[k];
    int assigned = 0;
    for (int i = 0; i < k; i++) {
      long scaled = (long) BUCKETS * arms.get(i).weight();
      size[i] = (int) (scaled / total);
      remainder[i] = scaled % total;
      assigned += size[i];
    }
    List<Integer> order = new ArrayList<>(k);
    for (int i = 0; i < k; i++) order.add(i);
    order.sort((a, b) -> remainder[a] != remainder[b] ? Long.compare(remainder[b], remainder[a]) : Integer.compare(a, b));
    for (int j = 0; j < BUCKETS - assigned; j++) size[order.get(j)]++;
    int[] ends = new int[k];
    int end = 0;
    for (int i = 0; i < k; i++) {
      end += size[i];
      ends[i] = end;
    }
    return ends;
  }
}
