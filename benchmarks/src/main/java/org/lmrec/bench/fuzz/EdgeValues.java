package org.lmrec.bench.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Datums of any Avro schema whose every field holds an edge value of its type, drawn from a seeded
 * random: extreme instants and longs, empty, huge, unicode and control-character strings, NaN and
 * infinities. Valid Avro for the schema, hostile content for the job.
 */
final class EdgeValues {
  /** A line a string would forge in a log if written there unescaped; the campaign searches the log for it. */
  static final String FORGED_LOG_LINE = "FUZZLOG forged line";

  static final long[] LONGS = {
      Long.MIN_VALUE, Long.MIN_VALUE + 1, -62_135_596_800_001L /* before year 1 */, -1, 0, 1,
      253_402_300_800_000L /* after 9999-12-31 */, 8_640_000_000_000_000L /* Instant.MAX-ish in ms */,
      Long.MAX_VALUE - 1, Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE};
  static final int[] INTS = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
  static final double[] DOUBLES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
      Double.MAX_VALUE, -Double.MAX_VALUE, 1e-320};

  private EdgeValues() {}

  /** An edge string: empty, huge, unicode, control characters, a forged log line, bidi overrides. */
  static String string(SplittableRandom r) {
    switch (r.nextInt(14)) {
      case 0: return "";
      case 1: return "x".repeat(257); // one over the default id limit
      case 2: return "u".repeat(20_000 + r.nextInt(20_000)); // huge, under the 64 KiB payload cap
      case 3: return "usér-日本語-🎉-" + r.nextInt(1000);
      case 4: return "id\n" + FORGED_LOG_LINE + " " + r.nextInt(1000);
      case 5: return "id\r\n" + FORGED_LOG_LINE + "\u001b[31m red " + r.nextInt(1000);
      case 6: return "nul\u0000byte" + r.nextInt(1000);
      case 7: return "\u202egnp.exe-" + r.nextInt(1000); // right-to-left override: not whitespace, not ISO control
      case 8: return "zero\u200bwidth\u00a0nbsp-" + r.nextInt(1000); // Java's isWhitespace is false for both
      case 9: return "lone\ud800surrogate-" + r.nextInt(1000);
      case 10: return "../../etc/passwd";
      case 11: return "file:///etc/passwd";
      case 12: return "${jndi:ldap://127.0.0.1/x}-" + r.nextInt(1000);
      default: return "u" + r.nextInt(1000);
    }
  }

  private static String small(String s) {
    return s.length() > 300 ? s.substring(0, 300) : s;
  }

  static long anyLong(SplittableRandom r) {
    return LONGS[r.nextInt(LONGS.length)];
  }

  /** A datum of {@code schema} whose fields are all edge values. */
  static Object datum(Schema schema, SplittableRandom r, int depth) {
    return datum(schema, r, depth, false);
  }

  /** A datum of {@code schema} with plausible, short values: what a producer of that record type would send. */
  static Object plain(Schema schema, SplittableRandom r) {
    return datum(schema, r, 0, true);
  }

  private static Object datum(Schema schema, SplittableRandom r, int depth, boolean plain) {
    if (plain) {
      switch (schema.getType()) {
        case STRING: return "s" + r.nextInt(1000);
        case LONG: return System.currentTimeMillis() - r.nextInt(60_000);
        case INT: return r.nextInt(100);
        case DOUBLE: return r.nextDouble();
        case FLOAT: return r.nextFloat();
        case BYTES: return ByteBuffer.wrap(new byte[] {1, 2, 3});
        case ARRAY: case MAP:
          if (depth > 1) return schema.getType() == Schema.Type.ARRAY ? new GenericData.Array<>(schema, List.of()) : Map.of();
          break;
        default: break;
      }
    }
    switch (schema.getType()) {
      case RECORD: {
        GenericRecord rec = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) rec.put(f.pos(), datum(f.schema(), r, depth + 1, plain));
        return rec;
      }
      case ENUM: return new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(r.nextInt(schema.getEnumSymbols().size())));
      case UNION: return datum(schema.getTypes().get(r.nextInt(schema.getTypes().size())), r, depth, plain);
      case STRING: return depth > 1 ? small(string(r)) : string(r); // huge strings only at the top, to stay under 1 MB
      case BYTES: {
        byte[] b = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(2_000)];
        r.nextBytes(b);
        return ByteBuffer.wrap(b);
      }
      case LONG: return anyLong(r);
      case INT: return INTS[r.nextInt(INTS.length)];
      case DOUBLE: return DOUBLES[r.nextInt(DOUBLES.length)];
      case FLOAT: return (float) DOUBLES[r.nextInt(DOUBLES.length)];
      case BOOLEAN: return r.nextBoolean();
      case NULL: return null;
      case ARRAY: {
        int n = depth > 3 ? 0 : plain ? 1 + r.nextInt(3) : (r.nextBoolean() ? 0 : r.nextInt(r.nextBoolean() ? 3 : 2_000));
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(datum(schema.getElementType(), r, depth + 1, plain));
        return new GenericData.Array<>(schema, l);
      }
      case MAP: {
        int n = depth > 3 ? 0 : plain ? 1 + r.nextInt(3) : (r.nextBoolean() ? 0 : r.nextInt(r.nextBoolean() ? 3 : 1_000));
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < n; i++) m.put("k" + i, datum(schema.getValueType(), r, depth + 1, plain));
        return m;
      }
      case FIXED: {
        byte[] b = new byte[schema.getFixedSize()];
        r.nextBytes(b);
        return new GenericData.Fixed(schema, b);
      }
      default: throw new IllegalArgumentException("no edge values for " + schema.getType());
    }
  }
}
