package org.lmrec.artifact;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * Float32 tensors in the safetensors layout (8-byte little-endian header length, a JSON header
 * of name to dtype/shape/byte offsets, then raw little-endian data). Used for the enhancers'
 * stage outputs (LoRA weights, heads, embedding tables), so that other tools such as
 * HuggingFace PEFT can read them too.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  public static byte[] toBytes(TensorMap tensors) {
    Map<String, Object> header = new LinkedHashMap<>();
    long offset = 0;
    for (String name : tensors.names()) {
      Tensor t = tensors.get(name);
      long end = offset + 4L * t.size();
      // A fixed key order: Map.of's order changes from JVM to JVM, and these bytes are hashed (stage
      // cache keys, artifact digests), so the same tensors must give the same bytes in every run.
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      entry.put("shape", t.shape());
      entry.put("data_offsets", List.of(offset, end));
      header.put(name, entry);
      offset = end;
    }
    byte[] headerBytes;
    try {
      headerBytes = JSON.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode safetensors header", e);
    }
    if (offset + headerBytes.length + 8 > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensors too large for one safetensors byte array: " + offset + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate(8 + headerBytes.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(headerBytes.length).put(headerBytes);
    // asFloatBuffer does not advance the parent buffer: place each tensor at its own offset
    int pos = 8 + headerBytes.length;
    for (String name : tensors.names()) {
      float[] data = tensors.get(name).data();
      out.position(pos);
      out.asFloatBuffer().put(data);
      pos += 4 * data.length;
    }
    return out.array();
  }

  public static void write(Path file, TensorMap tensors) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, toBytes(tensors));
  }

  public static TensorMap read(Path file) {
    try {
      return fromBytes(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new ArtifactException(file, "cannot read safetensors file: " + e, e);
    }
  }

  public static TensorMap fromBytes(byte[] bytes, String source) {
    if (bytes.length < 8) throw new IllegalArgumentException(source + ": too short for a safetensors file");
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = in.getLong();
    if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
      throw new IllegalArgumentException(source + ": bad safetensors header length " + headerLength);
    }
    Map<String, Map<String, Object>> header;
    try {
      header = JSON.readValue(
          new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8), new TypeReference<>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": safetensors header is not valid JSON: " + e.getMessage(), e);
    }
    int dataStart = 8 + (int) headerLength;
    TensorMap out = new TensorMap();
    for (Map.Entry<String, Map<String, Object>> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) continue;
      Map<String, Object> entry = e.getValue();
      if (!"F32".equals(entry.get("dtype"))) {
        throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' has dtype " + entry.get("dtype") + ", only F32 is supported");
      }
      int[] shape = ((List<?>) entry.get("shape")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
      List<?> offsets = (List<?>) entry.get("data_offsets");
      long begin = ((Number) offsets.get(0)).longValue();
      long end = ((Number) offsets.get(1)).longValue();
      if (begin < 0 || end < begin || dataStart + end > bytes.length || (end - begin) % 4 != 0) {
        throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' has bad offsets " + offsets);
      }
      float[] data = new float[(int) ((end - begin) / 4)];
      ByteBuffer slice = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
      slice.asFloatBuffer().get(data);
      out.put(e.getKey(), new Tensor(data, shape));
    }
    return out;
  }
}
