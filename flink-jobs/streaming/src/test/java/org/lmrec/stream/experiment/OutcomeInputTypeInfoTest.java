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
  void exposuresStepsAndAnsweredInteractionsRoundTrip() throws IOException {
    for (OutcomeInput in : List.of(OutcomeInput.exposure(recommendation()), OutcomeInput.step("u", "e2", "item-é", 42L),
        OutcomeInput.step("u", "e3", null, 43L), OutcomeInput.answered(recommendation(), "item-1", 41L))) {
      DataOutputSerializer out = new DataOutputSerializer(64);
      serializer.serialize(in, out);
      OutcomeInput back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(back.toString()).isEqualTo(in.toString());
      assertThat(back.userId()).isEqualTo("u");
      assertThat(back.hasStep()).isEqualTo(in.hasStep());
      assertThat(back.isExposure()).isEqualTo(in.isExposure());
    }
  }

  @Test
  void aStepThatIsNotItsExposuresTriggerIsRefused() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(OutcomeInput.answered(recommendation(), "item-1", 41L), out);
    byte[] bytes = out.getCopyOfBuffer();
    String wire = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    String trigger = recommendation().getTriggeringEventId();
    int at = wire.lastIndexOf(trigger); // the step's copy of the event id, after the Avro bytes
    bytes[at] = (byte) (bytes[at] + 1);
    assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(bytes))).isInstanceOf(IOException.class)
        .hasMessageContaining("with the exposure of");
  }

  @Test
  void aCorruptLengthIsRefusedNotAllocated() {
    DataOutputSerializer out = new DataOutputSerializer(16);
    assertThatThrownBy(() -> {
      out.writeByte(1); // an exposure alone
      out.writeInt(Integer.MAX_VALUE);
      serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }).isInstanceOf(IOException.class).hasMessageContaining("exposure of");
  }
}
