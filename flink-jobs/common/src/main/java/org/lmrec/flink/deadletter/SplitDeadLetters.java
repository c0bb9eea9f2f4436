package org.lmrec.flink.deadletter;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lmrec.schema.DeadLetter;

/**
 * The valid-or-dead-letter split: routes each {@link Checked} record's accepted value to the main
 * output and its dead letter to the side output {@link #deadLetters()}. One class for every source
 * that checks its records (interactions, model announcements); the job unions the side outputs
 * into the dead-letter sink.
 *
 * <p>Counting is optional, so that each operator keeps the metrics it always had: {@link #counted}
 * counts every record in {@code lmrecRecordsIn} and the dead letters in {@code lmrecDeadLetters}
 * (the interactions' split), {@link #uncounted} counts nothing (the model announcements', whose
 * refusals the source already counts).
 *
 * @param <C> the source's record type
 * @param <T> the accepted value's type
 */
public final class SplitDeadLetters<C extends Checked<T>, T> extends ProcessFunction<C, T> implements ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;

  public static final String RECORDS_IN = "lmrecRecordsIn";
  public static final String DEAD_LETTERS = "lmrecDeadLetters";

  private final OutputTag<DeadLetter> deadLetterTag;
  private final TypeInformation<T> valueType;
  private final boolean counted;

  private transient Counter recordsIn;
  private transient Counter deadLetters;

  private SplitDeadLetters(String sideOutputId, TypeInformation<T> valueType, boolean counted) {
    this.deadLetterTag = new OutputTag<>(sideOutputId, TypeInformation.of(DeadLetter.class));
    this.valueType = valueType;
    this.counted = counted;
  }

  /** A split that counts its records ({@value #RECORDS_IN}) and dead letters ({@value #DEAD_LETTERS}). */
  public static <C extends Checked<T>, T> SplitDeadLetters<C, T> counted(String sideOutputId, Class<T> valueType) {
    return new SplitDeadLetters<>(sideOutputId, TypeInformation.of(valueType), true);
  }

  /** A split that registers no metric. */
  public static <C extends Checked<T>, T> SplitDeadLetters<C, T> uncounted(String sideOutputId, Class<T> valueType) {
    return new SplitDeadLetters<>(sideOutputId, TypeInformation.of(valueType), false);
  }

  /** The side output that carries the refused records' dead letters. */
  public OutputTag<DeadLetter> deadLetters() {
    return deadLetterTag;
  }

  @Override
  public void open(OpenContext context) {
    if (!counted) return;
    recordsIn = getRuntimeContext().getMetricGroup().counter(RECORDS_IN);
    deadLetters = getRuntimeContext().getMetricGroup().counter(DEAD_LETTERS);
  }

  @Override
  public void processElement(C record, Context ctx, Collector<T> out) {
    if (counted) recordsIn.inc();
    T value = record.value();
    if (value != null) {
      out.collect(value);
    } else {
      if (counted) deadLetters.inc();
      ctx.output(deadLetterTag, record.deadLetter());
    }
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return valueType;
  }
}
