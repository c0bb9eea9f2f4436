package org.lmrec.summary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The offline default summariser (no generative model): a block's dominant attribute values
 * (category, brand, ...) and its most central titles by the LM's embeddings, rendered as text
 * within a token budget. Deterministic: ties go to the larger weight, then the newer item, then
 * the alphabetically first value.
 *
 * <p>Its summary is a {@link Profile} of weights that add up, so summarising summaries is a sum;
 * the recurrent update first scales the previous profile by {@code recency}. With recency 1 the
 * recurrent and the hierarchical strategies give the same summary.
 */
public final class ExtractiveSummariser implements Summariser<ExtractiveSummariser.Profile> {
  /** Settings with their defaults beside them. */
  public record Options(List<String> facets, int titles, int valuesPerFacet, int tokenBudget, double recency) {
    public static Options defaults() {
      return new Options(List.of("category", "brand"), 3, 3, 64, 0.8);
    }

    public Options {
      facets = List.copyOf(facets);
      if (titles < 0 || valuesPerFacet < 0) throw new IllegalArgumentException("titles and values per facet must not be negative");
      if (tokenBudget < 1) throw new IllegalArgumentException("token budget must be at least 1, got " + tokenBudget);
      if (!(recency > 0 && recency <= 1)) throw new IllegalArgumentException("recency must be in (0, 1], got " + recency);
    }

    /**
     * The options a {@link ExtractiveSummariser#version()} string names, so a summary can be made
     * again where only the version was stored (the ranker's spec); refused unless the options read
     * back give exactly that version.
     */
    public static Options ofVersion(String version) {
      java.util.regex.Matcher m = VERSION.matcher(version == null ? "" : version);
      if (!m.matches()) throw new IllegalArgumentException("not an extractive summariser version: '" + version + "'");
      List<String> facets = m.group(1).isEmpty() ? List.of() : List.of(m.group(1).split(","));
      Options o = new Options(facets, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
          Double.parseDouble(m.group(5)));
      if (!new ExtractiveSummariser(o).version().equals(version)) throw new IllegalArgumentException("summariser version '" + version + "' does not read back");
      return o;
    }
  }

  private static final java.util.regex.Pattern VERSION =
      java.util.regex.Pattern.compile("extractive-v1\\(facets=([^;]*);titles=(\\d{1,6});values=(\\d{1,6});budget=(\\d{1,6});recency=([0-9.Ee-]{1,30})\\)");

  /** A candidate title with its unit-length embedding. */
  public record Candidate(String title, float[] unit) {}

  /**
   * Weighted item count, weighted value counts per facet, weighted sum of unit embeddings, and the
   * central titles of each block summarised so far (newest last, at most a window's worth).
   */
  public record Profile(double weight, Map<String, Map<String, Double>> facets, double[] centroidSum, List<Candidate> candidates) {}

  private final Options options;
  private final ToIntFunction<String> tokens;

  /** Tokens counted as whitespace-separated words; pass the LM's tokenizer to count its tokens instead. */
  public ExtractiveSummariser(Options options) {
    this(options, text -> text.isBlank() ? 0 : text.strip().split("\\s+").length);
  }

  public ExtractiveSummariser(Options options, ToIntFunction<String> tokens) {
    this.options = options;
    this.tokens = tokens;
  }

  @Override
  public Profile summariseBlock(List<SummaryItem> block) {
    if (block.isEmpty()) throw new IllegalArgumentException("an empty block has no summary");
    int dim = block.get(0).embedding().length;
    double[] sum = new double[dim];
    Map<String, Map<String, Double>> facets = new TreeMap<>();
    List<Candidate> items = new ArrayList<>();
    for (SummaryItem item : block) {
      if (item.embedding().length != dim) throw new IllegalArgumentException("embeddings of different dimensions in one block");
      float[] unit = unit(item.embedding());
      for (int d = 0; d < dim; d++) sum[d] += unit[d];
      for (String facet : options.facets()) {
        String value = item.attributes().get(facet);
        if (value != null && !value.isBlank()) facets.computeIfAbsent(facet, f -> new TreeMap<>()).merge(value.strip(), 1.0, Double::sum);
      }
      items.add(new Candidate(item.title(), unit));
    }
    // Kept in history order (newer last) so a window over several blocks drops the oldest first.
    List<Candidate> central = new ArrayList<>(central(items, sum, options.titles()));
    central.sort(Comparator.comparingInt(items::indexOf));
    return new Profile(block.size(), facets, sum, List.copyOf(central));
  }

  @Override
  public Profile summariseSummaries(List<Profile> summaries) {
    Profile total = summaries.get(0);
    for (int i = 1; i < summaries.size(); i++) total = add(total, summaries.get(i), 1.0);
    return total;
  }

  @Override
  public Profile update(Profile previous, List<SummaryItem> block) {
    return add(previous, summariseBlock(block), options.recency());
  }

  @Override
  public String render(Profile p) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Map<String, Double>> facet : p.facets().entrySet()) {
      List<String> top = facet.getValue().entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(options.valuesPerFacet()).map(Map.Entry::getKey).toList();
      if (!top.isEmpty()) parts.add("Mostly " + facet.getKey() + ": " + String.join(", ", top) + ".");
    }
    List<Candidate> titles = central(p.candidates(), p.centroidSum(), options.titles());
    if (!titles.isEmpty()) parts.add("Typical items: " + String.join("; ", titles.stream().map(Candidate::title).toList()) + ".");
    return withinBudget(parts);
  }

  @Override
  public String version() {
    Options o = options;
    return "extractive-v1(facets=" + String.join(",", o.facets()) + ";titles=" + o.titles() + ";values=" + o.valuesPerFacet()
        + ";budget=" + o.tokenBudget() + ";recency=" + o.recency() + ")";
  }

  /** {@code a} scaled by {@code decay}, plus {@code b}; the candidates keep the newest window. */
  private Profile add(Profile a, Profile b, double decay) {
    double[] sum = new double[Math.max(a.centroidSum().length, b.centroidSum().length)];
    for (int d = 0; d < a.centroidSum().length; d++) sum[d] += decay * a.centroidSum()[d];
    for (int d = 0; d < b.centroidSum().length; d++) sum[d] += b.centroidSum()[d];
    Map<String, Map<String, Double>> facets = new TreeMap<>();
    a.facets().forEach((f, values) -> values.forEach((v, w) -> facets.computeIfAbsent(f, k -> new TreeMap<>()).merge(v, decay * w, Double::sum)));
    b.facets().forEach((f, values) -> values.forEach((v, w) -> facets.computeIfAbsent(f, k -> new TreeMap<>()).merge(v, w, Double::sum)));
    List<Candidate> candidates = new ArrayList<>(a.candidates());
    candidates.addAll(b.candidates());
    int window = options.titles() * Blocks.DEFAULT_MAX_BLOCKS;
    if (candidates.size() > window) candidates = candidates.subList(candidates.size() - window, candidates.size());
    return new Profile(decay * a.weight() + b.weight(), facets, sum, List.copyOf(candidates));
  }

  /** The {@code n} candidates closest to the centroid, closest first; ties go to the newer one (later in the list). */
  private static List<Candidate> central(List<Candidate> candidates, double[] centroidSum, int n) {
    double[] score = new double[candidates.size()];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      score[i] = dot(candidates.get(i).unit(), centroidSum);
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparing(Comparator.<Integer>reverseOrder()));
    List<Candidate> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i : order) {
      if (out.size() == n) break;
      if (seen.add(candidates.get(i).title())) out.add(candidates.get(i)); // the same item twice is one example
    }
    return out;
  }

  /** Whole parts in order while they fit; a first part larger than the budget is cut to it. */
  private String withinBudget(List<String> parts) {
    StringBuilder text = new StringBuilder();
    for (String part : parts) {
      String next = text.length() == 0 ? part : text + " " + part;
      if (tokens.applyAsInt(next) <= options.tokenBudget()) {
        text.setLength(0);
        text.append(next);
      } else if (text.length() == 0) {
        String[] words = part.split("\\s+");
        StringBuilder cut = new StringBuilder();
        for (String w : words) {
          String longer = cut.length() == 0 ? w : cut + " " + w;
          if (tokens.applyAsInt(longer) > options.tokenBudget()) break;
          cut.setLength(0);
          cut.append(longer);
        }
        text.append(cut);
      }
    }
    return text.toString();
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) norm += x * x;
    float[] u = new float[v.length];
    if (norm == 0) return u;
    double inv = 1 / Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] * inv);
    return u;
  }

  private static double dot(float[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) s += a[i] * b[i];
    return s;
  }
}
