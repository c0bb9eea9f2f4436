package org.lmrec.model.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lmrec.model.Backbones;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;

/**
 * Every {@link ModelKind} has exactly one registered training network, and each gives what the
 * per-kind switch it replaced gave: the same network class and the same row layout.
 */
class SequentialModelsRegistryTest {
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void everyKindHasATrainingNetworkOfItsOwnKind(ModelKind kind) {
    assertThat(SequentialModels.all()).as("networks registered in SequentialModels").containsKey(kind);
    assertThat(SequentialModels.of(kind).kind()).isEqualTo(kind);
    ModelConfig cfg = ModelConfig.defaults(kind).withDim(8).withMaxLen(4);
    try (SequentialModel model = SequentialModels.create(cfg, 10, null)) {
      assertThat(model.config()).isEqualTo(cfg);
      assertThat(model.numItems()).isEqualTo(10);
    }
  }

  @Test
  void trainingAndServingRegistriesCoverTheSameKinds() {
    assertThat(SequentialModels.all().keySet()).containsExactly(ModelKind.values());
    assertThat(SequentialModels.all().keySet()).isEqualTo(Backbones.all().keySet());
  }

  @Test
  void networksAndLayoutsAreTheOldOnes() {
    try (SequentialModel sas = SequentialModels.create(ModelConfig.defaults(ModelKind.SASREC).withDim(8).withMaxLen(4), 10, null);
        SequentialModel gru = SequentialModels.create(ModelConfig.defaults(ModelKind.GRU4REC).withDim(8).withMaxLen(4), 10, null)) {
      assertThat(sas).isInstanceOf(SasRecNetwork.class);
      assertThat(gru).isInstanceOf(Gru4RecNetwork.class);
    }
    assertThat(SequentialModels.padsLeft(ModelKind.SASREC)).isTrue();
    assertThat(SequentialModels.padsLeft(ModelKind.GRU4REC)).isFalse();
  }
}
