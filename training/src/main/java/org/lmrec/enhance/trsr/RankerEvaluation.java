package org.lmrec.enhance.trsr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.enhance.StageProgress;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.NextItemScorer;
import org.lmrec.eval.RankTally;
import org.lmrec.eval.SampledRanking;
import org.lmrec.eval.TopNReranking;
import org.lmrec.lm.OnnxYesNoRanker;

/**
 * The ranker on the test cases, beside the SASRec it re-ranks, under both protocols:
 * <ul>
 *   <li>the paper's: the target and {@code negatives} random items the user never had (seeded, as
 *       {@link SampledRanking}), Recall@3/5/10 and MRR@3/5/10, for the ranker and for SASRec on the
 *       same candidates;
 *   <li>a user's: SASRec's top {@code rerankTop} of the whole catalogue re-ranked by the ranker
 *       ({@link TopNReranking}), HR/NDCG@10 over the whole catalogue (a target outside the top is a
 *       miss), against SASRec's own order of the same list.
 * </ul>
 * The ranker runs without PyTorch ({@link OnnxYesNoRanker}); each distinct candidate of a user is
 * scored once. Metric names: {@code sampled<N>/<ranker|sasrec>/<Recall|MRR>@K} and
 * {@code rerank<N>/<ranker|sasrec>/<HR|NDCG>@10}.
 */
public final class RankerEvaluation {
  private static final int SASREC_CHUNK = 64;
  private static final int BATCH = 32;

  /**
   * @param prompts prompts the ranker scored
   * @param rankSeconds wall time of the ranker's scoring (ONNX Runtime, tokenization included)
   * @param summarySeconds wall time of the users' summaries
   */
  public record Result(Map<String, Double> metrics, int users, long prompts, double rankSeconds, double summarySeconds) {
    public double msPerCandidate() {
      return 1e3 * rankSeconds / Math.max(1, prompts);
    }

    public double msPerSummary() {
      return 1e3 * summarySeconds / Math.max(1, users);
    }
  }

  private RankerEvaluation() {}

  public static Result run(RankerConfig config, OnnxYesNoRanker ranker, RankerInputs inputs, NextItemScorer sasrec, List<EvalCase> cases, int numItems) {
    SampledRanking sampled = new SampledRanking(numItems, config.negatives(), config.seed());
    TopNReranking rerank = new TopNReranking(numItems, config.rerankTop());
    RankTally rankerSampled = new RankTally(3, 5, 10);
    RankTally sasrecSampled = new RankTally(3, 5, 10);
    RankTally rankerTop = new RankTally(10);
    RankTally sasrecTop = new RankTally(10);
    long prompts = 0;
    long rankNanos = 0;
    long summaryNanos = 0;
    try (StageProgress progress = new StageProgress("LLM-TRSR test ranking", cases.size(), "users")) {
      for (int from = 0; from < cases.size(); from += SASREC_CHUNK) {
        List<EvalCase> chunk = cases.subList(from, Math.min(cases.size(), from + SASREC_CHUNK));
        int[][] histories = chunk.stream().map(EvalCase::history).toArray(int[][]::new);
        float[][] base = sasrec.scoreAll(histories);
        for (int i = 0; i < chunk.size(); i++) {
          EvalCase c = chunk.get(i);
          int[] paper = withTarget(c.target(), sampled.negatives(c));
          int[] top = rerank.candidates(c, base[i]);
          Map<Integer, Integer> slot = new LinkedHashMap<>();
          for (int item : paper) slot.putIfAbsent(item, slot.size());
          for (int item : top) slot.putIfAbsent(item, slot.size());

          long s0 = System.nanoTime();
          String summary = inputs.summary(c.history(), c.history().length);
          summaryNanos += System.nanoTime() - s0;
          List<RankerInputs.Prompt> list = new ArrayList<>(slot.size());
          for (int item : slot.keySet()) list.add(inputs.prompt(summary, c.history(), c.history().length, item));
          long r0 = System.nanoTime();
          double[] scores = ranker.scores(RankerInputs.contexts(list), RankerInputs.itemParts(list), BATCH);
          rankNanos += System.nanoTime() - r0;
          prompts += list.size();

          rankerSampled.add(rankOfFirst(pick(scores, paper, slot)));
          double[] sasrecPaper = new double[paper.length];
          for (int k = 0; k < paper.length; k++) sasrecPaper[k] = base[i][paper[k]];
          sasrecSampled.add(rankOfFirst(sasrecPaper));
          rankerTop.add(TopNReranking.rank(c, top, pick(scores, top, slot)));
          double[] order = new double[top.length]; // SASRec's own order of its top list
          for (int k = 0; k < top.length; k++) order[k] = top.length - k;
          sasrecTop.add(TopNReranking.rank(c, top, order));
          progress.update(from + i + 1, null);
        }
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    String paperName = "sampled" + config.negatives() + "/";
    put(metrics, paperName + "ranker/", rankerSampled, true);
    put(metrics, paperName + "sasrec/", sasrecSampled, true);
    String topName = "rerank" + config.rerankTop() + "/";
    put(metrics, topName + "ranker/", rankerTop, false);
    put(metrics, topName + "sasrec/", sasrecTop, false);
    return new Result(metrics, cases.size(), prompts, rankNanos / 1e9, summaryNanos / 1e9);
  }

  /** The paper's protocol names HR@K Recall@K (one relevant item) and reports MRR; the other keeps HR and NDCG. */
  private static void put(Map<String, Double> out, String prefix, RankTally tally, boolean paper) {
    tally.metrics().forEach((name, v) -> {
      if (paper && name.startsWith("HR@")) out.put(prefix + "Recall@" + name.substring(3), v);
      else if (paper && name.startsWith("MRR@")) out.put(prefix + name, v);
      else if (!paper && !name.startsWith("MRR@")) out.put(prefix + name, v);
    });
  }

  private static double[] pick(double[] scores, int[] items, Map<Integer, Integer> slot) {
    double[] out = new double[items.length];
    for (int k = 0; k < items.length; k++) out[k] = scores[slot.get(items[k])];
    return out;
  }

  /** The target first, then the negatives. */
  static int[] withTarget(int target, int[] negatives) {
    int[] c = new int[negatives.length + 1];
    c[0] = target;
    System.arraycopy(negatives, 0, c, 1, negatives.length);
    return c;
  }

  /** 0-based rank of candidate 0 (the target): the others scoring at least as high (ties against the target). */
  static int rankOfFirst(double[] scores) {
    if (Double.isNaN(scores[0])) throw new IllegalStateException("NaN score for the target");
    int rank = 0;
    for (int i = 1; i < scores.length; i++) if (scores[i] >= scores[0]) rank++;
    return rank;
  }
}
