package org.lmrec.stream.replay;

import java.util.List;
import java.util.Objects;
import org.apache.flink.streaming.api.operators.InputSelectable;
import org.apache.flink.streaming.api.operators.InputSelection;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.lmrec.stream.scoring.ModelLimits;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelLoading;
import org.lmrec.stream.scoring.ModelPointer;
import org.lmrec.stream.scoring.ScoringOperator;
import org.lmrec.stream.scoring.ScoringRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay's scorer: the live job's {@link ScoringOperator} (same batching, emission and metrics),
 * reading input 2 (the pointers) to its end before input 1 and routing {@link ModelRouting#AS_SERVED}
 * or {@link ModelRouting#SIDE_BY_SIDE}. It keeps every announced model loaded ({@link ReplayModels})
 * and loads them on the task thread: nothing is waiting for an answer there. Only the replay gets
 * this: Flink refuses checkpointing for operators that choose their inputs, and the live job
 * checkpoints.
 */
public final class ReplayScoringOperator extends ScoringOperator implements InputSelectable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReplayScoringOperator.class);

  private final ModelRouting routing;
  /** Every model announced so far, by announcement time then version. */
  private transient ReplayModels replayModels;
  private transient boolean pointersEnded;

  /** Models from input 2 only; no initial model, no timed batches (a batch is scored when full and at the end). */
  public ReplayScoringOperator(ModelRouting routing, int topK, int batchSize) {
    super(null, ModelLimits.unrestricted(), ModelLoading.defaults(), topK, batchSize, 0);
    this.routing = Objects.requireNonNull(routing, "routing");
  }

  @Override
  public InputSelection nextSelection() {
    return pointersEnded ? InputSelection.ALL : InputSelection.SECOND;
  }

  @Override
  protected void openModels() {
    replayModels = new ReplayModels(topK());
  }

  @Override
  public void processElement1(StreamRecord<ScoringRequest> record) {
    if (!pointersEnded) {
      throw new IllegalStateException("a request reached the " + routing + " scorer before all model pointers: the look-ahead guard would not hold");
    }
    super.processElement1(record);
  }

  @Override
  protected void pointer(ModelPointer pointer) {
    try {
      replayModels.add(pointer);
      countSwap();
    } catch (ModelLoader.ModelRefusedException e) {
      countRefusal();
      LOG.error("{}; replaying without it", e.getMessage());
    }
  }

  /** One group: side by side every model scores every request, and as served the event time picks the model. */
  @Override
  protected String batchGroup(ScoringRequest r) {
    return "";
  }

  @Override
  protected void score(List<ScoringRequest> batch) {
    if (routing == ModelRouting.SIDE_BY_SIDE) {
      for (ReplayModels.Loaded m : replayModels.all()) emitScored(batch, m.recommender());
      return;
    }
    // AS_SERVED: the model serving at each request's event time.
    scoreByModel(batch, r -> {
      ReplayModels.Loaded m = replayModels.servingAt(r.eventTime);
      return m == null ? null : m.recommender();
    });
  }

  @Override
  public void endInput(int inputId) {
    super.endInput(inputId);
    if (inputId == 2) pointersEnded = true;
  }
}
