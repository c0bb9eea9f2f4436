package org.lmrec.stream.state;

import static org.lmrec.stream.state.CompactBinary.writeString;
import static org.lmrec.stream.state.CompactBinary.writeVarInt;
import static org.lmrec.stream.state.CompactBinary.writeVarLong;
import static org.lmrec.stream.state.CompactBinary.writeZigZag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;
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
public final class UserSequenceStateSerializer extends TypeSerializer<UserSequenceState> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<UserSequenceState> duplicate() {
    return this; // stateless
  }

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
  public UserSequenceState copy(UserSequenceState from, UserSequenceState reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
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
  public UserSequenceState deserialize(UserSequenceState reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserSequenceStateSerializer;
  }

  @Override
  public int hashCode() {
    return UserSequenceStateSerializer.class.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<UserSequenceState> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * No configuration. Its own state restores as is; state written by Flink's Avro serializer for
   * the same record (every version before this one) is migrated by the backend on restore.
   */
  // Its class name is written into every savepoint: never rename or move it.
  public static final class Snapshot implements TypeSerializerSnapshot<UserSequenceState> {
    private static final int VERSION = 1;

    @Override
    public int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {}

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
      if (readVersion != VERSION) throw new IOException("unknown user-window serializer version " + readVersion);
    }

    @Override
    public TypeSerializer<UserSequenceState> restoreSerializer() {
      return new UserSequenceStateSerializer();
    }

    @Override
    public TypeSerializerSchemaCompatibility<UserSequenceState> resolveSchemaCompatibility(TypeSerializerSnapshot<UserSequenceState> old) {
      if (old instanceof Snapshot) return TypeSerializerSchemaCompatibility.compatibleAsIs();
      if (old instanceof AvroSerializerSnapshot) return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
      return TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
