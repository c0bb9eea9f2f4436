package org.lmrec.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

class SafeTensorsTest {
  @Test
  void roundTripsTensorsInOrder() {
    TensorMap m = new TensorMap()
        .put("b.weight", new Tensor(new float[] {1, -2, 3.5f, Float.MIN_VALUE, 5, 6}, 2, 3))
        .put("a", new Tensor(new float[] {7}, 1));
    TensorMap back = SafeTensors.fromBytes(SafeTensors.toBytes(m), "test");
    assertThat(back.names()).containsExactly("b.weight", "a");
    assertThat(back.get("b.weight").shape()).containsExactly(2, 3);
    assertThat(back.get("b.weight").data()).containsExactly(1, -2, 3.5f, Float.MIN_VALUE, 5, 6);
    assertThat(back.get("a").data()).containsExactly(7);
  }

  @Test
  void writesTheStandardLayout() {
    byte[] bytes = SafeTensors.toBytes(new TensorMap().put("x", new Tensor(new float[] {1.5f, 2}, 2)));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = (int) b.getLong();
    String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
    assertThat(header).contains("\"dtype\":\"F32\"").contains("\"shape\":[2]").contains("\"data_offsets\":[0,8]");
    assertThat(b.getFloat(8 + headerLength)).isEqualTo(1.5f);
    assertThat(b.getFloat(12 + headerLength)).isEqualTo(2f);
  }

  /** The bytes are hashed into cache keys and artifact digests: the header's key order must not vary between JVMs. */
  @Test
  void writesTheHeaderKeysInOneOrder() {
    byte[] bytes = SafeTensors.toBytes(new TensorMap().put("x", new Tensor(new float[] {1.5f, 2}, 2)));
    int headerLength = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(new String(bytes, 8, headerLength, StandardCharsets.UTF_8))
        .isEqualTo("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
  }

  @Test
  void refusesTruncatedOrForeignFiles() {
    byte[] good = SafeTensors.toBytes(new TensorMap().put("x", new Tensor(new float[] {1, 2}, 2)));
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 4);
    assertThatThrownBy(() -> SafeTensors.fromBytes(cut, "cut.safetensors")).hasMessageContaining("cut.safetensors").hasMessageContaining("bad offsets");
    assertThatThrownBy(() -> SafeTensors.fromBytes(new byte[] {1, 2}, "tiny")).hasMessageContaining("too short");
    byte[] i64 = good.clone();
    String header = new String(good, 8, (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(), StandardCharsets.UTF_8);
    byte[] replaced = header.replace("F32", "I64").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(replaced, 0, i64, 8, replaced.length);
    assertThatThrownBy(() -> SafeTensors.fromBytes(i64, "ints")).hasMessageContaining("only F32");
  }
}
