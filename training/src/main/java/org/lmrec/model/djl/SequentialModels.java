package org.lmrec.model.djl;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;

/**
 * The registry of trainable backbones: kind to {@link TrainingBackbone}. A new backbone adds one
 * line here (beside its core {@link org.lmrec.model.Backbone} line in {@code Backbones}).
 */
public final class SequentialModels {
  private static final Map<ModelKind, TrainingBackbone> REGISTERED = register(List.of(
      SasRecNetwork.BACKBONE,
      Gru4RecNetwork.BACKBONE));

  private SequentialModels() {}

  /** The training backbone of a kind; a kind nobody registered is a programming error. */
  public static TrainingBackbone of(ModelKind kind) {
    TrainingBackbone b = REGISTERED.get(kind);
    if (b == null) {
      throw new IllegalStateException("no training network registered for model kind '" + kind.id() + "'; add it to " + SequentialModels.class.getName());
    }
    return b;
  }

  /** Every registered training backbone, in {@link ModelKind} order. */
  public static Map<ModelKind, TrainingBackbone> all() {
    return REGISTERED;
  }

  /**
   * @param init item embeddings from outside (an LM enhancer), or null to learn ID embeddings
   */
  public static SequentialModel create(ModelConfig config, int numItems, EmbeddingInit init) {
    return of(config.kind()).create(config, numItems, init);
  }

  /** Whether the backbone pads rows on the left (the newest item in the last column). */
  public static boolean padsLeft(ModelKind kind) {
    return of(kind).padsLeft();
  }

  private static Map<ModelKind, TrainingBackbone> register(List<TrainingBackbone> backbones) {
    Map<ModelKind, TrainingBackbone> m = new EnumMap<>(ModelKind.class);
    for (TrainingBackbone b : backbones) {
      if (m.put(b.kind(), b) != null) {
        throw new IllegalStateException("model kind '" + b.kind().id() + "' is registered twice in " + SequentialModels.class.getName());
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
