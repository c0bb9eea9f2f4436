package org.lmrec.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Dataset} as RecBole atomic files: {@code <name>.inter} (user_id, item_id and, when
 * present, timestamp; users in dataset order, each sequence in order) and {@code <name>.item} (every
 * item in index order, including items nobody interacted with; one {@code token_seq} column per
 * attribute key).
 *
 * <p>{@link RecBoleLoader} reads the files back to the same ids, sequences, timestamps and attributes,
 * provided the attribute keys are ones it keeps as they are (title, genres, year, brand, categories,
 * description, ...; not RecBole aliases such as {@code movie_title} or {@code genre}) and values hold
 * no tabs or line breaks: the format cannot, so they are written as spaces. The file stem is the
 * dataset name with characters other than letters, digits, '.', '_' and '-' replaced by '_'.
 */
public final class RecBoleWriter {
  private RecBoleWriter() {}

  /** Writes both files into {@code dir} (created if needed) and returns the {@code .inter} path. */
  public static Path write(Dataset data, Path dir) {
    String stem = data.name().replaceAll("[^A-Za-z0-9._-]", "_");
    try {
      Files.createDirectories(dir);
      Path inter = dir.resolve(stem + RecBoleLoader.INTER_SUFFIX);
      writeInteractions(data, inter);
      writeItems(data, dir.resolve(stem + RecBoleLoader.ITEM_SUFFIX));
      return inter;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dataset " + data.name() + " to " + dir, e);
    }
  }

  private static void writeInteractions(Dataset data, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(data.hasTimestamps() ? "user_id:token\titem_id:token\ttimestamp:float\n" : "user_id:token\titem_id:token\n");
      for (int u = 0; u < data.numUsers(); u++) {
        String user = clean(data.userId(u));
        int[] seq = data.sequence(u);
        long[] times = data.timestamps(u);
        for (int p = 0; p < seq.length; p++) {
          w.write(user);
          w.write('\t');
          w.write(clean(data.itemId(seq[p])));
          if (times != null) {
            w.write('\t');
            w.write(Long.toString(times[p]));
          }
          w.write('\n');
        }
      }
    }
  }

  private static void writeItems(Dataset data, Path file) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    for (int i = 1; i <= data.numItems(); i++) keys.addAll(data.itemAttributes(i).keySet());
    List<String> columns = new ArrayList<>(keys);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder header = new StringBuilder("item_id:token");
      for (String k : columns) header.append('\t').append(k.replaceAll("[^A-Za-z0-9_]", "_")).append(":token_seq");
      w.write(header.append('\n').toString());
      for (int i = 1; i <= data.numItems(); i++) {
        Map<String, String> attrs = data.itemAttributes(i);
        StringBuilder row = new StringBuilder(clean(data.itemId(i)));
        for (String k : columns) {
          String v = attrs.get(k);
          row.append('\t').append(v == null ? "" : clean(v));
        }
        w.write(row.append('\n').toString());
      }
    }
  }

  private static String clean(String value) {
    return value.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
