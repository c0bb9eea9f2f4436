package org.lmrec.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.lmrec.eval.EvalCase;
import org.lmrec.eval.SampledRanking;
import org.lmrec.eval.NextItemScorer;
import org.lmrec.serving.TopK;

/**
 * The evaluated test cases of one dataset and seed with their candidates, one line each:
 * {@code user TAB target TAB negatives (comma-separated) TAB SASRec's top-N over the catalogue, history
 * excluded, best first}. The baselines write it; the LM ranker's rows read it, so every row of the
 * table is scored on the same users, negatives and top-N.
 */
record TrsrCases(int user, int target, int[] negatives, int[] topN) {
  static void write(Path file, List<EvalCase> cases, SampledRanking sampled, NextItemScorer sasrec, int topN) {
    StringBuilder sb = new StringBuilder();
    int batch = 256;
    for (int start = 0; start < cases.size(); start += batch) {
      int n = Math.min(batch, cases.size() - start);
      int[][] histories = new int[n][];
      for (int i = 0; i < n; i++) histories[i] = cases.get(start + i).history();
      float[][] scores = sasrec.scoreAll(histories);
      for (int i = 0; i < n; i++) {
        EvalCase c = cases.get(start + i);
        BitSet seen = new BitSet();
        for (int item : c.history()) seen.set(item);
        seen.clear(c.target()); // as FullRanking: the target is a candidate even when it is a repeat
        int[] top = TopK.select(scores[i], topN, seen);
        sb.append(c.user()).append('\t').append(c.target()).append('\t').append(join(sampled.negatives(c)))
            .append('\t').append(join(top)).append('\n');
      }
    }
    TrsrBenchmark.writeString(file, sb.toString());
  }

  static List<TrsrCases> read(Path file) {
    try {
      List<TrsrCases> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) continue;
        String[] f = line.split("\t");
        out.add(new TrsrCases(Integer.parseInt(f[0]), Integer.parseInt(f[1]), ints(f[2]), ints(f[3])));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String join(int[] v) {
    StringBuilder sb = new StringBuilder();
    for (int x : v) sb.append(sb.length() == 0 ? "" : ",").append(x);
    return sb.toString();
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }
}
