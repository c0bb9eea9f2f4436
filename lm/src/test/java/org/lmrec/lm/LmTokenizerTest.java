package org.lmrec.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Truncation at either end, special tokens, padding to the longest row, attention mask. */
class LmTokenizerTest {
  private static final String LONG =
      "title is Ergonomic Mesh Office Chair with Adjustable Lumbar Support; brand is Seatwell; categories is Office Furniture, Chairs; "
          + "description is breathable back, padded seat, tilt lock and height adjustment for long working days at the desk";
  private static LmTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = new LmTokenizer(LmCheckpoint.defaultMiniLm());
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void specialTokensAreBertsClsAndSep() {
    assertThat(tokenizer.prefixIds()).containsExactly(101L);
    assertThat(tokenizer.suffixIds()).containsExactly(102L);
    TokenBatch b = tokenizer.encode(List.of("hello world"), 16, false);
    assertThat(b.ids()[0]).containsExactly(101L, 7592L, 2088L, 102L); // bert-base-uncased vocabulary
  }

  @Test
  void keepEndKeepsTheLastTokensAndKeepStartTheFirst() {
    long[] raw = tokenizer.rawIds(LONG);
    int max = 16;
    assertThat(raw.length).isGreaterThan(max);

    long[] end = tokenizer.encode(List.of(LONG), max, true).ids()[0];
    long[] start = tokenizer.encode(List.of(LONG), max, false).ids()[0];

    assertThat(end).hasSize(max);
    assertThat(end[0]).isEqualTo(101L);
    assertThat(end[max - 1]).isEqualTo(102L);
    assertThat(Arrays.copyOfRange(end, 1, max - 1)).containsExactly(Arrays.copyOfRange(raw, raw.length - (max - 2), raw.length));
    assertThat(start[0]).isEqualTo(101L);
    assertThat(start[max - 1]).isEqualTo(102L);
    assertThat(Arrays.copyOfRange(start, 1, max - 1)).containsExactly(Arrays.copyOfRange(raw, 0, max - 2));
  }

  @Test
  void shortTextsAreNotCutEitherWay() {
    long[] raw = tokenizer.rawIds("desk lamp");
    long[] keepEnd = tokenizer.encode(List.of("desk lamp"), 64, true).ids()[0];
    long[] keepStart = tokenizer.encode(List.of("desk lamp"), 64, false).ids()[0];
    assertThat(keepEnd).isEqualTo(keepStart).hasSize(raw.length + 2);
  }

  @Test
  void batchIsPaddedToItsLongestRowWithAMatchingMask() {
    TokenBatch b = tokenizer.encode(List.of("pen", LONG, "stapler with staples"), 32, false);
    int pen = tokenizer.rawIds("pen").length + 2;
    int stapler = tokenizer.rawIds("stapler with staples").length + 2;

    assertThat(b.size()).isEqualTo(3);
    assertThat(b.length()).isEqualTo(32); // the long text fills the budget; nothing is padded past it
    assertThat(b.tokens(0)).isEqualTo(pen);
    assertThat(b.tokens(1)).isEqualTo(32);
    assertThat(b.tokens(2)).isEqualTo(stapler);
    for (int i = 0; i < 3; i++) {
      int n = b.tokens(i);
      for (int j = 0; j < b.length(); j++) {
        assertThat(b.attentionMask()[i][j]).isEqualTo(j < n ? 1L : 0L);
        if (j >= n) assertThat(b.ids()[i][j]).isZero();
        assertThat(b.typeIds()[i][j]).isZero();
      }
      assertThat(b.ids()[i][n - 1]).isEqualTo(102L);
    }
    TokenBatch shortOnly = tokenizer.encode(List.of("pen", "stapler with staples"), 128, false);
    assertThat(shortOnly.length()).isEqualTo(stapler); // padded to the batch's longest row, not to maxTokens
  }

  @Test
  void tooSmallABudgetIsRefused() {
    assertThatThrownBy(() -> tokenizer.encode(List.of("pen"), 2, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens 2");
  }
}
