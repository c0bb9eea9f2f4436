package org.lmrec.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lmrec.data.Dataset;
import org.lmrec.eval.EvaluationResult;
import org.lmrec.eval.FullRanking;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.eval.PopularityGroups;
import org.lmrec.eval.SampledRanking;
import org.lmrec.model.ModelConfig;
import org.lmrec.serving.ServingModel;
import org.lmrec.tensor.TensorMap;

/**
 * The test metrics of a model exactly as it is saved and served: the serving scorer (the streaming
 * job's) over the weights the artifact holds, by full ranking and by 1 positive + 100 sampled
 * negatives, overall and by item popularity. {@code lmrec train} stores these numbers and
 * {@code lmrec evaluate} recomputes them from the artifact with the same seed, so the two agree
 * exactly; scoring the training graph instead would describe weights the artifact may not hold
 * (rows filled in after training, float differences between the two forward passes).
 */
public final class ServedModelTest {
  /** Prefixes of the manifest's metric names. */
  public static final String FULL = "test/full/";
  public static final String SAMPLED = "test/sampled100/";

  /** @param sampledSeed seed of the sampled negatives, printed beside the sampled numbers */
  public record Result(EvaluationResult full, EvaluationResult sampled, long sampledSeed) {
    /** Every metric under its manifest name ({@link #FULL} / {@link #SAMPLED} + the metric). */
    public Map<String, Double> metrics() {
      Map<String, Double> out = new LinkedHashMap<>();
      full.metrics().forEach((k, v) -> out.put(FULL + k, v));
      sampled.metrics().forEach((k, v) -> out.put(SAMPLED + k, v));
      return out;
    }
  }

  private ServedModelTest() {}

  /** Tests the model these weights serve, with the sampled negatives drawn from the model's own seed. */
  public static Result of(ModelConfig config, TensorMap weights, Dataset data, Integer tailThreshold) {
    return of(new ServingModel("trained", config, weights, data.itemIds()), data, config.seed(), tailThreshold);
  }

  /**
   * @param data a dataset whose item indices are the model's
   * @param tailThreshold items with fewer distinct training users are tail; null = the 80% least popular
   */
  public static Result of(ServingModel model, Dataset data, long sampledSeed, Integer tailThreshold) {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
    PopularityGroups groups = groups(split, tailThreshold);
    EvaluationResult full = TrainingPipeline.test(model, split, groups, new FullRanking(split.numItems()));
    EvaluationResult sampled = TrainingPipeline.test(model, split, groups, new SampledRanking(split.numItems(), sampledSeed));
    return new Result(full, sampled, sampledSeed);
  }

  static PopularityGroups groups(LeaveOneOutSplit split, Integer tailThreshold) {
    return tailThreshold == null
        ? PopularityGroups.byDefault(split)
        : PopularityGroups.withThreshold(split.trainSequences(), split.numItems(), tailThreshold);
  }
}
