package org.lmrec.enhance.p2rec;

import org.lmrec.lm.LoraConfig;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.settings.Settings;

/**
 * Every P2Rec setting, with the defaults in {@link #defaults()} (METHODS.md §1; sizes chosen for a
 * 2-core CPU with all-MiniLM-L6-v2).
 *
 * @param categories K, the number of latent categories (k-means clusters)
 * @param kmeansIterations k-means iteration cap
 * @param mode how the LM reads a user during fine-tuning
 * @param loss reconstruction loss against g_u
 * @param userTokens token budget of a user's text (user-level mode), kept from the most recent end
 * @param itemTokens token budget of one item's text (augmentation, item-wise mode)
 * @param itemsPerUser item-wise mode: how many of the most recent items represent a user
 * @param epochs passes over the fine-tuning users
 * @param batchSize users per fine-tuning step
 * @param learningRate Adam learning rate of the LoRA matrices and the head
 * @param maxUsers cap on fine-tuning users (a seeded sample), 0 = every user
 * @param lora LoRA rank, alpha, dropout and targets
 * @param initMode how the SRS uses the enhanced table: TRAINABLE (PCA-reduced start), FROZEN
 *     (PCA-reduced, fixed) or ADAPTER (the full LM table behind a trained linear projection)
 * @param initStd standard deviation of the reduced table; 0 = that of the pre-trained ID table
 * @param maxValueChars cut of each attribute value in item texts
 * @param seed user sampling, batching, head initialisation, k-means seeding
 */
public record P2RecConfig(
    int categories,
    int kmeansIterations,
    SftMode mode,
    SftLoss loss,
    int userTokens,
    int itemTokens,
    int itemsPerUser,
    int epochs,
    int batchSize,
    float learningRate,
    int maxUsers,
    LoraConfig lora,
    EmbeddingInit.Mode initMode,
    double initStd,
    int maxValueChars,
    long seed) implements Settings<P2RecConfig> {

  public P2RecConfig {
    if (categories < 2) throw new IllegalArgumentException("categories must be at least 2, got " + categories);
    if (kmeansIterations < 1) throw new IllegalArgumentException("kmeansIterations must be positive");
    if (userTokens < 8 || itemTokens < 8) throw new IllegalArgumentException("token budgets must be at least 8");
    if (itemsPerUser < 1) throw new IllegalArgumentException("itemsPerUser must be positive");
    if (epochs < 0) throw new IllegalArgumentException("epochs must not be negative");
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive");
    if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive");
    if (maxUsers < 0) throw new IllegalArgumentException("maxUsers must not be negative");
    if (initStd < 0) throw new IllegalArgumentException("initStd must not be negative");
  }

  public static P2RecConfig defaults() {
    return new P2RecConfig(
        32, 100, SftMode.USER_LEVEL, SftLoss.MSE, 128, 64, 8, 1, 16, 1e-3f, 0,
        LoraConfig.defaults(), EmbeddingInit.Mode.TRAINABLE, 0, 100, 42);
  }

  public P2RecConfig withCategories(int v) {
    return with(P2RecConfig::categories, v);
  }

  public P2RecConfig withMode(SftMode v) {
    return with(P2RecConfig::mode, v);
  }

  public P2RecConfig withLoss(SftLoss v) {
    return with(P2RecConfig::loss, v);
  }

  public P2RecConfig withTokens(int user, int item) {
    return edit().set(P2RecConfig::userTokens, user).set(P2RecConfig::itemTokens, item).build();
  }

  public P2RecConfig withTraining(int epochsV, int batchSizeV, float learningRateV, int maxUsersV) {
    return edit().set(P2RecConfig::epochs, epochsV).set(P2RecConfig::batchSize, batchSizeV)
        .set(P2RecConfig::learningRate, learningRateV).set(P2RecConfig::maxUsers, maxUsersV).build();
  }

  public P2RecConfig withLora(LoraConfig v) {
    return with(P2RecConfig::lora, v);
  }

  public P2RecConfig withInit(EmbeddingInit.Mode v, double std) {
    return edit().set(P2RecConfig::initMode, v).set(P2RecConfig::initStd, std).build();
  }

  /**
   * The settings the user-level fine-tuning depends on, for its stage key: everything but how the
   * SRS starts from the tuned table ({@code initMode}, {@code initStd}), so that runs differing only
   * there (another backbone's defaults, another init) share one fine-tuning.
   */
  public java.util.Map<String, Object> sftKeyInputs() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(toMap());
    m.remove("initMode");
    m.remove("initStd");
    return m;
  }

  public P2RecConfig withSeed(long v) {
    return with(P2RecConfig::seed, v);
  }
}
