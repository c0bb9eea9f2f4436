package org.lmrec.train;

import java.util.List;
import org.lmrec.data.Dataset;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.EvalCases;
import org.lmrec.eval.EvaluationResult;
import org.lmrec.eval.Evaluator;
import org.lmrec.eval.FullRanking;
import org.lmrec.eval.LeaveOneOutSplit;
import org.lmrec.eval.NextItemScorer;
import org.lmrec.eval.PopularityGroups;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.tensor.TensorMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard experiment every entry point runs: leave-one-out split, training with early
 * stopping on validation NDCG@10 (full ranking), then the test set under both protocols (full
 * ranking and 1 positive + 100 sampled negatives), overall and by item popularity.
 */
public final class TrainingPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingPipeline.class);

  /**
   * @param validationUsers cap on users used for validation during training (0 = all); the test
   *     set is always evaluated on every user
   * @param tailThreshold items with fewer distinct training users are "tail"; null = the top 20%
   *     most popular items are head
   */
  public record Settings(ModelConfig model, TrainingOptions training, int validationUsers, Integer tailThreshold) {
    public static Settings of(ModelConfig model, TrainingOptions training) {
      return new Settings(model, training, 10_000, null);
    }
  }

  /**
   * What a run produced; {@code weights} are the serving weights of the best epoch and
   * {@code itemAdapter} its item adapter (empty without one), already folded into the weights.
   */
  public record Result(
      ModelConfig config,
      TrainingReport report,
      EvaluationResult testFull,
      EvaluationResult testSampled,
      TensorMap weights,
      TensorMap itemAdapter) {}

  private TrainingPipeline() {}

  public static Result run(Dataset data, Settings settings, EmbeddingInit init) {
    return run(data, settings, init, weights -> {});
  }

  /**
   * @param beforeTest may change the trained weights in place before the test (rows filled in after
   *     training), so that the test scores once, and scores the weights that are saved
   */
  public static Result run(Dataset data, Settings settings, EmbeddingInit init, java.util.function.Consumer<TensorMap> beforeTest) {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
    if (split.test().isEmpty()) {
      throw new IllegalArgumentException(
          data.name() + " has no user with " + LeaveOneOutSplit.MIN_INTERACTIONS + "+ interactions: nothing to evaluate");
    }
    ModelConfig cfg = settings.model();
    List<EvalCase> validation =
        settings.validationUsers() > 0
            ? EvalCases.sample(split.validation(), settings.validationUsers(), cfg.seed())
            : split.validation();
    Evaluator validator = Evaluator.builder(new FullRanking(split.numItems())).cutoffs(10).build();
    LOG.info("{}; training {} on {} users, validating on {}", data.summary(), cfg.kind().id(), split.trainSequences().length, validation.size());

    Result trained;
    try (SequentialModel model = SequentialModels.create(cfg, data.numItems(), init)) {
      TrainingReport report =
          new Trainer(settings.training())
              .fit(model, split.trainSequences(), m -> validator.evaluate(m, validation).metric("NDCG@10"));
      LOG.info(String.format("best epoch %d (validation NDCG@10 %.4f) after %.1f s", report.bestEpoch(), report.bestValidation(), report.secondsToBest()));
      trained = new Result(cfg, report, null, null, model.exportWeights(), model.exportItemAdapter());
    }
    beforeTest.accept(trained.weights());
    return testAsServed(data, settings, trained);
  }

  /**
   * The result with its test metrics computed on its weights as they are served ({@link
   * ServedModelTest}); call again after changing the weights, so that the numbers reported and
   * stored belong to the model that is saved.
   */
  public static Result testAsServed(Dataset data, Settings settings, Result r) {
    ServedModelTest.Result t = ServedModelTest.of(r.config(), r.weights(), data, settings.tailThreshold());
    return new Result(r.config(), r.report(), t.full(), t.sampled(), r.weights(), r.itemAdapter());
  }

  /** Evaluates any scorer (a DJL model or a loaded serving model) on the test cases of a split. */
  public static EvaluationResult test(
      NextItemScorer scorer, LeaveOneOutSplit split, PopularityGroups groups, org.lmrec.eval.RankingProtocol protocol) {
    return test(scorer, split.test(), groups, protocol);
  }

  /** As {@link #test(NextItemScorer, LeaveOneOutSplit, PopularityGroups, org.lmrec.eval.RankingProtocol)}, on chosen test cases. */
  public static EvaluationResult test(
      NextItemScorer scorer, java.util.List<org.lmrec.eval.EvalCase> cases, PopularityGroups groups, org.lmrec.eval.RankingProtocol protocol) {
    return Evaluator.builder(protocol).cutoffs(10, 20).popularity(groups).build().evaluate(scorer, cases);
  }
}
