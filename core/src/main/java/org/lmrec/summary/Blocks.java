package org.lmrec.summary;

import java.util.ArrayList;
import java.util.List;

/**
 * Segments a history into blocks for summarisation (METHODS.md section 3): complete blocks of
 * {@code size} items counted from the history's start, at most {@code maxBlocks} of them (the most
 * recent), and the items after the last complete block as the pending block. Counting from the
 * start means a block never changes once complete, so a stream can summarise each block once.
 */
public record Blocks<T>(List<List<T>> complete, List<T> pending) {
  public static final int DEFAULT_SIZE = 5;
  public static final int DEFAULT_MAX_BLOCKS = 5;

  public static <T> Blocks<T> of(List<T> history, int size, int maxBlocks) {
    if (size < 1) throw new IllegalArgumentException("block size must be at least 1, got " + size);
    if (maxBlocks < 1) throw new IllegalArgumentException("max blocks must be at least 1, got " + maxBlocks);
    int completeCount = history.size() / size;
    int first = Math.max(0, completeCount - maxBlocks);
    List<List<T>> blocks = new ArrayList<>();
    for (int b = first; b < completeCount; b++) blocks.add(List.copyOf(history.subList(b * size, (b + 1) * size)));
    return new Blocks<>(List.copyOf(blocks), List.copyOf(history.subList(completeCount * size, history.size())));
  }
}
