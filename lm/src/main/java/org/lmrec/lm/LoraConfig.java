package org.lmrec.lm;

import java.util.EnumSet;
import java.util.Set;
import org.lmrec.settings.Settings;

/**
 * LoRA settings: each targeted projection W (stored [in, out]) becomes W + (alpha / rank) · A · B
 * with A [in, rank] and B [rank, out]; only A and B train. A starts uniform in ±1/sqrt(in) from
 * {@code seed} (the bound PEFT's default Kaiming init gives), B starts at zero, so an untrained
 * adapter leaves the model exactly as it was. Dropout applies to the adapter's input only.
 *
 * @param rank r, at least 1
 * @param alpha scale numerator: the adapter output is multiplied by alpha / rank
 * @param dropout dropout rate on the adapter input during training, in [0, 1)
 * @param targets which projections carry an adapter (in every layer)
 * @param seed seeds A's initial values (and the dropout masks, through the engine's generator)
 */
@Settings.Text // inside other settings' maps (manifests, stage keys) it is its toString(), below
public record LoraConfig(int rank, float alpha, float dropout, Set<LoraTarget> targets, long seed) implements Settings<LoraConfig> {
  public LoraConfig {
    if (rank < 1) throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
    if (!(alpha > 0f) || !Float.isFinite(alpha)) throw new IllegalArgumentException("LoRA alpha must be positive, got " + alpha);
    if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
    if (targets == null || targets.isEmpty()) throw new IllegalArgumentException("LoRA needs at least one target projection");
    targets = Set.copyOf(EnumSet.copyOf(targets));
  }

  /**
   * r = 8, alpha = 16, dropout 0.05 (the LLM-TRSR / PEFT reference values) on all four attention
   * projections (query, key, value and the attention output dense): METHODS.md asks for "the
   * attention projections", and on MiniLM the four cost 147k parameters in all.
   */
  public static LoraConfig defaults() {
    return new LoraConfig(8, 16f, 0.05f, EnumSet.allOf(LoraTarget.class), 42L);
  }

  /** The factor alpha / rank that multiplies A · B. */
  public float scale() {
    return alpha / rank;
  }

  /** Targets in declaration order (query, key, value, attention output), for stable iteration. */
  public java.util.List<LoraTarget> orderedTargets() {
    return EnumSet.copyOf(targets).stream().toList();
  }

  /**
   * Stable across JVMs: stage-cache keys and manifests are built from it, and the iteration order
   * of {@code Set.copyOf} changes from one JVM to the next (a rerun missed its cached stages).
   */
  @Override
  public String toString() {
    return "LoraConfig[rank=" + rank + ", alpha=" + alpha + ", dropout=" + dropout + ", targets=" + orderedTargets() + ", seed=" + seed + "]";
  }

  /** As plain JSON values (rank, alpha, dropout, target keys, seed), for files read without this class. */
  public java.util.Map<String, Object> toJsonMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("rank", rank);
    m.put("alpha", alpha);
    m.put("dropout", dropout);
    m.put("targets", orderedTargets().stream().map(LoraTarget::key).toList());
    m.put("seed", seed);
    return m;
  }

  /** The inverse of {@link #toJsonMap()}; a clear error when a value is missing or of the wrong kind. */
  public static LoraConfig fromJsonMap(java.util.Map<String, ?> m) {
    try {
      Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
      for (Object t : (java.util.List<?>) m.get("targets")) targets.add(LoraTarget.ofKey(String.valueOf(t)));
      return new LoraConfig(((Number) m.get("rank")).intValue(), ((Number) m.get("alpha")).floatValue(),
          ((Number) m.get("dropout")).floatValue(), targets, ((Number) m.get("seed")).longValue());
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("LoRA settings " + m + " need rank, alpha, dropout, targets and seed", e);
    }
  }

  public LoraConfig withRank(int r) {
    return with(LoraConfig::rank, r);
  }

  public LoraConfig withAlpha(float a) {
    return with(LoraConfig::alpha, a);
  }

  public LoraConfig withDropout(float d) {
    return with(LoraConfig::dropout, d);
  }

  public LoraConfig withTargets(Set<LoraTarget> t) {
    return with(LoraConfig::targets, t);
  }

  public LoraConfig withSeed(long s) {
    return with(LoraConfig::seed, s);
  }
}
