package org.lmrec.enhance.llmemb;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lmrec.enhance.LmFineTuning;
import org.lmrec.model.djl.SoftContrastiveLoss;
import org.lmrec.enhance.StageProgress;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.model.djl.DjlOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLMEmb's SCFT: two attribute-dropped, shuffled views of every item in a batch go through the LM
 * (LoRA only trains), mean-pooled, and {@link SoftContrastiveLoss} pulls the views of one item
 * together against the other items of the batch, with a learnable temperature.
 */
public final class ScftTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ScftTrainer.class);

  private final ScftConfig config;
  private final TrainableLm lm;
  private final AttributeAugmentation augmentation;
  private final NDArray temperature;

  public ScftTrainer(ScftConfig config, TrainableLm lm) {
    this.config = config;
    this.lm = lm;
    this.augmentation = new AttributeAugmentation(config.dropShare());
    this.temperature = DjlOps.scalar(lm.manager(), config.initialTemperature());
    temperature.setRequiresGradient(true);
  }

  public float temperature() {
    return temperature.getFloat();
  }

  /**
   * @param itemTexts text of every item index; entry 0 (padding) is skipped
   * @return mean loss of each epoch
   */
  public List<Double> train(List<String> itemTexts) {
    List<Integer> items = new ArrayList<>();
    for (int i = 1; i < itemTexts.size(); i++) items.add(i);
    LmFineTuning tuning = new LmFineTuning(lm, "LLMEmb SCFT", config.learningRate(), Map.of("temperature", temperature));
    Random random = new Random(config.seed());
    List<Double> losses = new ArrayList<>();
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      Collections.shuffle(items, random);
      double sum = 0;
      int steps = 0;
      try (StageProgress progress = new StageProgress("LLMEmb SCFT epoch " + epoch, items.size(), "items")) {
        // a batch of one item has no negatives: the last short batch joins the one before it
        for (int from = 0; from + 1 < items.size(); from += config.batchSize()) {
          int to = items.size() - (from + config.batchSize()) < 2 ? items.size() : from + config.batchSize();
          sum += step(items.subList(from, to), itemTexts, random, tuning);
          steps++;
          progress.update(to, String.format("loss %.4f, τ %.3f", sum / steps, temperature()));
          if (to == items.size()) break;
        }
      }
      losses.add(sum / Math.max(1, steps));
      LOG.info(String.format("LLMEmb SCFT epoch %d: mean loss %.4f, temperature %.3f", epoch, sum / Math.max(1, steps), temperature()));
    }
    return losses;
  }

  private double step(List<Integer> batch, List<String> itemTexts, Random random, LmFineTuning tuning) {
    List<String> first = new ArrayList<>(batch.size());
    List<String> second = new ArrayList<>(batch.size());
    for (int item : batch) {
      List<String> views = augmentation.views(itemTexts.get(item), random);
      first.add(views.get(0));
      second.add(views.get(1));
    }
    return tuning.step(step -> SoftContrastiveLoss.of(
        lm.pooled(lm.tokenizer().encode(first, config.itemTokens(), false), step, true),
        lm.pooled(lm.tokenizer().encode(second, config.itemTokens(), false), step, true),
        temperature));
  }
}
