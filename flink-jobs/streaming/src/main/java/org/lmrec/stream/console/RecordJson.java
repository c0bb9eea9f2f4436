package org.lmrec.stream.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Decoded Avro records as JSON, field by field in schema order: timestamps as ISO-8601 (what
 * {@link JsonRecords} reads back), enums by name, bytes as hex. Lines are written with every
 * non-ASCII character escaped, so text from a hostile record (a U+202E, a terminal escape) cannot
 * rewrite what the console shows; {@code jq} reads the escapes back.
 */
final class RecordJson {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper WRITER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  /** Bytes fields (a dead letter's raw value, up to 512 KiB) are cut here: the console is for reading. */
  static final int MAX_HEX_BYTES = 64;

  private RecordJson() {}

  static ObjectNode of(IndexedRecord record) {
    ObjectNode node = NODES.objectNode();
    for (Schema.Field f : record.getSchema().getFields()) {
      node.set(f.name(), value(record.get(f.pos())));
    }
    return node;
  }

  static String line(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e); // a tree built here always serializes
    }
  }

  private static JsonNode value(Object v) {
    if (v == null) return NODES.nullNode();
    if (v instanceof IndexedRecord r) return of(r);
    if (v instanceof CharSequence s) return NODES.textNode(s.toString());
    if (v instanceof Enum<?> e) return NODES.textNode(e.name());
    if (v instanceof Instant t) return NODES.textNode(t.toString());
    if (v instanceof Long l) return NODES.numberNode(l);
    if (v instanceof Integer i) return NODES.numberNode(i);
    if (v instanceof Float f) return NODES.numberNode(f);
    if (v instanceof Double d) return NODES.numberNode(d);
    if (v instanceof Boolean b) return NODES.booleanNode(b);
    if (v instanceof ByteBuffer b) return NODES.textNode(hex(bytes(b)));
    if (v instanceof List<?> list) {
      ArrayNode a = NODES.arrayNode();
      list.forEach(x -> a.add(value(x)));
      return a;
    }
    if (v instanceof Map<?, ?> map) {
      ObjectNode o = NODES.objectNode();
      map.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
      return o;
    }
    return NODES.textNode(v.toString());
  }

  static byte[] bytes(ByteBuffer b) {
    ByteBuffer copy = b.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  /** At most {@link #MAX_HEX_BYTES} bytes in hex; a longer value says how long it was. */
  static String hex(byte[] b) {
    if (b.length <= MAX_HEX_BYTES) return HexFormat.of().formatHex(b);
    return HexFormat.of().formatHex(b, 0, MAX_HEX_BYTES) + "... (" + b.length + " bytes)";
  }

  /** A record key as text when it is UTF-8 (every lmrec key is), else {@code hex:...}; null stays null. */
  static JsonNode key(byte[] key) {
    if (key == null) return NODES.nullNode();
    try {
      CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key));
      return NODES.textNode(text.toString());
    } catch (CharacterCodingException e) {
      return NODES.textNode("hex:" + hex(key));
    }
  }
}
