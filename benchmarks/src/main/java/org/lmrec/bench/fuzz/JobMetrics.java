package org.lmrec.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The running job's metrics through Flink's REST API (the MiniCluster's REST endpoint): the job's
 * own counters, summed over subtasks or read on subtask 0 (a broadcast record reaches every subtask
 * and is counted by each), and {@code numRestarts}. The REST side caches metrics for
 * {@code metrics.fetcher.update-interval}, which the campaign sets low.
 */
final class JobMetrics {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final String base;
  /** metric name → {vertex id, parallelism, full metric id as the REST API names it}. */
  private final Map<String, String[]> located = new HashMap<>();

  JobMetrics(int restPort, String jobId) {
    this.base = "http://127.0.0.1:" + restPort + "/jobs/" + jobId;
  }

  /** The job-level restart count (Flink's numRestarts); -1 while not reported yet. */
  long restarts() throws Exception {
    JsonNode n = get("/metrics?get=numRestarts");
    return n.isArray() && n.size() > 0 ? n.get(0).path("value").asLong(-1) : -1;
  }

  String state() throws Exception {
    return get("").path("state").asText();
  }

  /** {@code name} summed over every subtask of the operator that registers it; -1 while not reported yet. */
  long sum(String name) throws Exception {
    String[] where = locate(name);
    if (where == null) return -1;
    long total = 0;
    for (int i = 0; i < Integer.parseInt(where[1]); i++) {
      long v = subtask(where, i);
      if (v < 0) return -1;
      total += v;
    }
    return total;
  }

  /** {@code name} on subtask 0 only: for records broadcast to every subtask. */
  long onFirstSubtask(String name) throws Exception {
    String[] where = locate(name);
    return where == null ? -1 : subtask(where, 0);
  }

  /** A gauge's value on subtask 0, as text; null while not reported. */
  String gauge(String name) throws Exception {
    String[] where = locate(name);
    if (where == null) return null;
    JsonNode n = get("/vertices/" + where[0] + "/subtasks/0/metrics?get=" + URLEncoder.encode(where[2], StandardCharsets.UTF_8));
    return n.isArray() && n.size() > 0 ? n.get(0).path("value").asText() : null;
  }

  private long subtask(String[] where, int index) throws Exception {
    JsonNode n = get("/vertices/" + where[0] + "/subtasks/" + index + "/metrics?get=" + URLEncoder.encode(where[2], StandardCharsets.UTF_8));
    return n.isArray() && n.size() > 0 ? (long) n.get(0).path("value").asDouble(-1) : -1;
  }

  /**
   * Where {@code name} is registered. {@code name} may be "operator.metric": several operators can
   * register the same metric name (the scorer and the model-update source both count refusals), so
   * the operator part picks the one whose metric id contains it.
   */
  private String[] locate(String name) throws Exception {
    String[] known = located.get(name);
    if (known != null) return known;
    int dot = name.lastIndexOf('.');
    String metric = dot < 0 ? name : name.substring(dot + 1);
    String operator = dot < 0 ? "" : name.substring(0, dot);
    for (JsonNode v : get("").path("vertices")) {
      String id = v.path("id").asText();
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get("/vertices/" + id + "/subtasks/0/metrics")) ids.add(m.path("id").asText());
      for (String metricId : ids) {
        if ((metricId.equals(metric) || metricId.endsWith("." + metric)) && metricId.contains(operator)) {
          String[] where = {id, v.path("parallelism").asText(), metricId};
          located.put(name, where);
          return where;
        }
      }
    }
    return null;
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    return json.readTree(r.body());
  }
}
