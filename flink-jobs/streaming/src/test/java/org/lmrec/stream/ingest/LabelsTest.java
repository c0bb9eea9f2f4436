package org.lmrec.stream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/** Ids that look alike but differ, and context that reaches the archive, through the real validator. */
class LabelsTest {
  private final InteractionValidator validator = new InteractionValidator(256, Duration.ofHours(1));

  private String problem(String userId, Map<String, String> context) {
    InteractionEvent e = InteractionEvent.newBuilder().setEventId("e1").setUserId(userId).setItemId("i1")
        .setEventType(EventType.CLICK).setEventTime(Instant.ofEpochMilli(1_000)).setContext(context).build();
    return validator.problem(e, 2_000);
  }

  @Test
  void idsWithInvisibleOrSubstitutedCharactersAreRefused() {
    assertThat(problem("u\u200B1", null)).contains("userId").contains("format character (U+200B)");
    assertThat(problem("u\u202E1", null)).contains("format character (U+202E)");
    assertThat(problem("u\u00A01", null)).contains("whitespace");
    assertThat(problem("u\uFFFD1", null)).contains("malformed UTF-8");
    assertThat(problem("u\uD800", null)).contains("lone surrogate");
  }

  @Test
  void idsThatPrintAsThemselvesAreAccepted() {
    assertThat(problem("nutzer-ä-日本-🎬", null)).isNull();
  }

  @Test
  void contextIsBoundedAndPrintable() {
    assertThat(problem("u1", Map.of("page", "search results", "lang", "de-AT"))).isNull();
    assertThat(problem("u1", Map.of("page", "a\nFORGED"))).contains("context['page']").contains("control character");
    assertThat(problem("u1", Map.of("pa ge", "x"))).contains("context key").contains("whitespace");
    assertThat(problem("u1", Map.of("page", "x".repeat(InteractionValidator.MAX_CONTEXT_VALUE_CHARS + 1)))).contains("limit 1024");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= InteractionValidator.MAX_CONTEXT_ENTRIES; i++) many.put("k" + i, "v");
    assertThat(problem("u1", many)).contains("context has 65 entries (limit 64)");
  }
}
