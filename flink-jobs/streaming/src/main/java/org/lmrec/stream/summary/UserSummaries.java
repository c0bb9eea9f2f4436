package org.lmrec.stream.summary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lmrec.flink.deadletter.RecordFailures;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.schema.UserSummaryState;
import org.lmrec.schema.UserSummaryUpdate;
import org.lmrec.summary.Blocks;
import org.lmrec.summary.ExtractiveSummariser;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryItem;
import org.lmrec.summary.SummaryStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each user's LLM-TRSR summary fresh (METHODS.md section 3, recurrent strategy), keyed by
 * user, off the job's accepted interactions. The keyed state ({@link UserSummaryState}, RocksDB in
 * production) holds the pending block, the window of the newest complete blocks, the sequence
 * number, and for the extractive backend the served text and the profile the next update starts
 * from. When a block of {@code blockSize} items completes:
 *
 * <ul>
 *   <li>extractive: refreshed here at once: while the window has room, {@code update(profile, block)}
 *       from the stored profile; once the oldest block leaves the window, re-summarised over the
 *       window, since a recurrent summary cannot forget a block. Either way the text equals
 *       {@link SummaryStrategy#RECURRENT} from scratch over the same history (items the catalogue
 *       does not know are left out and counted);
 *   <li>endpoint: a {@link RefreshRequest} with the window goes to {@link #REFRESHES}, for the Async
 *       I/O operator ({@link GenerativeRefresh}) and then {@link SummaryResults}, which keeps the text.
 * </ul>
 *
 * <p>The catalogue is read once at open. When it is absent, altered or over the caps the reason is
 * logged, {@code lmrecSummaryCatalogueRefused} is 1, and this operator passes interactions by: the
 * job runs on without summaries, the state untouched. A failure on one record is counted
 * ({@code lmrecRecordFailures}) and that record skipped; the interaction path never waits here.
 */
public final class UserSummaries extends KeyedProcessFunction<String, Interaction, UserSummaryUpdate> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(UserSummaries.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Refreshes for the endpoint backend. */
  public static final OutputTag<RefreshRequest> REFRESHES = new OutputTag<>("summary-refreshes") {};
  /** Name of the keyed state; part of the savepoint contract, never rename. */
  public static final String STATE_NAME = "user-summary";

  private final SummarySettings settings;
  private final Duration ttl;

  private transient ValueState<UserSummaryState> state;
  private transient SummaryCatalogue catalogue;
  private transient ExtractiveSummariser extractive;
  private transient Counter refreshes;
  private transient Counter requested;
  private transient Counter unknownItems;
  private transient Counter failures;
  private transient Counter refreshFailures;
  private transient Histogram latency;
  private transient volatile int catalogueRefused;

  public UserSummaries(SummarySettings settings, Duration ttl) {
    this.settings = settings;
    this.ttl = ttl;
  }

  public static ValueStateDescriptor<UserSummaryState> descriptor(Duration ttl) {
    ValueStateDescriptor<UserSummaryState> d = new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(UserSummaryState.class));
    if (!ttl.isZero()) {
      d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().cleanupInRocksdbCompactFilter(1000).build());
    }
    return d;
  }

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(descriptor(ttl));
    extractive = settings.extractive();
    var metrics = getRuntimeContext().getMetricGroup();
    refreshes = metrics.counter("lmrecSummaryRefreshes");
    requested = metrics.counter("lmrecSummaryRefreshesRequested");
    unknownItems = metrics.counter("lmrecSummaryUnknownItems");
    failures = metrics.counter("lmrecRecordFailures");
    refreshFailures = metrics.counter("lmrecSummaryRefreshFailures");
    latency = metrics.histogram("lmrecSummaryRefreshLatencyMillis", new DescriptiveStatisticsHistogram(10_000));
    metrics.gauge("lmrecSummaryCatalogueRefused", () -> catalogueRefused);
    try {
      catalogue = SummaryCatalogue.read(settings.cataloguePath(), settings.catalogueLimits());
      catalogueRefused = 0;
      LOG.info("user summaries on ({}): catalogue of {} items, {}-d {} embeddings", settings, catalogue.size(), catalogue.dim(), catalogue.embeddingName());
    } catch (RuntimeException | OutOfMemoryError e) {
      catalogue = null;
      catalogueRefused = 1;
      LOG.warn("user summaries off, the job runs on without them: summary catalogue refused: {}", e.getMessage());
    }
  }

  /** Whether the catalogue was refused (for tests; the metric is {@code lmrecSummaryCatalogueRefused}). */
  public boolean catalogueRefused() {
    return catalogueRefused == 1;
  }

  long refreshCount() {
    return refreshes.getCount();
  }

  long unknownItemCount() {
    return unknownItems.getCount();
  }

  @Override
  public void processElement(Interaction e, Context ctx, Collector<UserSummaryUpdate> out) throws Exception {
    if (catalogue == null) return;
    if (!catalogue.contains(e.itemId)) {
      unknownItems.inc();
      return;
    }
    try {
      process(e, ctx, out);
    } catch (RuntimeException failure) {
      failures.inc();
      refreshFailures.inc(); // the state is written last: the old summary keeps serving
      LOG.warn("user summaries: skipped an interaction of user {}: {}", e.userId, RecordFailures.describe(failure));
    }
  }

  private void process(Interaction e, Context ctx, Collector<UserSummaryUpdate> out) throws Exception {
    UserSummaryState s = state.value();
    if (s == null) s = UserSummaryState.newBuilder().setPendingItemIds(new ArrayList<>()).setWindowItemIds(new ArrayList<>()).setBlocks(0).build();
    List<String> pending = new ArrayList<>(strings(s.getPendingItemIds()));
    pending.add(e.itemId);
    int size = settings.blockSize();
    if (pending.size() < size) {
      s.setPendingItemIds(pending);
      state.update(s);
      return;
    }
    long start = System.nanoTime();
    List<String> block = List.copyOf(pending.subList(0, size));
    List<String> window = new ArrayList<>(strings(s.getWindowItemIds()));
    boolean windowFull = window.size() >= size * settings.maxBlocks();
    window.addAll(block);
    // Blocks before the window: the recurrent summary over the newest max-blocks blocks cannot forget one.
    while (window.size() > size * settings.maxBlocks()) window.subList(0, size).clear();
    // State written with another block size: whole blocks only, the oldest ids dropped.
    if (window.size() % size != 0) {
      window.subList(0, window.size() % size).clear();
      windowFull = true;
    }
    s.setPendingItemIds(new ArrayList<>(pending.subList(size, pending.size())));
    s.setWindowItemIds(window);
    s.setBlocks(s.getBlocks() + 1);
    int windowBlocks = window.size() / size;
    long now = ctx.timerService().currentProcessingTime();
    if (settings.backend() == SummarySettings.Backend.EXTRACTIVE) {
      ExtractiveSummariser.Profile profile = null;
      if (!windowFull && s.getRecurrentState() != null && s.getSummaryBlocks() == s.getBlocks() - 1
          && extractive.version().equals(s.getSummariserVersion())) {
        profile = decodeOrNull(s.getRecurrentState());
        if (profile != null) profile = extractive.update(profile, items(block));
      }
      if (profile == null) profile = recurrentOver(window);
      String text = extractive.render(profile);
      s.setRecurrentState(java.nio.ByteBuffer.wrap(ProfileBytes.encode(profile)));
      s.setText(text);
      s.setSummariserVersion(extractive.version());
      s.setSummaryBlocks(s.getBlocks());
      s.setRefreshedAt(now);
      state.update(s);
      long millis = (System.nanoTime() - start) / 1_000_000;
      refreshes.inc();
      latency.update(millis);
      out.collect(new UserSummaryUpdate(e.userId, text, extractive.version(), s.getBlocks(), windowBlocks, now, millis));
    } else {
      s.setRecurrentState(null);
      state.update(s);
      requested.inc();
      ctx.output(REFRESHES, new RefreshRequest(e.userId, s.getBlocks(), windowBlocks, texts(window), now));
    }
  }

  /** RECURRENT over the window's blocks: summary_1 from the first, then one update per block. */
  private ExtractiveSummariser.Profile recurrentOver(List<String> window) {
    int size = settings.blockSize();
    ExtractiveSummariser.Profile p = extractive.summariseBlock(items(window.subList(0, size)));
    for (int b = size; b < window.size(); b += size) p = extractive.update(p, items(window.subList(b, b + size)));
    return p;
  }

  private static ExtractiveSummariser.Profile decodeOrNull(java.nio.ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    try {
      return ProfileBytes.decode(bytes);
    } catch (IllegalArgumentException e) {
      return null; // written by another version: recomputed from the window
    }
  }

  private List<SummaryItem> items(List<String> ids) {
    List<SummaryItem> items = new ArrayList<>(ids.size());
    for (String id : ids) {
      Optional<SummaryItem> item = catalogue.item(id);
      // An id in state the catalogue no longer knows (a newer catalogue after a restart): its title alone.
      items.add(item.orElseGet(() -> new SummaryItem(id, java.util.Map.of(), new float[catalogue.dim()])));
    }
    return items;
  }

  private String[] texts(List<String> ids) {
    String[] out = new String[ids.size()];
    List<SummaryItem> items = items(ids);
    for (int i = 0; i < out.length; i++) {
      ObjectNode node = JSON.createObjectNode().put("t", items.get(i).title());
      ObjectNode a = node.putObject("a");
      new java.util.TreeMap<>(items.get(i).attributes()).forEach(a::put);
      out[i] = node.toString();
    }
    return out;
  }

  private static List<String> strings(List<? extends CharSequence> values) {
    List<String> out = new ArrayList<>(values.size());
    for (CharSequence v : values) out.add(v.toString());
    return out;
  }

  /** The block size and window as {@link Blocks} sees them (for docs and tests). */
  public SummarySettings settings() {
    return settings;
  }
}
