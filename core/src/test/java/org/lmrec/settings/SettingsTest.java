package org.lmrec.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lmrec.model.LossType;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.settings.Settings.Sets;

class SettingsTest {
  enum Shape {
    ROUND,
    SQUARE;

    public static Shape parse(String s) {
      return s.strip().equals("o") ? ROUND : valueOf(s.strip().toUpperCase(Locale.ROOT));
    }
  }

  enum Plain { A, B }

  @Settings.Text
  record Tag(String name) {
    @Override
    public String toString() {
      return "Tag:" + name;
    }
  }

  record Inner(int size, Shape shape) implements Settings<Inner> {}

  record Outer(Inner inner, Tag tag, Plain plain, ModelKind kind, float rate, long seed, Duration every) implements Settings<Outer> {
    Outer {
      if (rate < 0 || rate > seed) throw new IllegalArgumentException("rate must be in [0, seed], got " + rate);
    }
  }

  private static final Outer OUTER = new Outer(new Inner(3, Shape.ROUND), new Tag("t"), Plain.B, ModelKind.GRU4REC, 0.5f, 2L, Duration.ofMinutes(1));

  @Test
  @SuppressWarnings("unchecked")
  void mapHasComponentsInOrderWithNestedSettingsTextRecordsEnumsAndOtherValues() {
    Map<String, Object> m = OUTER.toMap();
    assertThat(m).containsExactly(
        Map.entry("inner", Map.of("size", 3, "shape", "ROUND")),
        Map.entry("tag", "Tag:t"),
        Map.entry("plain", "B"),
        Map.entry("kind", "gru4rec"),
        Map.entry("rate", 0.5f),
        Map.entry("seed", 2L),
        Map.entry("every", "PT1M"));
    assertThat(String.join(",", ((Map<String, ?>) m.get("inner")).keySet())).isEqualTo("size,shape");
  }

  @Test
  void withChangesOneComponentAndEditBuildsOnceSoIntermediateStatesAreNotValidated() {
    assertThat(OUTER.with(Outer::plain, Plain.A)).isEqualTo(new Outer(OUTER.inner(), OUTER.tag(), Plain.A, ModelKind.GRU4REC, 0.5f, 2L, OUTER.every()));
    assertThatThrownBy(() -> OUTER.with(Outer::rate, 5f)).hasMessage("rate must be in [0, seed], got 5.0");
    Outer both = OUTER.edit().set(Outer::rate, 5f).set(Outer::seed, 10L).build();
    assertThat(both.rate()).isEqualTo(5f);
    assertThat(both.seed()).isEqualTo(10L);
  }

  @Test
  void aMethodReferenceThatIsNoComponentIsRefused() {
    assertThatThrownBy(() -> OUTER.with((Settings.Component<Outer, Map<String, Object>>) Outer::toMap, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toMap is not a component of Outer");
  }

  @Test
  void fromMapReadsWhatToMapWroteWithNumbersAsAnyNumberOrText() {
    ModelConfig c = ModelConfig.defaults(ModelKind.GRU4REC).withDim(48).withLoss(LossType.BCE);
    assertThat(ModelConfig.fromMap(c.toMap())).isEqualTo(c);
    Map<String, Object> json = new LinkedHashMap<>(c.toMap());
    json.put("dim", "48");
    json.put("dropout", 0.3d);
    json.put("seed", 42);
    assertThat(ModelConfig.fromMap(json)).isEqualTo(c);
    json.remove("heads");
    assertThatThrownBy(() -> ModelConfig.fromMap(json)).hasMessage("model config lacks 'heads'");
    json.put("heads", "one");
    assertThatThrownBy(() -> ModelConfig.fromMap(json)).hasMessage("model config 'heads' is not a number: one");
  }

  static final class Options {
    @Sets(value = "size", in = Inner.class)
    Integer size;

    @Sets(value = "shape", in = Inner.class)
    String shape;

    @Sets(value = "rate", in = Outer.class)
    Float rate;

    @Sets(value = "plain", in = Outer.class)
    String plain;

    Integer notASetting = 99;
  }

  @Test
  void applyCopiesNonNullOptionFieldsIntoTheirRecordsParsingText() {
    Options o = new Options();
    assertThat(Settings.apply(OUTER, o)).isSameAs(OUTER);
    o.size = 7;
    o.shape = " o ";
    o.plain = "a";
    Outer applied = Settings.apply(OUTER, o);
    assertThat(applied.inner()).isEqualTo(new Inner(7, Shape.ROUND));
    assertThat(applied.plain()).isEqualTo(Plain.A);
    assertThat(applied.rate()).isEqualTo(0.5f);
    o.shape = "square";
    o.rate = 1.5f;
    assertThat(Settings.apply(OUTER, o)).extracting(r -> r.inner().shape(), Outer::rate).isEqualTo(List.of(Shape.SQUARE, 1.5f));
    o.rate = 9f;
    assertThatThrownBy(() -> Settings.apply(OUTER, o)).hasMessage("rate must be in [0, seed], got 9.0");
  }

  static final class Misnamed {
    @Sets(value = "sizes", in = Inner.class)
    Integer size = 1;
  }

  @Test
  void anOptionNamingNoComponentFails() {
    assertThatThrownBy(() -> Settings.apply(OUTER, new Misnamed())).hasMessageContaining("sets 'sizes', not a component of Inner");
  }
}
