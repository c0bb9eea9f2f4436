package org.lmrec.enhance.llmemb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lmrec.model.ItemAdapter;

/** LLMEmb's residual options (lmrec's variant): defaults keep the paper's form, and the adapter carries them. */
class LlmEmbConfigTest {
  @Test
  void defaultsAreThePapersForm() {
    LlmEmbConfig d = LlmEmbConfig.defaults();
    assertThat(d.itemResidual()).isFalse();
    assertThat(d.residualL2()).isZero();
    assertThat(d.residualStart()).isEqualTo(LlmEmbConfig.ResidualStart.ZERO);
    assertThat(d.adapter(384)).isEqualTo(ItemAdapter.twoLayer(192, ItemAdapter.Activation.NONE));
  }

  @Test
  void theAdapterCarriesTheResidualL2() {
    LlmEmbConfig c = LlmEmbConfig.defaults().withItemResidual(true).withResidualL2(0.001f);
    assertThat(c.adapter(384).residual()).isTrue();
    assertThat(c.adapter(384).residualL2()).isEqualTo(0.001f);
  }

  @Test
  void residualOptionsWithoutTheResidualAreRefused() {
    assertThatThrownBy(() -> LlmEmbConfig.defaults().withResidualL2(0.1f).adapter(384)).hasMessageContaining("need itemResidual");
    assertThatThrownBy(() -> LlmEmbConfig.defaults().withResidualStart(LlmEmbConfig.ResidualStart.TEXT).adapter(384))
        .hasMessageContaining("need itemResidual");
    assertThatThrownBy(() -> LlmEmbConfig.defaults().withResidualL2(-0.1f)).hasMessageContaining("not negative");
  }

  @Test
  void theCommandLineOptionsSetThem() {
    org.lmrec.cli.EnhancerOptions o = new org.lmrec.cli.EnhancerOptions();
    picocli.CommandLine.populateCommand(o, "--item-residual", "--residual-l2", "0.002", "--residual-start", "text");
    LlmEmbConfig c = o.toLlmEmbConfig(1);
    assertThat(c.itemResidual()).isTrue();
    assertThat(c.residualL2()).isEqualTo(0.002f);
    assertThat(c.residualStart()).isEqualTo(LlmEmbConfig.ResidualStart.TEXT);
  }
}
