package org.lmrec.stream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.StreamingOptions;

/**
 * The hook a changed job (the fault campaign's redeploy) uses: an operator between the scorer and
 * the recommendations sink, with every uid of the unchanged job kept, so its savepoint restores.
 */
class StreamingJobTopologyTest {
  @Test
  void anOperatorBeforeTheRecommendationsSinkSitsBetweenScorerAndSinkAndKeepsEveryUid() {
    StreamGraph plain = graph(UnaryOperator.identity());
    StreamGraph changed = graph(s -> s.map(r -> r, TypeInformation.of(Recommendation.class)).uid("added").name("added"));

    StreamNode added = node(changed, "added");
    assertThat(added.getInEdges()).extracting(e -> uid(changed, e.getSourceId())).containsExactly(StreamingJob.Uids.SCORER);
    assertThat(added.getOutEdges()).extracting(e -> uid(changed, e.getTargetId())).singleElement()
        .asString().startsWith(StreamingJob.Uids.RECOMMENDATIONS_SINK);
    assertThat(node(plain, StreamingJob.Uids.SCORER).getOutEdges()).extracting(e -> uid(plain, e.getTargetId()))
        .anySatisfy(u -> assertThat(u).startsWith(StreamingJob.Uids.RECOMMENDATIONS_SINK));

    Set<String> expected = new HashSet<>(uids(plain));
    expected.add("added");
    assertThat(uids(changed)).isEqualTo(expected);
  }

  @Test
  void theOutcomeJoinRunsChainedInTheScorersThread() {
    var vertices = graph(UnaryOperator.identity()).getJobGraph().getVertices();
    // reinterpreted as keyed, the scorer's side output needs no shuffle: one task runs scorer, join and tallies
    assertThat(vertices).filteredOn(v -> v.getName().contains("scorer")).singleElement()
        .satisfies(v -> assertThat(v.getName()).contains("exposure outcomes").contains("outcome tallies"));
    assertThat(vertices).noneSatisfy(v -> assertThat(v.getName()).startsWith("exposure outcomes"));
  }

  private static StreamGraph graph(UnaryOperator<DataStream<Recommendation>> beforeSink) {
    Configuration options = new Configuration();
    options.set(StreamingOptions.REQUIRE_SIGNATURE, false); // no announcement is read: the graph is only built
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingJob.flinkSettings(options));
    new StreamingJob(options, KafkaEndpoints.from(options)).build(env, beforeSink);
    return env.getStreamGraph();
  }

  private static StreamNode node(StreamGraph g, String uid) {
    return g.getStreamNodes().stream().filter(n -> uid.equals(n.getTransformationUID())).findFirst().orElseThrow();
  }

  private static String uid(StreamGraph g, int id) {
    return g.getStreamNode(id).getTransformationUID();
  }

  private static Set<String> uids(StreamGraph g) {
    Set<String> uids = new HashSet<>();
    for (StreamNode n : g.getStreamNodes()) uids.add(n.getTransformationUID());
    return uids;
  }
}
