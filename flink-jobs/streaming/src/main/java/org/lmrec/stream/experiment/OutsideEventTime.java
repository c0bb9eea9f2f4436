package org.lmrec.stream.experiment;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes configuration records on and takes their stream out of event time: it declares itself
 * idle once and never forwards a watermark. The sequence operator's watermark is the minimum over
 * its active inputs, so a configuration input must neither hold it back (a source without
 * watermarks) nor push it to the end of time (a bounded source finishing, while the interactions
 * input is idle, would turn every later event late).
 */
public final class OutsideEventTime<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
  private static final long serialVersionUID = 1L;

  @Override
  public void open() throws Exception {
    super.open();
    output.emitWatermarkStatus(WatermarkStatus.IDLE);
  }

  @Override
  public void processElement(StreamRecord<T> element) {
    output.collect(element);
  }

  @Override
  public void processWatermark(Watermark mark) {
    // never forwarded: see the class comment
  }

  @Override
  public void processWatermarkStatus(WatermarkStatus status) {
    // stays idle
  }
}
