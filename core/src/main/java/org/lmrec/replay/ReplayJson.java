package org.lmrec.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * {@link ReplayReport} as JSON. Built as a tree in a fixed field order and printed with '\n' line
 * ends (Jackson's default indenter uses the platform's), so the bytes depend on the numbers only.
 */
final class ReplayJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final DefaultIndenter INDENTER = new DefaultIndenter("  ", "\n");
  private static final DefaultPrettyPrinter PRINTER =
      new DefaultPrettyPrinter().withObjectIndenter(INDENTER).withArrayIndenter(INDENTER);

  private ReplayJson() {}

  static String render(ReplayReport report) {
    ReplaySettings s = report.settings();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("title", s.title());
    ObjectNode settings = root.putObject("settings");
    ArrayNode cutoffs = settings.putArray("cutoffs");
    for (int k : s.cutoffs()) cutoffs.add(k);
    settings.put("window", report.window().toString());
    settings.put("windowMillis", report.window().toMillis());
    settings.put("windowChosenFromSpan", s.chosenWindow());
    settings.put("headFraction", s.headFraction());
    settings.put("catalogueSize", s.catalogueSize());
    ObjectNode popularity = root.putObject("popularity");
    popularity.put("items", report.popularity().numItems());
    popularity.put("headThreshold", report.popularity().threshold());
    popularity.put("headItems", report.popularity().numHeadItems());
    ObjectNode ranking = root.putObject("ranking");
    ranking.put("metric", report.headlineMetric());
    ArrayNode order = ranking.putArray("models");
    for (String m : report.ranking(report.headlineMetric())) order.add(m);
    ArrayNode models = root.putArray("models");
    for (ModelSummary m : report.models()) {
      ObjectNode node = models.addObject();
      node.put("model", m.model());
      putMetrics(node, m.overall());
      node.put("distinctItemsShown", m.distinctItemsShown());
      number(node, "coverage", m.coverage());
      ObjectNode groups = node.putObject("byGroup");
      for (Map.Entry<String, ReplayMetrics> g : m.byGroup().entrySet()) putMetrics(groups.putObject(g.getKey()), g.getValue());
      ArrayNode windows = node.putArray("byWindow");
      for (WindowSummary w : m.byWindow()) {
        ObjectNode wn = windows.addObject();
        wn.put("start", Instant.ofEpochMilli(w.startMillis()).toString());
        wn.put("startMillis", w.startMillis());
        putMetrics(wn, w.metrics());
        wn.put("distinctItemsShown", w.distinctItemsShown());
        number(wn, "coverage", w.coverage());
      }
    }
    try {
      return MAPPER.writer(PRINTER).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("replay report cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void putMetrics(ObjectNode node, ReplayMetrics metrics) {
    node.put("cases", metrics.cases());
    node.put("emptyLists", metrics.emptyLists());
    ObjectNode values = node.putObject("metrics");
    for (Map.Entry<String, Double> v : metrics.values().entrySet()) number(values, v.getKey(), v.getValue());
  }

  /** NaN (a group without cases) as null: JSON has no NaN. */
  private static void number(ObjectNode node, String field, double value) {
    if (Double.isNaN(value)) node.putNull(field);
    else node.put(field, value);
  }
}
