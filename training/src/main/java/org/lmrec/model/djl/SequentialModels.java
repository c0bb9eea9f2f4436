package org.lmrec.model.djl;

import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;

/** Creates the trainable backbone for a configuration. */
public final class SequentialModels {
  private SequentialModels() {}

  /**
   * @param init item embeddings from outside (an LM enhancer), or null to learn ID embeddings
   */
  public static SequentialModel create(ModelConfig config, int numItems, EmbeddingInit init) {
    return switch (config.kind()) {
      case SASREC -> new SasRecNetwork(config, numItems, init);
      case GRU4REC -> new Gru4RecNetwork(config, numItems, init);
    };
  }

  /** Whether the backbone pads rows on the left (the newest item in the last column). */
  public static boolean padsLeft(ModelKind kind) {
    return kind == ModelKind.SASREC;
  }
}
