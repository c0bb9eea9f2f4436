package org.lmrec.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetFormat;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.TrainingBatch;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.train.BatchSampler;

/**
 * Seconds per training epoch of SASRec with the reference settings (d 50, 2 blocks, 1 head, batch
 * 128, BCE with one negative per position, Adam lr 1e-3, dropout per dataset) on ML-100K (max
 * length 200) and Video (50): first the JVM trainer (DJL on PyTorch 2.7.1), then, in the same
 * invocation, a plain PyTorch loop of the same network ({@link TorchPeer}, benchmarks/python/
 * sasrec_torch.py, on the system's python3-torch) on the same file and settings.
 *
 * <p>An epoch is the same work on both sides: every training sequence with two or more items once
 * (leave-one-out training split), ceil(sequences / 128) batches, left-padded to the max length, one
 * sampled negative per target position, sampling inside the timed epoch. The peer reports its
 * sequence, batch and position counts and the run stops if they differ from the JVM's.
 *
 * <p>Usage: {@code TrainingSpeedBenchmark [datasets=ml-100k,video] [epochs=5] [threads=2] [peer=torch|none]
 * [python=/usr/bin/python3]}. The first epoch is warm-up and shown apart; s/epoch is the median of
 * the others. Without the interpreter or torch the peer is skipped with one line saying why.
 */
public final class TrainingSpeedBenchmark {
  private static final long SEED = 1;

  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int threads = a.getInt("threads", 2);
    EngineSettings.configure(threads);
    int epochs = a.getInt("epochs", 5);
    if (epochs < 2) throw new IllegalArgumentException("epochs must be at least 2 (the first is warm-up), got " + epochs);
    String peer = a.get("peer", "torch");
    if (!peer.equals("torch") && !peer.equals("none")) throw new IllegalArgumentException("peer must be torch or none, got '" + peer + "'");
    String python = a.get("python", TorchPeer.DEFAULT_PYTHON);
    Optional<String> skipPeer = peer.equals("none") ? Optional.of("peer=none") : TorchPeer.unavailable(python);
    skipPeer.ifPresent(why -> System.out.println("PyTorch peer skipped: " + why));

    System.out.printf(
        "SASRec, d 50, 2 blocks, 1 head, batch 128, BCE with one negative per position, Adam lr 1e-3 (betas 0.9, 0.98),"
            + " dropout 0.2 (ml-100k) / 0.5 (video); %d intra-op thread(s) on each side; s/epoch = median of epochs 2..%d%n",
        threads, epochs);
    List<String> rows = new ArrayList<>();
    for (BenchmarkDatasets spec : BenchmarkDatasets.select(a.get("datasets", "ml-100k,video"))) {
      Optional<Path> file = spec.path();
      Optional<Dataset> data = file.isPresent() ? spec.load() : Optional.empty();
      if (data.isEmpty()) continue;
      LeaveOneOutSplit split = LeaveOneOutSplit.of(data.get());
      ModelConfig cfg =
          ModelConfig.defaults(ModelKind.SASREC).withDim(50).withBlocks(2).withHeads(1).withMaxLen(spec.maxLen())
              .withDropout(spec.dropout()).withBatchSize(128).withLoss(LossType.BCE);
      List<Double> jvm = new ArrayList<>();
      BatchSampler sampler;
      try (SequentialModel model = SequentialModels.create(cfg, data.get().numItems(), null)) {
        sampler = new BatchSampler(split.trainSequences(), model.numItems(), cfg.maxLen(), 128, true, true, SEED);
        for (int e = 0; e < epochs; e++) {
          long t0 = System.nanoTime();
          for (TrainingBatch b : sampler.epoch()) model.trainStep(b);
          jvm.add((System.nanoTime() - t0) / 1e9);
          System.err.printf("%s JVM epoch %d: %.2f s%n", spec.name(), e + 1, jvm.get(e));
        }
      }
      double jvmSteady = TorchPeer.steadySeconds(jvm);
      String torchFirst = "skipped";
      String torchSteady = "skipped";
      String ratio = "n/a";
      String torchVersion = "";
      Optional<String> skipHere =
          skipPeer.isPresent() || spec.format() == DatasetFormat.SASREC_TXT
              ? skipPeer
              : Optional.of("the peer reads only the SASRec text format, " + spec.name() + " is " + spec.format());
      if (skipHere.isPresent() && skipPeer.isEmpty()) System.out.println("PyTorch peer skipped on " + spec.name() + ": " + skipHere.get());
      if (skipHere.isEmpty()) {
        TorchPeer.Run run = TorchPeer.run(python, file.get(), cfg.maxLen(), cfg.dropout(), epochs, threads, SEED);
        checkSameWork(spec.name(), run, sampler, positions(split.trainSequences(), cfg.maxLen()));
        double steady = TorchPeer.steadySeconds(run.epochSeconds());
        torchFirst = String.format("%.2f", run.epochSeconds().get(0));
        torchSteady = String.format("%.2f", steady);
        ratio = String.format("%.2f", jvmSteady / steady);
        torchVersion = ", PyTorch " + seconds(run.epochSeconds()) + " (torch " + run.setup().get("torch") + ", BLAS "
            + run.setup().get("blas") + ")";
      }
      rows.add(String.format("| %s | %d | %,d | %d | %.2f | %.2f | %s | %s | %s |", spec.name(), cfg.maxLen(),
          sampler.numSequences(), sampler.batchesPerEpoch(), jvm.get(0), jvmSteady, torchFirst, torchSteady, ratio));
      System.out.println("epochs of " + spec.name() + ": JVM " + seconds(jvm) + torchVersion);
    }
    System.out.println("| dataset | maxlen | sequences | batches | JVM epoch 1 (s) | JVM s/epoch | PyTorch epoch 1 (s) | PyTorch s/epoch | JVM / PyTorch |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  /** Target positions per epoch: each trainable sequence contributes min(length - 1, maxLen). */
  static long positions(int[][] trainSequences, int maxLen) {
    long n = 0;
    for (int[] s : trainSequences) if (s.length >= 2) n += Math.min(s.length - 1, maxLen);
    return n;
  }

  /** A ratio of epochs is only meaningful if both epochs are the same number of sequences, batches and positions. */
  static void checkSameWork(String dataset, TorchPeer.Run run, BatchSampler sampler, long positions) {
    if (run.setupInt("sequences") != sampler.numSequences()
        || run.setupInt("batches") != sampler.batchesPerEpoch()
        || run.setupLong("positions") != positions) {
      throw new IllegalStateException(String.format(
          "%s: the PyTorch peer's epoch is different work (sequences %s, batches %s, positions %s) from the JVM's (%d, %d, %d)",
          dataset, run.setup().get("sequences"), run.setup().get("batches"), run.setup().get("positions"),
          sampler.numSequences(), sampler.batchesPerEpoch(), positions));
    }
  }

  private static String seconds(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.2f", x)).toList().toString();
  }
}
