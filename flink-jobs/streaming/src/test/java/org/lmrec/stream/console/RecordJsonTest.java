package org.lmrec.stream.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;

class RecordJsonTest {
  @Test
  void whatTailPrintsSendReadsBackAsTheSameRecord() {
    InteractionEvent event = InteractionEvent.newBuilder().setEventId("e-1").setUserId("u-1").setItemId("i-1").setEventType(EventType.RATE)
        .setEventTime(Instant.parse("2026-12-01T10:00:00.123Z")).setContext(Map.of("rating", "4")).build();
    String line = RecordJson.line(RecordJson.of(event));
    assertThat(line).contains("\"eventTime\":\"2026-12-01T10:00:00.123Z\"").contains("\"eventType\":\"RATE\"");
    assertThat(JsonRecords.read(JsonRecords.parse(line), InteractionEvent.class)).isEqualTo(event);

    ModelUpdate update = ModelUpdate.newBuilder().setModelVersion("v1").setArtifactUri("file:///a").setManifestSha256("ab").setKind(ModelKind.GRU4REC)
        .setCreatedAt(Instant.ofEpochMilli(5)).setModelLine("exp").build();
    assertThat(JsonRecords.read(JsonRecords.parse(RecordJson.line(RecordJson.of(update))), ModelUpdate.class)).isEqualTo(update);
  }

  @Test
  void hostileTextIsEscapedAndLongBytesAreCut() {
    InteractionEvent event = InteractionEvent.newBuilder().setEventId("e\u202E1").setUserId("u\u001b[2J").setItemId("i").setEventType(EventType.VIEW)
        .setEventTime(Instant.EPOCH).build();
    String line = RecordJson.line(RecordJson.of(event));
    assertThat(line).contains("e\\u202E1").contains("u\\u001B[2J").doesNotContain("\u202E").doesNotContain("\u001b");

    assertThat(RecordJson.hex(new byte[100])).endsWith("... (100 bytes)").hasSize(2 * RecordJson.MAX_HEX_BYTES + "... (100 bytes)".length());
    assertThat(RecordJson.key(new byte[] {(byte) 0xff, 0x01}).asText()).isEqualTo("hex:ff01");
    assertThat(RecordJson.of(ModelUpdate.newBuilder().setModelVersion("v").setArtifactUri("u").setManifestSha256("h").setKind(ModelKind.SASREC)
        .setCreatedAt(Instant.EPOCH).setSignature(ByteBuffer.wrap(new byte[] {1, 2})).build()).get("signature").asText()).isEqualTo("0102");
  }
}
