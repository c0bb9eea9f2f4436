package org.lmrec.model.djl;

import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;

/**
 * The training side of a backbone: its DJL network and the row layout that network reads. Each
 * network declares its own ({@code SasRecNetwork.BACKBONE}, {@code Gru4RecNetwork.BACKBONE}), and
 * {@link SequentialModels} registers it with one line. Defaults, serving encoder and FLOP count
 * are the core {@link org.lmrec.model.Backbone}'s.
 */
public interface TrainingBackbone {
  /** The kind this network trains. */
  ModelKind kind();

  /** Whether the network reads rows padded on the left (the newest item in the last column). */
  boolean padsLeft();

  /**
   * A fresh trainable network.
   *
   * @param init item embeddings from outside (an LM enhancer), or null to learn ID embeddings
   */
  SequentialModel create(ModelConfig config, int numItems, EmbeddingInit init);

  /** The network's constructor. */
  @FunctionalInterface
  interface Factory {
    SequentialModel create(ModelConfig config, int numItems, EmbeddingInit init);
  }

  /** The usual implementation: a kind, a row layout and a constructor. */
  static TrainingBackbone of(ModelKind kind, boolean padsLeft, Factory factory) {
    record Registered(ModelKind kind, boolean padsLeft, Factory factory) implements TrainingBackbone {
      @Override
      public SequentialModel create(ModelConfig config, int numItems, EmbeddingInit init) {
        return factory.create(config, numItems, init);
      }
    }
    return new Registered(kind, padsLeft, factory);
  }
}
