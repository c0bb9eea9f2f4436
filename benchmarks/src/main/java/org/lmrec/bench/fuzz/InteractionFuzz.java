package org.lmrec.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.lmrec.schema.InteractionEvent;

/**
 * Interaction events: valid ones for a catalogue of items {@code i1..iN}, and every kind of damage.
 * Bodies are written field by field ({@link RawAvro}) in the current schema's order: eventId,
 * userId, itemId, eventType (enum index), eventTime (long ms), context (union index, then a map).
 */
final class InteractionFuzz implements RecordGenerator {
  static final Schema SCHEMA = InteractionEvent.SCHEMA$;
  private static final int EVENT_TYPES = SCHEMA.getField("eventType").schema().getEnumSymbols().size();

  private final SplittableRandom r;
  private final int users;
  private final int items;
  private final int maxPayloadBytes;
  private final long maxFutureSkewMillis;
  private final String runId;
  private final List<Schema> foreign;
  private final List<Schema> history;
  private long sent;
  private byte[] lastValid;
  private boolean aheadOfTime;

  InteractionFuzz(long seed, int users, int items, int maxPayloadBytes, long maxFutureSkewMillis, String runId) {
    this.r = new SplittableRandom(seed);
    this.users = users;
    this.items = items;
    this.maxPayloadBytes = maxPayloadBytes;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
    this.runId = runId;
    this.foreign = KnownSchemas.foreignTo(SCHEMA);
    this.history = KnownSchemas.history();
  }

  @Override
  public FuzzRecord valid() {
    String user = "u" + r.nextInt(users);
    byte[] v = WireFormat.frame(SCHEMA, body(runId + "-" + sent++, user, "i" + (1 + r.nextInt(items)), 1, System.currentTimeMillis(), -1));
    lastValid = v;
    return new FuzzRecord("valid", user.getBytes(StandardCharsets.UTF_8), v);
  }

  /** A valid body; {@code contextEntries} < 0 writes a null context. */
  static byte[] body(String eventId, String userId, String itemId, int typeIndex, long eventTime, int contextEntries) {
    RawAvro a = new RawAvro().string(eventId).string(userId).string(itemId).varLong(typeIndex).varLong(eventTime);
    if (contextEntries < 0) return a.varLong(0).toByteArray();
    a.varLong(1);
    if (contextEntries > 0) {
      a.varLong(contextEntries);
      for (int i = 0; i < contextEntries; i++) a.string("k" + i).string("v");
    }
    return a.varLong(0).toByteArray();
  }

  @Override
  public FuzzRecord fuzz() {
    byte[] base = lastValid == null ? valid().value() : lastValid;
    long now = System.currentTimeMillis();
    String id = runId + "-" + sent++;
    String user = "u" + r.nextInt(users);
    byte[] key = Keys.draw(r, user);
    switch (r.nextInt(16)) {
      case 0: return new FuzzRecord("random bytes", key, Mutations.randomBytes(r, r.nextBoolean() ? 16 : 4096));
      case 1: return new FuzzRecord("bit-flipped valid", key, Mutations.bitFlipped(r, WireFormat.frame(SCHEMA, body(id, user, item(), 1, now, -1))));
      case 2: return new FuzzRecord("truncated valid", key, Mutations.truncated(r, base));
      case 3: return new FuzzRecord("oversized (over max-payload-bytes)", key,
          Mutations.padded(r, base, maxPayloadBytes + 1 + (r.nextInt(10) == 0 ? r.nextInt(4 * maxPayloadBytes) : r.nextInt(1_024))));
      case 4: { // edge event times: each field type's extremes, through the framing of a valid record
        long[] times = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, now - 86_400_000L * 365 * 30, 253_402_300_800_000L,
            now + maxFutureSkewMillis + 60_000, now + 86_400_000L * 365 * 100};
        return new FuzzRecord("edge eventTime", key, WireFormat.frame(SCHEMA, body(id, user, item(), 1, times[r.nextInt(times.length)], -1)));
      }
      case 5: // accepted by the validator (within the allowed skew), but ahead of every other event
        if (!aheadOfTime) return new FuzzRecord("random bytes", key, Mutations.randomBytes(r, 64));
        return aheadOfTime(key);
      case 6: { // edge strings in each id field
        int field = r.nextInt(3);
        String s = EdgeValues.string(r);
        return new FuzzRecord("edge string in " + List.of("eventId", "userId", "itemId").get(field), key, WireFormat.frame(SCHEMA,
            body(field == 0 ? s : id, field == 1 ? s : user, field == 2 ? s : item(), 1, now, -1)));
      }
      case 7: { // invalid UTF-8 in an id: Avro decodes it with replacement characters
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        return new FuzzRecord("invalid UTF-8 in userId", key, WireFormat.frame(SCHEMA,
            new RawAvro().string(id).bytes(bad).string(item()).varLong(1).varLong(now).varLong(0).toByteArray()));
      }
      case 8: { // enum and union indexes out of range
        boolean enumIndex = r.nextBoolean();
        long[] indexes = {EVENT_TYPES, EVENT_TYPES + 1000L, -1, Integer.MAX_VALUE, Long.MIN_VALUE};
        long index = indexes[r.nextInt(indexes.length)];
        RawAvro a = new RawAvro().string(id).string(user).string(item()).varLong(enumIndex ? index : 1).varLong(now);
        return new FuzzRecord(enumIndex ? "eventType index out of range" : "context union index out of range", key,
            WireFormat.frame(SCHEMA, a.varLong(enumIndex ? 0 : index).toByteArray()));
      }
      case 9: { // huge or negative declared lengths
        long[] lengths = {Integer.MAX_VALUE, Long.MAX_VALUE / 2, Long.MAX_VALUE, -1, -5, Long.MIN_VALUE, 1_000_000};
        long len = lengths[r.nextInt(lengths.length)];
        int where = r.nextInt(2);
        RawAvro a = new RawAvro();
        if (where == 0) a.varLong(len).rawBytes("abc".getBytes(StandardCharsets.UTF_8)); // eventId's length
        else a.string(id).string(user).string(item()).varLong(1).varLong(now).varLong(1).varLong(len).string("k").string("v").varLong(0);
        return new FuzzRecord(where == 0 ? "huge declared string length" : "huge declared map block count", key, WireFormat.frame(SCHEMA, a.toByteArray()));
      }
      case 10: // a large context map, under the payload cap
        return new FuzzRecord("large context map", key, WireFormat.frame(SCHEMA, body(id, user, item(), 1, now, 1 + r.nextInt(5_000))));
      case 11: { // context values with control characters: the validator checks ids only
        RawAvro a = new RawAvro().string(id).string(user).string(item()).varLong(1).varLong(now).varLong(1).varLong(1)
            .string("k\n" + EdgeValues.FORGED_LOG_LINE).string(EdgeValues.string(r)).varLong(0);
        return new FuzzRecord("edge strings in context", key, WireFormat.frame(SCHEMA, a.toByteArray()));
      }
      case 12: { // every field an edge value, as a schema-aware writer would write it
        GenericRecord g = (GenericRecord) EdgeValues.datum(SCHEMA, r, 0);
        return new FuzzRecord("edge values in every field", key, WireFormat.encodeGeneric(g));
      }
      case 13: { // another topic's record type
        Schema s = foreign.get(r.nextInt(foreign.size()));
        return new FuzzRecord("a " + s.getName() + " record", key, WireFormat.encodeGeneric((GenericRecord) EdgeValues.plain(s, r)));
      }
      case 14: { // an older schema version (of this or another record type)
        if (history.isEmpty()) return new FuzzRecord("random bytes", key, Mutations.randomBytes(r, 64));
        Schema s = history.get(r.nextInt(history.size()));
        return new FuzzRecord("history " + s.getName() + " v1", key, WireFormat.encodeGeneric((GenericRecord) EdgeValues.plain(s, r)));
      }
      default: { // redelivery of the last valid record, and a valid record now and then
        if (r.nextBoolean() && lastValid != null) return new FuzzRecord("redelivered valid", key, lastValid);
        FuzzRecord v = valid();
        return new FuzzRecord("valid (among the fuzz)", v.key(), v.value());
      }
    }
  }

  /**
   * A valid event stamped just under the allowed future skew: it passes validation and moves the
   * watermark ahead. The campaign sends these in a phase of their own, after the main fuzz, so that
   * what they do to later traffic does not hide what the other kinds do.
   */
  FuzzRecord aheadOfTime() {
    String user = "u" + r.nextInt(users);
    return aheadOfTime(user.getBytes(StandardCharsets.UTF_8));
  }

  private FuzzRecord aheadOfTime(byte[] key) {
    String user = "u" + r.nextInt(users);
    return new FuzzRecord("eventTime just under max-future-skew", key, WireFormat.frame(SCHEMA,
        body(runId + "-" + sent++, user, item(), 1, System.currentTimeMillis() + maxFutureSkewMillis - 60_000, -1)));
  }

  /** Whether the main fuzz mixes in events just under the future skew (off: they get a phase of their own). */
  InteractionFuzz withAheadOfTime(boolean on) {
    aheadOfTime = on;
    return this;
  }

  private String item() {
    return "i" + (1 + r.nextInt(items));
  }
}
