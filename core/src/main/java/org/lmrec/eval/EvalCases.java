package org.lmrec.eval;

import java.util.ArrayList;
import java.util.List;

/** Helpers for lists of {@link EvalCase}. */
public final class EvalCases {
  private EvalCases() {}

  /**
   * At most {@code max} cases chosen uniformly without replacement with {@code seed}, kept in their
   * original order; the whole list (as an unmodifiable copy) when it has no more than {@code max}.
   * Used to evaluate quickly on large datasets while staying reproducible.
   */
  public static List<EvalCase> sample(List<EvalCase> cases, int max, long seed) {
    if (max < 0) throw new IllegalArgumentException("max must be >= 0, got " + max);
    int n = cases.size();
    if (n <= max) return List.copyOf(cases);
    // Partial Fisher-Yates over positions, then mark the chosen ones to keep the original order.
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) positions[i] = i;
    SeededRandom random = new SeededRandom(seed);
    boolean[] chosen = new boolean[n];
    for (int i = 0; i < max; i++) {
      int j = i + random.nextInt(n - i);
      int tmp = positions[i];
      positions[i] = positions[j];
      positions[j] = tmp;
      chosen[positions[i]] = true;
    }
    List<EvalCase> out = new ArrayList<>(max);
    for (int i = 0; i < n; i++) if (chosen[i]) out.add(cases.get(i));
    return List.copyOf(out);
  }
}
