package org.lmrec.enhance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.lmrec.train.lm.TrainableLm;

/**
 * One Adam step over the LM's LoRA arrays plus a stage's own trainable arrays (a head, a
 * temperature), the loop every LM fine-tuning stage shares: a per-step sub-manager, one gradient
 * collector, an update per array, gradients zeroed (PyTorch adds every backward pass to them).
 */
public final class LmFineTuning {
  private final TrainableLm lm;
  private final String stage;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final Optimizer adam;

  /**
   * @param stage named in the error when the loss stops being finite
   * @param extra the stage's own arrays (already marked as requiring gradients), by name
   */
  public LmFineTuning(TrainableLm lm, String stage, float learningRate, Map<String, NDArray> extra) {
    this.lm = lm;
    this.stage = stage;
    var lora = lm.trainableParameters();
    for (int i = 0; i < lora.size(); i++) parameters.put("lora." + i, lora.get(i));
    parameters.putAll(extra);
    this.adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
  }

  /** Computes the loss on a fresh step manager, back-propagates, updates; returns the loss. */
  public float step(Function<NDManager, NDArray> loss) {
    float value;
    try (NDManager step = lm.manager().newSubManager()) {
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray l = loss.apply(step);
        collector.backward(l);
        value = l.getFloat();
      }
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        try (NDArray grad = p.getValue().getGradient()) {
          adam.update(p.getKey(), p.getValue(), grad);
          grad.subi(grad);
        }
      }
    }
    if (!Float.isFinite(value)) throw new IllegalStateException(stage + " loss became " + value);
    return value;
  }
}
