package org.lmrec.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.model.TrainingBatch;
import org.lmrec.tensor.TensorMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains any {@link SequentialModel} with early stopping on a validation score (higher is better),
 * and leaves the model holding the weights of its best validated epoch.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final TrainingOptions options;

  public Trainer(TrainingOptions options) {
    this.options = options;
  }

  /**
   * @param trainSequences per-user chronological training sequences (validation and test items removed)
   * @param validation scores the model on held-out data, e.g. full-ranking NDCG@10
   */
  public TrainingReport fit(SequentialModel model, int[][] trainSequences, ToDoubleFunction<SequentialModel> validation) {
    var cfg = model.config();
    BatchSampler sampler =
        new BatchSampler(
            trainSequences,
            model.numItems(),
            cfg.maxLen(),
            cfg.batchSize(),
            SequentialModels.padsLeft(cfg.kind()),
            cfg.loss() == org.lmrec.model.LossType.BCE,
            cfg.seed());
    List<TrainingReport.EpochStats> stats = new ArrayList<>();
    long start = System.nanoTime();
    double best = Double.NEGATIVE_INFINITY;
    int bestEpoch = 0;
    double secondsToBest = 0;
    TensorMap bestState = null;
    int validationsWithoutGain = 0;
    TrainingEta eta = new TrainingEta(options.maxEpochs(), options.maxSeconds());
    if (options.showProgress()) {
      LOG.info("training {}: at most {} epochs{}, stopping early after {} validations without gain",
          cfg.kind().id(), options.maxEpochs(), options.maxSeconds() > 0 ? " or " + TrainingEta.clock(options.maxSeconds()) : "",
          options.patience());
    }

    for (int epoch = 1; epoch <= options.maxEpochs(); epoch++) {
      long t0 = System.nanoTime();
      double loss = runEpoch(model, sampler, epoch, eta, start);
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      double score = Double.NaN;
      boolean outOfTime = options.maxSeconds() > 0 && (System.nanoTime() - start) / 1e9 >= options.maxSeconds();
      boolean validate = epoch % options.evalEvery() == 0 || epoch == options.maxEpochs() || outOfTime;
      if (validate) {
        score = validation.applyAsDouble(model);
        if (score > best) {
          best = score;
          bestEpoch = epoch;
          bestState = model.exportTrainableState();
          secondsToBest = (System.nanoTime() - start) / 1e9;
          validationsWithoutGain = 0;
        } else {
          validationsWithoutGain++;
        }
      }
      stats.add(new TrainingReport.EpochStats(epoch, loss, trainSeconds, sampler.numSequences() / trainSeconds, score));
      if (options.showProgress()) {
        LOG.info(
            String.format(
                "%s; loss %.4f, %.2f s, %,.0f seq/s%s",
                eta.describe(epoch, (System.nanoTime() - start) / 1e9), loss, trainSeconds, sampler.numSequences() / trainSeconds,
                validate ? String.format(", validation %.4f (best %.4f @ %d)", score, best, bestEpoch) : ""));
      }
      if (validationsWithoutGain >= options.patience()) break;
      if (outOfTime) {
        LOG.info("stopping after epoch {}: the {} s training budget is spent", epoch, options.maxSeconds());
        break;
      }
    }
    if (bestState != null) model.restoreTrainableState(bestState);
    return new TrainingReport(stats, bestEpoch, best, secondsToBest, (System.nanoTime() - start) / 1e9);
  }

  private double runEpoch(SequentialModel model, BatchSampler sampler, int epoch, TrainingEta eta, long trainingStart) {
    List<TrainingBatch> batches = sampler.epoch();
    double sum = 0;
    boolean bar = options.showProgress() && System.console() != null;
    // The whole run's bound rides on each epoch's bar: the bar's own ETA covers this epoch only.
    String left = epoch == 1 ? "" : ", training " + eta.left(epoch - 1, (System.nanoTime() - trainingStart) / 1e9);
    try (ProgressBar pb = bar ? progressBar(epoch, options.maxEpochs(), batches.size()) : null) {
      long t0 = System.nanoTime();
      int done = 0;
      for (TrainingBatch batch : batches) {
        try {
          sum += model.trainStep(batch);
        } catch (IllegalStateException e) {
          throw new IllegalStateException("epoch " + epoch + ", batch " + (done + 1) + " of " + batches.size() + ": " + e.getMessage(), e);
        }
        done++;
        if (pb != null) {
          double seconds = (System.nanoTime() - t0) / 1e9;
          pb.step();
          pb.setExtraMessage(String.format("loss %.4f, %,.0f seq/s%s", sum / done, done * (double) batch.size() / seconds, left));
        }
      }
    }
    return sum / batches.size();
  }

  private static ProgressBar progressBar(int epoch, int maxEpochs, int batches) {
    return new ProgressBarBuilder()
        .setTaskName("epoch " + epoch + "/" + maxEpochs)
        .setInitialMax(batches)
        .setUnit(" batches", 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .continuousUpdate()
        .build();
  }
}
