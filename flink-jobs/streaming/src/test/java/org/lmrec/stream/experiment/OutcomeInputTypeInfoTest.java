package org.lmrec.stream.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.ScoredItem;

/** The outcome join's input type: chained, no copy; on a network edge, exact round trips and bounded reads. */
class OutcomeInputTypeInfoTest {
  private final TypeSerializer<OutcomeInput> serializer = TypeInformation.of(OutcomeInput.class).createSerializer(new SerializerConfigImpl());

  private static Recommendation recommendation() {
    return Recommendation.newBuilder().setTriggeringEventId("e1").setUserId("u").setItems(List.of(new ScoredItem("a", 1f), new ScoredItem("b", 0.5f)))
        .setModelVersion("v1").setExperimentId("exp").setExperimentArm("control").setProducedAt(Instant.ofEpochMilli(5)).setLatencyMillis(3L).build();
  }

  @Test
  void theAnnotatedTypeGetsItsOwnSerializerWhoseCopyIsTheRecordItself() {
    assertThat(serializer).isInstanceOf(OutcomeInputTypeInfo.Serializer.class);
    OutcomeInput exposure = OutcomeInput.exposure(recommendation());
    assertThat(serializer.copy(exposure)).isSameAs(exposure); // chained to the scorer: no deep copy of the recommendation
    assertThat(serializer.isImmutableType()).isTrue();
  }

  @Test
  void exposuresAndStepsRoundTrip() throws IOException {
    for (OutcomeInput in : List.of(OutcomeInput.exposure(recommendation()), OutcomeInput.step("u", "e2", "item-é", 42L))) {
      DataOutputSerializer out = new DataOutputSerializer(64);
      serializer.serialize(in, out);
      OutcomeInput back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(back.toString()).isEqualTo(in.toString());
      assertThat(back.userId()).isEqualTo("u");
    }
  }

  @Test
  void aCorruptLengthIsRefusedNotAllocated() {
    DataOutputSerializer out = new DataOutputSerializer(16);
    assertThatThrownBy(() -> {
      out.writeBoolean(true);
      out.writeInt(Integer.MAX_VALUE);
      serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }).isInstanceOf(IOException.class).hasMessageContaining("exposure of");
  }
}
