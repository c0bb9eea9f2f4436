package org.lmrec.stream.state;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.UserSequenceState;
import org.lmrec.stream.ingest.DeadLetters;
import org.lmrec.stream.ingest.Interaction;
import org.lmrec.stream.scoring.ScoringRequest;

/**
 * Keeps each user's recent interactions in keyed state (RocksDB in production) and asks for a
 * recommendation after every accepted interaction of a scored type. Redelivered events are
 * ignored; events too far behind the watermark become dead letters; accepted events also go to a
 * side output for the archive.
 */
public final class SequenceStateFunction extends KeyedProcessFunction<String, Interaction, ScoringRequest> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late-dead-letters") {};
  public static final OutputTag<Interaction> ACCEPTED = new OutputTag<>("accepted-interactions") {};

  /** Name of the keyed state; part of the savepoint contract, never rename. */
  public static final String STATE_NAME = "user-sequence";

  private final int capacity;
  private final Duration ttl;
  private final long allowedLatenessMillis;
  private final Set<String> scoredTypes;

  private transient ValueState<UserSequenceState> state;
  private transient AvroCodec<InteractionEvent> codec;
  private transient Counter accepted;
  private transient Counter duplicates;
  private transient Counter late;

  /**
   * @param scoredTypes event type names that trigger scoring; empty or containing "ALL" = every type
   * @param ttl zero = no expiry
   */
  public SequenceStateFunction(int capacity, Duration ttl, Duration allowedLateness, List<String> scoredTypes) {
    this.capacity = capacity;
    this.ttl = ttl;
    this.allowedLatenessMillis = allowedLateness.toMillis();
    Set<String> types = new HashSet<>();
    for (String t : scoredTypes) types.add(t.trim().toUpperCase(java.util.Locale.ROOT));
    this.scoredTypes = types.isEmpty() || types.contains("ALL") ? null : types;
  }

  public static ValueStateDescriptor<UserSequenceState> descriptor(Duration ttl) {
    ValueStateDescriptor<UserSequenceState> d =
        new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(UserSequenceState.class));
    if (!ttl.isZero()) {
      d.enableTimeToLive(
          StateTtlConfig.newBuilder(ttl)
              .updateTtlOnCreateAndWrite()
              .neverReturnExpired()
              .cleanupInRocksdbCompactFilter(1000)
              .build());
    }
    return d;
  }

  @Override
  public void open(OpenContext context) {
    state = getRuntimeContext().getState(descriptor(ttl));
    codec = AvroCodec.of(InteractionEvent.class);
    var metrics = getRuntimeContext().getMetricGroup();
    accepted = metrics.counter("lmrecAcceptedInteractions");
    duplicates = metrics.counter("lmrecDuplicates");
    late = metrics.counter("lmrecLateDeadLetters");
  }

  @Override
  public void processElement(Interaction e, Context ctx, Collector<ScoringRequest> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    if (watermark != Long.MIN_VALUE && e.eventTime < watermark - allowedLatenessMillis) {
      late.inc();
      String reason = "late InteractionEvent: event time " + e.eventTime + " is " + (watermark - e.eventTime)
          + " ms behind the watermark " + watermark + ", more than the allowed lateness of " + allowedLatenessMillis
          + " ms (raw value re-encoded from the decoded event)";
      ctx.output(LATE, DeadLetters.of(codec.encode(e.toEvent()), null,
          e.sourceTopic, e.sourcePartition, e.sourceOffset, reason, null, Integer.MAX_VALUE, System.currentTimeMillis()));
      return;
    }
    UserSequence sequence = UserSequence.from(state.value(), capacity);
    if (sequence.add(e.itemId, e.eventTime, EventIdHash.of(e.eventId)) == UserSequence.Outcome.DUPLICATE) {
      duplicates.inc();
      return;
    }
    state.update(sequence.toState());
    accepted.inc();
    ctx.output(ACCEPTED, e);
    if (scoredTypes == null || scoredTypes.contains(e.eventType)) {
      out.collect(new ScoringRequest(e.userId, e.eventId, e.eventTime, e.receivedAt, sequence.itemIds()));
    }
  }
}
