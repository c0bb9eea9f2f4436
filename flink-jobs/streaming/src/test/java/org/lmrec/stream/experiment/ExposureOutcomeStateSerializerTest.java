package org.lmrec.stream.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.stream.SampleStates.userInExperiment;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.ExposureOutcomeState;
import org.lmrec.schema.PendingExposure;

/**
 * The compact state serializer against Flink's own serializer contract ({@link SerializerTestBase}:
 * round trips, copies, snapshots, duplicates), its size against the Avro serializer it replaces,
 * and the compatibility it declares with the state older versions wrote.
 */
class ExposureOutcomeStateSerializerTest extends SerializerTestBase<ExposureOutcomeState> {

  @Override
  protected TypeSerializer<ExposureOutcomeState> createSerializer() {
    return new ExposureOutcomeStateSerializer();
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<ExposureOutcomeState> getTypeClass() {
    return ExposureOutcomeState.class;
  }

  @Override
  protected ExposureOutcomeState[] getTestData() {
    return new ExposureOutcomeState[] {
      new ExposureOutcomeStateSerializer().createInstance(),
      userInExperiment(5, 10, 20),
      // unicode, a string past DataOutput.writeUTF's 64 KiB, times out of order and negative, no latency
      new ExposureOutcomeState(
          List.of(new PendingExposure("exp-ü", "", "v1", "e\u0000x", Long.MIN_VALUE, List.of("日本", "x".repeat(70_000)), null, false)),
          List.of("e2", "e1", "e3"), List.of("日本", "a", "a"), List.of(5L, -3L, Long.MAX_VALUE), List.of("exp-ü", "other")),
      // items without exposures, exposures without interactions
      new ExposureOutcomeState(List.of(), List.of("e1"), List.of("i1"), List.of(1L), List.of()),
      new ExposureOutcomeState(List.of(new PendingExposure("x", "a", "v", "t", 0L, List.of(), 0L, true)), List.of(), List.of(), List.of(), List.of("x")),
    };
  }

  @Test
  void aTypicalStateTakesLessThanHalfOfAvrosBytes() throws IOException {
    ExposureOutcomeState s = userInExperiment(5, 10, 20);
    int compact = bytes(new ExposureOutcomeStateSerializer(), s).length;
    int avro = bytes(new AvroSerializer<>(ExposureOutcomeState.class), s).length;
    assertThat(compact).as("compact %d bytes vs Avro %d", compact, avro).isLessThan(avro / 2);
  }

  @Test
  void avroStateMigratesOwnStateRestoresAsIsAnythingElseIsRefused() {
    var mine = new ExposureOutcomeStateSerializer().snapshotConfiguration();
    var avro = TypeInformation.of(ExposureOutcomeState.class).createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl())
        .snapshotConfiguration();
    assertThat(avro.getClass().getSimpleName()).isEqualTo("AvroSerializerSnapshot"); // what every earlier version wrote
    assertThat(mine.resolveSchemaCompatibility(avro).isCompatibleAfterMigration()).isTrue();
    assertThat(mine.resolveSchemaCompatibility(new ExposureOutcomeStateSerializer().snapshotConfiguration()).isCompatibleAsIs()).isTrue();
    @SuppressWarnings({"unchecked", "rawtypes"})
    var other = (org.apache.flink.api.common.typeutils.TypeSerializerSnapshot) StringSerializer.INSTANCE.snapshotConfiguration();
    @SuppressWarnings("unchecked")
    var otherResult = mine.resolveSchemaCompatibility(other);
    assertThat(otherResult.isIncompatible()).isTrue();
  }

  @Test
  void corruptBytesAreAnIOExceptionNotAHugeAllocation() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    for (int i = 0; i < 4; i++) out.writeByte(0xff); // a count of 2^28 - 1 strings
    out.writeByte(0x0f);
    assertThatThrownBy(() -> new ExposureOutcomeStateSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isInstanceOf(IOException.class).hasMessageContaining("corrupt exposure-outcomes state");

    byte[] good = bytes(new ExposureOutcomeStateSerializer(), userInExperiment(1, 2, 1));
    int itemIndex = good.length - 7; // the last interaction's item: string 6 of 7, then a 6-byte time
    assertThat(good[itemIndex]).isEqualTo((byte) 6);
    good[itemIndex] = 0x7f; // an index past the string table
    assertThatThrownBy(() -> new ExposureOutcomeStateSerializer().deserialize(new DataInputDeserializer(good))).isInstanceOf(IOException.class);
  }

  private static byte[] bytes(TypeSerializer<ExposureOutcomeState> serializer, ExposureOutcomeState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(s, out);
    return out.getCopyOfBuffer();
  }
}
