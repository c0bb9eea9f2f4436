package org.lmrec.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.lmrec.serving.Gru4RecBackbone;
import org.lmrec.serving.SasRecBackbone;

/**
 * The registry of backbones: kind to {@link Backbone} (defaults, serving encoder, FLOPs). Adding a
 * backbone is a {@link ModelKind} value, a {@link Backbone} beside its serving encoder, and one
 * line here (and one in the training module's {@code SequentialModels}).
 */
public final class Backbones {
  private static final Map<ModelKind, Backbone> REGISTERED = register(List.of(
      new SasRecBackbone(),
      new Gru4RecBackbone()));

  private Backbones() {}

  /** The backbone of a kind; a kind nobody registered is a programming error. */
  public static Backbone of(ModelKind kind) {
    Backbone b = REGISTERED.get(kind);
    if (b == null) {
      throw new IllegalStateException("no backbone registered for model kind '" + kind.id() + "'; add it to " + Backbones.class.getName());
    }
    return b;
  }

  /** Every registered backbone, in {@link ModelKind} order. */
  public static Map<ModelKind, Backbone> all() {
    return REGISTERED;
  }

  private static Map<ModelKind, Backbone> register(List<Backbone> backbones) {
    Map<ModelKind, Backbone> m = new EnumMap<>(ModelKind.class);
    for (Backbone b : backbones) {
      if (m.put(b.kind(), b) != null) {
        throw new IllegalStateException("model kind '" + b.id() + "' is registered twice in " + Backbones.class.getName());
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
