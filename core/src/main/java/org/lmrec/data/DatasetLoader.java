package org.lmrec.data;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point for reading interaction data from disk in any {@link DatasetFormat}. */
public final class DatasetLoader {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);

  private DatasetLoader() {}

  /** Detects the format from the file names ({@link DatasetFormat#detect}) and loads. */
  public static Dataset load(Path path) {
    return load(path, DatasetFormat.detect(path));
  }

  /**
   * Loads {@code path} (a file or a folder, see {@link DatasetFormat#layout()}) as {@code format}.
   *
   * @throws DataFormatException naming the file, line and reason for any malformed input
   */
  public static Dataset load(Path path, DatasetFormat format) {
    long start = System.nanoTime();
    Dataset d =
        switch (format) {
          case MOVIELENS_100K -> MovieLens100kLoader.load(path);
          case MOVIELENS_DAT -> MovieLensDatLoader.load(path);
          case AMAZON_JSON -> AmazonJsonLoader.load(path);
          case RECBOLE -> RecBoleLoader.load(path);
          case SASREC_TXT -> SasRecTextLoader.load(path);
        };
    LOG.info("Loaded {} as {} in {} ms: {}", path, format, (System.nanoTime() - start) / 1_000_000, d.summary());
    return d;
  }

  /** A dataset name from a folder or file name ("movielens-100k", "Video"). */
  static String nameOf(Path path) {
    Path name = path.toAbsolutePath().normalize().getFileName();
    return name == null ? "dataset" : name.toString();
  }
}
