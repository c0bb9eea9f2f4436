package org.lmrec.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lmrec.tensor.Tensor;

class ColdItemRowsTest {
  @Test
  void coldRowsComeFromTheMapFittedOnTrainedItemsAndTrainedRowsStay() {
    int n = 200, h = 12, d = 5;
    Random r = new Random(3);
    float[] e = new float[(n + 1) * h];
    float[] a = new float[h * d];
    for (int i = h; i < e.length; i++) e[i] = (float) r.nextGaussian();
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    float[] t = new float[(n + 1) * d];
    int[] counts = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      counts[i] = i % 10 == 0 ? 0 : 3;
      for (int c = 0; c < d; c++) {
        double v = 0.5;
        for (int k = 0; k < h; k++) v += e[i * h + k] * a[k * d + c];
        // Trained items follow the map; cold ones hold what the softmax left (garbage).
        t[i * d + c] = counts[i] > 0 ? (float) v : 100f;
      }
    }
    Tensor filled = ColdItemRows.fill(new Tensor(t, n + 1, d), new Tensor(e, n + 1, h), counts);
    for (int i = 1; i <= n; i++) {
      for (int c = 0; c < d; c++) {
        double v = 0.5;
        for (int k = 0; k < h; k++) v += e[i * h + k] * a[k * d + c];
        if (counts[i] > 0) assertThat(filled.data()[i * d + c]).isEqualTo(t[i * d + c]);
        else assertThat((double) filled.data()[i * d + c]).isCloseTo(v, org.assertj.core.data.Offset.offset(0.15 * (1 + Math.abs(v))));
      }
    }
    assertThat(filled.data()[0]).isZero();
  }

  @Test
  void withoutColdItemsTheTableIsReturnedAsIs() {
    Tensor table = new Tensor(new float[] {0, 0, 1, 2, 3, 4}, 3, 2);
    Tensor lm = new Tensor(new float[] {0, 0, 0, 1, 1, 0, 2, 2, 2}, 3, 3);
    assertThat(ColdItemRows.fill(table, lm, new int[] {0, 1, 1})).isSameAs(table);
    assertThat(ColdItemRows.trainCounts(new int[][] {{1, 2, 1}, {2}}, 3)).containsExactly(0, 2, 2, 0);
  }
}
