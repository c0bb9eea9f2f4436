package org.lmrec.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lmrec.schema.DeadLetter;
import org.lmrec.flink.deadletter.DeadLetters;
import org.lmrec.flink.deadletter.LogSafe;

class LogSafeTest {
  @Test
  void lineBreaksControlsAndBidiOverridesBecomeVisibleEscapes() {
    assertThat(LogSafe.text("a\nb\rc\td\u0000e\u001bf\u2028g\u202Eh\u2066i\u200Fj"))
        .isEqualTo("a\\nb\\rc\\td\\u0000e\\u001Bf\\u2028g\\u202Eh\\u2066i\\u200Fj");
  }

  @Test
  void textThatPrintsAsItselfIsLeftAlone() {
    String s = "user-42 ä 日本 🎬 \"quoted\"";
    assertThat(LogSafe.text(s)).isSameAs(s);
    assertThat(LogSafe.needsEscape(s)).isFalse();
  }

  @Test
  void longValuesAreCutAndSayHowLongTheyWere() {
    assertThat(LogSafe.text("x".repeat(10_000))).isEqualTo("x".repeat(LogSafe.MAX_CHARS) + "… [10000 characters]");
    assertThat(LogSafe.text(null)).isEqualTo("null");
  }

  @Test
  void deadLetterReasonsNeverCarryALineBreak() {
    DeadLetter d = DeadLetters.of(new byte[] {1}, null, "interactions", 0, 1, "itemId 'a\nFORGED' is bad", null, 1024, 0);
    assertThat(d.getReason()).isEqualTo("itemId 'a\\nFORGED' is bad");
  }

  @Test
  void interactionIdsWithBidiControlsAreRefused() {
    org.lmrec.schema.InteractionEvent e = org.lmrec.schema.InteractionEvent.newBuilder()
        .setEventId("e1").setUserId("u\u202E1").setItemId("i1").setEventType(org.lmrec.schema.EventType.CLICK)
        .setEventTime(java.time.Instant.ofEpochMilli(1_000)).build();
    assertThat(new InteractionValidator(256, java.time.Duration.ofHours(1)).problem(e, 2_000))
        .contains("userId").contains("\\u202E");
  }
}
