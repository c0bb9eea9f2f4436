package org.lmrec.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetBuilder;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.EvalCases;
import org.lmrec.eval.LeaveOneOutSplit;

/** The LLM-TRSR benchmarks' data: Office whole, Games cut to a seeded sample of users, and the test users to score. */
final class TrsrData {
  private TrsrData() {}

  /**
   * The dataset of {@code spec}; Games (50,546 users, 16,859 items) is cut to {@code gamesUsers}
   * users (default 6,000, the size LLMRank's file name refers to) drawn with {@code dataSeed}
   * (default 1), keeping only the items they touched: one full-softmax SASRec on all of Games takes
   * about an hour on the project's 2 cores, and the LM ranker scores 21-71 prompts per test user.
   */
  static Optional<Dataset> load(BenchmarkDatasets spec, Args a) {
    Optional<Dataset> d = spec.load();
    if (d.isEmpty() || !spec.name().equals("games")) return d;
    return Optional.of(subsample(d.get(), a.getInt("gamesUsers", 6000), a.getInt("dataSeed", 1)));
  }

  /** {@code users} users drawn uniformly with {@code seed}, kept in their order, items re-indexed in their original order. */
  static Dataset subsample(Dataset d, int users, long seed) {
    if (users <= 0 || users >= d.numUsers()) return d;
    int n = d.numUsers();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    java.util.Random random = new java.util.Random(seed);
    boolean[] chosen = new boolean[n];
    for (int i = 0; i < users; i++) {
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      chosen[order[i]] = true;
    }
    boolean[] used = new boolean[d.numItems() + 1];
    for (int u = 0; u < n; u++) if (chosen[u]) for (int item : d.sequence(u)) used[item] = true;
    DatasetBuilder b = new DatasetBuilder(d.name() + "-" + users + "u-s" + seed);
    for (int item = 1; item <= d.numItems(); item++) {
      if (used[item]) b.itemAttributes(d.itemId(item), Map.copyOf(d.itemAttributes(item)));
    }
    for (int u = 0; u < n; u++) {
      if (!chosen[u]) continue;
      for (int item : d.sequence(u)) b.interaction(d.userId(u), d.itemId(item));
    }
    return b.build();
  }

  /** The test cases to score: every test user, or {@code evalUsers} of them drawn with {@code seed}. */
  static List<EvalCase> testCases(LeaveOneOutSplit split, int evalUsers, long seed) {
    return evalUsers > 0 ? EvalCases.sample(split.test(), evalUsers, seed) : new ArrayList<>(split.test());
  }
}
