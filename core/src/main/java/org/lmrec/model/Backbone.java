package org.lmrec.model;

import org.lmrec.serving.SequenceEncoder;
import org.lmrec.tensor.TensorMap;

/**
 * Everything the plain-Java side needs to know about one sequential-recommendation backbone, in
 * one place (as a RecBole model file keeps its defaults beside its code): its defaults, its serving
 * encoder and its FLOP count. Each backbone implements this once, beside its serving encoder
 * ({@code org.lmrec.serving.SasRecBackbone}, {@code Gru4RecBackbone}), and is registered with one
 * line in {@link Backbones}. The trainable DJL network is registered separately, in the training
 * module ({@code org.lmrec.model.djl.SequentialModels}), since core must not depend on DJL.
 */
public interface Backbone {
  /** The kind this backbone implements; its {@link ModelKind#id()} is what artifacts and topics carry. */
  ModelKind kind();

  /** The stable id ({@code sasrec}, {@code gru4rec}). */
  default String id() {
    return kind().id();
  }

  /** Default architecture and optimisation settings, taken from the literature (METHODS.md §0). */
  ModelConfig defaults();

  /** The pure-Java encoder that serves a model of this kind from its exported weights. */
  SequenceEncoder servingEncoder(ModelConfig config, TensorMap weights);

  /**
   * Multiply-add FLOPs (2 per multiply-add) the serving encoder needs for one full-length history
   * ({@code maxLen} items), without the product with the catalogue.
   */
  double flopsPerSequence(ModelConfig config);
}
