package org.lmrec.cli;

import java.nio.file.Path;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetFormat;
import org.lmrec.data.DatasetLoader;
import org.lmrec.data.KCoreFilter;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.settings.Settings;
import org.lmrec.settings.Settings.Sets;
import picocli.CommandLine.Option;

/**
 * How a command finds its interactions: a file or folder in a known format, or synthetic data (the
 * {@code --synthetic-*} options set the {@link SyntheticConfig} components they name).
 */
final class DataOptions {
  @Option(
      names = "--data",
      paramLabel = "PATH",
      description = "Dataset file or folder (MovieLens, Amazon JSON, RecBole atomic, SASRec text), or 'synthetic' (default).")
  String data = "synthetic";

  @Option(names = "--format", description = "Force a format instead of detecting it: ${COMPLETION-CANDIDATES}.")
  DatasetFormat format;

  @Option(names = "--k-core", description = "Keep only users and items with at least K interactions (0 = off, default).")
  int kCore;

  @Option(names = "--synthetic-users", description = "Users of the synthetic dataset (default: ${DEFAULT-VALUE}).")
  @Sets(value = "numUsers", in = SyntheticConfig.class)
  int syntheticUsers = SyntheticConfig.defaults().numUsers();

  @Option(names = "--synthetic-items", description = "Items of the synthetic dataset (default: ${DEFAULT-VALUE}).")
  @Sets(value = "numItems", in = SyntheticConfig.class)
  int syntheticItems = SyntheticConfig.defaults().numItems();

  @Option(names = "--data-seed", description = "Seed of the synthetic dataset (default: ${DEFAULT-VALUE}).")
  @Sets(value = "seed", in = SyntheticConfig.class)
  long dataSeed = SyntheticConfig.defaults().seed();

  Dataset load() {
    Dataset d;
    if ("synthetic".equals(data)) {
      d = SyntheticDataGenerator.generateDataset(Settings.apply(SyntheticConfig.defaults(), this));
    } else {
      Path p = Path.of(data);
      d = format == null ? DatasetLoader.load(p) : DatasetLoader.load(p, format);
    }
    return kCore > 0 ? KCoreFilter.apply(d, kCore) : d;
  }
}
