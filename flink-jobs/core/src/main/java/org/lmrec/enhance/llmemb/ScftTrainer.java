package org.lmrec.enhance.llmemb;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lmrec.enhance.StageProgress;
import org.lmrec.lm.TrainableLm;
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
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    List<NDArray> lora = lm.trainableParameters();
    for (int i = 0; i < lora.size(); i++) parameters.put("lora." + i, lora.get(i));
    parameters.put("temperature", temperature);
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build();
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
          sum += step(items.subList(from, to), itemTexts, random, parameters, adam);
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

  private double step(List<Integer> batch, List<String> itemTexts, Random random, Map<String, NDArray> parameters, Optimizer adam) {
    List<String> first = new ArrayList<>(batch.size());
    List<String> second = new ArrayList<>(batch.size());
    for (int item : batch) {
      List<String> views = augmentation.views(itemTexts.get(item), random);
      first.add(views.get(0));
      second.add(views.get(1));
    }
    float value;
    try (NDManager step = lm.manager().newSubManager()) {
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray x = lm.pooled(lm.tokenizer().encode(first, config.itemTokens(), false), step, true);
        NDArray y = lm.pooled(lm.tokenizer().encode(second, config.itemTokens(), false), step, true);
        NDArray loss = SoftContrastiveLoss.of(x, y, temperature);
        collector.backward(loss);
        value = loss.getFloat();
      }
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        try (NDArray grad = p.getValue().getGradient()) {
          adam.update(p.getKey(), p.getValue(), grad);
          grad.subi(grad); // PyTorch adds every backward pass to the stored gradient
        }
      }
    }
    if (!Float.isFinite(value)) throw new IllegalStateException("LLMEmb SCFT loss became " + value);
    return value;
  }
}
