package org.lmrec.bench.faults;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.job.StreamingJobMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault campaign's changed job jar ({@code faults.sh redeploy}): the streaming job of {@link
 * StreamingJobMain}, same settings and same operator uids, plus one new operator between the scorer
 * and the recommendations sink that passes every recommendation on unchanged and counts it in the
 * metric {@value #METRIC}. Restored from the unchanged job's savepoint, it has no state there, so
 * no {@code --allowNonRestoredState} is needed; the metric (read through the REST API) shows that
 * this code, not the old jar's, ran. faults.sh adds this class to a copy of lmrec-streaming-job.jar
 * and submits it with {@code -c org.lmrec.bench.faults.ChangedStreamingJobMain}, so it may use
 * nothing that jar lacks.
 */
public final class ChangedStreamingJobMain {
  /** The new operator's uid: new to the savepoint. */
  public static final String UID = "changed-job-recommendation-count";
  /** Its name, as the REST API's job graph lists it. */
  public static final String NAME = "changed-job-recommendation-count";
  public static final String METRIC = "lmrecChangedJobRecommendations";

  private ChangedStreamingJobMain() {}

  public static void main(String[] args) {
    System.exit(StreamingJobMain.run(args, recommendations ->
        recommendations.map(new CountRecommendations(), TypeInformation.of(Recommendation.class)).uid(UID).name(NAME)));
  }

  /** Passes each recommendation on as it is and counts it. */
  static final class CountRecommendations extends RichMapFunction<Recommendation, Recommendation> {
    private static final Logger LOG = LoggerFactory.getLogger(CountRecommendations.class);
    private transient Counter count;

    @Override
    public void open(OpenContext context) {
      count = getRuntimeContext().getMetricGroup().counter(METRIC);
      LOG.info("{} (uid {}) runs in subtask {}", NAME, UID, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public Recommendation map(Recommendation r) {
      count.inc();
      return r;
    }
  }
}
