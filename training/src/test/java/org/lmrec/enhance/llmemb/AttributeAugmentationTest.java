package org.lmrec.enhance.llmemb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttributeAugmentationTest {
  private static final String ITEM =
      "title is Stapler; brand is Acme; categories is Office, Staplers; color is red; year is 2015";

  @Test
  void eachViewIsAShuffledSubsetWithFortyPercentDropped() {
    AttributeAugmentation aug = new AttributeAugmentation(0.4);
    Set<String> all = new HashSet<>(AttributeAugmentation.attributes(ITEM));
    assertThat(all).hasSize(5);
    Set<List<String>> orders = new HashSet<>();
    Random r = new Random(1);
    for (int i = 0; i < 50; i++) {
      for (String view : aug.views(ITEM, r)) {
        List<String> parts = Arrays.stream(view.split("; ")).toList();
        assertThat(parts).hasSize(3).doesNotHaveDuplicates();
        assertThat(all).containsAll(parts);
        orders.add(parts);
      }
    }
    assertThat(orders).as("views differ in content and order").hasSizeGreaterThan(20);
  }

  @Test
  void twoViewsAreDrawnIndependentlyAndReproducibly() {
    AttributeAugmentation aug = new AttributeAugmentation(0.4);
    int differentPairs = 0;
    for (int seed = 0; seed < 20; seed++) {
      List<String> views = aug.views(ITEM, new Random(seed));
      assertThat(aug.views(ITEM, new Random(seed))).isEqualTo(views);
      if (!views.get(0).equals(views.get(1))) differentPairs++;
    }
    assertThat(differentPairs).isGreaterThan(15);
  }

  @Test
  void keepsAtLeastOneAttributeAndRefusesEmptyText() {
    AttributeAugmentation aug = new AttributeAugmentation(0.4);
    assertThat(aug.views("title is Pen", new Random(3))).containsExactly("title is Pen", "title is Pen");
    assertThat(aug.kept(2)).isEqualTo(1);
    assertThat(new AttributeAugmentation(0).kept(5)).isEqualTo(5);
    assertThatThrownBy(() -> aug.views(" ; ", new Random(1))).hasMessageContaining("no attributes");
    assertThatThrownBy(() -> new AttributeAugmentation(1.0)).hasMessageContaining("[0, 1)");
  }
}
