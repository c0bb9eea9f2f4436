package org.lmrec.enhance.p2rec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lmrec.enhance.LmFineTuning;
import org.lmrec.enhance.StageProgress;
import org.lmrec.lm.TokenBatch;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.model.djl.DjlOps;
import org.lmrec.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * P2Rec's information reconstruction: one example per user, the LM (LoRA only) and a linear head
 * learn to reproduce the user's category distribution g_u from the user's history text. The head's
 * softmax is compared with g_u by MSE (or KL). About 5% of the users (at most 256) are held out to
 * check that the tuned LM beats the input-free baseline.
 */
public final class PreferenceSft {
  private static final Logger LOG = LoggerFactory.getLogger(PreferenceSft.class);
  private static final int MAX_HELD_OUT = 256;

  private final P2RecConfig config;
  private final TrainableLm lm;
  private final List<String> itemTexts;
  private final NDArray headWeight; // [H, K]
  private final NDArray headBias; // [K]

  public PreferenceSft(P2RecConfig config, TrainableLm lm, List<String> itemTexts, int k, Tensor warmHead) {
    this.config = config;
    this.lm = lm;
    this.itemTexts = itemTexts;
    int h = lm.hiddenSize();
    NDManager m = lm.manager();
    if (warmHead != null && warmHead.dim(0) == h + 1 && warmHead.dim(1) == k) {
      float[] d = warmHead.data();
      headWeight = DjlOps.floats(m, Arrays.copyOfRange(d, 0, h * k), new Shape(h, k));
      headBias = DjlOps.floats(m, Arrays.copyOfRange(d, h * k, (h + 1) * k), new Shape(k));
    } else {
      Random r = new Random(config.seed() ^ 0x5f7L);
      float[] w = new float[h * k];
      float bound = (float) Math.sqrt(6.0 / (h + k)); // Xavier uniform
      for (int i = 0; i < w.length; i++) w[i] = (r.nextFloat() * 2 - 1) * bound;
      headWeight = DjlOps.floats(m, w, new Shape(h, k));
      headBias = DjlOps.floats(m, new float[k], new Shape(k));
    }
    headWeight.setRequiresGradient(true);
    headBias.setRequiresGradient(true);
  }

  /** The head as {@code [H + 1, K]}: weight rows, then the bias row. */
  public Tensor head() {
    float[] w = headWeight.toFloatArray();
    float[] b = headBias.toFloatArray();
    float[] out = Arrays.copyOf(w, w.length + b.length);
    System.arraycopy(b, 0, out, w.length, b.length);
    return new Tensor(out, (int) headWeight.getShape().get(0) + 1, (int) headWeight.getShape().get(1));
  }

  public SftReport train(int[][] sequences, PreferencePriors priors) {
    List<Integer> users = new ArrayList<>();
    for (int u = 0; u < sequences.length; u++) if (sequences[u].length > 0 && priors.hasItems(u)) users.add(u);
    java.util.Collections.shuffle(users, new Random(config.seed()));
    int heldOut = Math.min(MAX_HELD_OUT, Math.max(1, users.size() / 20));
    if (users.size() < 2) throw new IllegalArgumentException("fine-tuning needs at least 2 users with items, got " + users.size());
    List<Integer> check = users.subList(0, heldOut);
    List<Integer> train = users.subList(heldOut, users.size());
    if (config.maxUsers() > 0 && train.size() > config.maxUsers()) train = train.subList(0, config.maxUsers());
    float[] meanPrior = meanPrior(train, priors);

    LmFineTuning tuning = new LmFineTuning(lm, "P2Rec SFT", config.learningRate(), Map.of("head.weight", headWeight, "head.bias", headBias));

    long start = System.nanoTime();
    List<Double> epochLosses = new ArrayList<>();
    Random order = new Random(config.seed() + 1);
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      List<Integer> shuffled = new ArrayList<>(train);
      java.util.Collections.shuffle(shuffled, order);
      double sum = 0;
      int steps = 0;
      try (StageProgress progress = new StageProgress("P2Rec SFT epoch " + epoch, shuffled.size(), "users")) {
        for (int from = 0; from < shuffled.size(); from += config.batchSize()) {
          List<Integer> batch = shuffled.subList(from, Math.min(shuffled.size(), from + config.batchSize()));
          sum += tuning.step(step -> loss(batch, sequences, priors, step, true));
          steps++;
          progress.update(from + batch.size(), String.format("loss %.5f", sum / steps));
        }
      }
      epochLosses.add(sum / Math.max(1, steps));
      LOG.info(String.format("P2Rec SFT epoch %d: mean loss %.6f over %,d users", epoch, sum / Math.max(1, steps), shuffled.size()));
    }
    double heldOutLoss = evaluate(check, sequences, priors);
    double baseline = baselineLoss(check, priors, meanPrior);
    double seconds = (System.nanoTime() - start) / 1e9;
    LOG.info(String.format("P2Rec SFT: held-out %s %.6f vs %.6f for the mean-g_u baseline, %.0f s", config.loss(), heldOutLoss, baseline, seconds));
    return new SftReport(epochLosses, heldOutLoss, baseline, train.size(), check.size(), seconds);
  }

  private double evaluate(List<Integer> users, int[][] sequences, PreferencePriors priors) {
    double sum = 0;
    for (int from = 0; from < users.size(); from += config.batchSize()) {
      List<Integer> batch = users.subList(from, Math.min(users.size(), from + config.batchSize()));
      try (NDManager step = lm.manager().newSubManager()) {
        sum += loss(batch, sequences, priors, step, false).getFloat() * batch.size();
      }
    }
    return sum / users.size();
  }

  /** Mean loss of a batch of users; the graph reaches the LoRA arrays and the head only. */
  NDArray loss(List<Integer> batch, int[][] sequences, PreferencePriors priors, NDManager step, boolean training) {
    NDArray pooled = config.mode() == SftMode.USER_LEVEL
        ? lm.pooled(userTokens(batch, sequences), step, training)
        : itemWisePooled(batch, sequences, step, training);
    NDArray logits = pooled.matMul(headWeight).add(headBias);
    NDArray target = DjlOps.floats(step, targets(batch, priors), new Shape(batch.size(), priors.k()));
    if (config.loss() == SftLoss.MSE) {
      NDArray diff = logits.softmax(1).sub(target);
      return diff.mul(diff).mean();
    }
    return logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
  }

  private TokenBatch userTokens(List<Integer> batch, int[][] sequences) {
    List<String> texts = new ArrayList<>(batch.size());
    for (int u : batch) texts.add(UserTexts.of(sequences[u], itemTexts, config.userTokens()));
    return lm.tokenizer().encode(texts, config.userTokens(), true);
  }

  /** Each user = the mean of the pooled outputs of their most recent items, each encoded alone. */
  private NDArray itemWisePooled(List<Integer> batch, int[][] sequences, NDManager step, boolean training) {
    Map<Integer, Integer> slot = new LinkedHashMap<>();
    for (int u : batch) {
      int[] s = sequences[u];
      for (int i = Math.max(0, s.length - config.itemsPerUser()); i < s.length; i++) slot.putIfAbsent(s[i], slot.size());
    }
    List<String> texts = new ArrayList<>(slot.size());
    for (int item : slot.keySet()) texts.add(itemTexts.get(item));
    NDArray items = lm.pooled(lm.tokenizer().encode(texts, config.itemTokens(), false), step, training);
    float[] weights = new float[batch.size() * slot.size()];
    for (int b = 0; b < batch.size(); b++) {
      int[] s = sequences[batch.get(b)];
      int from = Math.max(0, s.length - config.itemsPerUser());
      for (int i = from; i < s.length; i++) weights[b * slot.size() + slot.get(s[i])] += 1f / (s.length - from);
    }
    return DjlOps.floats(step, weights, new Shape(batch.size(), slot.size())).matMul(items);
  }

  private static float[] targets(List<Integer> batch, PreferencePriors priors) {
    int k = priors.k();
    float[] t = new float[batch.size() * k];
    for (int b = 0; b < batch.size(); b++) System.arraycopy(priors.of(batch.get(b)), 0, t, b * k, k);
    return t;
  }

  private static float[] meanPrior(List<Integer> users, PreferencePriors priors) {
    float[] mean = new float[priors.k()];
    for (int u : users) {
      float[] g = priors.of(u);
      for (int c = 0; c < mean.length; c++) mean[c] += g[c] / users.size();
    }
    return mean;
  }

  private double baselineLoss(List<Integer> users, PreferencePriors priors, float[] mean) {
    double sum = 0;
    for (int u : users) {
      float[] g = priors.of(u);
      double l = 0;
      for (int c = 0; c < g.length; c++) {
        if (config.loss() == SftLoss.MSE) l += (mean[c] - g[c]) * (mean[c] - g[c]) / g.length;
        else l -= g[c] * Math.log(Math.max(mean[c], 1e-12));
      }
      sum += l;
    }
    return sum / users.size();
  }
}
