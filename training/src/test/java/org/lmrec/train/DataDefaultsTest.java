package org.lmrec.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lmrec.data.Dataset;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;

class DataDefaultsTest {
  /** {@code users} users who each saw {@code perUser} distinct items of {@code items}. */
  private static Dataset data(int users, int items, int perUser) {
    List<String> userIds = new ArrayList<>();
    List<String> itemIds = new ArrayList<>();
    itemIds.add(null); // index 0 is padding
    List<Map<String, String>> attrs = new ArrayList<>(List.of(Map.of()));
    for (int i = 1; i <= items; i++) {
      itemIds.add("i" + i);
      attrs.add(Map.of());
    }
    int[][] seqs = new int[users][];
    for (int u = 0; u < users; u++) {
      userIds.add("u" + u);
      seqs[u] = new int[perUser];
      for (int k = 0; k < perUser; k++) seqs[u][k] = 1 + (u + k) % items;
    }
    return new Dataset("d", userIds, itemIds, attrs, seqs, null);
  }

  @Test
  void sasRecTakesThePapersSparseDropoutBelowOnePercentDensity() {
    Dataset sparse = data(100, 2_000, 10); // 0.5%, Amazon Office's density
    Dataset dense = data(100, 200, 10); // 5%, MovieLens's
    assertThat(DataDefaults.density(sparse)).isEqualTo(0.005);
    assertThat(DataDefaults.of(ModelKind.SASREC, sparse).dropout()).isEqualTo(0.5f);
    assertThat(DataDefaults.of(ModelKind.SASREC, dense)).isEqualTo(ModelConfig.defaults(ModelKind.SASREC));
    assertThat(DataDefaults.of(ModelKind.GRU4REC, sparse)).isEqualTo(ModelConfig.defaults(ModelKind.GRU4REC));
    assertThat(DataDefaults.describe(ModelKind.SASREC, sparse)).contains("dropout 0.5", "sparse", "0.500%");
    assertThat(DataDefaults.describe(ModelKind.GRU4REC, sparse)).isNull();
  }
}
