package org.lmrec.stream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry of served models without Flink: models are strings (their version), and the loads
 * are a fake that a test completes or refuses by hand, in any order.
 */
class ServedModelsTest {
  /** Loads by hand: {@link #complete} and {@link #refuse} settle them; {@link #await} settles at once when {@code awaitLoads}. */
  static final class HandLoads implements ServedModels.Loads {
    final Map<String, ModelPointer> pending = new LinkedHashMap<>();
    final List<String> started = new ArrayList<>();
    final List<String> stopped = new ArrayList<>();
    ServedModels<String> models;
    boolean awaitLoads = true;
    /** Versions whose load fails: refused when settled. */
    final List<String> broken = new ArrayList<>();

    @Override
    public void start(String slot, ModelPointer pointer) {
      ModelPointer current = pending.get(slot);
      if (pointer.equals(current)) return;
      if (current != null) stopped.add(slot + " " + current.version);
      pending.remove(slot);
      pending.put(slot, pointer);
      started.add(slot + " " + pointer.version);
    }

    @Override
    public void cancel(String slot, String why) {
      ModelPointer current = pending.remove(slot);
      if (current != null) stopped.add(slot + " " + current.version);
    }

    @Override
    public boolean isPending(String slot) {
      return pending.containsKey(slot);
    }

    @Override
    public ModelPointer pendingPointer(String slot) {
      return pending.get(slot);
    }

    @Override
    public Map<String, ModelPointer> pendingPointers() {
      return new LinkedHashMap<>(pending);
    }

    @Override
    public void await(String slot) {
      if (awaitLoads && pending.containsKey(slot)) complete(slot);
    }

    void complete(String slot) {
      ModelPointer p = pending.remove(slot);
      if (broken.contains(p.version)) models.refused(slot, p, "refused " + p + ": broken");
      else models.loaded(slot, p, p.version, 3);
    }

    void refuse(String slot) {
      ModelPointer p = pending.remove(slot);
      models.refused(slot, p, "refused " + p + ": not loaded in time");
    }
  }

  int swaps;
  int refusals;
  int unchanged;
  int armMissing;
  final HandLoads loads = new HandLoads();

  private ServedModels<String> registry(int maxExtraModels) {
    ServedModels<String> m = new ServedModels<>(maxExtraModels, v -> v, v -> 10,
        new ServedModels.Counts(() -> swaps++, () -> refusals++, () -> unchanged++, () -> armMissing++));
    loads.models = m;
    return m;
  }

  private static ModelPointer p(String version, long at) {
    return new ModelPointer(version, "file:///models/" + version + "/", "sha-" + version, at);
  }

  private static ModelPointer p(String version, long at, String line) {
    return new ModelPointer(version, "file:///models/" + version + "/", "sha-" + version, at, line);
  }

  private static ScoringRequest request() {
    return new ScoringRequest("u", "e", 0, 0, new String[] {"item-1"});
  }

  @Test
  void servesTheInitialModelThenSwapsWhenAnAnnouncedOneHasLoaded() throws Exception {
    ServedModels<String> models = registry(4);
    assertThat(models.servingVersion()).isEqualTo(ServedModels.NO_MODEL);
    models.start(loads, p("v1", 1));
    assertThat(models.servingVersion()).isEqualTo("v1");

    models.announce(p("v2", 2));
    assertThat(models.servingVersion()).as("the old model serves while the new one loads").isEqualTo("v1");
    assertThat(models.modelFor(request())).isEqualTo("v1");
    assertThat(loads.pendingPointer(ServedModels.DEFAULT_SLOT)).isEqualTo(p("v2", 2));
    loads.complete(ServedModels.DEFAULT_SLOT);
    assertThat(models.servingVersion()).isEqualTo("v2");
    assertThat(models.modelFor(request())).isEqualTo("v2");
    assertThat(swaps).isEqualTo(2);

    // The same pointer again (a redelivery) changes nothing.
    models.announce(p("v2", 2));
    assertThat(unchanged).isEqualTo(1);
    assertThat(loads.pending).isEmpty();

    // A refused load leaves the serving model.
    models.announce(p("v3", 3));
    loads.refuse(ServedModels.DEFAULT_SLOT);
    assertThat(models.servingVersion()).isEqualTo("v2");
    assertThat(refusals).isEqualTo(1);
  }

  @Test
  void aNewerAnnouncementSupersedesTheLoadUnderWayAndAnOlderOneIsRefused() throws Exception {
    ServedModels<String> models = registry(4);
    models.start(loads, p("v1", 1));
    models.announce(p("v2", 20));
    models.announce(p("v3", 30));
    assertThat(loads.stopped).containsExactly(ServedModels.DEFAULT_SLOT + " v2");
    assertThat(loads.pendingPointer(ServedModels.DEFAULT_SLOT).version).isEqualTo("v3");

    // Announced before the one loading: refused, the newer load goes on.
    models.announce(p("v4", 25));
    assertThat(refusals).isEqualTo(1);
    assertThat(loads.pendingPointer(ServedModels.DEFAULT_SLOT).version).isEqualTo("v3");
    loads.complete(ServedModels.DEFAULT_SLOT);
    assertThat(models.servingVersion()).isEqualTo("v3");

    // Older than the line's newest (a replayed signed announcement): refused, nothing loads.
    models.announce(p("v2", 20));
    assertThat(refusals).isEqualTo(2);
    assertThat(loads.pending).isEmpty();
    // A rollback carries the time of the rollback: accepted.
    models.announce(p("v2", 40));
    loads.complete(ServedModels.DEFAULT_SLOT);
    assertThat(models.servingVersion()).isEqualTo("v2");

    // The model serving announced again, no earlier than the load under way, cancels that load.
    models.announce(p("v5", 40));
    models.announce(p("v2", 40));
    assertThat(unchanged).isEqualTo(1);
    assertThat(loads.pending).isEmpty();
    assertThat(loads.stopped).containsExactly(ServedModels.DEFAULT_SLOT + " v2", ServedModels.DEFAULT_SLOT + " v5");
    assertThat(models.servingVersion()).isEqualTo("v2");
    assertThat(refusals).isEqualTo(2);
  }

  @Test
  void anotherLineGetsItsOwnModelWithinTheCapOnExtraModels() throws Exception {
    ServedModels<String> models = registry(1);
    models.start(loads, p("v1", 1));
    models.announce(p("v2", 2, "candidate"));
    assertThat(loads.pendingPointer("line candidate")).isEqualTo(p("v2", 2, "candidate"));
    // The cap counts the load under way: a second new line is refused and loads nothing.
    models.announce(p("v3", 3, "another"));
    assertThat(refusals).isEqualTo(1);
    assertThat(loads.isPending("line another")).isFalse();
    loads.complete("line candidate");

    ScoringRequest treatment = request().inArm("exp-1", "treatment", "candidate", null);
    assertThat(models.modelFor(treatment)).isEqualTo("v2");
    assertThat(treatment.experimentId).isEqualTo("exp-1");
    ScoringRequest control = request().inArm("exp-1", "control", ServedModels.DEFAULT_LINE, null);
    assertThat(models.modelFor(control)).isEqualTo("v1");
    assertThat(models.servingVersion()).as("a line's model never replaces the default one").isEqualTo("v1");

    // A newer version of a line that has a model replaces it: not an extra model.
    models.announce(p("v4", 4, "candidate"));
    assertThat(refusals).isEqualTo(1);
    loads.complete("line candidate");
    assertThat(models.modelFor(request().inArm("exp-1", "treatment", "candidate", null))).isEqualTo("v4");

    // An arm whose line has no model gets the default model and leaves its experiment.
    ScoringRequest missing = request().inArm("exp-2", "ghost", "another", null);
    assertThat(models.modelFor(missing)).isEqualTo("v1");
    assertThat(missing.experimentId).isNull();
    assertThat(missing.arm).isNull();
    assertThat(armMissing).isEqualTo(1);
  }

  @Test
  void anArmPinnedToAVersionLoadsItOnItsFirstRequest() throws Exception {
    ServedModels<String> models = registry(4);
    models.start(loads, p("v1", 1));
    models.announce(p("v3", 2));
    loads.complete(ServedModels.DEFAULT_SLOT);
    models.announce(p("v1", 3)); // back to v1: v3 stays known
    loads.complete(ServedModels.DEFAULT_SLOT);

    ScoringRequest first = request().inArm("exp-1", "old", null, "v3");
    assertThat(models.modelFor(first)).as("not loaded yet: the default model, out of the experiment").isEqualTo("v1");
    assertThat(first.experimentId).isNull();
    assertThat(loads.pendingPointer("version v3")).isEqualTo(p("v3", 2));
    int swapsBefore = swaps;
    loads.complete("version v3");
    assertThat(swaps).as("a pinned version is not a swap").isEqualTo(swapsBefore);

    ScoringRequest pinned = request().inArm("exp-1", "old", null, "v3");
    assertThat(models.modelFor(pinned)).isEqualTo("v3");
    assertThat(pinned.experimentId).isEqualTo("exp-1");
    assertThat(models.servingVersion()).isEqualTo("v1");
    // A version that serves a line already needs no load of its own.
    assertThat(models.modelFor(request().inArm("exp-1", "current", null, "v1"))).isEqualTo("v1");
    // A version never announced is not available, and nothing is loaded for it.
    assertThat(models.modelFor(request().inArm("exp-1", "unknown", null, "v9"))).isEqualTo("v1");
    assertThat(loads.pending).isEmpty();
  }

  @Test
  void aPinnedVersionWhoseLoadIsRefusedIsForgotten() throws Exception {
    ServedModels<String> models = registry(4);
    models.start(loads, p("v1", 1));
    models.announce(p("v3", 2));
    loads.complete(ServedModels.DEFAULT_SLOT);
    models.announce(p("v1", 3));
    loads.complete(ServedModels.DEFAULT_SLOT);
    loads.broken.add("v3");

    models.modelFor(request().inArm("exp-1", "old", null, "v3"));
    loads.complete("version v3");
    assertThat(refusals).isEqualTo(1);
    models.modelFor(request().inArm("exp-1", "old", null, "v3"));
    assertThat(loads.pending).as("not loaded again").isEmpty();
    assertThat(models.servedPointers()).extracting(ptr -> ptr.version).containsExactly("v1");
  }

  @Test
  void aSnapshotRestoresTheModelsTheirOrderAndTheLoadsUnderWay() throws Exception {
    ServedModels<String> models = registry(4);
    models.start(loads, p("v1", 1));
    models.announce(p("v2", 20));
    loads.complete(ServedModels.DEFAULT_SLOT);
    models.announce(p("v5", 30, "candidate"));
    loads.complete("line candidate");
    models.announce(p("v6", 40, "candidate")); // still loading at the checkpoint
    models.modelFor(request().inArm("exp-1", "old", null, "v1")); // v1 serves no line any more, but it is known
    assertThat(loads.pending).containsOnlyKeys("line candidate", "version v1");

    List<ModelPointer> served = models.servedPointers();
    List<ModelPointer> loading = models.loadingPointers();
    assertThat(served).containsExactlyInAnyOrder(p("v1", 1), p("v2", 20), p("v5", 30, "candidate"));
    assertThat(loading).as("a pinned version loads again on its next request").containsExactly(p("v6", 40, "candidate"));

    // Restored in a new task: the lists come back in any order (union state of all subtasks).
    HandLoads fresh = new HandLoads();
    ServedModels<String> restored = new ServedModels<>(4, v -> v, v -> 10,
        new ServedModels.Counts(() -> swaps++, () -> refusals++, () -> unchanged++, () -> armMissing++));
    fresh.models = restored;
    restored.restore(List.of(served.get(2), served.get(0), served.get(1)), loading);
    restored.start(fresh, p("v0", 0));
    assertThat(restored.servingVersion()).as("the default line's model is loaded before the first request").isEqualTo("v2");
    assertThat(fresh.started).containsExactly(ServedModels.DEFAULT_SLOT + " v2", "line candidate v5", "line candidate v6");
    assertThat(fresh.stopped).as("the newest pending announcement of the line supersedes its restored model").containsExactly("line candidate v5");
    fresh.complete("line candidate");
    assertThat(restored.modelFor(request().inArm("exp-1", "t", "candidate", null))).isEqualTo("v6");

    // The announcement order survives: older pointers than each line's newest are refused.
    int refusalsBefore = refusals;
    restored.announce(p("v1", 10));
    restored.announce(p("v5", 35, "candidate"));
    assertThat(refusals).isEqualTo(refusalsBefore + 2);
    assertThat(fresh.pending).isEmpty();
    // Known versions survive too: an arm pinned to v1 can load it.
    restored.modelFor(request().inArm("exp-1", "old", null, "v1"));
    assertThat(fresh.pendingPointer("version v1")).isEqualTo(p("v1", 1));
  }

  @Test
  void aRestoredModelThatCannotBeLoadedFallsBackToTheInitialOneAndKeepsItsOrder() throws Exception {
    ServedModels<String> models = registry(4);
    models.restore(List.of(p("v2", 20)), List.of());
    loads.broken.add("v2");
    models.start(loads, p("v1", 1));
    assertThat(models.servingVersion()).isEqualTo("v1");
    assertThat(refusals).isEqualTo(1);
    models.announce(p("v3", 10));
    assertThat(refusals).as("older than the restored pointer").isEqualTo(2);
    models.announce(p("v3", 30));
    loads.complete(ServedModels.DEFAULT_SLOT);
    assertThat(models.servingVersion()).isEqualTo("v3");
  }

  @Test
  void aRestoredModelStillLoadingAfterTheWaitLeavesTheTaskWithoutModelUntilItLoads() throws Exception {
    ServedModels<String> models = registry(4);
    models.restore(List.of(p("v2", 20)), List.of());
    loads.awaitLoads = false; // the load outlasts the wait
    models.start(loads, p("v1", 1));
    assertThat(models.servingVersion()).isEqualTo(ServedModels.NO_MODEL);
    assertThat(loads.started).as("not the initial model while the restored one may still load").containsExactly(ServedModels.DEFAULT_SLOT + " v2");
    loads.complete(ServedModels.DEFAULT_SLOT);
    assertThat(models.servingVersion()).isEqualTo("v2");
  }

  @Test
  void aSnapshotKeepsTheLastVersionsSeenEachLinesNewestAndTheDefaultOnce() throws Exception {
    ServedModels<String> models = registry(4);
    models.start(loads, null);
    models.announce(p("c1", 0, "candidate"));
    loads.complete("line candidate");
    for (int i = 1; i <= 30; i++) {
      models.announce(p("v" + i, i));
      loads.complete(ServedModels.DEFAULT_SLOT);
    }
    List<ModelPointer> kept = models.servedPointers();
    assertThat(kept).hasSize(ServedModels.KNOWN_VERSIONS_KEPT + 1);
    assertThat(kept).extracting(ptr -> ptr.version).doesNotContain("v10").contains("v11", "v30", "c1");
    assertThat(kept.get(kept.size() - 1)).isEqualTo(p("c1", 0, "candidate"));
  }
}
