package org.lmrec.stream.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lmrec.serving.BatchRecommender;
import org.lmrec.stream.scoring.ModelLoader;
import org.lmrec.stream.scoring.ModelPointer;

/**
 * The models a replay scores with, all loaded at once: one per announced version, ordered by
 * announcement time (then version, so equal times still give one order). A version announced twice
 * keeps its first announcement: that is when it started serving.
 */
final class ReplayModels {
  record Loaded(ModelPointer pointer, BatchRecommender recommender) {}

  private static final Comparator<Loaded> ORDER =
      Comparator.<Loaded>comparingLong(l -> l.pointer().announcedAt).thenComparing(l -> l.pointer().version);

  private final int topK;
  private final List<Loaded> models = new ArrayList<>();

  ReplayModels(int topK) {
    this.topK = topK;
  }

  /** Loads and verifies the pointer's artifact; throws {@link ModelLoader.ModelRefusedException} when it fails a check. */
  void add(ModelPointer pointer) {
    for (Loaded l : models) {
      if (l.pointer().version.equals(pointer.version)) {
        if (pointer.announcedAt < l.pointer().announcedAt) {
          models.set(models.indexOf(l), new Loaded(pointer, l.recommender()));
          models.sort(ORDER);
        }
        return;
      }
    }
    models.add(new Loaded(pointer, new BatchRecommender(ModelLoader.load(pointer), topK)));
    models.sort(ORDER);
  }

  List<Loaded> all() {
    return models;
  }

  /** The model announced last at or before {@code eventTime}; null when none was announced yet. */
  Loaded servingAt(long eventTime) {
    Loaded serving = null;
    for (Loaded l : models) {
      if (l.pointer().announcedAt > eventTime) break;
      serving = l;
    }
    return serving;
  }
}
