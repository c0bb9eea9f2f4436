package org.lmrec.enhance.p2rec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lmrec.lm.LoraConfig;
import org.lmrec.model.EmbeddingInit;

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
    long seed) {

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
    return new P2RecConfig(v, kmeansIterations, mode, loss, userTokens, itemTokens, itemsPerUser, epochs, batchSize, learningRate, maxUsers, lora, initMode, initStd, maxValueChars, seed);
  }

  public P2RecConfig withMode(SftMode v) {
    return new P2RecConfig(categories, kmeansIterations, v, loss, userTokens, itemTokens, itemsPerUser, epochs, batchSize, learningRate, maxUsers, lora, initMode, initStd, maxValueChars, seed);
  }

  public P2RecConfig withLoss(SftLoss v) {
    return new P2RecConfig(categories, kmeansIterations, mode, v, userTokens, itemTokens, itemsPerUser, epochs, batchSize, learningRate, maxUsers, lora, initMode, initStd, maxValueChars, seed);
  }

  public P2RecConfig withTokens(int user, int item) {
    return new P2RecConfig(categories, kmeansIterations, mode, loss, user, item, itemsPerUser, epochs, batchSize, learningRate, maxUsers, lora, initMode, initStd, maxValueChars, seed);
  }

  public P2RecConfig withTraining(int epochsV, int batchSizeV, float learningRateV, int maxUsersV) {
    return new P2RecConfig(categories, kmeansIterations, mode, loss, userTokens, itemTokens, itemsPerUser, epochsV, batchSizeV, learningRateV, maxUsersV, lora, initMode, initStd, maxValueChars, seed);
  }

  public P2RecConfig withLora(LoraConfig v) {
    return new P2RecConfig(categories, kmeansIterations, mode, loss, userTokens, itemTokens, itemsPerUser, epochs, batchSize, learningRate, maxUsers, v, initMode, initStd, maxValueChars, seed);
  }

  public P2RecConfig withInit(EmbeddingInit.Mode v, double std) {
    return new P2RecConfig(categories, kmeansIterations, mode, loss, userTokens, itemTokens, itemsPerUser, epochs, batchSize, learningRate, maxUsers, lora, v, std, maxValueChars, seed);
  }

  public P2RecConfig withSeed(long v) {
    return new P2RecConfig(categories, kmeansIterations, mode, loss, userTokens, itemTokens, itemsPerUser, epochs, batchSize, learningRate, maxUsers, lora, initMode, initStd, maxValueChars, v);
  }

  /** The settings as a flat map, for manifests and stage keys. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("categories", categories);
    m.put("kmeansIterations", kmeansIterations);
    m.put("mode", mode.name());
    m.put("loss", loss.name());
    m.put("userTokens", userTokens);
    m.put("itemTokens", itemTokens);
    m.put("itemsPerUser", itemsPerUser);
    m.put("epochs", epochs);
    m.put("batchSize", batchSize);
    m.put("learningRate", learningRate);
    m.put("maxUsers", maxUsers);
    m.put("lora", lora.toString());
    m.put("initMode", initMode.name());
    m.put("initStd", initStd);
    m.put("maxValueChars", maxValueChars);
    m.put("seed", seed);
    return m;
  }
}
