package org.lmrec.lm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** LoraConfig's text form keys cached stages, so it must not depend on how its set was built. */
class LoraConfigTest {
  @Test
  void textFormListsTargetsInDeclarationOrder() {
    Set<LoraTarget> reversed = new LinkedHashSet<>(List.of(LoraTarget.ATTENTION_OUTPUT, LoraTarget.VALUE, LoraTarget.QUERY));
    LoraConfig a = new LoraConfig(8, 16f, 0.05f, reversed, 42);
    LoraConfig b = new LoraConfig(8, 16f, 0.05f, Set.of(LoraTarget.QUERY, LoraTarget.VALUE, LoraTarget.ATTENTION_OUTPUT), 42);
    assertThat(a.toString()).isEqualTo(b.toString()).contains("targets=[QUERY, VALUE, ATTENTION_OUTPUT]");
  }
}
