package org.lmrec.lm;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The nodes and initializers of an {@code .onnx} file, read straight from the protobuf wire format
 * (no generated ONNX classes: the handful of field numbers below is all this package needs).
 *
 * <p>Field numbers (onnx.proto3): ModelProto.graph = 7; GraphProto.node = 1, initializer = 5;
 * NodeProto input = 1, output = 2, name = 3, op_type = 4, attribute = 5; AttributeProto name = 1,
 * f = 2, i = 3, t = 5; TensorProto dims = 1, data_type = 2, float_data = 4, int32_data = 5,
 * int64_data = 7, name = 8, raw_data = 9, double_data = 10, external_data = 13, data_location = 14.
 * Raw data is little-endian. Tensors stored outside the model file (external data, used by
 * checkpoints over 2 GB) are read from their side file.
 */
public final class OnnxGraph {
  private final List<OnnxNode> nodes;
  private final Map<String, OnnxInitializer> initializers;

  private OnnxGraph(List<OnnxNode> nodes, Map<String, OnnxInitializer> initializers) {
    this.nodes = List.copyOf(nodes);
    this.initializers = initializers;
  }

  /** Reads every node and initializer, loading the values of all initializers. */
  public static OnnxGraph read(Path onnxFile) {
    return read(onnxFile, name -> true);
  }

  /**
   * Reads every node and initializer; only initializers accepted by {@code loadValues} get their
   * values (the others keep name, type and shape), which saves memory when a caller needs a few.
   */
  public static OnnxGraph read(Path onnxFile, Predicate<String> loadValues) {
    if (!Files.isRegularFile(onnxFile)) throw new IllegalArgumentException("ONNX file not found: " + onnxFile);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(onnxFile), 1 << 16)) {
      CodedInputStream cin = CodedInputStream.newInstance(in);
      cin.setSizeLimit(Integer.MAX_VALUE);
      Reader reader = new Reader(onnxFile.toAbsolutePath().getParent(), loadValues);
      boolean sawGraph = false;
      while (true) {
        int tag = cin.readTag();
        if (tag == 0) break;
        if (WireFormat.getTagFieldNumber(tag) == 7 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          int limit = cin.pushLimit(cin.readRawVarint32());
          reader.graph(cin);
          cin.popLimit(limit);
          sawGraph = true;
        } else {
          cin.skipField(tag);
        }
      }
      if (!sawGraph) throw new IllegalArgumentException(onnxFile + " holds no ONNX graph (is it an ONNX model?)");
      return new OnnxGraph(reader.nodes, reader.initializers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX file " + onnxFile + ": " + e.getMessage(), e);
    }
  }

  List<OnnxNode> nodes() {
    return nodes;
  }

  public Map<String, OnnxInitializer> initializers() {
    return initializers;
  }

  /** The value of a graph input name when it is an initializer or the output of a Constant node. */
  OnnxInitializer constant(String valueName) {
    OnnxInitializer init = initializers.get(valueName);
    if (init != null) return init;
    for (OnnxNode n : nodes) {
      if (n.opType().equals("Constant") && n.outputs().contains(valueName)) return n.tensorAttributes().get("value");
    }
    return null;
  }

  /** Wire-format walker; keeps what it has read so far. */
  private static final class Reader {
    private final Path baseDir;
    private final Predicate<String> loadValues;
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final Map<String, OnnxInitializer> initializers = new LinkedHashMap<>();

    Reader(Path baseDir, Predicate<String> loadValues) {
      this.baseDir = baseDir;
      this.loadValues = loadValues;
    }

    void graph(CodedInputStream in) throws IOException {
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        int field = WireFormat.getTagFieldNumber(tag);
        if (field == 1 && isMessage(tag)) {
          int limit = in.pushLimit(in.readRawVarint32());
          nodes.add(node(in));
          in.popLimit(limit);
        } else if (field == 5 && isMessage(tag)) {
          int limit = in.pushLimit(in.readRawVarint32());
          OnnxInitializer t = tensor(in, loadValues);
          in.popLimit(limit);
          initializers.put(t.name(), t);
        } else {
          in.skipField(tag);
        }
      }
    }

    private OnnxNode node(CodedInputStream in) throws IOException {
      String name = "";
      String opType = "";
      List<String> inputs = new ArrayList<>();
      List<String> outputs = new ArrayList<>();
      Map<String, Long> ints = new HashMap<>();
      Map<String, Float> floats = new HashMap<>();
      Map<String, OnnxInitializer> tensors = new HashMap<>();
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> inputs.add(in.readStringRequireUtf8());
          case 2 -> outputs.add(in.readStringRequireUtf8());
          case 3 -> name = in.readStringRequireUtf8();
          case 4 -> opType = in.readStringRequireUtf8();
          case 5 -> {
            int limit = in.pushLimit(in.readRawVarint32());
            attribute(in, ints, floats, tensors);
            in.popLimit(limit);
          }
          default -> in.skipField(tag);
        }
      }
      return new OnnxNode(name, opType, inputs, outputs, ints, floats, tensors);
    }

    private void attribute(CodedInputStream in, Map<String, Long> ints, Map<String, Float> floats, Map<String, OnnxInitializer> tensors)
        throws IOException {
      String name = "";
      Long i = null;
      Float f = null;
      OnnxInitializer t = null;
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> name = in.readStringRequireUtf8();
          case 2 -> f = in.readFloat();
          case 3 -> i = in.readInt64();
          case 5 -> {
            int limit = in.pushLimit(in.readRawVarint32());
            t = tensor(in, any -> true); // Constant values are small
            in.popLimit(limit);
          }
          default -> in.skipField(tag);
        }
      }
      if (i != null) ints.put(name, i);
      if (f != null) floats.put(name, f);
      if (t != null) tensors.put(name, t);
    }

    private OnnxInitializer tensor(CodedInputStream in, Predicate<String> load) throws IOException {
      List<Long> dims = new ArrayList<>();
      int dataType = 0;
      String name = "";
      ByteString raw = null;
      List<Float> floatData = new ArrayList<>();
      List<Long> intData = new ArrayList<>();
      List<Double> doubleData = new ArrayList<>();
      Map<String, String> external = new HashMap<>();
      boolean externalLocation = false;
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        int field = WireFormat.getTagFieldNumber(tag);
        boolean packed = isMessage(tag);
        switch (field) {
          case 1 -> readLongs(in, packed, dims);
          case 2 -> dataType = in.readInt32();
          case 4 -> {
            if (packed) {
              int limit = in.pushLimit(in.readRawVarint32());
              while (in.getBytesUntilLimit() > 0) floatData.add(in.readFloat());
              in.popLimit(limit);
            } else {
              floatData.add(in.readFloat());
            }
          }
          case 5, 7 -> readLongs(in, packed, intData);
          case 8 -> name = in.readStringRequireUtf8();
          case 9 -> {
            if (!name.isEmpty() && !load.test(name)) in.skipField(tag);
            else raw = in.readBytes();
          }
          case 10 -> {
            if (packed) {
              int limit = in.pushLimit(in.readRawVarint32());
              while (in.getBytesUntilLimit() > 0) doubleData.add(in.readDouble());
              in.popLimit(limit);
            } else {
              doubleData.add(in.readDouble());
            }
          }
          case 13 -> {
            int limit = in.pushLimit(in.readRawVarint32());
            String key = "";
            String value = "";
            while (!in.isAtEnd()) {
              int t = in.readTag();
              if (WireFormat.getTagFieldNumber(t) == 1) key = in.readStringRequireUtf8();
              else if (WireFormat.getTagFieldNumber(t) == 2) value = in.readStringRequireUtf8();
              else in.skipField(t);
            }
            external.put(key, value);
            in.popLimit(limit);
          }
          case 14 -> externalLocation = in.readEnum() == 1;
          default -> in.skipField(tag);
        }
      }
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      if (!load.test(name)) return new OnnxInitializer(name, shape, dataType, null, null);
      if (externalLocation) raw = externalBytes(name, external);
      return values(name, shape, dataType, raw, floatData, intData, doubleData);
    }

    private ByteString externalBytes(String tensor, Map<String, String> external) throws IOException {
      String location = external.get("location");
      if (location == null) throw new IllegalArgumentException("tensor " + tensor + " says its data is external but names no location");
      Path file = baseDir.resolve(location).normalize();
      long offset = Long.parseLong(external.getOrDefault("offset", "0"));
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
        long length = external.containsKey("length") ? Long.parseLong(external.get("length")) : f.length() - offset;
        byte[] bytes = new byte[Math.toIntExact(length)];
        f.seek(offset);
        f.readFully(bytes);
        return ByteString.copyFrom(bytes);
      }
    }

    private static OnnxInitializer values(
        String name, long[] shape, int dataType, ByteString raw, List<Float> floatData, List<Long> intData, List<Double> doubleData) {
      switch (dataType) {
        case OnnxInitializer.FLOAT -> {
          float[] v;
          if (raw != null) {
            v = new float[raw.size() / Float.BYTES];
            raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
          } else {
            v = new float[floatData.size()];
            for (int i = 0; i < v.length; i++) v[i] = floatData.get(i);
          }
          return new OnnxInitializer(name, shape, dataType, v, null);
        }
        case OnnxInitializer.DOUBLE -> {
          float[] v;
          if (raw != null) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            v = new float[raw.size() / Double.BYTES];
            for (int i = 0; i < v.length; i++) v[i] = (float) b.getDouble();
          } else {
            v = new float[doubleData.size()];
            for (int i = 0; i < v.length; i++) v[i] = doubleData.get(i).floatValue();
          }
          return new OnnxInitializer(name, shape, dataType, v, null);
        }
        case OnnxInitializer.INT64, OnnxInitializer.INT32 -> {
          long[] v;
          if (raw != null) {
            ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            boolean wide = dataType == OnnxInitializer.INT64;
            v = new long[raw.size() / (wide ? Long.BYTES : Integer.BYTES)];
            for (int i = 0; i < v.length; i++) v[i] = wide ? b.getLong() : b.getInt();
          } else {
            v = intData.stream().mapToLong(Long::longValue).toArray();
          }
          return new OnnxInitializer(name, shape, dataType, null, v);
        }
        default -> {
          return new OnnxInitializer(name, shape, dataType, null, null); // types this package never reads
        }
      }
    }

    private static void readLongs(CodedInputStream in, boolean packed, List<Long> out) throws IOException {
      if (packed) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) out.add(in.readInt64());
        in.popLimit(limit);
      } else {
        out.add(in.readInt64());
      }
    }

    private static boolean isMessage(int tag) {
      return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
  }
}
