package org.lmrec.train.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmrec.model.EngineSettings;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.OnnxTextEmbedder;
import org.lmrec.lm.TokenBatch;
import org.lmrec.lm.LmFixtures;

/**
 * Measures the LM's speed (not a test: run by hand).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) org.lmrec.lm.LmThroughput [threads]
 * </pre>
 *
 * ONNX Runtime embeddings/s on 1,000 synthetic item texts and on their titles (64 tokens, batch 32), then the DJL
 * rebuild's forward and forward+backward seconds per batch of 16 at 64 and 128 tokens (the inputs
 * are user-history-like concatenations of item texts, cut to exactly that length).
 */
public final class LmThroughput {
  private LmThroughput() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    EngineSettings.configure(threads);
    LmCheckpoint checkpoint = LmCheckpoint.defaultMiniLm();
    List<String> items = LmFixtures.syntheticItemTexts(1000);

    try (OnnxTextEmbedder onnx = new OnnxTextEmbedder(checkpoint, threads)) {
      onnx.embed(items.subList(0, 64), 64, 32, null); // warm-up
      List<String> titles = LmFixtures.syntheticTitles(1000);
      for (List<String> texts : List.of(items, titles)) {
        String what = texts == items ? "item texts" : "titles";
        TokenBatch all = onnx.tokenizer().encode(texts, 64, false);
        double meanTokens = java.util.stream.IntStream.range(0, all.size()).map(all::tokens).average().orElse(0);
        for (int rep = 0; rep < 2; rep++) {
          long t0 = System.nanoTime();
          onnx.embed(texts, 64, 32, null);
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf("ONNX Runtime, %d threads: %d %s (mean %.1f tokens, max 64, batch 32) in %.2f s = %.0f texts/s%n",
              threads, texts.size(), what, meanTokens, s, texts.size() / s);
        }
      }
    }

    List<String> histories = new ArrayList<>();
    for (int u = 0; u < 16; u++) histories.add(String.join(" | ", items.subList(u * 10, u * 10 + 10)));
    try (TrainableLm lm = new TrainableLm(checkpoint, LoraConfig.defaults())) {
      for (int tokens : new int[] {64, 128}) {
        TokenBatch batch = lm.tokenizer().encode(histories, tokens, true);
        double[] fwd = new double[6];
        double[] fwdBwd = new double[6];
        for (int rep = 0; rep < fwd.length; rep++) {
          long t0 = System.nanoTime();
          try (NDManager step = lm.manager().newSubManager()) {
            lm.pooled(batch, step, false).toFloatArray();
          }
          fwd[rep] = (System.nanoTime() - t0) / 1e9;
          t0 = System.nanoTime();
          try (NDManager step = lm.manager().newSubManager()) {
            try (GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector()) {
              NDArray pooled = lm.pooled(batch, step, true);
              c.backward(pooled.mul(pooled).sum());
            }
            lm.zeroGradients();
          }
          fwdBwd[rep] = (System.nanoTime() - t0) / 1e9;
        }
        System.out.printf("DJL rebuild, batch 16 x %d tokens: forward %.3f s, forward+backward %.3f s (median of 5 after a warm-up)%n",
            batch.length(), median(fwd), median(fwdBwd));
      }
    }
  }

  private static double median(double[] v) {
    double[] s = Arrays.copyOfRange(v, 1, v.length);
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
