package org.lmrec.artifact;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code items.tsv}: line i (1-based) is {@code i<TAB>externalId}; it maps model indices back to catalogue ids. */
final class ItemIdsFile {
  private ItemIdsFile() {}

  /** Serialises ids 1..n; {@code itemIds.get(0)} is the padding slot and must be null. */
  static byte[] toBytes(List<String> itemIds) {
    if (itemIds.isEmpty() || itemIds.get(0) != null) {
      throw new IllegalArgumentException("itemIds must have null at index 0 (padding), then the ids of items 1..n");
    }
    Map<String, Integer> seen = new HashMap<>();
    StringBuilder sb = new StringBuilder(itemIds.size() * 12);
    for (int i = 1; i < itemIds.size(); i++) {
      String id = itemIds.get(i);
      if (id == null || id.isEmpty()) throw new IllegalArgumentException("item " + i + " has no external id");
      if (id.indexOf('\t') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("external id of item " + i + " contains a tab or line break: '" + id + "'");
      }
      Integer previous = seen.putIfAbsent(id, i);
      if (previous != null) {
        throw new IllegalArgumentException("external id '" + id + "' is used by items " + previous + " and " + i);
      }
      sb.append(i).append('\t').append(id).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads and validates the file: indices 1..numItems in order, no duplicates, exactly numItems lines. */
  static List<String> read(Path file, int numItems) {
    List<String> ids = new ArrayList<>(numItems + 1);
    ids.add(null);
    Map<String, Integer> seen = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        int tab = line.indexOf('\t');
        if (tab < 0) throw new ArtifactException(file, "line " + lineNo + ": expected 'index<TAB>externalId', got '" + line + "'");
        String indexText = line.substring(0, tab);
        String id = line.substring(tab + 1);
        int index;
        try {
          index = Integer.parseInt(indexText);
        } catch (NumberFormatException e) {
          throw new ArtifactException(file, "line " + lineNo + ": index '" + indexText + "' is not a number");
        }
        if (index != lineNo) {
          throw new ArtifactException(file, "line " + lineNo + ": index " + index + " but expected " + lineNo
              + " (indices must run 1..numItems in order)");
        }
        if (id.isEmpty() || id.indexOf('\t') >= 0) {
          throw new ArtifactException(file, "line " + lineNo + ": external id is empty or contains a tab");
        }
        Integer previous = seen.putIfAbsent(id, lineNo);
        if (previous != null) {
          throw new ArtifactException(file, "line " + lineNo + ": external id '" + id + "' repeats line " + previous);
        }
        ids.add(id);
      }
    } catch (IOException e) {
      throw new ArtifactException(file, "cannot read: " + e, e);
    }
    int count = ids.size() - 1;
    if (count != numItems) {
      throw new ArtifactException(file, "has " + count + " items but manifest config numItems is " + numItems);
    }
    return Collections.unmodifiableList(ids);
  }
}
