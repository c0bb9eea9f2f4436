package org.lmrec.stream.experiment;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.Recommendation;

/**
 * Flink's type information for {@link OutcomeInput}. Its serializer treats the record as immutable
 * (copy returns it), so the chained join gets the scorer's instance without a deep copy of the
 * recommendation; on a network edge (only if the join ever runs apart from the scorer) a kind byte,
 * an exposure as Avro single-object bytes (or, for a step alone, the user), then a step's event,
 * item and time. Never in state.
 */
public final class OutcomeInputTypeInfo extends TypeInformation<OutcomeInput> {
  private static final long serialVersionUID = 1L;

  /** What {@link org.apache.flink.api.common.typeinfo.TypeInfo} on {@link OutcomeInput} names. */
  public static final class Factory extends TypeInfoFactory<OutcomeInput> {
    @Override
    public TypeInformation<OutcomeInput> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new OutcomeInputTypeInfo();
    }
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<OutcomeInput> getTypeClass() {
    return OutcomeInput.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<OutcomeInput> createSerializer(SerializerConfig config) {
    return Serializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "OutcomeInput";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutcomeInputTypeInfo;
  }

  @Override
  public int hashCode() {
    return OutcomeInputTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof OutcomeInputTypeInfo;
  }

  /** Stateless: one instance; copies are the record itself. */
  public static final class Serializer extends TypeSerializerSingleton<OutcomeInput> {
    private static final long serialVersionUID = 1L;
    static final Serializer INSTANCE = new Serializer();
    private static final int MAX_EXPOSURE_BYTES = 16 << 20;
    private static final int EXPOSURE = 1;
    private static final int STEP = 2;
    // a singleton serves every thread: the codec's encoder and decoder are per thread
    private static final ThreadLocal<AvroCodec<Recommendation>> CODEC = ThreadLocal.withInitial(() -> AvroCodec.of(Recommendation.class));

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public OutcomeInput createInstance() {
      return OutcomeInput.step("", "", "", 0);
    }

    @Override
    public OutcomeInput copy(OutcomeInput from) {
      return from;
    }

    @Override
    public OutcomeInput copy(OutcomeInput from, OutcomeInput reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(OutcomeInput r, DataOutputView out) throws IOException {
      out.writeByte((r.isExposure() ? EXPOSURE : 0) | (r.hasStep() ? STEP : 0));
      if (r.isExposure()) {
        byte[] bytes = codec().encode(r.exposureRecord());
        out.writeInt(bytes.length);
        out.write(bytes);
      } else {
        out.writeUTF(r.userId());
      }
      if (r.hasStep()) {
        out.writeUTF(r.eventId());
        out.writeBoolean(r.itemId() != null);
        if (r.itemId() != null) out.writeUTF(r.itemId());
        out.writeLong(r.eventTime());
      }
    }

    @Override
    public OutcomeInput deserialize(DataInputView in) throws IOException {
      int kind = in.readUnsignedByte();
      if (kind == 0 || (kind & ~(EXPOSURE | STEP)) != 0) throw new IOException("not an outcome input: kind " + kind);
      Recommendation exposure = null;
      String userId = null;
      if ((kind & EXPOSURE) != 0) {
        int n = in.readInt();
        if (n < 0 || n > MAX_EXPOSURE_BYTES) throw new IOException("exposure of " + n + " bytes");
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        exposure = codec().decode(bytes);
      } else {
        userId = in.readUTF();
      }
      if ((kind & STEP) == 0) return OutcomeInput.exposure(exposure);
      String eventId = in.readUTF();
      String itemId = in.readBoolean() ? in.readUTF() : null;
      long eventTime = in.readLong();
      if (exposure == null) return OutcomeInput.step(userId, eventId, itemId, eventTime);
      if (!eventId.equals(exposure.getTriggeringEventId())) throw new IOException("a step of event " + eventId + " with the exposure of " + exposure.getTriggeringEventId());
      return OutcomeInput.answered(exposure, itemId, eventTime);
    }

    @Override
    public OutcomeInput deserialize(OutcomeInput reuse, DataInputView in) throws IOException {
      return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
      serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<OutcomeInput> snapshotConfiguration() {
      return new Snapshot();
    }

    private static AvroCodec<Recommendation> codec() {
      return CODEC.get();
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }

  /** The serializer's snapshot (never in a savepoint: the type is not kept in state). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<OutcomeInput> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
