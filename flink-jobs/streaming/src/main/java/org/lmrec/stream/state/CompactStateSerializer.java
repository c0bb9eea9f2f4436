package org.lmrec.stream.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;

/**
 * What the job's compact state serializers share: a stateless, configuration-free serializer of a
 * mutable Avro-generated record that never reuses instances. Subclasses write the bytes ({@link
 * CompactBinary}) and deep-copy.
 */
public abstract class CompactStateSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  @Override
  public final boolean isImmutableType() {
    return false;
  }

  @Override
  public final TypeSerializer<T> duplicate() {
    return this; // stateless
  }

  @Override
  public final T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final T deserialize(T reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public final void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public final int hashCode() {
    return getClass().hashCode();
  }

  /**
   * A compact serializer's snapshot: no configuration, one format version. Its own state restores
   * as is; state that Flink's Avro serializer wrote for the same record (every version before the
   * compact one) is migrated by the state backend on restore, read by the old serializer and
   * written by the new one. Each serializer has its own subclass, whose class name is written into
   * every savepoint: never rename or move one.
   */
  public abstract static class Snapshot<T> implements TypeSerializerSnapshot<T> {
    private static final int VERSION = 1;

    @Override
    public final int getCurrentVersion() {
      return VERSION;
    }

    @Override
    public final void writeSnapshot(DataOutputView out) {}

    @Override
    public final void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
      if (readVersion != VERSION) throw new IOException("unknown " + getClass().getName() + " version " + readVersion);
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
      if (old.getClass() == getClass()) return TypeSerializerSchemaCompatibility.compatibleAsIs();
      if (old instanceof AvroSerializerSnapshot) return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
      return TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
