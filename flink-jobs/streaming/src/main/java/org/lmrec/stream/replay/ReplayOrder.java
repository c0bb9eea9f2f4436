package org.lmrec.stream.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.lmrec.flink.interaction.Interaction;

/**
 * Puts each user's events into one total order, (event time, event id, ...) as in {@link
 * Interaction#ORDER}, before they reach the streaming job's sequence state. BATCH mode
 * sorts a keyed input by key and timestamp only, and events of one user often share a timestamp
 * (day-granular datasets), so without this their order, and with it the histories scored, could
 * differ from run to run. Emitted events carry their ordinal, which the job makes their timestamp,
 * so the next sort keeps this order. Copies of one event id are dropped (the first in the order is
 * kept), as the live job drops redeliveries. Runs in BATCH mode only: it buffers a user's events
 * until the end of the key (the timer at the end of time fires once all of them are in).
 */
final class ReplayOrder extends KeyedProcessFunction<String, Interaction, ReplayEvent> {
  private static final long serialVersionUID = 1L;

  private transient ListState<Interaction> buffered;
  private transient Counter duplicates;

  @Override
  public void open(OpenContext context) {
    buffered = getRuntimeContext().getListState(new ListStateDescriptor<>("replay-buffer", Interaction.class));
    duplicates = getRuntimeContext().getMetricGroup().counter("lmrecReplayDuplicates");
  }

  @Override
  public void processElement(Interaction e, Context ctx, Collector<ReplayEvent> out) throws Exception {
    buffered.add(e);
    ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReplayEvent> out) throws Exception {
    List<Interaction> events = new ArrayList<>();
    for (Interaction e : buffered.get()) events.add(e);
    buffered.clear();
    events.sort(Interaction.ORDER);
    List<Interaction> distinct = new ArrayList<>(events.size());
    Set<String> ids = new HashSet<>();
    for (Interaction e : events) {
      if (ids.add(e.eventId)) distinct.add(e);
      else duplicates.inc();
    }
    for (int i = 0; i < distinct.size(); i++) {
      Interaction e = distinct.get(i);
      String next = i + 1 < distinct.size() ? distinct.get(i + 1).itemId : null;
      out.collect(new ReplayEvent(toInteraction(e), i, next));
    }
  }

  /** The archived event as the sequence state sees it in a replay. */
  static Interaction toInteraction(Interaction e) {
    Interaction i = Interaction.archived(e.eventId, e.userId, e.itemId, e.eventType, e.eventTime); // received "at" its event time: latency means nothing in a replay
    i.sourceTopic = "replay";
    return i;
  }
}
