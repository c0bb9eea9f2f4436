package org.lmrec.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lmrec.data.Dataset;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.EvaluationResult;
import org.lmrec.eval.FullRanking;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.eval.NextItemScorer;
import org.lmrec.eval.PopularityGroups;
import org.lmrec.eval.RankingProtocol;
import org.lmrec.eval.SampledRanking;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.ModelConfig;
import org.lmrec.serving.Gru4RecEncoder;
import org.lmrec.serving.ServingModel;
import org.lmrec.train.TrainingOptions;
import org.lmrec.train.TrainingPipeline;

/**
 * What keeping GRU4Rec's hidden state per user would serve (issue 22 item 6), measured offline
 * before it is built. The job encodes each user's last {@code maxLen} items from a zero state (the
 * window the model was trained on). A stored state advanced by one step per event equals that only
 * until the user's history outgrows the window: a GRU cannot drop its oldest input, so from then on
 * the stored state has read the user's whole history. This trains GRU4Rec and tests the one model
 * both ways on the same leave-one-out split: the window (the job, {@link ServingModel}) and the
 * whole history stepped from a zero state (a state kept since the user's first event).
 *
 * <p>Usage: {@code GruStateQuality [datasets=ml-100k] [maxLen=50] [seeds=1] [epochs=200] [patience=5]
 * [evalEvery=2] [threads=2]}
 */
public final class GruStateQuality {
  public static void main(String[] args) {
    Args a = new Args(args);
    EngineSettings.configure(a.getInt("threads", 2));
    int maxLen = a.getInt("maxLen", 50);
    TrainingOptions options = new TrainingOptions(a.getInt("epochs", 200), a.getInt("evalEvery", 2), a.getInt("patience", 5), true, 0);
    List<String> rows = new ArrayList<>();
    for (BenchmarkDatasets spec : BenchmarkDatasets.select(a.get("datasets", "ml-100k"))) {
      Optional<Dataset> data = spec.load();
      if (data.isEmpty()) continue;
      LeaveOneOutSplit split = LeaveOneOutSplit.of(data.get());
      PopularityGroups groups = PopularityGroups.byDefault(split);
      List<EvalCase> longCases = split.test().stream().filter(c -> c.history().length > maxLen).toList();
      System.out.printf("%s: %,d of %,d test users have more than %d items before their test item (%.1f%%)%n",
          spec.name(), longCases.size(), split.test().size(), maxLen, 100.0 * longCases.size() / split.test().size());
      for (String s : a.get("seeds", "1").split(",")) {
        long seed = Long.parseLong(s.strip());
        ModelConfig cfg = QualityBenchmark.config("gru4rec-ce", spec).withMaxLen(maxLen).withSeed(seed);
        TrainingPipeline.Result r = TrainingPipeline.run(data.get(), new TrainingPipeline.Settings(cfg, options, 10_000, null), null);
        ServingModel model = new ServingModel("trained", r.config(), r.weights(), data.get().itemIds());
        Gru4RecEncoder gru = (Gru4RecEncoder) model.encoder();
        NextItemScorer wholeHistory = histories -> model.catalogue().scores(stepThrough(gru, histories));
        int before = rows.size();
        for (RankingProtocol protocol : List.of(new FullRanking(split.numItems()), new SampledRanking(split.numItems(), cfg.seed()))) {
          rows.add(row(spec.name(), seed, "window (the job)", "all", TrainingPipeline.test(model, split.test(), groups, protocol)));
          rows.add(row(spec.name(), seed, "whole history, stored state", "all", TrainingPipeline.test(wholeHistory, split.test(), groups, protocol)));
          rows.add(row(spec.name(), seed, "window (the job)", "history > maxLen", TrainingPipeline.test(model, longCases, groups, protocol)));
          rows.add(row(spec.name(), seed, "whole history, stored state", "history > maxLen", TrainingPipeline.test(wholeHistory, longCases, groups, protocol)));
        }
        rows.subList(before, rows.size()).forEach(row -> System.out.println("RESULT " + row));
      }
    }
    System.out.println();
    System.out.println("| dataset | seed | protocol | encoding | users | HR@10 | NDCG@10 | tail NDCG@10 | head NDCG@10 |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  /** Each history stepped from a zero state through every item, as a state kept since the first event would be. */
  static float[][] stepThrough(Gru4RecEncoder gru, int[][] histories) {
    float[][] out = new float[histories.length][];
    for (int u = 0; u < histories.length; u++) {
      float[] state = gru.initialState();
      for (int item : histories[u]) gru.step(state, item);
      out[u] = gru.output(state);
    }
    return out;
  }

  private static String row(String dataset, long seed, String encoding, String users, EvaluationResult e) {
    return String.format("| %s | %d | %s | %s | %s | %.4f | %.4f | %.4f | %.4f |", dataset, seed, e.protocol(), encoding, users,
        e.metric("HR@10"), e.metric("NDCG@10"), e.metric("tail/NDCG@10"), e.metric("head/NDCG@10"));
  }
}
