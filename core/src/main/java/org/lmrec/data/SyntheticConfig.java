package org.lmrec.data;

import org.lmrec.settings.Settings;

/**
 * Settings of {@link SyntheticDataGenerator}. {@link #defaults()} gives a small dataset that trains in
 * seconds; the {@code with...} methods change one setting.
 *
 * @param name dataset name (also the file stem when written out)
 * @param numUsers number of users
 * @param numItems number of items (at least {@code numCategories})
 * @param numCategories latent categories; each has its own vocabulary in the item text
 * @param meanSequenceLength mean interactions per user (lengths are geometric above the minimum, a long tail)
 * @param minSequenceLength shortest user sequence
 * @param latentDim dimension of the latent item and taste vectors
 * @param popularityExponent Zipf exponent of item popularity inside a category (0 = flat)
 * @param categoryStickiness probability that the next item stays in the previous item's category
 * @param tasteWeight weight of taste . item in the item choice
 * @param sequentialWeight weight of previous item . item (local sequential dependence)
 * @param tasteSwitchProbability per-step probability that one favourite category is swapped (drift)
 * @param tasteNoise per-step random-walk step of the taste vector (drift)
 * @param startEpochSeconds earliest possible timestamp
 * @param seed seed of every random choice: same config, same dataset
 */
public record SyntheticConfig(
    String name,
    int numUsers,
    int numItems,
    int numCategories,
    double meanSequenceLength,
    int minSequenceLength,
    int latentDim,
    double popularityExponent,
    double categoryStickiness,
    double tasteWeight,
    double sequentialWeight,
    double tasteSwitchProbability,
    double tasteNoise,
    long startEpochSeconds,
    long seed) implements Settings<SyntheticConfig> {

  public SyntheticConfig {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
    require(numUsers >= 1, "numUsers must be at least 1, got " + numUsers);
    require(numCategories >= 1, "numCategories must be at least 1, got " + numCategories);
    require(numItems >= numCategories, "numItems (" + numItems + ") must be at least numCategories (" + numCategories + ")");
    require(minSequenceLength >= 1, "minSequenceLength must be at least 1, got " + minSequenceLength);
    require(minSequenceLength <= numItems, "minSequenceLength must not exceed numItems (items do not repeat in a sequence)");
    require(meanSequenceLength >= minSequenceLength, "meanSequenceLength must be at least minSequenceLength");
    require(latentDim >= 1, "latentDim must be at least 1, got " + latentDim);
    require(popularityExponent >= 0, "popularityExponent must be >= 0");
    require(categoryStickiness >= 0 && categoryStickiness <= 1, "categoryStickiness must be in [0, 1]");
    require(tasteSwitchProbability >= 0 && tasteSwitchProbability <= 1, "tasteSwitchProbability must be in [0, 1]");
    require(tasteWeight >= 0 && sequentialWeight >= 0 && tasteNoise >= 0, "weights and noise must be >= 0");
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException(message);
  }

  /** 2,000 users, 1,000 items, 20 categories, about 30 interactions per user, seed 42. */
  public static SyntheticConfig defaults() {
    return new SyntheticConfig(
        "synthetic", 2000, 1000, 20, 30.0, 5, 16, 1.0, 0.6, 3.0, 2.0, 0.05, 0.05, 1_577_836_800L, 42L);
  }

  public SyntheticConfig withName(String v) {
    return with(SyntheticConfig::name, v);
  }

  public SyntheticConfig withUsers(int v) {
    return with(SyntheticConfig::numUsers, v);
  }

  public SyntheticConfig withItems(int v) {
    return with(SyntheticConfig::numItems, v);
  }

  public SyntheticConfig withCategories(int v) {
    return with(SyntheticConfig::numCategories, v);
  }

  public SyntheticConfig withSequenceLength(double mean, int min) {
    return edit().set(SyntheticConfig::meanSequenceLength, mean).set(SyntheticConfig::minSequenceLength, min).build();
  }

  public SyntheticConfig withPopularityExponent(double v) {
    return with(SyntheticConfig::popularityExponent, v);
  }

  public SyntheticConfig withCategoryStickiness(double v) {
    return with(SyntheticConfig::categoryStickiness, v);
  }

  public SyntheticConfig withSeed(long v) {
    return with(SyntheticConfig::seed, v);
  }
}
