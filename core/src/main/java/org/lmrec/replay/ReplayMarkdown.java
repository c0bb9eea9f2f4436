package org.lmrec.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link ReplayReport} as a Markdown page: the ranking, then per model its groups and its windows. */
final class ReplayMarkdown {
  private ReplayMarkdown() {}

  static String render(ReplayReport report) {
    ReplaySettings s = report.settings();
    String[] metrics = s.metricNames();
    HeadTailSplit split = report.popularity();
    long cases = report.models().stream().mapToLong(ModelSummary::cases).sum();
    StringBuilder md = new StringBuilder();
    md.append("# ").append(s.title()).append("\n\n");
    md.append(String.format(Locale.ROOT, "Models: %d. Scored outcomes: %d. Cutoffs: %s. Windows: %s (UTC%s). Catalogue: %d items.\n",
        report.models().size(), cases, cutoffList(s.cutoffs()), formatDuration(report.window()),
        s.chosenWindow() ? ", chosen from the replayed span" : "", s.catalogueSize()));
    md.append(String.format(Locale.ROOT,
        "Head targets: items with >= %d interactions in the replayed log (%d of %d items; head fraction %s). All other targets are tail.\n",
        split.threshold(), split.numHeadItems(), split.numItems(), decimal(s.headFraction())));
    md.append("Coverage: distinct items in the top-").append(s.maxCutoff()).append(" lists / catalogue size. Empty lists count as misses.\n\n");
    String headline = report.headlineMetric();
    md.append("**Ranking by ").append(headline).append(":** ");
    List<String> ranking = report.ranking(headline);
    for (int i = 0; i < ranking.size(); i++) {
      if (i > 0) md.append(" > ");
      md.append(cell(ranking.get(i))).append(" (").append(decimal(report.model(ranking.get(i)).metric(headline))).append(')');
    }
    md.append("\n");
    for (ModelSummary m : report.models()) {
      md.append("\n## Model ").append(cell(m.model())).append("\n\n");
      header(md, "slice", metrics);
      row(md, "all", m.overall(), decimal(m.coverage()), metrics);
      for (Map.Entry<String, ReplayMetrics> g : m.byGroup().entrySet()) row(md, g.getKey() + " targets", g.getValue(), "-", metrics);
      md.append("\n### By window\n\n");
      header(md, "window start (UTC)", metrics);
      for (WindowSummary w : m.byWindow()) {
        row(md, Instant.ofEpochMilli(w.startMillis()).toString(), w.metrics(), decimal(w.coverage()), metrics);
      }
    }
    return md.toString();
  }

  private static void header(StringBuilder md, String first, String[] metrics) {
    md.append("| ").append(first).append(" | cases | empty lists | coverage |");
    for (String name : metrics) md.append(' ').append(name).append(" |");
    md.append("\n|---|---:|---:|---:|");
    for (int i = 0; i < metrics.length; i++) md.append("---:|");
    md.append('\n');
  }

  private static void row(StringBuilder md, String first, ReplayMetrics r, String coverage, String[] metrics) {
    md.append("| ").append(first).append(" | ").append(r.cases()).append(" | ").append(r.emptyLists()).append(" | ").append(coverage).append(" |");
    for (String name : metrics) md.append(' ').append(decimal(r.metric(name))).append(" |");
    md.append('\n');
  }

  /** Four decimals, '.' as separator whatever the default locale; "-" for NaN (no cases). */
  static String decimal(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** A label safe inside a table cell. */
  private static String cell(String label) {
    return label.replace("|", "\\|").replace("\n", " ");
  }

  private static String cutoffList(int[] cutoffs) {
    StringBuilder sb = new StringBuilder();
    for (int k : cutoffs) sb.append(sb.length() == 0 ? "" : ", ").append(k);
    return sb.toString();
  }

  /** "1 day", "6 hours", "30 minutes", "1 second" or "250 ms". */
  static String formatDuration(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"day", "hour", "minute", "second"};
    for (int i = 0; i < units.length; i++) {
      if (ms % units[i] == 0) {
        long n = ms / units[i];
        return n + " " + names[i] + (n == 1 ? "" : "s");
      }
    }
    return ms + " ms";
  }
}
