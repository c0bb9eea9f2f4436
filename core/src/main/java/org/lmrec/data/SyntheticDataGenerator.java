package org.lmrec.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lmrec.data.SyntheticVocabulary.Theme;

/**
 * Generates a sequential-recommendation dataset whose structure models and language models can find.
 *
 * <ul>
 *   <li>Items belong to latent categories; an item's latent vector lies near its category's centre,
 *       and its title, brand, category path and description use that category's words.
 *   <li>Popularity has a long tail: Zipf-like by rank inside each category, and categories
 *       themselves are unequally popular.
 *   <li>Each user has favourite categories and a taste vector; both drift (favourites are sometimes
 *       swapped, the taste vector random-walks), so recent history says more than old history.
 *   <li>The next item stays in the previous item's category with probability {@code
 *       categoryStickiness}, else its category comes from the user's mixture; inside the category it
 *       is drawn from a softmax over {@code tasteWeight * taste.v + sequentialWeight * prev.v +
 *       popularity}. Items do not repeat within a user. So sequential models beat popularity.
 *   <li>Timestamps increase strictly within each user.
 * </ul>
 *
 * <p>Every random choice comes from the config's seed (users from per-user streams derived from it),
 * so the same config always gives the same dataset.
 */
public final class SyntheticDataGenerator {
  private static final double ITEM_SPREAD = 0.6; // item vector = centre + spread * noise, then normalised
  private static final double CATEGORY_POPULARITY_EXPONENT = 0.8;
  private static final double EXPLORATION = 0.15; // share of the category mixture outside the favourites
  private static final int MAX_FAVOURITES = 3;
  private static final long MEAN_GAP_SECONDS = 2 * 86_400L;
  private static final int START_SPREAD_SECONDS = 365 * 86_400;

  private final SyntheticConfig config;

  public SyntheticDataGenerator(SyntheticConfig config) {
    this.config = config;
  }

  /** Shorthand for {@code new SyntheticDataGenerator(config).generate().dataset()}. */
  public static Dataset generateDataset(SyntheticConfig config) {
    return new SyntheticDataGenerator(config).generate().dataset();
  }

  /** Writes the dataset as RecBole atomic files that {@link DatasetLoader} reads back; see {@link RecBoleWriter}. */
  public static Path writeAsFiles(Dataset dataset, Path dir) {
    return RecBoleWriter.write(dataset, dir);
  }

  public SyntheticData generate() {
    Random rng = new Random(config.seed());
    Catalog catalog = new Catalog(rng);
    DatasetBuilder builder = new DatasetBuilder(config.name());
    for (int i = 1; i <= config.numItems(); i++) builder.itemAttributes(itemId(i), catalog.attributes.get(i));
    for (int u = 0; u < config.numUsers(); u++) new UserJourney(catalog, new Random(mix(config.seed(), u))).emit("u" + (u + 1), builder);
    int[] categories = catalog.category.clone();
    categories[0] = -1;
    return new SyntheticData(builder.build(), categories, List.copyOf(catalog.categoryNames));
  }

  private static String itemId(int item) {
    return "i" + item;
  }

  /** SplitMix64 finaliser: decorrelates the per-user seeds (java.util.Random's nearby seeds start alike). */
  private static long mix(long seed, long stream) {
    long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Items, categories and their latent geometry, drawn once from the main seed. */
  private final class Catalog {
    final double[][] centre;
    final double[][] vector; // per item index, unit length
    final int[] category; // per item index
    final int[][] members; // item indices of each category
    final double[] popularityBias; // log-popularity per item index
    final double[] categoryWeight; // global category popularity, sums to 1
    final List<Map<String, String>> attributes = new ArrayList<>();
    final List<String> categoryNames = new ArrayList<>();

    Catalog(Random rng) {
      int c = config.numCategories();
      int n = config.numItems();
      int d = config.latentDim();
      centre = new double[c][];
      for (int k = 0; k < c; k++) centre[k] = normalise(gaussian(rng, d, 1.0));

      // every category gets at least one item, the rest are spread at random
      List<Integer> assignment = new ArrayList<>(n);
      for (int i = 0; i < n; i++) assignment.add(i < c ? i : rng.nextInt(c));
      Collections.shuffle(assignment, rng);
      category = new int[n + 1];
      List<List<Integer>> lists = new ArrayList<>();
      for (int k = 0; k < c; k++) lists.add(new ArrayList<>());
      vector = new double[n + 1][];
      for (int i = 1; i <= n; i++) {
        category[i] = assignment.get(i - 1);
        lists.get(category[i]).add(i);
        double[] v = gaussian(rng, d, ITEM_SPREAD / Math.sqrt(d));
        for (int j = 0; j < d; j++) v[j] += centre[category[i]][j];
        vector[i] = normalise(v);
      }

      // Zipf-like popularity: a random popularity rank inside each category
      members = new int[c][];
      popularityBias = new double[n + 1];
      for (int k = 0; k < c; k++) {
        List<Integer> m = lists.get(k);
        members[k] = m.stream().mapToInt(Integer::intValue).toArray();
        List<Integer> byPopularity = new ArrayList<>(m);
        Collections.shuffle(byPopularity, rng);
        for (int r = 0; r < byPopularity.size(); r++) {
          popularityBias[byPopularity.get(r)] = -config.popularityExponent() * Math.log(r + 1);
        }
      }
      categoryWeight = new double[c];
      List<Integer> categoryRank = new ArrayList<>();
      for (int k = 0; k < c; k++) categoryRank.add(k);
      Collections.shuffle(categoryRank, rng);
      double total = 0;
      for (int r = 0; r < c; r++) {
        double w = Math.pow(r + 1, -CATEGORY_POPULARITY_EXPONENT);
        categoryWeight[categoryRank.get(r)] = w;
        total += w;
      }
      for (int k = 0; k < c; k++) categoryWeight[k] /= total;

      for (int k = 0; k < c; k++) categoryNames.add(categoryName(k));
      attributes.add(Map.of());
      for (int i = 1; i <= n; i++) attributes.add(itemAttributes(category[i], rng));
    }

    private String series(int k) {
      int round = k / SyntheticVocabulary.THEMES.size();
      return round == 0 ? null : SyntheticVocabulary.SERIES.get((round - 1) % SyntheticVocabulary.SERIES.size());
    }

    private String categoryName(int k) {
      Theme theme = SyntheticVocabulary.THEMES.get(k % SyntheticVocabulary.THEMES.size());
      String s = series(k);
      int cycle = k / (SyntheticVocabulary.THEMES.size() * (1 + SyntheticVocabulary.SERIES.size()));
      return (s == null ? "" : s + " ") + theme.name() + (cycle == 0 ? "" : " " + (cycle + 1));
    }

    private Map<String, String> itemAttributes(int k, Random rng) {
      Theme theme = SyntheticVocabulary.THEMES.get(k % SyntheticVocabulary.THEMES.size());
      String series = series(k);
      String style = pick(theme.styles(), rng);
      String noun = pick(theme.nouns(), rng);
      String brand = pick(theme.brands(), rng);
      String prefix = series == null ? "" : series + " ";
      Map<String, String> a = new LinkedHashMap<>();
      a.put("title", prefix + style + " " + noun + " " + pick(SyntheticVocabulary.FINISHES, rng));
      a.put("brand", brand);
      a.put("categories", theme.department() + ", " + (series == null ? "" : categoryNames.get(k) + ", ") + noun);
      a.put("description", prefix + style + " " + noun.toLowerCase() + ": " + pick(theme.uses(), rng) + ".");
      a.put("year", Integer.toString(2000 + rng.nextInt(24)));
      return a;
    }
  }

  /** One user's drifting taste and the sequence it produces. */
  private final class UserJourney {
    private final Catalog catalog;
    private final Random rng;
    private final int[] favourites;
    private final double[] favouriteWeight;
    private final double[] mixture;
    private double[] taste;

    UserJourney(Catalog catalog, Random rng) {
      this.catalog = catalog;
      this.rng = rng;
      int count = Math.min(config.numCategories(), 1 + rng.nextInt(MAX_FAVOURITES));
      favourites = new int[count];
      favouriteWeight = new double[count];
      for (int f = 0; f < count; f++) {
        favourites[f] = drawNewFavourite(f);
        favouriteWeight[f] = -Math.log(1 - rng.nextDouble()); // exponential: a random point of the simplex
      }
      mixture = new double[config.numCategories()];
      updateMixture();
      double[] t = gaussian(rng, config.latentDim(), 0.5 / Math.sqrt(config.latentDim()));
      for (int f = 0; f < count; f++) {
        for (int j = 0; j < t.length; j++) t[j] += favouriteWeight[f] * catalog.centre[favourites[f]][j];
      }
      taste = normalise(t);
    }

    void emit(String userId, DatasetBuilder builder) {
      int length = sequenceLength();
      int[] consumed = new int[config.numCategories()];
      boolean[] seen = new boolean[config.numItems() + 1];
      long time = config.startEpochSeconds() + rng.nextInt(START_SPREAD_SECONDS);
      int previous = 0;
      for (int step = 0; step < length; step++) {
        int prevCategory = previous == 0 ? -1 : catalog.category[previous];
        int c;
        if (prevCategory >= 0 && consumed[prevCategory] < catalog.members[prevCategory].length && rng.nextDouble() < config.categoryStickiness()) {
          c = prevCategory;
        } else {
          c = drawCategory(consumed);
        }
        int item = drawItem(c, previous, seen);
        seen[item] = true;
        consumed[c]++;
        time += 60 + (long) (-Math.log(1 - rng.nextDouble()) * MEAN_GAP_SECONDS);
        builder.interaction(userId, itemId(item), time);
        previous = item;
        drift();
      }
    }

    private int sequenceLength() {
      double extraMean = config.meanSequenceLength() - config.minSequenceLength();
      int extra = 0;
      if (extraMean > 0) {
        double p = 1.0 / (extraMean + 1); // geometric on {0,1,...} with this mean
        extra = (int) Math.floor(Math.log(1 - rng.nextDouble()) / Math.log(1 - p));
      }
      return (int) Math.min(config.numItems(), (long) config.minSequenceLength() + extra);
    }

    private int drawCategory(int[] consumed) {
      double[] w = new double[mixture.length];
      for (int k = 0; k < w.length; k++) w[k] = consumed[k] < catalog.members[k].length ? mixture[k] : 0;
      return sample(w, rng);
    }

    private int drawItem(int c, int previous, boolean[] seen) {
      int[] m = catalog.members[c];
      double[] logits = new double[m.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < m.length; j++) {
        if (seen[m[j]]) {
          logits[j] = Double.NEGATIVE_INFINITY;
          continue;
        }
        double[] v = catalog.vector[m[j]];
        double l = config.tasteWeight() * dot(taste, v) + catalog.popularityBias[m[j]];
        if (previous != 0) l += config.sequentialWeight() * dot(catalog.vector[previous], v);
        logits[j] = l;
        max = Math.max(max, l);
      }
      double[] w = new double[m.length];
      for (int j = 0; j < m.length; j++) w[j] = logits[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(logits[j] - max);
      return m[sample(w, rng)];
    }

    private void drift() {
      if (rng.nextDouble() < config.tasteSwitchProbability()) {
        int slot = rng.nextInt(favourites.length);
        favourites[slot] = drawNewFavourite(favourites.length);
        updateMixture();
        double[] c = catalog.centre[favourites[slot]];
        for (int j = 0; j < taste.length; j++) taste[j] = 0.5 * taste[j] + 0.5 * c[j];
      }
      double[] noise = gaussian(rng, taste.length, config.tasteNoise() / Math.sqrt(taste.length));
      for (int j = 0; j < taste.length; j++) taste[j] += noise[j];
      taste = normalise(taste);
    }

    /** A category by global popularity that is not already among the first {@code filled} favourites. */
    private int drawNewFavourite(int filled) {
      while (true) {
        int k = sample(catalog.categoryWeight, rng);
        boolean taken = false;
        for (int f = 0; f < Math.min(filled, favourites.length); f++) taken |= favourites[f] == k;
        if (!taken || config.numCategories() <= filled) return k;
      }
    }

    private void updateMixture() {
      double sum = 0;
      for (double w : favouriteWeight) sum += w;
      for (int k = 0; k < mixture.length; k++) mixture[k] = EXPLORATION * catalog.categoryWeight[k];
      for (int f = 0; f < favourites.length; f++) mixture[favourites[f]] += (1 - EXPLORATION) * favouriteWeight[f] / sum;
    }
  }

  private static int sample(double[] weights, Random rng) {
    double total = 0;
    for (double w : weights) total += w;
    double r = rng.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) continue;
      last = i;
      r -= weights[i];
      if (r < 0) return i;
    }
    if (last < 0) throw new IllegalStateException("nothing left to sample");
    return last; // rounding left r slightly above 0
  }

  private static <T> T pick(List<T> options, Random rng) {
    return options.get(rng.nextInt(options.size()));
  }

  private static double[] gaussian(Random rng, int d, double scale) {
    double[] v = new double[d];
    for (int j = 0; j < d; j++) v[j] = rng.nextGaussian() * scale;
    return v;
  }

  private static double[] normalise(double[] v) {
    double norm = Math.sqrt(dot(v, v));
    if (norm == 0) {
      double[] u = new double[v.length];
      u[0] = 1;
      return u;
    }
    double[] out = Arrays.copyOf(v, v.length);
    for (int j = 0; j < out.length; j++) out[j] /= norm;
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) s += a[j] * b[j];
    return s;
  }
}
