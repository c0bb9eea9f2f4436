package org.lmrec.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lmrec.report.LineChart;

/**
 * The report of an offline replay: per model, HR@K, NDCG@K and MRR@K (the offline evaluation's
 * definitions, {@link org.lmrec.eval.RankingMetrics}) overall, per time window and per popularity
 * group of the target, with empty-list counts and catalogue coverage. The same multiset of outcomes
 * gives a byte-identical report whatever order they were accepted in: everything is built from
 * integer counts and set sizes, and models and windows are listed in sorted order.
 */
public final class ReplayReport {
  public static final String JSON_FILE = "replay-report.json";
  public static final String MARKDOWN_FILE = "replay-report.md";
  static final int CHART_WIDTH = 800;
  static final int CHART_HEIGHT = 500;

  private final ReplaySettings settings;
  private final Duration window;
  private final HeadTailSplit split;
  private final List<ModelSummary> models;

  private ReplayReport(ReplaySettings settings, Duration window, HeadTailSplit split, List<ModelSummary> models) {
    this.settings = settings;
    this.window = window;
    this.split = split;
    this.models = List.copyOf(models);
  }

  public static Builder builder(ReplaySettings settings) {
    return new Builder(settings);
  }

  public ReplaySettings settings() {
    return settings;
  }

  /** The width of the per-window metrics: the settings' window, or the one chosen from the replayed span. */
  public Duration window() {
    return window;
  }

  /** The head/tail split the groups were made with. */
  public HeadTailSplit popularity() {
    return split;
  }

  /** One summary per model, sorted by label. */
  public List<ModelSummary> models() {
    return models;
  }

  public ModelSummary model(String label) {
    for (ModelSummary m : models) if (m.model().equals(label)) return m;
    throw new IllegalArgumentException("no model '" + label + "'; available: " + models.stream().map(ModelSummary::model).toList());
  }

  /** Model labels by overall {@code metric}, best first; equal values in label order. */
  public List<String> ranking(String metric) {
    for (ModelSummary m : models) m.metric(metric); // an unknown name fails here, naming the available ones
    return models.stream()
        .sorted(Comparator.comparingDouble((ModelSummary m) -> m.metric(metric)).reversed().thenComparing(ModelSummary::model))
        .map(ModelSummary::model)
        .toList();
  }

  /** The metric of the headline ranking: NDCG at the {@link ReplaySettings#headlineCutoff}. */
  public String headlineMetric() {
    return "NDCG@" + settings.headlineCutoff();
  }

  /** Pretty JSON with a fixed field order, '\n' line ends and a final newline; NaN is written as null. */
  public String json() {
    return ReplayJson.render(this);
  }

  public String markdown() {
    return ReplayMarkdown.render(this);
  }

  /**
   * {@code metric} per time window as a PNG: one series per model, x = window start. A window in
   * which a model scored nothing is a gap in its line.
   */
  public byte[] png(String metric) {
    TreeSet<Long> allWindows = new TreeSet<>();
    for (ModelSummary m : models) {
      m.metric(metric);
      for (WindowSummary w : m.byWindow()) allWindows.add(w.startMillis());
    }
    long[] times = allWindows.stream().mapToLong(Long::longValue).toArray();
    List<LineChart.Series> series = new ArrayList<>();
    for (ModelSummary m : models) {
      Map<Long, Double> byStart = new HashMap<>();
      for (WindowSummary w : m.byWindow()) byStart.put(w.startMillis(), w.metric(metric));
      double[] values = new double[times.length];
      for (int i = 0; i < times.length; i++) values[i] = byStart.getOrDefault(times[i], Double.NaN);
      series.add(LineChart.Series.of(m.model(), times, values));
    }
    String title = settings.title() + ": " + metric + " per " + ReplayMarkdown.formatDuration(window) + " window";
    return LineChart.png(title, metric, series, CHART_WIDTH, CHART_HEIGHT);
  }

  /** The metrics {@link #writeTo} draws: NDCG and HR at the {@link ReplaySettings#headlineCutoff}. */
  public List<String> chartedMetrics() {
    int k = settings.headlineCutoff();
    return List.of("NDCG@" + k, "HR@" + k);
  }

  /** File name of the chart of {@code metric}: {@code NDCG@10} -> {@code ndcg-at-10.png}. */
  public static String chartFileName(String metric) {
    return metric.toLowerCase(Locale.ROOT).replace("@", "-at-") + ".png";
  }

  /**
   * Writes {@value #JSON_FILE}, {@value #MARKDOWN_FILE} and one PNG per {@link #chartedMetrics}
   * into {@code dir} (created if missing), each through a temp file in {@code dir} moved into place
   * atomically, so a reader never sees a half-written file. Returns the files in writing order.
   */
  public List<Path> writeTo(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(JSON_FILE, json().getBytes(StandardCharsets.UTF_8));
    files.put(MARKDOWN_FILE, markdown().getBytes(StandardCharsets.UTF_8));
    for (String metric : chartedMetrics()) files.put(chartFileName(metric), png(metric));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create report directory " + dir, e);
    }
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) written.add(writeAtomically(dir, f.getKey(), f.getValue()));
    return written;
  }

  private static Path writeAtomically(Path dir, String name, byte[] bytes) {
    Path target = dir.resolve(name);
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, ".tmp-" + name, ".part");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /**
   * Collects {@link ReplayOutcome}s in any order, and the item popularity of the replayed log. Not
   * thread-safe: feed it from one thread (or merge per-thread outcomes first).
   */
  public static final class Builder {
    private final ReplaySettings settings;
    private final Map<String, ModelTally> tallies = new HashMap<>();
    private final Map<String, Long> popularity = new HashMap<>();
    private boolean popularityGiven;
    private ReplayOutcome shortestTooShortList; // chosen by (listSize, model, eventId): independent of order
    // A chosen window starts at the finest width and widens as the span of the accepted events
    // grows; the span, hence the final width, does not depend on the order of arrival.
    private long windowMillis;
    private long firstEventMillis = Long.MAX_VALUE;
    private long lastEventMillis = Long.MIN_VALUE;

    private Builder(ReplaySettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings is null");
      this.windowMillis = settings.chosenWindow() ? WindowChoice.finestMillis() : settings.window().toMillis();
    }

    public Builder accept(ReplayOutcome outcome) {
      Objects.requireNonNull(outcome, "outcome is null");
      if (outcome.listSize() > 0 && outcome.listSize() < settings.maxCutoff()) noteTooShort(outcome);
      if (settings.chosenWindow()) widenWindowFor(outcome.eventTimeMillis());
      tallies.computeIfAbsent(outcome.model(), m -> new ModelTally(m, settings.maxCutoff()))
          .add(outcome, ReplaySettings.windowStart(outcome.eventTimeMillis(), windowMillis));
      return this;
    }

    private void widenWindowFor(long eventTimeMillis) {
      firstEventMillis = Math.min(firstEventMillis, eventTimeMillis);
      lastEventMillis = Math.max(lastEventMillis, eventTimeMillis);
      long needed = WindowChoice.forSpan(firstEventMillis, lastEventMillis);
      if (needed == windowMillis) return;
      for (ModelTally t : tallies.values()) t.coarsen(needed);
      windowMillis = needed;
    }

    /**
     * Interaction counts per item in the replayed log, for the head/tail groups; items absent count
     * 0 (tail). May be called more than once, e.g. once per partition: the counts add up.
     */
    public Builder itemPopularity(Map<String, Long> interactionCountsPerItem) {
      Objects.requireNonNull(interactionCountsPerItem, "interactionCountsPerItem is null");
      for (Map.Entry<String, Long> e : interactionCountsPerItem.entrySet()) {
        Objects.requireNonNull(e.getKey(), "item popularity has a null item id");
        if (e.getValue() == null || e.getValue() < 0) {
          throw new IllegalArgumentException("item '" + e.getKey() + "' has interaction count " + e.getValue() + "; counts must be >= 0");
        }
        popularity.merge(e.getKey(), e.getValue(), Long::sum);
      }
      popularityGiven = true;
      return this;
    }

    /**
     * The report. Refuses when nothing was accepted, when no item popularity was given, and when a
     * model served a non-empty list shorter than the largest cutoff: HR/NDCG/MRR at that cutoff
     * would then be undefined (was the target just below the list, or absent?), so lower the
     * cutoffs or serve longer lists. An empty list is fine: it is a miss.
     */
    public ReplayReport build() {
      if (tallies.isEmpty()) throw new IllegalStateException("no replay outcomes were accepted");
      if (!popularityGiven) {
        throw new IllegalStateException("itemPopularity(...) was never given: the head/tail groups need the item popularity of the replayed log");
      }
      if (shortestTooShortList != null) {
        ReplayOutcome o = shortestTooShortList;
        throw new IllegalStateException("model '" + o.model() + "' served " + o.listSize() + " items for event '" + o.eventId()
            + "' but the largest cutoff is " + settings.maxCutoff() + ": metrics at a cutoff above the served list length are undefined;"
            + " use cutoffs <= the served list length");
      }
      HeadTailSplit split = HeadTailSplit.of(popularity, settings.catalogueSize(), settings.headFraction());
      List<ModelSummary> models = new ArrayList<>();
      for (ModelTally t : new TreeMap<>(tallies).values()) models.add(t.summarise(settings, split));
      return new ReplayReport(settings, Duration.ofMillis(windowMillis), split, models);
    }

    private void noteTooShort(ReplayOutcome o) {
      Comparator<ReplayOutcome> order = Comparator.comparingInt(ReplayOutcome::listSize)
          .thenComparing(ReplayOutcome::model).thenComparing(ReplayOutcome::eventId);
      if (shortestTooShortList == null || order.compare(o, shortestTooShortList) < 0) shortestTooShortList = o;
    }
  }
}
