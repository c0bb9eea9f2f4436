package org.lmrec.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordRoundTripTest {

  static Stream<SpecificRecord> samples() {
    return Stream.of(
        SampleRecords.interaction(), SampleRecords.recommendation(),
        SampleRecords.modelUpdate(), SampleRecords.deadLetter());
  }

  @ParameterizedTest
  @MethodSource("samples")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void plainBinaryRoundTripThroughTheCodec(SpecificRecord record) {
    AvroCodec codec = AvroCodec.of(record.getClass());

    byte[] bytes = codec.encode(record);
    Object back = codec.decode(bytes);

    assertThat(back).isEqualTo(record).isNotSameAs(record);
  }

  @Test
  void singleObjectEncodingRoundTripOfEveryType() throws IOException {
    InteractionEvent interaction = SampleRecords.interaction();
    Recommendation recommendation = SampleRecords.recommendation();
    ModelUpdate update = SampleRecords.modelUpdate();
    DeadLetter dead = SampleRecords.deadLetter();

    ByteBuffer encoded = interaction.toByteBuffer();
    // Single-object encoding starts with the marker C3 01 and the 8-byte schema fingerprint.
    assertThat(encoded.get(0)).isEqualTo((byte) 0xC3);
    assertThat(encoded.get(1)).isEqualTo((byte) 0x01);

    assertThat(InteractionEvent.fromByteBuffer(encoded)).isEqualTo(interaction);
    assertThat(Recommendation.fromByteBuffer(recommendation.toByteBuffer())).isEqualTo(recommendation);
    assertThat(ModelUpdate.fromByteBuffer(update.toByteBuffer())).isEqualTo(update);
    assertThat(DeadLetter.fromByteBuffer(dead.toByteBuffer())).isEqualTo(dead);
  }

  @Test
  void bodyLayoutMatchesTheAvroSpec() {
    // string "ab": zig-zag length 2 -> 0x04, then UTF-8; float 1.0f little-endian IEEE 754 -> 00 00 80 3F.
    byte[] bytes = AvroCodec.of(ScoredItem.class).encode(new ScoredItem("ab", 1.0f));

    assertThat(java.util.Arrays.copyOfRange(bytes, 0, 2)).containsExactly(0xC3, 0x01); // then the fingerprint
    assertThat(java.util.Arrays.copyOfRange(bytes, 10, bytes.length)).containsExactly(0x04, 'a', 'b', 0x00, 0x00, 0x80, 0x3F);
  }

  @Test
  void optionalFieldsDefaultToNullInTheBuilder() {
    Recommendation minimal = Recommendation.newBuilder()
        .setTriggeringEventId("e").setUserId("u").setItems(List.of())
        .setModelVersion("m").setProducedAt(Instant.EPOCH)
        .build();

    assertThat(minimal.getExperimentArm()).isNull();
    assertThat(minimal.getLatencyMillis()).isNull();
    assertThat(AvroCodec.of(Recommendation.class).decode(AvroCodec.of(Recommendation.class).encode(minimal)))
        .isEqualTo(minimal);
  }

  @Test
  void missingRequiredFieldInBuilderIsAClearError() {
    InteractionEvent.Builder withoutUser = InteractionEvent.newBuilder()
        .setEventId("e").setItemId("i").setEventType(EventType.VIEW).setEventTime(Instant.EPOCH);

    assertThatThrownBy(withoutUser::build)
        .isInstanceOf(AvroRuntimeException.class)
        .hasMessageContaining("userId")
        .hasMessageContaining("not set and has no default value");
  }

  @Test
  void nullForARequiredFieldIsRejectedByTheBuilderSetter() {
    assertThatThrownBy(() -> ModelUpdate.newBuilder().setArtifactUri(null))
        .isInstanceOf(AvroRuntimeException.class)
        .hasMessageContaining("artifactUri")
        .hasMessageContaining("does not accept null");
  }
}
