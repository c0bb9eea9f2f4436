package org.lmrec.bench;

import java.util.List;
import java.util.Optional;
import org.lmrec.data.Dataset;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.model.EngineSettings;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.model.TrainingBatch;
import org.lmrec.train.BatchSampler;

/**
 * Seconds per training epoch of SASRec with the reference settings (d 50, 2 blocks, 1 head, batch
 * 128, BCE with one negative, dropout per dataset) on ML-100K (max length 200) and Video (50),
 * against the PyTorch reference implementation measured on this machine kind (pmixer/SASRec.pytorch,
 * PyTorch 1.13 over OpenBLAS, both cores: 4.4 s and 31 s). An epoch here visits every training
 * user once; the reference's epoch is floor(users / 128) batches, so both are also given per sequence.
 *
 * <p>Usage: {@code TrainingSpeedBenchmark [epochs=5] [threads=2]}; the first epoch is warm-up.
 */
public final class TrainingSpeedBenchmark {
  public static void main(String[] args) {
    Args a = new Args(args);
    EngineSettings.configure(a.getInt("threads", 2));
    int epochs = a.getInt("epochs", 5);
    System.out.printf(
        "SASRec, d 50, 2 blocks, 1 head, batch 128, BCE with one negative, Adam lr 1e-3, dropout 0.2 (ml-100k) / 0.5 (video);"
            + " %d PyTorch intra-op thread(s); mean of epochs 2..%d%n",
        a.getInt("threads", 2), epochs);
    System.out.println("| dataset | maxlen | users | s/epoch (lmrec) | s/epoch (PyTorch ref) | ref / lmrec per sequence |");
    System.out.println("|---|---|---|---|---|---|");
    for (var entry : List.of(new Object[] {"ml-100k", 4.4}, new Object[] {"video", 31.0})) {
      BenchmarkDatasets spec = BenchmarkDatasets.select((String) entry[0]).get(0);
      Optional<Dataset> data = spec.load();
      if (data.isEmpty()) continue;
      LeaveOneOutSplit split = LeaveOneOutSplit.of(data.get());
      ModelConfig cfg =
          ModelConfig.defaults(ModelKind.SASREC).withDim(50).withBlocks(2).withHeads(1).withMaxLen(spec.maxLen())
              .withDropout(spec.dropout()).withBatchSize(128).withLoss(LossType.BCE);
      try (SequentialModel model = SequentialModels.create(cfg, data.get().numItems(), null)) {
        BatchSampler sampler = new BatchSampler(split.trainSequences(), model.numItems(), cfg.maxLen(), 128, true, true, 1);
        double total = 0;
        for (int e = 0; e < epochs; e++) {
          long t0 = System.nanoTime();
          for (TrainingBatch b : sampler.epoch()) model.trainStep(b);
          double s = (System.nanoTime() - t0) / 1e9;
          System.err.printf("%s epoch %d: %.2f s%n", spec.name(), e + 1, s);
          if (e > 0) total += s;
        }
        double ours = total / (epochs - 1);
        double ref = (Double) entry[1];
        int users = sampler.numSequences();
        double refPerSeq = ref / ((users / 128) * 128.0);
        double oursPerSeq = ours / users;
        System.out.printf("| %s | %d | %,d | %.2f | %.1f | %.2fx |%n", spec.name(), cfg.maxLen(), users, ours, ref, refPerSeq / oursPerSeq);
      }
    }
  }
}
