package org.lmrec.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.schema.Recommendation;
import org.lmrec.stream.StreamingOptions;
import org.lmrec.stream.scoring.ModelLimits;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelPointer;
import org.lmrec.stream.scoring.ScoringOperator;
import org.lmrec.stream.scoring.ScoringRequest;

/**
 * Request latency while models are swapped, against the same run without swaps: the job's {@link
 * ScoringOperator} (default batch size and delay) on a local MiniCluster, fed paced scoring
 * requests on input 1 and model announcements on input 2, as in the live job but without Kafka and
 * the user-state operator in front (so only the scorer's own stalls show). Each request is stamped
 * with the time it was scheduled, not the time it was handed over, so a blocked scorer cannot hide
 * the requests it kept waiting (no coordinated omission): latency = produced - scheduled.
 *
 * <p>Timeline: {@code warmupSeconds} unmeasured, then {@code phaseSeconds} without swaps, then
 * {@code phaseSeconds} with a fresh artifact (same shape, new version) announced every {@code
 * swapEverySeconds}. Prints p50, p99 and max of each phase.
 *
 * <p>Arguments (key=value): head=sasrec items=100000 dim=64 maxLen=50 rate=100 warmupSeconds=15
 * phaseSeconds=30 swapEverySeconds=3 work=runs/bench/swap seed=7
 */
public final class SwapLatencyBenchmark {
  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    ModelKind kind = ModelKind.parse(a.get("head", "sasrec"));
    int items = a.getInt("items", 100_000);
    int dim = a.getInt("dim", 64);
    int maxLen = a.getInt("maxLen", 50);
    int rate = a.getInt("rate", 100);
    int warmup = a.getInt("warmupSeconds", 15);
    int phase = a.getInt("phaseSeconds", 30);
    int swapEvery = a.getInt("swapEverySeconds", 3);
    long seed = a.getInt("seed", 7);
    Path work = Path.of(a.get("work", "runs/bench/swap")).toAbsolutePath();
    Files.createDirectories(work);
    int swaps = Math.max(1, phase / swapEvery);
    System.out.printf("swap latency: %s, %,d items, d=%d, %d requests/s, %d s warm-up, %d s without swaps, %d s with a swap every %d s (%d swaps), %d cores%n",
        kind.id(), items, dim, rate, warmup, phase, phase, swapEvery, swaps, Runtime.getRuntime().availableProcessors());

    ModelConfig cfg = ModelConfig.defaults(kind).withDim(dim).withMaxLen(maxLen);
    List<ModelArtifact> models = new ArrayList<>();
    for (int v = 0; v <= swaps; v++) {
      models.add(writeModel(work, cfg.withSeed(seed + v), items, String.format(Locale.ROOT, "swap-%02d-%d", v, System.currentTimeMillis())));
    }
    System.out.printf("wrote %d artifacts of %,d items%n", models.size(), items);

    Configuration flink = new Configuration();
    flink.setString("taskmanager.memory.managed.size", "64m");
    flink.setString("io.tmp.dirs", Files.createDirectories(work.resolve("tmp")).toString());
    // The job's network buffer timeout (5 ms), not Flink's 100 ms, which alone would add ~50 ms to
    // every request and hide a stall of the size of a model load.
    flink.setString("execution.buffer-timeout.interval", new Configuration().get(StreamingOptions.BUFFER_TIMEOUT).toMillis() + " ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, flink);

    long base = System.currentTimeMillis() + 5_000; // time for the job to start
    long phaseStart = base + warmup * 1_000L;
    long swapStart = phaseStart + phase * 1_000L;
    long end = swapStart + phase * 1_000L;
    long requests = (end - base) * rate / 1_000;
    List<ModelPointer> announcements = new ArrayList<>();
    for (int s = 1; s <= swaps; s++) announcements.add(ModelLoader.pointerTo(models.get(s).dir()));

    DataStream<ScoringRequest> in = env.fromSequence(0, requests - 1).map(new PacedRequests(base, rate, items, maxLen, seed))
        .returns(TypeInformation.of(ScoringRequest.class)).name("paced requests");
    DataStream<ModelPointer> pointers = env.fromSequence(0, swaps - 1)
        .map(new PacedAnnouncements(announcements, swapStart + swapEvery * 500L, swapEvery * 1_000L))
        .returns(TypeInformation.of(ModelPointer.class)).name("paced announcements");
    Configuration defaults = new Configuration();
    DataStream<Tuple3<Long, Long, String>> out = in.connect(pointers.broadcast())
        .transform("scorer", TypeInformation.of(Recommendation.class), new ScoringOperator(ModelLoader.pointerTo(models.get(0).dir()),
            ModelLimits.unrestricted(), defaults.get(StreamingOptions.TOP_K), defaults.get(StreamingOptions.BATCH_SIZE),
            defaults.get(StreamingOptions.BATCH_DELAY).toMillis()))
        .uid("scorer")
        .map((MapFunction<Recommendation, Tuple3<Long, Long, String>>) r ->
            Tuple3.of(r.getProducedAt().toEpochMilli() - r.getLatencyMillis(), r.getLatencyMillis(), r.getModelVersion().toString()))
        .returns(Types.TUPLE(Types.LONG, Types.LONG, Types.STRING));

    List<Long> quiet = new ArrayList<>();
    List<Long> swapping = new ArrayList<>();
    java.util.Set<String> served = new java.util.LinkedHashSet<>();
    long seen = 0;
    try (CloseableIterator<Tuple3<Long, Long, String>> it = out.executeAndCollect("lmrec swap latency benchmark")) {
      while (it.hasNext()) {
        Tuple3<Long, Long, String> r = it.next();
        seen++;
        if (r.f0 >= phaseStart && r.f0 < swapStart) quiet.add(r.f1);
        if (r.f0 >= swapStart) {
          swapping.add(r.f1);
          served.add(r.f2);
        }
      }
    }
    System.out.printf("%,d of %,d requests answered; versions serving during the swap phase: %d%n", seen, requests, served.size());
    String line = String.format(Locale.ROOT,
        "swap-latency %s-%d at %d req/s: without swaps p50 %d ms, p99 %d ms, max %d ms (%,d requests) | a swap every %d s"
            + " (%d versions served): p50 %d ms, p99 %d ms, max %d ms (%,d requests)",
        kind.id(), items, rate, pct(quiet, 0.5), pct(quiet, 0.99), pct(quiet, 1.0), quiet.size(), swapEvery, served.size(),
        pct(swapping, 0.5), pct(swapping, 0.99), pct(swapping, 1.0), swapping.size());
    System.out.println();
    System.out.println(line);
    System.exit(0);
  }

  private static long pct(List<Long> values, double q) {
    if (values.isEmpty()) return -1;
    long[] v = values.stream().mapToLong(Long::longValue).toArray();
    return ThroughputWindow.percentile(v, Math.min(q, 0.999999));
  }

  private static ModelArtifact writeModel(Path work, ModelConfig cfg, int items, String version) {
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= items; i++) ids.add("i" + i);
    return UntrainedModels.write(work.resolve("models"), version, cfg, ids,
        new TrainingDataInfo("untrained benchmark model", 0, items, 0, null, null, "benchmark"));
  }

  /** Scoring request number i, released at its scheduled time and stamped with it. */
  static final class PacedRequests extends RichMapFunction<Long, ScoringRequest> {
    private static final long serialVersionUID = 1L;
    private final long base;
    private final int rate;
    private final int items;
    private final int maxLen;
    private final long seed;
    private transient SplittableRandom random;

    PacedRequests(long base, int rate, int items, int maxLen, long seed) {
      this.base = base;
      this.rate = rate;
      this.items = items;
      this.maxLen = maxLen;
      this.seed = seed;
    }

    @Override
    public void open(OpenContext context) {
      random = new SplittableRandom(seed);
    }

    @Override
    public ScoringRequest map(Long i) throws InterruptedException {
      long scheduled = base + i * 1_000 / rate;
      long wait = scheduled - System.currentTimeMillis();
      if (wait > 0) Thread.sleep(wait); // pacing the traffic, not waiting for a result
      String[] history = new String[1 + random.nextInt(maxLen)];
      for (int j = 0; j < history.length; j++) history[j] = "i" + (1 + random.nextInt(items));
      return new ScoringRequest("u" + random.nextInt(20_000), "e" + i, scheduled, scheduled, history);
    }
  }

  /** Announcement number k at {@code first + k * every}, with that time as its announcement time. */
  static final class PacedAnnouncements implements MapFunction<Long, ModelPointer> {
    private static final long serialVersionUID = 1L;
    private final ArrayList<ModelPointer> pointers;
    private final long first;
    private final long every;

    PacedAnnouncements(List<ModelPointer> pointers, long first, long every) {
      this.pointers = new ArrayList<>(pointers);
      this.first = first;
      this.every = every;
    }

    @Override
    public ModelPointer map(Long k) throws InterruptedException {
      long at = first + k * every;
      long wait = at - System.currentTimeMillis();
      if (wait > 0) Thread.sleep(wait);
      ModelPointer p = pointers.get(k.intValue());
      return new ModelPointer(p.version, p.uri, p.manifestSha256, at);
    }
  }
}
