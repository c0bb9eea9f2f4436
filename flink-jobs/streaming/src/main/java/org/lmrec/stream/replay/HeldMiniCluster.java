package org.lmrec.stream.replay;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A local MiniCluster that stays up until {@link #close}, and an environment that runs jobs on it.
 *
 * <p>Why not Flink's local environment: it starts a MiniCluster per job and shuts it down as soon as
 * the job ends. A {@code collectAsync} iterator that is still reading then cannot ask for the job's
 * status, assumes the job ended, and logs "Failed to get job status ... Some data might be lost"
 * with a stack trace (once while reading, once on close, per iterator), although every result was
 * delivered through the job's accumulators. Holding the cluster until the iterators are closed
 * ends the replay cleanly.
 */
final class HeldMiniCluster implements AutoCloseable {
  private static final String EXECUTOR = "lmrec-held-minicluster";

  private final MiniCluster cluster;
  private final Configuration config;

  /** Starts one TaskManager with {@code parallelism.default} slots (as Flink's local environment does), REST on a free port. */
  HeldMiniCluster(Configuration flinkConfig) throws Exception {
    config = new Configuration(flinkConfig);
    if (!config.contains(RestOptions.BIND_PORT)) config.set(RestOptions.BIND_PORT, "0");
    config.set(DeploymentOptions.TARGET, EXECUTOR);
    config.set(DeploymentOptions.ATTACHED, true);
    int slots = config.get(CoreOptions.DEFAULT_PARALLELISM);
    cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(config).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
    cluster.start();
  }

  /** An environment whose jobs run on this cluster; their clients leave the cluster running. */
  StreamExecutionEnvironment environment() {
    return new StreamExecutionEnvironment(new Loader(), config, Thread.currentThread().getContextClassLoader());
  }

  private CompletableFuture<JobClient> submit(Pipeline pipeline, Configuration jobConfig, ClassLoader classLoader) throws Exception {
    StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, jobConfig);
    graph.serializeUserDefinedInstances();
    return cluster.submitJob(graph)
        .thenApply(submitted -> new MiniClusterJobClient(submitted.getJobID(), cluster, classLoader, MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }

  private final class Loader implements PipelineExecutorServiceLoader, PipelineExecutorFactory {
    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
      return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
      return Stream.of(EXECUTOR);
    }

    @Override
    public String getName() {
      return EXECUTOR;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
      return true;
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
      return HeldMiniCluster.this::submit;
    }
  }
}
