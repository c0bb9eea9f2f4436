package org.lmrec.stream.ingest;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lmrec.schema.DeadLetter;

/** Routes valid interactions on and dead letters to a side output, counting both. */
public final class SplitDeadLetters extends ProcessFunction<Ingested, Interaction> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private transient Counter recordsIn;
  private transient Counter deadLetters;

  @Override
  public void open(OpenContext context) {
    recordsIn = getRuntimeContext().getMetricGroup().counter("lmrecRecordsIn");
    deadLetters = getRuntimeContext().getMetricGroup().counter("lmrecDeadLetters");
  }

  @Override
  public void processElement(Ingested record, Context ctx, Collector<Interaction> out) {
    recordsIn.inc();
    if (record.interaction != null) {
      out.collect(record.interaction);
    } else {
      deadLetters.inc();
      ctx.output(DEAD_LETTERS, record.deadLetter);
    }
  }
}
