package org.lmrec.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {
  private static final long T0 = 1_700_000_000_123L;

  @Test
  void v1InteractionEventBytesAreReadByTheCurrentClassWithDefaults() throws IOException {
    Schema v1 = HistorySchemas.load("InteractionEvent-v1.avsc");
    GenericRecord old = new GenericData.Record(v1);
    old.put("eventId", "e1");
    old.put("userId", "u7");
    old.put("itemId", "i42");
    // PURCHASE is index 2 in v1 but index 3 now (ADD_TO_CART was inserted): resolution must go by name.
    old.put("eventType", new GenericData.EnumSymbol(v1.getField("eventType").schema(), "PURCHASE"));
    old.put("eventTime", T0);
    byte[] bytes = write(v1, old);

    InteractionEvent current = read(bytes, v1, InteractionEvent.getClassSchema());

    assertThat(current.getEventId()).isEqualTo("e1");
    assertThat(current.getUserId()).isEqualTo("u7");
    assertThat(current.getItemId()).isEqualTo("i42");
    assertThat(current.getEventType()).isEqualTo(EventType.PURCHASE);
    assertThat(current.getEventTime()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(current.getContext()).as("context added after v1 defaults to null").isNull();
    // The codec, given the same body behind v1's single-object header, must give the same answer.
    assertThat(AvroCodec.of(InteractionEvent.class).decode(AvroCodecTest.framed(v1, bytes))).isEqualTo(current);
  }

  @Test
  void v1RecommendationBytesAreReadByTheCurrentClassWithDefaults() throws IOException {
    Schema v1 = HistorySchemas.load("Recommendation-v1.avsc");
    Schema scored = v1.getField("items").schema().getElementType();
    List<GenericRecord> items = new ArrayList<>();
    for (Object[] pair : new Object[][] {{"i9", 0.75f}, {"i3", 0.5f}, {"i1", -1.25f}}) {
      GenericRecord item = new GenericData.Record(scored);
      item.put("itemId", pair[0]);
      item.put("score", pair[1]);
      items.add(item);
    }
    GenericRecord old = new GenericData.Record(v1);
    old.put("triggeringEventId", "e1");
    old.put("userId", "u7");
    old.put("items", new GenericData.Array<>(v1.getField("items").schema(), items));
    old.put("modelVersion", "sasrec-2024-01");
    old.put("producedAt", T0 + 5);
    byte[] bytes = write(v1, old);

    Recommendation current = read(bytes, v1, Recommendation.getClassSchema());

    assertThat(current.getTriggeringEventId()).isEqualTo("e1");
    assertThat(current.getUserId()).isEqualTo("u7");
    assertThat(current.getItems())
        .containsExactly(new ScoredItem("i9", 0.75f), new ScoredItem("i3", 0.5f), new ScoredItem("i1", -1.25f));
    assertThat(current.getModelVersion()).isEqualTo("sasrec-2024-01");
    assertThat(current.getProducedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 5));
    assertThat(current.getExperimentArm()).isNull();
    assertThat(current.getLatencyMillis()).isNull();
  }

  @Test
  void v2ModelUpdateBytesReadAsAnUnsignedAnnouncementThatIsNoRollback() throws IOException {
    // Writers from before signing still resolve: the scorer then sees an unsigned announcement and refuses it
    // while signatures are required, instead of failing to decode it.
    Schema v2 = HistorySchemas.load("ModelUpdate-v2.avsc");
    GenericRecord old = new GenericData.Record(v2);
    old.put("modelVersion", "v7");
    old.put("artifactUri", "file:///models/v7");
    old.put("manifestSha256", "ab".repeat(32));
    old.put("kind", new GenericData.EnumSymbol(v2.getField("kind").schema(), "GRU4REC"));
    old.put("createdAt", T0);
    old.put("modelLine", "candidate");
    byte[] bytes = write(v2, old);

    ModelUpdate current = read(bytes, v2, ModelUpdate.getClassSchema());

    assertThat(current.getModelVersion()).isEqualTo("v7");
    assertThat(current.getModelLine()).isEqualTo("candidate");
    assertThat(current.getKind()).isEqualTo(ModelKind.GRU4REC);
    assertThat(current.getRollback()).isFalse();
    assertThat(current.getKeyId()).isNull();
    assertThat(current.getSignature()).isNull();
  }

  @Test
  void unknownEnumSymbolFromANewerWriterReadsAsUnknown() throws IOException {
    Schema current = InteractionEvent.getClassSchema();
    Schema newer = withExtraEventType(current, "SHARE");
    GenericRecord event = new GenericData.Record(newer);
    event.put("eventId", "e2");
    event.put("userId", "u1");
    event.put("itemId", "i5");
    event.put("eventType", new GenericData.EnumSymbol(newer.getField("eventType").schema(), "SHARE"));
    event.put("eventTime", T0);
    event.put("context", Map.of("device", "phone"));
    byte[] bytes = write(newer, event);

    InteractionEvent read = read(bytes, newer, current);

    assertThat(read.getEventType()).isEqualTo(EventType.UNKNOWN);
    assertThat(read.getEventId()).isEqualTo("e2");
    assertThat(read.getContext()).containsExactlyEntriesOf(Map.of("device", "phone"));
  }

  @Test
  void v1ReaderSeesASymbolAddedLaterAsUnknown() throws IOException {
    Schema v1 = HistorySchemas.load("InteractionEvent-v1.avsc");
    InteractionEvent event = InteractionEvent.newBuilder()
        .setEventId("e3").setUserId("u1").setItemId("i5")
        .setEventType(EventType.ADD_TO_CART)
        .setEventTime(Instant.ofEpochMilli(T0))
        .setContext(Map.of("page", "home"))
        .build();
    byte[] bytes = AvroCodec.of(InteractionEvent.class).encode(event);

    GenericRecord old = new GenericDatumReader<GenericRecord>(InteractionEvent.getClassSchema(), v1)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null)); // the body, after the header

    assertThat(old.get("eventType").toString()).isEqualTo("UNKNOWN");
    assertThat(old.get("itemId").toString()).isEqualTo("i5");
    assertThat(old.hasField("context")).isFalse();
  }

  @Test
  void everyCurrentSchemaReadsAndIsReadByEveryHistorySchema() {
    List<Path> files = HistorySchemas.files();
    assertThat(files).as("history schemas in %s", HistorySchemas.folder()).isNotEmpty();
    Set<String> covered = new TreeSet<>();
    for (Path file : files) {
      Schema old = HistorySchemas.parse(file);
      Schema current = currentCounterpart(old, file);
      covered.add(current.getFullName());
      assertCompatible("current reads " + file.getFileName(), current, old);
      // Forward direction: consumers still on the old version must survive new producers.
      assertCompatible(file.getFileName() + " reads current", old, current);
    }
    Set<String> all = new TreeSet<>();
    Schemas.current().forEach(s -> all.add(s.getFullName()));
    assertThat(covered).as("every current schema needs at least one frozen history version").isEqualTo(all);
  }

  @Test
  void aHistorySchemaWithoutCurrentCounterpartFailsTheCheck() {
    Schema removed = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"Gone\",\"namespace\":\"org.lmrec.schema\",\"fields\":[]}");

    assertThatThrownBy(() -> currentCounterpart(removed, Path.of("Gone-v1.avsc")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Gone-v1.avsc")
        .hasMessageContaining("org.lmrec.schema.Gone");
  }

  @Test
  void anIncompatibleChangeIsDetected() {
    // Sanity check that the compatibility assertion can fail: a new required field without a default.
    Schema v1 = HistorySchemas.load("InteractionEvent-v1.avsc");
    List<Schema.Field> fields = new ArrayList<>();
    v1.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(new Schema.Field("sessionId", Schema.create(Schema.Type.STRING), "no default", null));
    Schema broken = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);

    assertThatThrownBy(() -> assertCompatible("broken reads v1", broken, v1))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("sessionId");
  }

  private static Schema currentCounterpart(Schema old, Path file) {
    return Schemas.byFullName(old.getFullName())
        .orElseThrow(() -> new AssertionError("History schema " + file.getFileName() + " (" + old.getFullName()
            + ") has no current counterpart: a topic type was removed or renamed"));
  }

  private static void assertCompatible(String label, Schema reader, Schema writer) {
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
      fail(label + ": " + result.getResult().getIncompatibilities());
    }
  }

  private static Schema withExtraEventType(Schema current, String symbol) {
    Schema oldEnum = current.getField("eventType").schema();
    List<String> symbols = new ArrayList<>(oldEnum.getEnumSymbols());
    symbols.add(symbol);
    Schema newEnum = Schema.createEnum(
        oldEnum.getName(), oldEnum.getDoc(), oldEnum.getNamespace(), symbols, oldEnum.getEnumDefault());
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : current.getFields()) {
      fields.add(new Schema.Field(f, f.name().equals("eventType") ? newEnum : f.schema()));
    }
    return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  private static byte[] write(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static <T> T read(byte[] bytes, Schema writer, Schema reader) throws IOException {
    return new SpecificDatumReader<T>(writer, reader).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }
}
