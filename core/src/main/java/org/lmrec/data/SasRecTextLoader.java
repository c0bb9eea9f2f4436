package org.lmrec.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SASRec text format: one {@code user item} line (integers, space-separated) per interaction,
 * already in time order per user. There are no timestamps, so the file order is the sequence order.
 */
public final class SasRecTextLoader {
  private SasRecTextLoader() {}

  /** Loads the file (or the only {@code .txt} file of a folder); the dataset is named after the file. */
  public static Dataset load(Path fileOrDir) {
    Path file = Files.isDirectory(fileOrDir) ? DatasetFormat.single(fileOrDir, ".txt") : fileOrDir;
    String fileName = file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    DatasetBuilder builder = new DatasetBuilder(dot > 0 ? fileName.substring(0, dot) : fileName);
    TextLines.forEach(
        file,
        StandardCharsets.UTF_8,
        (line, text) -> {
          String[] f = Fields.splitWhitespace(text);
          if (f.length != 2) {
            throw new DataFormatException(file, line, "expected 2 space-separated fields (user item), found " + f.length);
          }
          builder.interaction(Fields.integerId(file, line, f[0], "user id"), Fields.integerId(file, line, f[1], "item id"));
        });
    return builder.build();
  }
}
