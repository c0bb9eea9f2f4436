package org.lmrec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate-data",
    mixinStandardHelpOptions = true,
    description = "Write a synthetic dataset (users with drifting tastes, items with titles and attributes) as RecBole atomic files.")
final class GenerateDataCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write <name>.inter and <name>.item into.")
  Path out;

  @Option(names = "--users", description = "Number of users (default: ${DEFAULT-VALUE}).")
  int users = SyntheticConfig.defaults().numUsers();

  @Option(names = "--items", description = "Number of items (default: ${DEFAULT-VALUE}).")
  int items = SyntheticConfig.defaults().numItems();

  @Option(names = "--categories", description = "Latent item categories (default: ${DEFAULT-VALUE}).")
  int categories = SyntheticConfig.defaults().numCategories();

  @Option(names = "--mean-length", description = "Mean interactions per user (default: ${DEFAULT-VALUE}).")
  double meanLength = SyntheticConfig.defaults().meanSequenceLength();

  @Option(names = "--seed", description = "Random seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
  long seed = SyntheticConfig.defaults().seed();

  @Override
  public Integer call() {
    SyntheticConfig cfg =
        SyntheticConfig.defaults()
            .withUsers(users)
            .withItems(items)
            .withCategories(categories)
            .withSequenceLength(meanLength, SyntheticConfig.defaults().minSequenceLength())
            .withSeed(seed);
    Dataset d = SyntheticDataGenerator.generateDataset(cfg);
    Path inter = SyntheticDataGenerator.writeAsFiles(d, out);
    System.out.println(d.summary());
    System.out.println("wrote " + inter + " and its .item file; train on it with: lmrec train --data " + out);
    return 0;
  }
}
