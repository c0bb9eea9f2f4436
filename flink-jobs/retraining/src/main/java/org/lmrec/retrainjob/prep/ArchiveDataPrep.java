package org.lmrec.retrainjob.prep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.api.common.functions.RichReduceFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.lmrec.retrain.UserHistory;
import org.lmrec.flink.archive.ArchiveFiles;
import org.lmrec.flink.archive.ArchiveWindow;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.flink.archive.InteractionArchiveFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retraining's data preparation: a bounded Flink job in BATCH mode over the interaction
 * archive's date directories of one window, returning one history per user to the client. BATCH
 * mode sorts by key instead of keeping every key's state live, so the same job shape scales from a
 * test to the full archive; the histories (about a million interactions) fit in the client.
 *
 * <pre>
 * archive files ─► exact window ─► keyBy(eventId): one copy ─► keyBy(user): order, sessions, collapse, trim ─► client
 * </pre>
 *
 * The output depends only on the archive's contents, not on file order or parallelism: every
 * choice follows {@link Interaction#ORDER}. Data plumbing only; the model stages live in
 * {@code lmrec-core}.
 */
public final class ArchiveDataPrep {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveDataPrep.class);

  /** Stable operator ids (a batch job has no savepoints, but plans and metrics stay comparable). */
  public static final class Uids {
    public static final String ARCHIVE_SOURCE = "prep-archive-source";
    public static final String WINDOW_FILTER = "prep-window-filter";
    public static final String ARM_FILTER = "prep-arm-filter";
    public static final String DEDUPLICATE = "prep-deduplicate";
    public static final String USER_HISTORIES = "prep-user-histories";

    private Uids() {}
  }

  /** Accumulator names of the job's counters. */
  static final class Counters {
    static final String EVENTS_READ = "prep-events-read";
    static final String OUTSIDE_WINDOW = "prep-events-outside-window";
    static final String OTHER_ARMS = "prep-events-other-arms";
    static final String DUPLICATES = "prep-duplicates-dropped";
    static final String REPEATS = "prep-repeats-collapsed";
    static final String TRUNCATED = "prep-items-truncated";
    static final String TOO_SHORT = "prep-users-too-short";

    private Counters() {}
  }

  /**
   * The prepared histories, sorted by user id, and exact counts of what the preparation read and
   * removed. Every event read is outside the window, of a user outside the trained arm, a
   * duplicate, a collapsed repeat, truncated, in a user dropped as too short, or an item of a
   * returned history.
   *
   * @param filesRead finished archive files read (in-progress files are never read)
   * @param eventsRead events in those files, before any filtering
   * @param eventsOutsideWindow events read whose event time is outside the window
   * @param duplicatesDropped in-window events dropped as a further copy of an event id already kept
   * @param repeatsCollapsed events folded into the previous step of their session (same item)
   * @param itemsTruncated older items cut by {@code maxLength}
   * @param usersTooShort users dropped for having fewer than {@code minLength} items
   * @param eventsOtherArms in-window events of users not in the trained arm (0 without {@link PrepOptions#armOnly()})
   */
  public record Result(
      List<UserHistory> histories,
      long filesRead,
      long eventsRead,
      long eventsOutsideWindow,
      long duplicatesDropped,
      long repeatsCollapsed,
      long itemsTruncated,
      long usersTooShort,
      long eventsOtherArms) {
    public Result {
      histories = List.copyOf(histories);
    }

    public static Result empty() {
      return new Result(List.of(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Items over all returned histories. */
    public long itemsKept() {
      return histories.stream().mapToLong(UserHistory::length).sum();
    }

    /** One line for logs. */
    public String summary() {
      return histories.size() + " user histories (" + itemsKept() + " items) from " + filesRead + " files: "
          + eventsRead + " events read, " + eventsOutsideWindow + " outside the window, " + duplicatesDropped
          + " duplicates dropped, " + repeatsCollapsed + " repeats collapsed, " + itemsTruncated
          + " items truncated, " + usersTooShort + " users too short" + (eventsOtherArms > 0 ? ", " + eventsOtherArms + " events of other arms" : "");
    }
  }

  private final PrepOptions options;
  private final Configuration flinkConfig;

  /** {@code flinkConfig}: extra Flink settings for the job (parallelism, memory, ...); the runtime mode is always BATCH. */
  public ArchiveDataPrep(PrepOptions options, Configuration flinkConfig) {
    this.options = Objects.requireNonNull(options, "options");
    this.flinkConfig = new Configuration(Objects.requireNonNull(flinkConfig, "flinkConfig"));
  }

  /** Prepares the histories of {@code window} from the archive under {@code archiveBaseUri} (any Flink file system URI). */
  public Result run(String archiveBaseUri, ArchiveWindow window) throws Exception {
    long started = System.currentTimeMillis();
    Path base = new Path(archiveBaseUri);
    ArchiveFiles listed = ArchiveFiles.list(archiveBaseUri, window);
    List<Path> files = listed.files();
    List<String> presentDays = listed.presentDays();
    if (presentDays.isEmpty()) {
      LOG.info("Archive preparation: none of the {} date directories of window {} exists under {}; nothing to prepare",
          window.bucketNames().size(), window, base);
      return Result.empty();
    }
    if (files.isEmpty()) {
      LOG.info("Archive preparation: the {} date directories of window {} under {} hold no finished archive files; nothing to prepare",
          presentDays.size(), window, base);
      return Result.empty();
    }

    Configuration conf = new Configuration(flinkConfig);
    conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);

    // Listed by ArchiveFiles, not by the source's enumerator: the files counted are the files read.
    FileSource<Interaction> source =
        FileSource.forBulkFileFormat(new InteractionArchiveFormat(), files.toArray(new Path[0])).build();
    DataStream<UserHistory> histories =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "interaction archive")
            .uid(Uids.ARCHIVE_SOURCE)
            .filter(new InWindow(window))
            .uid(Uids.WINDOW_FILTER)
            .name("window filter")
            .filter(new InArm(options.armOnly()))
            .uid(Uids.ARM_FILTER)
            .name(options.armOnly() == null ? "every arm" : "only " + options.armOnly())
            .keyBy(e -> e.eventId, Types.STRING)
            .reduce(new FirstCopy())
            .uid(Uids.DEDUPLICATE)
            .name("one copy per event id")
            .keyBy(e -> e.userId, Types.STRING)
            .window(GlobalWindows.createWithEndOfStreamTrigger())
            .process(new BuildHistories(options))
            .uid(Uids.USER_HISTORIES)
            .name("user histories");

    String jobName = "lmrec archive preparation: " + base + " " + window + " (" + files.size() + " files in " + presentDays.size() + " days)";
    List<UserHistory> collected = new ArrayList<>();
    JobExecutionResult job;
    try (CloseableIterator<UserHistory> it = histories.collectAsync()) {
      JobClient client = env.executeAsync(jobName);
      it.forEachRemaining(collected::add);
      job = client.getJobExecutionResult().get();
    }
    collected.sort(Comparator.comparing(UserHistory::userId));
    Result result = new Result(collected, files.size(),
        count(job, Counters.EVENTS_READ), count(job, Counters.OUTSIDE_WINDOW), count(job, Counters.DUPLICATES),
        count(job, Counters.REPEATS), count(job, Counters.TRUNCATED), count(job, Counters.TOO_SHORT), count(job, Counters.OTHER_ARMS));
    LOG.info("Archive preparation of {} under {} ({} of {} days present): {} in {} ms",
        window, base, presentDays.size(), window.bucketNames().size(), result.summary(), System.currentTimeMillis() - started);
    return result;
  }

  private static long count(JobExecutionResult job, String name) {
    Object v = job.getAccumulatorResult(name);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** Counts every event read and passes those inside the window. */
  static final class InWindow extends RichFilterFunction<Interaction> {
    private static final long serialVersionUID = 1L;
    private final ArchiveWindow window;
    private transient LongCounter read;
    private transient LongCounter outside;

    InWindow(ArchiveWindow window) {
      this.window = window;
    }

    @Override
    public void open(OpenContext context) {
      read = new LongCounter();
      outside = new LongCounter();
      getRuntimeContext().addAccumulator(Counters.EVENTS_READ, read);
      getRuntimeContext().addAccumulator(Counters.OUTSIDE_WINDOW, outside);
    }

    @Override
    public boolean filter(Interaction e) {
      read.add(1);
      if (window.contains(e.eventTime)) return true;
      outside.add(1);
      return false;
    }
  }

  /** Passes the events of the trained arm's users (all events without an arm filter) and counts the rest. */
  static final class InArm extends RichFilterFunction<Interaction> {
    private static final long serialVersionUID = 1L;
    private final ArmOnly arm;
    private transient LongCounter others;

    InArm(ArmOnly arm) {
      this.arm = arm;
    }

    @Override
    public void open(OpenContext context) {
      others = new LongCounter();
      getRuntimeContext().addAccumulator(Counters.OTHER_ARMS, others);
    }

    @Override
    public boolean filter(Interaction e) {
      if (arm == null || arm.includes(e.userId)) return true;
      others.add(1);
      return false;
    }
  }

  /**
   * Of the copies of one event id, keeps the first in {@link Interaction#ORDER}. A
   * redelivered event is archived again with the same fields, so which copy survives matters only
   * for determinism. In BATCH mode the reduce emits once per key.
   */
  static final class FirstCopy extends RichReduceFunction<Interaction> {
    private static final long serialVersionUID = 1L;
    private transient LongCounter dropped;

    @Override
    public void open(OpenContext context) {
      dropped = new LongCounter();
      getRuntimeContext().addAccumulator(Counters.DUPLICATES, dropped);
    }

    @Override
    public Interaction reduce(Interaction a, Interaction b) {
      dropped.add(1);
      return Interaction.ORDER.compare(a, b) <= 0 ? a : b;
    }
  }

  /** All of one user's events at the end of input, through {@link HistoryBuilder}. */
  static final class BuildHistories extends ProcessWindowFunction<Interaction, UserHistory, String, GlobalWindow> {
    private static final long serialVersionUID = 1L;
    private final PrepOptions options;
    private transient HistoryBuilder builder;
    private transient LongCounter repeats;
    private transient LongCounter truncated;
    private transient LongCounter tooShort;

    BuildHistories(PrepOptions options) {
      this.options = options;
    }

    @Override
    public void open(OpenContext context) {
      builder = new HistoryBuilder(options);
      repeats = new LongCounter();
      truncated = new LongCounter();
      tooShort = new LongCounter();
      getRuntimeContext().addAccumulator(Counters.REPEATS, repeats);
      getRuntimeContext().addAccumulator(Counters.TRUNCATED, truncated);
      getRuntimeContext().addAccumulator(Counters.TOO_SHORT, tooShort);
    }

    @Override
    public void process(String userId, Context context, Iterable<Interaction> events, Collector<UserHistory> out) {
      List<Interaction> list = new ArrayList<>();
      events.forEach(list::add);
      HistoryBuilder.Tally tally = new HistoryBuilder.Tally();
      UserHistory history = builder.build(userId, list, tally);
      repeats.add(tally.repeatsCollapsed);
      truncated.add(tally.itemsTruncated);
      tooShort.add(tally.usersTooShort);
      if (history != null) out.collect(history);
    }
  }
}
