package org.lmrec.stream.replay;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;

/**
 * Joins every recommendation served for an event with the item the user interacted with next,
 * keyed by (user, triggering event id). Both sides are buffered until the end of the key (BATCH
 * mode), so the result does not depend on which input arrives first. A recommendation for a user's
 * last event has nothing to be judged against and is counted, not emitted.
 */
final class OutcomeJoin extends KeyedCoProcessFunction<String, Recommendation, ReplayEvent, ReplayOutcomeRecord> {
  private static final long serialVersionUID = 1L;

  private transient ListState<Recommendation> served;
  private transient ValueState<ReplayEvent> next;
  private transient Counter withoutNext;

  static String key(String userId, String eventId) {
    return userId + '\u0000' + eventId;
  }

  @Override
  public void open(OpenContext context) {
    served = getRuntimeContext().getListState(new ListStateDescriptor<>("served", TypeInformation.of(Recommendation.class)));
    next = getRuntimeContext().getState(new ValueStateDescriptor<>("next", ReplayEvent.class));
    withoutNext = getRuntimeContext().getMetricGroup().counter("lmrecReplayLastEvents");
  }

  @Override
  public void processElement1(Recommendation r, Context ctx, Collector<ReplayOutcomeRecord> out) throws Exception {
    served.add(r);
    ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
  }

  @Override
  public void processElement2(ReplayEvent e, Context ctx, Collector<ReplayOutcomeRecord> out) throws Exception {
    next.update(e);
    ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReplayOutcomeRecord> out) throws Exception {
    ReplayEvent target = next.value();
    for (Recommendation r : served.get()) {
      if (target == null) {
        withoutNext.inc();
        continue;
      }
      ReplayOutcomeRecord o = new ReplayOutcomeRecord();
      o.model = r.getModelVersion();
      o.userId = r.getUserId();
      o.eventId = r.getTriggeringEventId();
      o.eventTime = target.interaction.eventTime;
      o.nextItemId = target.nextItemId;
      List<String> ids = new ArrayList<>(r.getItems().size());
      for (ScoredItem item : r.getItems()) ids.add(item.getItemId());
      o.shown = ids.toArray(new String[0]);
      out.collect(o);
    }
    served.clear();
    next.clear();
  }
}
