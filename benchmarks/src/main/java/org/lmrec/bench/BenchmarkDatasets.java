package org.lmrec.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetFormat;
import org.lmrec.data.DatasetLoader;
import org.lmrec.data.SharedData;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;

/**
 * The datasets the benchmarks use, with the per-dataset settings of the SASRec paper (max length
 * 200 and dropout 0.2 for MovieLens, 50 and 0.5 for the sparse Amazon sets). Real data comes from
 * ../shared/data and is skipped when absent; the synthetic set is always there.
 */
record BenchmarkDatasets(String name, String folder, String file, DatasetFormat format, int maxLen, float dropout) {
  static final List<BenchmarkDatasets> ALL =
      List.of(
          new BenchmarkDatasets("video", "sasrec-video", "Video.txt", DatasetFormat.SASREC_TXT, 50, 0.5f),
          new BenchmarkDatasets("ml-100k", "movielens-100k", "sasrec_ml-100k.txt", DatasetFormat.SASREC_TXT, 200, 0.2f),
          new BenchmarkDatasets("beauty", "amazon-beauty", "Beauty.inter.json", DatasetFormat.AMAZON_JSON, 50, 0.5f),
          new BenchmarkDatasets("office", "amazon-office", "Office.inter.json", DatasetFormat.AMAZON_JSON, 50, 0.5f),
          new BenchmarkDatasets("games", "amazon-games", "Games-6k.test.inter", DatasetFormat.RECBOLE, 50, 0.5f),
          new BenchmarkDatasets("synthetic", null, null, null, 50, 0.2f));

  Optional<Dataset> load() {
    if (folder == null) return Optional.of(SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults()));
    return path().map(p -> DatasetLoader.load(p, format));
  }

  /** The real dataset's file (for a reader outside the JVM), or empty, with a line saying so, when absent or synthetic. */
  Optional<Path> path() {
    if (folder == null) return Optional.empty();
    Optional<Path> dir = SharedData.folder(folder);
    if (dir.isEmpty()) {
      System.err.println("skipping " + name + ": ../shared/data/" + folder + " is not present");
      return Optional.empty();
    }
    return Optional.of(dir.get().resolve(file));
  }

  static List<BenchmarkDatasets> select(String csv) {
    if (csv == null || csv.isBlank() || csv.equals("all")) return ALL;
    List<BenchmarkDatasets> out = new ArrayList<>();
    for (String n : csv.split(",")) {
      out.add(ALL.stream().filter(d -> d.name.equals(n.strip())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + n + "'; known: video, ml-100k, beauty, office, games, synthetic")));
    }
    return out;
  }
}
