package org.lmrec.stream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.stream.SampleStates.fullWindow;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.UserSequenceState;

/** The compact window serializer against Flink's serializer contract, Avro's size, and the compatibility it declares. */
class UserSequenceStateSerializerTest extends SerializerTestBase<UserSequenceState> {

  @Override
  protected TypeSerializer<UserSequenceState> createSerializer() {
    return new UserSequenceStateSerializer();
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<UserSequenceState> getTypeClass() {
    return UserSequenceState.class;
  }

  @Override
  protected UserSequenceState[] getTestData() {
    return new UserSequenceState[] {
      new UserSequenceStateSerializer().createInstance(),
      fullWindow(50),
      new UserSequenceState(List.of("日本", "x".repeat(70_000), ""), List.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE), List.of(0L, -1L, Long.MIN_VALUE),
          Long.MAX_VALUE),
    };
  }

  @Test
  void aFullWindowTakesFewerBytesThanAvro() throws IOException {
    UserSequenceState s = fullWindow(50);
    int compact = bytes(new UserSequenceStateSerializer(), s).length;
    int avro = bytes(new AvroSerializer<>(UserSequenceState.class), s).length;
    assertThat(compact).as("compact %d bytes vs Avro %d", compact, avro).isLessThan(avro * 9 / 10);
  }

  @Test
  void avroStateMigratesOwnStateRestoresAsIs() {
    var mine = new UserSequenceStateSerializer().snapshotConfiguration();
    var avro = TypeInformation.of(UserSequenceState.class).createSerializer(new SerializerConfigImpl()).snapshotConfiguration();
    assertThat(mine.resolveSchemaCompatibility(avro).isCompatibleAfterMigration()).isTrue();
    assertThat(mine.resolveSchemaCompatibility(new UserSequenceStateSerializer().snapshotConfiguration()).isCompatibleAsIs()).isTrue();
  }

  @Test
  void corruptBytesAreAnIOException() {
    byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertThatThrownBy(() -> new UserSequenceStateSerializer().deserialize(new DataInputDeserializer(huge)))
        .isInstanceOf(IOException.class).hasMessageContaining("corrupt user-sequence state");
  }

  private static byte[] bytes(TypeSerializer<UserSequenceState> serializer, UserSequenceState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(s, out);
    return out.getCopyOfBuffer();
  }
}
