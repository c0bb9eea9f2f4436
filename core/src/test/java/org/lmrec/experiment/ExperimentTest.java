package org.lmrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.experiment.Experiments.START;
import static org.lmrec.experiment.Experiments.STOP;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentTest {
  private static final List<Arm> ARMS = Experiments.fiftyFifty("x").arms();

  @Test
  void modelRefIsAVersionOrALine() {
    assertThat(ModelRef.line("main").isLine()).isTrue();
    assertThat(ModelRef.line("main").name()).isEqualTo("main");
    assertThat(ModelRef.version("v3").isLine()).isFalse();
    assertThat(ModelRef.version("v3")).isNotEqualTo(ModelRef.line("v3"));
    assertThat(ModelRef.version("v3")).hasToString("version:v3");
    assertThatThrownBy(() -> ModelRef.line(" ")).isInstanceOf(ExperimentConfigException.class).hasMessageContaining("model.line must be a non-blank name");
  }

  @Test
  void armNeedsANamePositiveWeightAndModel() {
    assertThatThrownBy(() -> new Arm("a", 0, ModelRef.line("main"))).hasMessageContaining("weight must be a positive integer, got 0");
    assertThatThrownBy(() -> new Arm("", 1, ModelRef.line("main"))).hasMessageContaining("name must be a non-blank name");
    assertThatThrownBy(() -> new Arm("a", 1, null)).hasMessageContaining("model is missing");
  }

  @Test
  void populationFractionMustBeInZeroToOne() {
    assertThatThrownBy(() -> new PopulationFilter(0, null)).hasMessageContaining("trafficFraction must be in (0, 1], got 0.0");
    assertThatThrownBy(() -> new PopulationFilter(1.5, null)).hasMessageContaining("got 1.5");
    assertThatThrownBy(() -> new PopulationFilter(Double.NaN, null)).hasMessageContaining("got NaN");
    assertThat(new PopulationFilter(1, "").userIdPrefix()).isNull();
  }

  @Test
  void populationPrefixAndFraction() {
    PopulationFilter prefixed = new PopulationFilter(1, "u");
    assertThat(prefixed.includes("s", "u123")).isTrue();
    assertThat(prefixed.includes("s", "x123")).isFalse();
    PopulationFilter half = new PopulationFilter(0.5, null);
    int in = 0;
    for (int i = 0; i < 100_000; i++) if (half.includes("salt", "user-" + i)) in++;
    assertThat(in / 100_000.0).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
    assertThat(half.includes("salt", "user-7")).isEqualTo(half.includes("salt", "user-7"));
  }

  @Test
  void activeFromStartInclusiveToStopExclusive() {
    Experiment e = Experiments.fiftyFifty("x");
    assertThat(e.isActiveAt(START.toEpochMilli() - 1)).isFalse();
    assertThat(e.isActiveAt(START.toEpochMilli())).isTrue();
    assertThat(e.isActiveAt(STOP.toEpochMilli() - 1)).isTrue();
    assertThat(e.isActiveAt(STOP.toEpochMilli())).isFalse();
    Experiment open = e.withStop(null);
    assertThat(open.isActiveAt(Long.MAX_VALUE)).isTrue();
    assertThat(open.hasStoppedAt(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void theFirstArmIsTheControlAndDefaultsApply() {
    Experiment e = new Experiment("x", 1, "s", ARMS, START, null, null, null);
    assertThat(e.control().name()).isEqualTo("control");
    assertThat(e.treatments()).extracting(Arm::name).containsExactly("treatment");
    assertThat(e.population()).isEqualTo(PopulationFilter.everyone());
    assertThat(e.metric()).isEqualTo("hit");
  }

  @Test
  void validationNamesTheExperimentAndField() {
    assertThatThrownBy(() -> new Experiment("x", 0, "s", ARMS, START, null, null, null))
        .isInstanceOf(ExperimentConfigException.class).hasMessage("experiment 'x': version must be >= 1, got 0");
    assertThatThrownBy(() -> new Experiment("bad id", 1, "s", ARMS, START, null, null, null)).hasMessageContaining("id must be letters").hasMessageContaining("'bad id'");
    assertThatThrownBy(() -> new Experiment("x", 1, "", ARMS, START, null, null, null)).hasMessageContaining("experiment 'x': salt must be a non-empty string");
    assertThatThrownBy(() -> new Experiment("x", 1, "s", ARMS.subList(0, 1), START, null, null, null)).hasMessageContaining("arms needs at least 2 arms").hasMessageContaining("got 1");
    assertThatThrownBy(() -> new Experiment("x", 1, "s", List.of(ARMS.get(0), ARMS.get(1), ARMS.get(0)), START, null, null, null))
        .hasMessage("experiment 'x': arms[2].name 'control' repeats arms[0].name");
    assertThatThrownBy(() -> new Experiment("x", 1, "s", ARMS, null, null, null, null)).hasMessage("experiment 'x': start is missing");
    assertThatThrownBy(() -> new Experiment("x", 1, "s", ARMS, START, START, null, null)).hasMessageContaining("experiment 'x': stop must be after start");
    List<Arm> tiny = List.of(new Arm("a", 100_000, ModelRef.line("main")), new Arm("b", 1, ModelRef.line("main")));
    assertThatThrownBy(() -> new Experiment("x", 1, "s", tiny, START, null, null, null)).hasMessageContaining("arms[1].weight 1 is too small to get any traffic");
    ExperimentConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ExperimentConfigException.class,
        () -> new Experiment("x", 1, "s", ARMS, START, null, null, " "));
    assertThat(e.experimentId()).isEqualTo("x");
    assertThat(e.field()).isEqualTo("metric");
  }
}
