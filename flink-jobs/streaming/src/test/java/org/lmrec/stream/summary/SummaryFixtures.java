package org.lmrec.stream.summary;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryItem;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/** A model artifact with a summary catalogue of made-up items (seeded), and interactions over it. */
public final class SummaryFixtures {
  static final String[] CATEGORIES = {"Pens", "Paper", "Desks", "Lamps"};
  static final String[] BRANDS = {"Acme", "Globex", "Initech"};

  private SummaryFixtures() {}

  public static List<SummaryCatalogue.Entry> entries(int items, long seed) {
    Random rng = new Random(seed);
    List<SummaryCatalogue.Entry> out = new ArrayList<>();
    for (int i = 1; i <= items; i++) {
      float[] e = new float[8];
      for (int d = 0; d < e.length; d++) e[d] = (float) rng.nextGaussian();
      out.add(new SummaryCatalogue.Entry("item-" + i, "Title " + i + " " + CATEGORIES[i % 4].toLowerCase(),
          Map.of("categories", CATEGORIES[rng.nextInt(4)], "brand", BRANDS[rng.nextInt(3)]), e));
    }
    return out;
  }

  /** An artifact (SASRec-shaped item table) at {@code root/v1} with a catalogue of {@code items} items. */
  public static Path artifact(Path root, int items, long seed) {
    List<String> ids = new ArrayList<>();
    ids.add(null);
    for (int i = 1; i <= items; i++) ids.add("item-" + i);
    TensorMap weights = new TensorMap();
    weights.put("item_embedding", new Tensor(new float[(items + 1) * 2], items + 1, 2));
    ArtifactWriter w = ArtifactWriter.builder(root, "v1", "sasrec").config(Map.of("numItems", items, "d", 2)).weights(weights).itemIds(ids)
        .trainingData(new TrainingDataInfo("fixture", 1, items, 1L, 1L, 2L, "summary fixture")).createdAt(Instant.parse("2026-12-01T00:00:00Z"));
    SummaryCatalogue.toFiles(entries(items, seed), 8, "lm:fixture").forEach(w::extraFile);
    return w.write().dir();
  }

  /** {@code n} interactions of {@code user} over {@code items} items, seeded. */
  public static List<Interaction> history(String user, int n, int items, long seed) {
    Random rng = new Random(seed);
    List<Interaction> out = new ArrayList<>();
    for (int k = 0; k < n; k++) out.add(event(user + "-e" + k, user, "item-" + (1 + rng.nextInt(items)), 1_000L + k));
    return out;
  }

  public static Interaction event(String id, String user, String item, long time) {
    Interaction i = new Interaction();
    i.eventId = id;
    i.userId = user;
    i.itemId = item;
    i.eventTime = time;
    i.eventType = "CLICK";
    i.receivedAt = time;
    i.sourceTopic = "t";
    return i;
  }

  public static List<SummaryItem> items(SummaryCatalogue c, List<Interaction> events) {
    return events.stream().filter(e -> c.contains(e.itemId)).map(e -> c.item(e.itemId).orElseThrow()).toList();
  }
}
