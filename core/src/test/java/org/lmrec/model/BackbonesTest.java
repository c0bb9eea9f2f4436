package org.lmrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lmrec.serving.Gru4RecEncoder;
import org.lmrec.serving.RandomEncoderWeights;
import org.lmrec.serving.SasRecEncoder;
import org.lmrec.serving.SequenceEncoder;
import org.lmrec.tensor.TensorMap;

/**
 * Every {@link ModelKind} has exactly one registered {@link Backbone}, and each backbone gives what
 * the per-kind switches it replaced gave: the same defaults, the same serving encoder, the same
 * FLOP counts (numbers computed by hand from the formulas the benchmarks used).
 */
class BackbonesTest {
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void everyKindIsRegisteredUnderItsOwnKindAndId(ModelKind kind) {
    assertThat(Backbones.all()).as("backbones registered in Backbones").containsKey(kind);
    Backbone b = kind.backbone();
    assertThat(b.kind()).isEqualTo(kind);
    assertThat(b.id()).isEqualTo(kind.id());
    assertThat(b.defaults().kind()).isEqualTo(kind);
    assertThat(ModelConfig.defaults(kind)).isEqualTo(b.defaults());
  }

  @Test
  void registryHoldsNothingElse() {
    assertThat(Backbones.all().keySet()).containsExactly(ModelKind.values());
  }

  @Test
  void idsAreStable() {
    assertThat(ModelKind.SASREC.id()).isEqualTo("sasrec");
    assertThat(ModelKind.GRU4REC.id()).isEqualTo("gru4rec");
    assertThatThrownBy(() -> ModelKind.parse("bert4rec"))
        .hasMessage("unknown model kind 'bert4rec'; expected one of sasrec, gru4rec");
  }

  @Test
  void defaultsAreTheOldOnes() {
    assertThat(ModelConfig.defaults(ModelKind.SASREC))
        .isEqualTo(new ModelConfig(ModelKind.SASREC, 64, 2, 1, 50, 0.2f, 1e-3f, 128, LossType.CE, 42));
    assertThat(ModelConfig.defaults(ModelKind.GRU4REC))
        .isEqualTo(new ModelConfig(ModelKind.GRU4REC, 64, 1, 1, 50, 0.3f, 1e-3f, 128, LossType.CE, 42));
  }

  @Test
  void servingEncodersAreTheOldOnes() {
    ModelConfig sas = ModelConfig.defaults(ModelKind.SASREC).withDim(16).withMaxLen(8);
    TensorMap sasWeights = RandomEncoderWeights.sasRec(sas, 30, 1);
    SequenceEncoder sasEncoder = ModelKind.SASREC.backbone().servingEncoder(sas, sasWeights);
    assertThat(sasEncoder).isInstanceOf(SasRecEncoder.class);
    int[] history = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    assertThat(sasEncoder.encode(history)).containsExactly(new SasRecEncoder(sas, sasWeights).encode(history));

    ModelConfig gru = ModelConfig.defaults(ModelKind.GRU4REC).withDim(16).withMaxLen(8);
    TensorMap gruWeights = RandomEncoderWeights.gru4Rec(gru, 30, 2);
    SequenceEncoder gruEncoder = ModelKind.GRU4REC.backbone().servingEncoder(gru, gruWeights);
    assertThat(gruEncoder).isInstanceOf(Gru4RecEncoder.class);
    assertThat(gruEncoder.encode(history)).containsExactly(new Gru4RecEncoder(gru, gruWeights).encode(history));
  }

  @Test
  void flopCountsAreTheOldOnes() {
    // SASRec, d 64, n 50, 2 blocks: 1 * 2n(6d^2 + 2nd) + 2(2nd^2) + 2(4d^2 + 2nd)
    //   = 3,097,600 + 819,200 + 45,568
    assertThat(ModelKind.SASREC.backbone().flopsPerSequence(ModelConfig.defaults(ModelKind.SASREC))).isEqualTo(3_962_368.0);
    // one block: only the last-block terms
    assertThat(ModelKind.SASREC.backbone().flopsPerSequence(ModelConfig.defaults(ModelKind.SASREC).withBlocks(1)))
        .isEqualTo(819_200.0 + 45_568.0);
    // GRU4Rec, d 64, n 50, 1 layer: 2n * 1 * 6d^2 + 2d^2 = 2,457,600 + 8,192
    assertThat(ModelKind.GRU4REC.backbone().flopsPerSequence(ModelConfig.defaults(ModelKind.GRU4REC))).isEqualTo(2_465_792.0);
    // one GRU step (maxLen 1), 2 layers: 2 * 2 * 6d^2 + 2d^2
    assertThat(ModelKind.GRU4REC.backbone().flopsPerSequence(ModelConfig.defaults(ModelKind.GRU4REC).withMaxLen(1).withBlocks(2)))
        .isEqualTo(98_304.0 + 8_192.0);
  }
}
