package org.lmrec.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.AvroCodecException.Problem;

/** The wire format: every byte here is real Avro, written by Avro's own encoders where it can be. */
class SingleObjectEncodingTest {
  private static final long T0 = 1_700_000_000_123L;
  private final AvroCodec<InteractionEvent> events = AvroCodec.of(InteractionEvent.class);

  @Test
  void encodedBytesCarryTheMarkerAndTheCurrentFingerprintAndRoundTrip() {
    byte[] bytes = events.encode(SampleRecords.interaction());

    assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
    assertThat(SingleObjectHeader.fingerprint(bytes)).isEqualTo(ReleasedSchemas.fingerprint(InteractionEvent.getClassSchema()));
    // The same bytes as Avro's generated toByteBuffer(), i.e. what any single-object reader expects.
    assertThat(bytes).isEqualTo(toArray(SampleRecords.interaction()));
    assertThat(events.decode(bytes)).isEqualTo(SampleRecords.interaction());
  }

  @Test
  void aWriterOfAnOlderVersionIsResolvedToTheCurrentClass() throws IOException {
    Schema v1 = ReleasedSchemas.get().versionsOf("InteractionEvent").get(0).schema();
    GenericRecord old = new GenericData.Record(v1);
    old.put("eventId", "e1");
    old.put("userId", "u7");
    old.put("itemId", "i42");
    // PURCHASE is index 2 in v1 but index 3 now: resolution goes by name.
    old.put("eventType", new GenericData.EnumSymbol(v1.getField("eventType").schema(), "PURCHASE"));
    old.put("eventTime", T0);
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

    InteractionEvent current = events.decode(bytes);

    assertThat(current.getEventId()).isEqualTo("e1");
    assertThat(current.getEventType()).isEqualTo(EventType.PURCHASE);
    assertThat(current.getEventTime()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(current.getContext()).as("added after v1: its default").isNull();
  }

  @Test
  void everyReleasedVersionOfEveryRecordIsResolved() throws IOException {
    for (String type : ReleasedSchemas.get().types()) {
      for (ReleasedSchemas.Version version : ReleasedSchemas.get().versionsOf(type)) {
        assertThat(ReleasedSchemas.get().byFingerprint(version.fingerprint())).as(version.label()).isPresent();
      }
    }
    ModelUpdate update = SampleRecords.modelUpdate();
    Schema v1 = ReleasedSchemas.get().versionsOf("ModelUpdate").get(0).schema();
    ModelUpdate read = AvroCodec.of(ModelUpdate.class).decode(asVersion(update, v1));

    assertThat(read.getModelVersion()).isEqualTo(update.getModelVersion());
    assertThat(read.getArtifactUri()).isEqualTo(update.getArtifactUri());
    assertThat(read.getModelLine()).as("added after v1: its default").isNull();
  }

  @Test
  void aRecordOfAnotherTypeIsRefusedNamingItsFingerprintAndType() throws IOException {
    // Its body decodes as an interaction (user = the artifact URI): only the header tells them apart.
    byte[] update = AvroCodec.of(ModelUpdate.class).encode(SampleRecords.modelUpdate());
    long fingerprint = ReleasedSchemas.fingerprint(ModelUpdate.getClassSchema());
    int current = ReleasedSchemas.get().versionsOf("ModelUpdate").stream().filter(ReleasedSchemas.Version::current).findFirst().orElseThrow().number();

    AvroCodecException e = failure(events, update);

    assertThat(e.problem()).isEqualTo(Problem.FOREIGN_TYPE);
    assertThat(e).hasMessage("Cannot decode InteractionEvent from " + update.length + " bytes: schema fingerprint "
        + ReleasedSchemas.hex(fingerprint) + " is ModelUpdate v" + current + ", not InteractionEvent");
    Schema v1 = ReleasedSchemas.get().versionsOf("ModelUpdate").get(0).schema();
    assertThat(failure(events, asVersion(SampleRecords.modelUpdate(), v1)))
        .hasMessageContaining(ReleasedSchemas.hex(ReleasedSchemas.fingerprint(v1)) + " is ModelUpdate v1, not InteractionEvent");
  }

  @Test
  void anUnknownFingerprintIsRefusedNamingIt() throws IOException {
    // A compatible but never released InteractionEvent: a producer built from an unreleased schema.
    Schema unreleased = withExtraOptionalField(InteractionEvent.getClassSchema(), "sessionId");
    GenericRecord event = new GenericDatumReader<GenericRecord>(InteractionEvent.getClassSchema(), unreleased)
        .read(null, DecoderFactory.get().binaryDecoder(plain(SampleRecords.interaction()), null));
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), unreleased).encode(event).array();

    AvroCodecException e = failure(events, bytes);

    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_SCHEMA);
    assertThat(e).hasMessageContaining("unknown schema fingerprint " + ReleasedSchemas.hex(ReleasedSchemas.fingerprint(unreleased)));
  }

  @Test
  void plainBinaryIsRefusedByDefaultAndAcceptedWithTheSwitch() throws IOException {
    byte[] plain = plain(SampleRecords.interaction());

    AvroCodecException e = failure(events, plain);
    assertThat(e.problem()).isEqualTo(Problem.NO_HEADER);
    assertThat(e).hasMessageContaining("no single-object header: the bytes start with 06 65, not the marker c3 01");

    AvroCodec<InteractionEvent> migrating = events.withPlainBinaryAccepted(true);
    assertThat(migrating.decode(plain)).isEqualTo(SampleRecords.interaction());
    // With the switch on, headers still count: framed records decode, foreign ones are still refused.
    assertThat(migrating.decode(events.encode(SampleRecords.interaction()))).isEqualTo(SampleRecords.interaction());
    assertThat(failure(migrating, AvroCodec.of(ModelUpdate.class).encode(SampleRecords.modelUpdate())).problem()).isEqualTo(Problem.FOREIGN_TYPE);
    assertThat(failure(migrating, Arrays.copyOf(plain, plain.length - 1)).getMessage()).contains("headerless, read as the current schema");
  }

  @Test
  void aTruncatedHeaderIsRefused() {
    byte[] full = events.encode(SampleRecords.interaction());
    for (int length = 2; length < 10; length++) {
      AvroCodecException e = failure(events, Arrays.copyOf(full, length));
      assertThat(e.problem()).as("%d bytes", length).isEqualTo(Problem.TRUNCATED_HEADER);
      assertThat(e).hasMessageContaining("truncated single-object header");
    }
    assertThat(failure(events, Arrays.copyOf(full, 1)).problem()).isEqualTo(Problem.NO_HEADER);
    assertThat(failure(events, new byte[0])).hasMessageContaining("empty payload");
    // Header complete, body missing: a malformed record of the named version.
    assertThat(failure(events, Arrays.copyOf(full, 10))).hasMessageContaining("written with InteractionEvent v");
  }

  @Test
  void randomBodiesBehindAValidHeaderNeverEscapeAsAnotherException() {
    Random random = new Random(20261205L);
    byte[] header = Arrays.copyOf(events.encode(SampleRecords.interaction()), 10);
    for (int i = 0; i < 5_000; i++) {
      byte[] body = new byte[random.nextInt(64)];
      random.nextBytes(body);
      Throwable t = catchThrowable(() -> events.decode(AvroCodecTest.concat(header, body)));
      if (t != null) assertThat(t).isInstanceOf(AvroCodecException.class);
    }
  }

  private static AvroCodecException failure(AvroCodec<?> codec, byte[] bytes) {
    Throwable t = catchThrowable(() -> codec.decode(bytes));
    assertThat(t).isInstanceOf(AvroCodecException.class);
    return (AvroCodecException) t;
  }

  private static byte[] toArray(InteractionEvent event) {
    try {
      java.nio.ByteBuffer buffer = event.toByteBuffer();
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Headerless Avro binary, as producers wrote it before the wire format had a header. */
  static <T extends org.apache.avro.specific.SpecificRecord> byte[] plain(T record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** {@code record} as a producer on an older schema version would have sent it. */
  private static <T extends org.apache.avro.specific.SpecificRecord> byte[] asVersion(T record, Schema old) throws IOException {
    GenericRecord asOld = new GenericDatumReader<GenericRecord>(record.getSchema(), old)
        .read(null, DecoderFactory.get().binaryDecoder(plain(record), null));
    return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(asOld).array();
  }

  private static Schema withExtraOptionalField(Schema schema, String name) {
    List<Schema.Field> fields = new ArrayList<>();
    schema.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    Schema optional = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    fields.add(new Schema.Field(name, optional, "never released", org.apache.avro.JsonProperties.NULL_VALUE));
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }
}
