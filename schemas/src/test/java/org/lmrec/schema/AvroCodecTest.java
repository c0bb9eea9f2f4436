package org.lmrec.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroCodecTest {
  private final AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);
  private final AvroCodec<Recommendation> recommendations = AvroCodec.of(Recommendation.class);

  @Test
  void hugeStringLengthPrefixIsRejectedBeforeAllocating() {
    // eventId claims 2,000,000,000 bytes; a plain Avro reader would try new byte[2e9] here.
    byte[] garbage = framed(InteractionEvent.getClassSchema(), concat(zigZag(2_000_000_000L), new byte[] {'x', 'y'}));

    AvroCodecException e = decodeFailure(events, garbage);

    assertThat(e.recordType()).isEqualTo("InteractionEvent");
    assertThat(e.problem()).isEqualTo(AvroCodecException.Problem.MALFORMED);
    assertThat(e).hasMessage("Cannot decode InteractionEvent from " + garbage.length + " bytes: written with InteractionEvent v2 ("
        + ReleasedSchemas.hex(ReleasedSchemas.fingerprint(InteractionEvent.getClassSchema())) + "): at byte 10 "
        + "(InteractionEvent.eventId): length 2000000000 is negative or exceeds the 2 remaining bytes");
    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeLengthIsRejected() {
    AvroCodecException e = decodeFailure(events, framed(InteractionEvent.getClassSchema(), concat(zigZag(-3), new byte[] {1, 2, 3, 4})));

    assertThat(e).hasMessageContaining("(InteractionEvent.eventId): length -3 is negative");
  }

  @Test
  void hugeArrayBlockCountIsRejected() {
    byte[] prefix = concat(str("e"), str("u"));
    byte[] garbage = framed(Recommendation.getClassSchema(), concat(prefix, zigZag(1_000_000_000L), new byte[] {0}));

    AvroCodecException e = decodeFailure(recommendations, garbage);

    assertThat(e).hasMessageContaining("at byte " + (10 + prefix.length) + " (Recommendation.items[]): block count 1000000000"
        + " exceeds the 1 remaining bytes");
  }

  @Test
  void enumIndexOutOfRangeIsRejected() {
    // EventType has 6 symbols; index 6 does not exist.
    byte[] bytes = framed(InteractionEvent.getClassSchema(), concat(str("e"), str("u"), str("i"), zigZag(6), zigZag(0), zigZag(0)));

    assertThat(decodeFailure(events, bytes))
        .hasMessageContaining("(InteractionEvent.eventType): enum symbol index 6 is outside 0..5");
  }

  @Test
  void truncatedRecordIsRejected() {
    byte[] full = events.encode(SampleRecords.interaction());
    byte[] truncated = Arrays.copyOf(full, full.length - 1);

    assertThat(decodeFailure(events, truncated)).hasMessageContaining("Cannot decode InteractionEvent");
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] full = events.encode(SampleRecords.interaction());

    assertThat(decodeFailure(events, concat(full, new byte[] {0})))
        .hasMessageContaining("1 trailing bytes after a complete record of " + (full.length - 10) + " bytes");
  }

  @Test
  void payloadOverTheLimitIsRejectedUpFront() {
    byte[] full = events.encode(SampleRecords.interaction());
    AvroCodec<InteractionEvent> small = events.withMaxPayloadBytes(full.length - 1);

    assertThat(decodeFailure(small, full)).hasMessage("Cannot decode InteractionEvent: payload of "
        + full.length + " bytes exceeds the limit of " + (full.length - 1) + " bytes");
    assertThat(events.withMaxPayloadBytes(full.length).decode(full)).isEqualTo(SampleRecords.interaction());
  }

  @Test
  void nullPayloadIsAClearError() {
    assertThat(decodeFailure(events, null)).hasMessageContaining("payload is null");
  }

  @Test
  void randomGarbageNeverEscapesAsAnotherException() {
    Random random = new Random(20240601L);
    int rejected = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      for (AvroCodec<?> codec : List.of(events, recommendations, AvroCodec.of(DeadLetter.class))) {
        Throwable t = catchThrowable(() -> codec.decode(garbage));
        if (t != null) {
          assertThat(t).isInstanceOf(AvroCodecException.class);
          rejected++;
        }
      }
    }
    assertThat(rejected).as("almost all random payloads must be rejected").isGreaterThan(5_900);
  }

  @Test
  void encodingARecordWithANullRequiredFieldIsAClearError() {
    InteractionEvent broken = SampleRecords.interaction();
    broken.setUserId(null); // plain setters do not validate, unlike the builder

    assertThatThrownBy(() -> events.encode(broken))
        .isInstanceOf(AvroCodecException.class)
        .hasMessageStartingWith("Cannot encode InteractionEvent: ");
  }

  @Test
  void maxPayloadMustBePositive() {
    assertThatThrownBy(() -> events.withMaxPayloadBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
  }

  private static AvroCodecException decodeFailure(AvroCodec<?> codec, byte[] bytes) {
    Throwable t = catchThrowable(() -> codec.decode(bytes));
    assertThat(t).isInstanceOf(AvroCodecException.class);
    return (AvroCodecException) t;
  }

  /** A single-object header for {@code writer}, written here independently of Avro's encoder, then the body. */
  static byte[] framed(Schema writer, byte[] body) {
    long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(writer);
    byte[] header = new byte[10];
    header[0] = (byte) 0xC3;
    header[1] = 0x01;
    for (int i = 0; i < 8; i++) header[2 + i] = (byte) (fingerprint >>> (8 * i));
    return concat(header, body);
  }

  private static byte[] str(String ascii) {
    return concat(zigZag(ascii.length()), ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** Avro's zig-zag varint, written here independently of Avro's encoder. */
  static byte[] zigZag(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
