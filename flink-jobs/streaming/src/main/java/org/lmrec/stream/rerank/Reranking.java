package org.lmrec.stream.rerank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.serving.RankedItems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer's optional LLM-TRSR step: each request's SRS top N re-ordered by the served model's
 * yes/no ranker, within a time budget per micro-batch. Whatever goes wrong, the request is served
 * in the SRS order and counted: a model without a ranker (logged once, at its load), a ranker that
 * throws, a re-rank that would end or ended past the budget. Rankers are opened with their model,
 * on the loader's thread ({@link #attach}), and used on the task thread only.
 */
public final class Reranking implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reranking.class);
  public static final String RERANKED = "lmrecReranked";
  public static final String OVER_BUDGET = "lmrecRerankOverBudget";
  public static final String FAILURES = "lmrecRerankFailures";
  public static final String MODELS_WITHOUT_RANKER = "lmrecRerankModelsWithoutRanker";
  public static final String MILLIS = "lmrecRerankMillis";

  private final RerankSettings settings;
  private final Function<LoadedArtifact, ModelRanker> opener;
  /** Rankers by their model (identity); filled from loader threads, read and pruned on the task thread. */
  private final Map<BatchRecommender, ModelRanker> rankers = Collections.synchronizedMap(new IdentityHashMap<>());
  private final AtomicLong modelsWithoutRanker = new AtomicLong();
  private final Counter reranked;
  private final Counter overBudget;
  private final Counter failures;
  private final Histogram millis;
  /** Measured re-rank time per candidate (an exponential average); 0 until the first re-rank. */
  private double nanosPerCandidate;

  /** With ONNX Runtime rankers read from each model's artifact. */
  public static Reranking onnx(RerankSettings settings, MetricGroup metrics) {
    return new Reranking(settings, artifact -> OnnxModelRankers.open(artifact, settings), metrics);
  }

  public Reranking(RerankSettings settings, Function<LoadedArtifact, ModelRanker> opener, MetricGroup metrics) {
    this.settings = settings;
    this.opener = opener;
    reranked = metrics.counter(RERANKED);
    overBudget = metrics.counter(OVER_BUDGET);
    failures = metrics.counter(FAILURES);
    millis = metrics.histogram(MILLIS, new DescriptiveStatisticsHistogram(10_000));
    metrics.gauge(MODELS_WITHOUT_RANKER, modelsWithoutRanker::get);
  }

  /** How many SRS items a request needs: the N re-ranked. */
  public int candidates() {
    return settings.topN();
  }

  /**
   * Opens {@code model}'s ranker from its artifact (on the loader's thread, as the model loads); a
   * model that has none or whose ranker cannot be opened serves un-reranked, logged once here.
   */
  public void attach(BatchRecommender model, LoadedArtifact artifact) {
    try {
      rankers.put(model, opener.apply(artifact));
    } catch (RuntimeException | LinkageError e) {
      modelsWithoutRanker.incrementAndGet();
      LOG.warn("model {} serves without re-rank: {}", model.model().version(), e.getMessage());
    }
  }

  /** Closes the rankers of models no longer held. */
  public void retain(Set<BatchRecommender> held) {
    synchronized (rankers) {
      rankers.entrySet().removeIf(e -> {
        if (held.contains(e.getKey())) return false;
        e.getValue().close();
        return true;
      });
    }
  }

  /** Requests served re-ranked so far ({@value #RERANKED}). */
  public long rerankedCount() {
    return reranked.getCount();
  }

  /** Requests served in the SRS order for the budget ({@value #OVER_BUDGET}). */
  public long overBudgetCount() {
    return overBudget.getCount();
  }

  /** Requests served in the SRS order because the ranker failed ({@value #FAILURES}). */
  public long failureCount() {
    return failures.getCount();
  }

  /** Loaded models that serve without a ranker ({@value #MODELS_WITHOUT_RANKER}). */
  public long modelsWithoutRankerCount() {
    return modelsWithoutRanker.get();
  }

  /** Whether {@code model} has a ranker (tests). */
  public boolean hasRanker(BatchRecommender model) {
    return rankers.containsKey(model);
  }

  /**
   * The answers of one micro-batch scored by {@code model}, each re-ranked when the model has a
   * ranker and the budget allows, else as given. The budget starts here, so each model's share of
   * a micro-batch (experiment arms) has its own.
   */
  public List<RankedItems> apply(List<String[]> histories, List<RankedItems> answers, BatchRecommender model) {
    ModelRanker ranker = rankers.get(model);
    if (ranker == null) return answers;
    long start = System.nanoTime();
    long budget = settings.budgetMillis() * 1_000_000L;
    List<RankedItems> out = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      RankedItems srs = answers.get(i);
      int n = Math.min(settings.topN(), srs.size());
      if (n < 2) {
        out.add(srs);
        continue;
      }
      if (System.nanoTime() - start + nanosPerCandidate * n > budget) {
        overBudget.inc();
        out.add(srs);
        continue;
      }
      out.add(rerank(ranker, histories.get(i), srs, n, start, budget));
    }
    return out;
  }

  private RankedItems rerank(ModelRanker ranker, String[] history, RankedItems srs, int n, long batchStart, long budget) {
    long t0 = System.nanoTime();
    double[] scores;
    try {
      scores = ranker.scores(history, Arrays.asList(srs.itemIds()).subList(0, n));
      if (scores.length != n) throw new IllegalStateException(scores.length + " scores for " + n + " candidates");
    } catch (RuntimeException | LinkageError e) {
      failures.inc();
      if (failures.getCount() == 1) LOG.warn("re-rank failed; requests are served in the SRS order (counted in {})", FAILURES, e);
      return srs;
    }
    long now = System.nanoTime();
    double perCandidate = (now - t0) / (double) n;
    nanosPerCandidate = nanosPerCandidate == 0 ? perCandidate : 0.8 * nanosPerCandidate + 0.2 * perCandidate;
    millis.update((now - t0) / 1_000_000);
    if (now - batchStart > budget) {
      overBudget.inc();
      return srs;
    }
    reranked.inc();
    return byScore(srs, scores, n);
  }

  /** The first {@code n} items ordered by score, highest first; ties keep the SRS order. */
  static RankedItems byScore(RankedItems srs, double[] scores, int n) {
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) order[k] = k;
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    String[] ids = new String[n];
    float[] values = new float[n];
    for (int k = 0; k < n; k++) {
      ids[k] = srs.itemIds()[order[k]];
      values[k] = (float) scores[order[k]];
    }
    return new RankedItems(ids, values, srs.unknownItems());
  }

  @Override
  public void close() {
    retain(Set.of());
  }
}
