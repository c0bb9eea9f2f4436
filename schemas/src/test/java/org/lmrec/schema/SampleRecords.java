package org.lmrec.schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated instance of every top-level record, with millisecond instants (the wire precision). */
final class SampleRecords {
  static final Instant T = Instant.ofEpochMilli(1_700_000_000_123L);

  private SampleRecords() {}

  static InteractionEvent interaction() {
    return InteractionEvent.newBuilder()
        .setEventId("e-1").setUserId("u-7").setItemId("i-42")
        .setEventType(EventType.RATE)
        .setEventTime(T)
        .setContext(Map.of("rating", "4", "device", "tv"))
        .build();
  }

  static Recommendation recommendation() {
    return Recommendation.newBuilder()
        .setTriggeringEventId("e-1").setUserId("u-7")
        .setItems(List.of(new ScoredItem("i-9", 3.5f), new ScoredItem("i-2", 1.0f)))
        .setModelVersion("sasrec-v3")
        .setExperimentArm("B")
        .setProducedAt(T.plusMillis(12))
        .setLatencyMillis(12L)
        .build();
  }

  static ModelUpdate modelUpdate() {
    return ModelUpdate.newBuilder()
        .setModelVersion("sasrec-v3")
        .setArtifactUri("file:///models/sasrec-v3/")
        .setManifestSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setKind(ModelKind.SASREC)
        .setCreatedAt(T)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setRawValue(ByteBuffer.wrap(new byte[] {0, (byte) 0xff, 7}))
        .setRawKey(ByteBuffer.wrap("u-7".getBytes(StandardCharsets.UTF_8)))
        .setSourceTopic("interactions").setSourcePartition(3).setSourceOffset(123_456_789_012L)
        .setReason("Cannot decode InteractionEvent from 3 bytes: ...")
        .setErrorClass("java.lang.IllegalArgumentException")
        .setReceivedAt(T)
        .build();
  }
}
