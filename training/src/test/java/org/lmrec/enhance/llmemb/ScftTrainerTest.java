package org.lmrec.enhance.llmemb;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.enhance.ItemTexts;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.train.lm.TrainableLm;

/** SCFT on the real MiniLM: only LoRA and the temperature move; the base weights stay bit-identical. */
class ScftTrainerTest {
  @Test
  void trainsLoraAndTemperatureOnly() {
    Dataset data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withUsers(20).withItems(60));
    List<String> texts = ItemTexts.of(data, 40).subList(0, 15); // padding + 14 items: 3 steps of 4 and one of 2
    try (TrainableLm lm = new TrainableLm(LmCheckpoint.defaultMiniLm(), LoraConfig.defaults())) {
      List<float[]> frozenBefore = new ArrayList<>();
      for (NDArray a : lm.frozenParameters()) frozenBefore.add(a.toFloatArray());
      ScftTrainer scft = new ScftTrainer(ScftConfig.defaults().withTraining(1, 4, 1e-3f), lm);
      List<Double> losses = scft.train(texts);

      assertThat(losses).hasSize(1).allSatisfy(l -> assertThat(l).isFinite().isPositive());
      assertThat(scft.temperature()).isNotEqualTo(3f);
      assertThat(lm.loraWeights().isIdentity()).as("LoRA B left zero").isFalse();
      List<NDArray> frozen = lm.frozenParameters();
      for (int i = 0; i < frozen.size(); i++) {
        assertThat(frozen.get(i).hasGradient()).isFalse();
        assertThat(frozen.get(i).toFloatArray()).as("frozen weight %d", i).isEqualTo(frozenBefore.get(i));
      }
    }
  }
}
