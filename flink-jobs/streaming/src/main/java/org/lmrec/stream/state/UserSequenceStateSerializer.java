package org.lmrec.stream.state;

import static org.lmrec.stream.state.CompactBinary.writeString;
import static org.lmrec.stream.state.CompactBinary.writeVarInt;
import static org.lmrec.stream.state.CompactBinary.writeVarLong;
import static org.lmrec.stream.state.CompactBinary.writeZigZag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.lmrec.schema.UserSequenceState;

/**
 * A user's window in a compact binary form, read and rewritten on every interaction. Through
 * Flink's Avro serializer each read resolved the schema field by field and each write boxed and
 * re-encoded every entry; here the window is a count, the item ids as UTF-8, the event times as
 * zig-zag varint deltas (non-decreasing, so mostly a byte or two each) and the event-id hashes as
 * 8 raw bytes (random, nothing to compress).
 *
 * <p>Format version 1: varint n; n item ids (varint length + UTF-8); n times (the first from 0,
 * then from the previous, zig-zag varints); n hashes (8 bytes each); accepted events (varint).
 *
 * <p>The Java type stays the Avro-generated {@link UserSequenceState}, so state written by the Avro
 * serializer (savepoints of earlier versions) migrates on restore ({@link Snapshot}).
 */
public final class UserSequenceStateSerializer extends CompactStateSerializer<UserSequenceState> {
  private static final long serialVersionUID = 1L;

  @Override
  public UserSequenceState createInstance() {
    return new UserSequenceState(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), 0L);
  }

  @Override
  public UserSequenceState copy(UserSequenceState from) {
    return new UserSequenceState(new ArrayList<>(from.getItemIds()), new ArrayList<>(from.getEventTimes()), new ArrayList<>(from.getEventIdHashes()),
        from.getAcceptedEvents());
  }

  @Override
  public void serialize(UserSequenceState s, DataOutputView out) throws IOException {
    int n = s.getItemIds().size();
    if (s.getEventTimes().size() != n || s.getEventIdHashes().size() != n) {
      throw new IOException("user window out of step: " + n + " items, " + s.getEventTimes().size() + " times, " + s.getEventIdHashes().size() + " hashes");
    }
    writeVarInt(out, n);
    for (String item : s.getItemIds()) writeString(out, item);
    long previous = 0;
    for (long t : s.getEventTimes()) {
      writeZigZag(out, t - previous);
      previous = t;
    }
    for (long h : s.getEventIdHashes()) out.writeLong(h);
    writeVarLong(out, s.getAcceptedEvents());
  }

  @Override
  public UserSequenceState deserialize(DataInputView in) throws IOException {
    CompactBinary r = new CompactBinary(SequenceStateFunction.STATE_NAME);
    int n = r.count(in, "entries");
    List<String> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) items.add(r.readString(in));
    List<Long> times = new ArrayList<>(n);
    long previous = 0;
    for (int i = 0; i < n; i++) {
      previous += r.readZigZag(in);
      times.add(previous);
    }
    List<Long> hashes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) hashes.add(in.readLong());
    return new UserSequenceState(items, times, hashes, r.readVarLong(in));
  }

  @Override
  public TypeSerializerSnapshot<UserSequenceState> snapshotConfiguration() {
    return new Snapshot();
  }

  /** This serializer's snapshot (see {@link CompactStateSerializer.Snapshot}); its class name is in every savepoint: never rename or move it. */
  public static final class Snapshot extends CompactStateSerializer.Snapshot<UserSequenceState> {
    @Override
    public TypeSerializer<UserSequenceState> restoreSerializer() {
      return new UserSequenceStateSerializer();
    }
  }
}
