package org.lmrec.enhance.trsr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.lmrec.enhance.LmFineTuning;
import org.lmrec.enhance.StageProgress;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.RankTally;
import org.lmrec.eval.SampledRanking;
import org.lmrec.lm.LoraWeights;
import org.lmrec.trsr.YesNoHead;
import org.lmrec.trsr.YesNoScore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLM-TRSR's SFT of the yes/no ranker: each training user gives one example per epoch, the last
 * item of their training sequence as the positive and one random item they never interacted with
 * as the negative (1 : 1, as the reference), each prompt built from the history before that last
 * item and that prefix's summary. Cross-entropy on the two-way logits; Adam on LoRA and the head.
 * After every epoch the validation users are ranked (1 positive + {@code negatives} random ones) and
 * the epoch with the best validation MRR@10 is kept: model selection never sees the test items.
 */
public final class RankerSft {
  private static final Logger LOG = LoggerFactory.getLogger(RankerSft.class);

  /**
   * @param epochLosses mean training loss per epoch
   * @param validationMrr10 validation MRR@10 after each epoch (1 + negatives protocol)
   * @param validationRecall10 validation Recall@10 after each epoch
   * @param bestEpoch the epoch kept (1-based; 0 when no epoch ran)
   * @param epochSeconds wall time of each epoch's training (validation excluded)
   * @param summarySeconds wall time of the training users' summaries
   */
  public record Report(
      List<Double> epochLosses, List<Double> validationMrr10, List<Double> validationRecall10, int bestEpoch,
      List<Double> epochSeconds, int users, int validationCases, double summarySeconds) {
    public double meanEpochSeconds() {
      return epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
  }

  private final RankerConfig config;
  private final TrainableRanker ranker;
  private final RankerInputs inputs;
  private final int numItems;

  public RankerSft(RankerConfig config, TrainableRanker ranker, RankerInputs inputs, int numItems) {
    this.config = config;
    this.ranker = ranker;
    this.inputs = inputs;
    this.numItems = numItems;
  }

  /** Trains on {@code trainSequences} and selects the epoch on {@code validation}; the ranker ends at the best epoch. */
  public Report train(int[][] trainSequences, List<EvalCase> validation) {
    List<Integer> users = new ArrayList<>();
    for (int u = 0; u < trainSequences.length; u++) if (trainSequences[u].length >= 2) users.add(u);
    if (users.isEmpty()) throw new IllegalArgumentException("no user has 2 training items: the ranker has nothing to learn from");
    Collections.shuffle(users, new Random(config.seed()));
    if (config.maxUsers() > 0 && users.size() > config.maxUsers()) users = new ArrayList<>(users.subList(0, config.maxUsers()));

    long t0 = System.nanoTime();
    String[] summaries = new String[trainSequences.length];
    try (StageProgress progress = new StageProgress("LLM-TRSR training summaries", users.size(), "users")) {
      int done = 0;
      for (int u : users) {
        summaries[u] = inputs.summary(trainSequences[u], trainSequences[u].length - 1);
        progress.update(++done, null);
      }
    }
    double summarySeconds = (System.nanoTime() - t0) / 1e9;
    LOG.info(String.format("LLM-TRSR: %,d training summaries in %.2f s (%.2f ms per user)", users.size(), summarySeconds, 1e3 * summarySeconds / users.size()));

    LmFineTuning tuning = new LmFineTuning(ranker.lm(), "LLM-TRSR SFT", config.learningRate(), ranker.headParameters());
    int perStep = config.batchSize() / 2;
    List<Double> losses = new ArrayList<>();
    List<Double> mrr = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    int best = 0;
    double bestMrr = Double.NEGATIVE_INFINITY;
    LoraWeights bestLora = null;
    YesNoHead bestHead = null;
    Random order = new Random(config.seed() + 1);
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      long e0 = System.nanoTime();
      List<Integer> shuffled = new ArrayList<>(users);
      Collections.shuffle(shuffled, order);
      Random negatives = new Random(config.seed() * 31 + epoch);
      double sum = 0;
      int steps = 0;
      try (StageProgress progress = new StageProgress("LLM-TRSR SFT epoch " + epoch, shuffled.size(), "users")) {
        for (int from = 0; from < shuffled.size(); from += perStep) {
          List<Integer> batch = shuffled.subList(from, Math.min(shuffled.size(), from + perStep));
          List<RankerInputs.Prompt> prompts = new ArrayList<>(2 * batch.size());
          boolean[] yes = new boolean[2 * batch.size()];
          for (int b = 0; b < batch.size(); b++) {
            int u = batch.get(b);
            int[] s = trainSequences[u];
            int n = s.length - 1;
            prompts.add(inputs.prompt(summaries[u], s, n, s[n]));
            yes[2 * b] = true;
            prompts.add(inputs.prompt(summaries[u], s, n, negative(s, negatives)));
          }
          sum += tuning.step(step -> ranker.loss(ranker.tokens(prompts), yes, step));
          steps++;
          progress.update(from + batch.size(), String.format("loss %.4f", sum / steps));
        }
      }
      seconds.add((System.nanoTime() - e0) / 1e9);
      losses.add(sum / Math.max(1, steps));
      double[] v = validate(validation);
      mrr.add(v[0]);
      recall.add(v[1]);
      LOG.info(String.format("LLM-TRSR SFT epoch %d: loss %.4f, %.1f s; validation MRR@10 %.4f, Recall@10 %.4f (%d users)",
          epoch, losses.get(losses.size() - 1), seconds.get(seconds.size() - 1), v[0], v[1], validation.size()));
      if (v[0] > bestMrr) {
        bestMrr = v[0];
        best = epoch;
        if (epoch < config.epochs()) { // the last epoch's weights are in the model already
          bestLora = ranker.lm().loraWeights();
          bestHead = ranker.head();
        } else {
          bestLora = null;
          bestHead = null;
        }
      }
    }
    if (bestLora != null) {
      LOG.info("LLM-TRSR: keeping epoch {} (best validation MRR@10)", best);
      ranker.lm().loadLora(bestLora);
      ranker.loadHead(bestHead);
    }
    return new Report(losses, mrr, recall, best, seconds, users.size(), validation.size(), summarySeconds);
  }

  /** A uniformly random item the user never interacted with in training. */
  private int negative(int[] sequence, Random random) {
    Set<Integer> seen = new HashSet<>();
    for (int i : sequence) seen.add(i);
    if (seen.size() >= numItems) throw new IllegalArgumentException("a user interacted with every item: no negative to sample");
    while (true) {
      int item = 1 + random.nextInt(numItems);
      if (!seen.contains(item)) return item;
    }
  }

  /** {MRR@10, Recall@10} of the ranker over the validation cases, 1 positive + {@code negatives} random negatives. */
  private double[] validate(List<EvalCase> validation) {
    if (validation.isEmpty()) return new double[] {Double.NaN, Double.NaN};
    SampledRanking protocol = new SampledRanking(numItems, config.negatives(), config.seed());
    RankTally tally = new RankTally(10);
    try (StageProgress progress = new StageProgress("LLM-TRSR validation", validation.size(), "users")) {
      int done = 0;
      for (EvalCase c : validation) {
        int[] candidates = RankerEvaluation.withTarget(c.target(), protocol.negatives(c));
        String summary = inputs.summary(c.history(), c.history().length);
        List<RankerInputs.Prompt> prompts = new ArrayList<>(candidates.length);
        for (int item : candidates) prompts.add(inputs.prompt(summary, c.history(), c.history().length, item));
        double[][] logits = ranker.inferLogits(prompts, config.batchSize() * 2);
        double[] scores = new double[logits.length];
        for (int i = 0; i < scores.length; i++) scores[i] = YesNoScore.of(logits[i][YesNoHead.YES], logits[i][YesNoHead.NO]);
        tally.add(RankerEvaluation.rankOfFirst(scores));
        progress.update(++done, null);
      }
    }
    return new double[] {tally.metrics().get("MRR@10"), tally.metrics().get("HR@10")};
  }
}
