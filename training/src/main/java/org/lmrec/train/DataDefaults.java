package org.lmrec.train;

import org.lmrec.data.Dataset;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;

/**
 * The defaults that depend on the data: SASRec's dropout is 0.5 on sparse data and 0.2 on dense
 * data, the SASRec paper's rule (0.5 on its Amazon and Steam sets, 0.2 on MovieLens-1M) and the
 * setting every Amazon table in docs/benchmarks.md was measured with. Every other default is the
 * backbone's own ({@link ModelConfig#defaults}).
 */
public final class DataDefaults {
  /** Interactions per user-item pair below which data counts as sparse: Amazon sets are at 0.03-0.5%, MovieLens at 4-6%. */
  public static final double SPARSE_DENSITY = 0.01;

  public static final float SPARSE_SASREC_DROPOUT = 0.5f;

  private DataDefaults() {}

  public static double density(Dataset data) {
    return data.numInteractions() / ((double) Math.max(1, data.numUsers()) * Math.max(1, data.numItems()));
  }

  public static boolean sparse(Dataset data) {
    return density(data) < SPARSE_DENSITY;
  }

  /** The backbone's defaults for this data. */
  public static ModelConfig of(ModelKind kind, Dataset data) {
    ModelConfig base = ModelConfig.defaults(kind);
    return kind == ModelKind.SASREC && sparse(data) ? base.withDropout(SPARSE_SASREC_DROPOUT) : base;
  }

  /** One line saying which data-dependent default applies, or null when none does. */
  public static String describe(ModelKind kind, Dataset data) {
    if (kind != ModelKind.SASREC) return null;
    return String.format(java.util.Locale.ROOT, "SASRec dropout %.1f by default: the data is %s (density %.3f%%, threshold %.0f%%); --dropout to choose",
        of(kind, data).dropout(), sparse(data) ? "sparse" : "dense", density(data) * 100, SPARSE_DENSITY * 100);
  }
}
