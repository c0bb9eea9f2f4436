package org.lmrec.stream.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the live scorer serves, in plain Java (no Flink): the default line's model, the newest
 * model of every other line ({@code ModelUpdate.modelLine}), and the versions experiment arms are
 * pinned to; which pointer each slot is loading; the announcement order per line ({@link
 * AnnouncementOrder}); and the pointers a checkpoint keeps, as plain lists.
 *
 * <p>The loading itself is someone else's ({@link Loads}: {@link BackgroundModelLoads} in the
 * operator, threads and timeouts); this class decides what to load into which slot, refuses what
 * must be refused, and takes the results ({@link #loaded}, {@link #refused}). A slot is {@code "line
 * <line>"} or {@code "version <version>"}. Every method runs on the task thread.
 *
 * @param <M> a loaded model ({@code BatchRecommender} in the operator)
 */
final class ServedModels<M> {
  private static final Logger LOG = LoggerFactory.getLogger(ServedModels.class);

  /** Version reported while no model has been loaded yet. */
  static final String NO_MODEL = "none";
  /** The name by which an experiment arm asks for the default line (pointers without a line). */
  static final String DEFAULT_LINE = "main";
  /** Slot of the default line's model. */
  static final String DEFAULT_SLOT = "line " + DEFAULT_LINE;
  /** Pointers kept in state for arms pinned to a version, beyond the newest of each line. */
  static final int KNOWN_VERSIONS_KEPT = 20;

  /** Loads models into slots, one pending load per slot (a newer start supersedes); results come back through {@link #loaded}/{@link #refused}. */
  interface Loads {
    /** Starts loading {@code pointer} into {@code slot}; the same pointer already loading there is left alone. May refuse at once. */
    void start(String slot, ModelPointer pointer);

    /** Drops the pending load of {@code slot}, if any. */
    void cancel(String slot, String why);

    boolean isPending(String slot);

    /** The pointer loading into {@code slot}, or null. */
    ModelPointer pendingPointer(String slot);

    /** The loads under way, slot to pointer, in the order they started. */
    Map<String, ModelPointer> pendingPointers();

    /** Waits (bounded) for the pending load of {@code slot} and settles it if it finished. */
    void await(String slot) throws InterruptedException;
  }

  /** What the operator counts (its metrics): every announcement is a swap, a refusal or unchanged. */
  record Counts(Runnable swapped, Runnable refused, Runnable unchanged, Runnable armModelMissing) {}

  private final int maxExtraModels;
  private final Function<M, String> versionOf;
  private final ToIntFunction<M> itemsOf;
  private final Counts counts;
  private Loads loads;

  private ModelPointer servedPointer;
  private M served;
  /** Other lines than the default: the newest accepted pointer of each, and its model. */
  private final Map<String, ModelPointer> linePointers = new HashMap<>();
  private final Map<String, M> lineModels = new HashMap<>();
  /** Every accepted pointer by version (newest last), so an arm pinned to a version can load it. */
  private final LinkedHashMap<String, ModelPointer> knownVersions = new LinkedHashMap<>();
  private final Map<String, M> pinnedModels = new HashMap<>();
  private final Set<String> warnedArms = new HashSet<>();
  /** Per line, the newest accepted announcement: an older pointer is refused (signed replays of old versions). */
  private final AnnouncementOrder order = new AnnouncementOrder();
  /** Announcements still loading at the checkpoint restored from; {@link #start} loads them again. */
  private List<ModelPointer> restoredPending = List.of();

  /**
   * @param maxExtraModels models besides the default line's (other lines, pinned versions), loads under way included
   * @param versionOf a loaded model's version (the one its pointer names: the loader checks that)
   * @param itemsOf a loaded model's catalogue size, for the log
   */
  ServedModels(int maxExtraModels, Function<M, String> versionOf, ToIntFunction<M> itemsOf, Counts counts) {
    this.maxExtraModels = maxExtraModels;
    this.versionOf = versionOf;
    this.itemsOf = itemsOf;
    this.counts = counts;
  }

  static boolean isDefaultLine(String line) {
    return line == null || line.equals(DEFAULT_LINE);
  }

  static String lineSlot(String line) {
    return isDefaultLine(line) ? DEFAULT_SLOT : "line " + line;
  }

  static String versionSlot(String version) {
    return "version " + version;
  }

  private static boolean isVersionSlot(String slot) {
    return slot.startsWith("version ");
  }

  // ---- snapshot and restore, as plain data ----

  /**
   * Takes the pointers of a checkpoint ({@link #servedPointers()} and {@link #loadingPointers()}
   * of every subtask, in any order): the newest default-line pointer is served again, the newest of
   * every other line too, every pointer is known to pinned arms, and each counts for the
   * announcement order. Call before {@link #start}.
   */
  void restore(Iterable<ModelPointer> served, Iterable<ModelPointer> loading) {
    List<ModelPointer> stored = new ArrayList<>();
    for (ModelPointer p : served) {
      stored.add(p);
      order.accepted(p);
    }
    stored.sort(Comparator.comparingLong(p -> p.announcedAt));
    for (ModelPointer p : stored) {
      remember(p);
      if (isDefaultLine(p.line)) {
        servedPointer = p; // the newest default-line pointer
      } else {
        linePointers.put(p.line, p);
      }
    }
    List<ModelPointer> pending = new ArrayList<>();
    for (ModelPointer p : loading) pending.add(p);
    pending.sort(Comparator.comparingLong(p -> p.announcedAt));
    restoredPending = pending;
  }

  /**
   * What a checkpoint keeps of the models served: the default line's pointer, the newest of every
   * other line, and the last few versions seen (for arms pinned to a version), each once.
   */
  List<ModelPointer> servedPointers() {
    LinkedHashMap<String, ModelPointer> keep = new LinkedHashMap<>();
    List<ModelPointer> known = new ArrayList<>(knownVersions.values());
    for (ModelPointer p : known.subList(Math.max(0, known.size() - KNOWN_VERSIONS_KEPT), known.size())) keep.put(p.version + "@" + p.line, p);
    for (ModelPointer p : linePointers.values()) keep.put(p.version + "@" + p.line, p);
    if (servedPointer != null) keep.put(servedPointer.version + "@" + servedPointer.line, servedPointer);
    return new ArrayList<>(keep.values());
  }

  /** The announcements still loading, for the checkpoint; pinned versions load again on their next request. */
  List<ModelPointer> loadingPointers() {
    List<ModelPointer> stillLoading = new ArrayList<>();
    if (loads == null) return stillLoading;
    for (Map.Entry<String, ModelPointer> l : loads.pendingPointers().entrySet()) {
      if (!isVersionSlot(l.getKey())) stillLoading.add(l.getValue());
    }
    return stillLoading;
  }

  /**
   * Starts serving through {@code loads}. The default line's restored model is loaded before this
   * returns (waiting up to the load timeout), so a restored task serves what it served; if there is
   * none or it is refused, {@code initialModel} (may be null). Other lines and the announcements that
   * were still loading at the checkpoint load in the background.
   */
  void start(Loads loads, ModelPointer initialModel) throws InterruptedException {
    this.loads = loads;
    ModelPointer restored = servedPointer;
    servedPointer = null;
    if (restored != null) {
      loads.start(DEFAULT_SLOT, restored);
      loads.await(DEFAULT_SLOT);
    }
    if (served == null && !loads.isPending(DEFAULT_SLOT) && initialModel != null) {
      if (restored != null) LOG.warn("restored model pointer could not be loaded; falling back to the configured initial model");
      loads.start(DEFAULT_SLOT, initialModel);
      loads.await(DEFAULT_SLOT);
    }
    Map<String, ModelPointer> lines = new HashMap<>(linePointers);
    linePointers.clear(); // set again as each line's model arrives
    for (ModelPointer p : lines.values()) startLine(p);
    for (ModelPointer p : restoredPending) announce(p); // oldest first: the newest of each line wins
    restoredPending = List.of();
  }

  // ---- announcements and load results ----

  /**
   * A pointer from the model-update topic: refused when older than its line's newest accepted one or
   * than the one its line is loading; unchanged (and a pending load there cancelled) when its line
   * serves it already; else loaded into its line's slot, superseding a load under way.
   */
  void announce(ModelPointer pointer) {
    String older = order.refusal(pointer).orElse(null);
    if (older != null) {
      counts.refused().run();
      LOG.error("{}; still serving {}", older, servingVersion());
      return;
    }
    ModelPointer loading = loads.pendingPointer(lineSlot(pointer.line));
    if (loading != null && pointer.announcedAt < loading.announcedAt) {
      // A replayed older announcement must not supersede a newer one still loading.
      counts.refused().run();
      LOG.error("refused {}: announced before {}, which is loading", pointer, loading);
      return;
    }
    if (!isDefaultLine(pointer.line)) {
      if (pointer.equals(linePointers.get(pointer.line))) {
        counts.unchanged().run();
        loads.cancel(lineSlot(pointer.line), "line " + pointer.line + " announced the model it serves again");
        return;
      }
      startLine(pointer);
      return;
    }
    if (pointer.equals(servedPointer)) {
      counts.unchanged().run();
      loads.cancel(DEFAULT_SLOT, "the model serving was announced again");
      return;
    }
    loads.start(DEFAULT_SLOT, pointer);
  }

  /** Starts loading the newest version of a line other than the default, within the cap on extra models. */
  private void startLine(ModelPointer pointer) {
    String slot = lineSlot(pointer.line);
    if (!lineModels.containsKey(pointer.line) && !loads.isPending(slot) && !roomForAnotherModel(pointer, "line " + pointer.line + " gets no model")) {
      return;
    }
    loads.start(slot, pointer);
  }

  /** A load into {@code slot} finished: the model serves from now on (the swap). */
  void loaded(String slot, ModelPointer pointer, M model, long elapsedMillis) {
    if (isVersionSlot(slot)) {
      pinnedModels.put(pointer.version, model);
      LOG.info("arms pinned to {} now served ({} items, loaded and verified in {} ms)", pointer, itemsOf.applyAsInt(model), elapsedMillis);
      return;
    }
    if (isDefaultLine(pointer.line)) {
      served = model;
      servedPointer = pointer;
    } else {
      lineModels.put(pointer.line, model);
      linePointers.put(pointer.line, pointer);
    }
    remember(pointer);
    order.accepted(pointer);
    counts.swapped().run();
    LOG.info("{} now serves {} ({} items, loaded and verified in {} ms)", isDefaultLine(pointer.line) ? "the default line" : "line " + pointer.line,
        pointer, itemsOf.applyAsInt(model), elapsedMillis);
  }

  /** A load into {@code slot} was refused (a failed check, the timeout, the thread cap): what served keeps serving. */
  void refused(String slot, ModelPointer pointer, String reason) {
    counts.refused().run();
    String consequence;
    if (isVersionSlot(slot)) {
      knownVersions.remove(pointer.version);
      consequence = "arms pinned to it get the default model";
    } else if (isDefaultLine(pointer.line)) {
      consequence = "still serving " + servingVersion();
    } else {
      consequence = "line " + pointer.line + " keeps " + (linePointers.containsKey(pointer.line) ? linePointers.get(pointer.line).version : "no model");
    }
    LOG.error("{}; {}", reason, consequence);
  }

  /** False (refused, counted, logged) when the models beyond the default line's are at their cap. */
  private boolean roomForAnotherModel(ModelPointer pointer, String consequence) {
    int extra = lineModels.size() + pinnedModels.size() + newExtraModelsLoading();
    if (extra < maxExtraModels) return true;
    counts.refused().run();
    LOG.error("refused {}: {} models besides the default line's are loaded or loading already, the cap (lmrec.models.max-extra-models); {}",
        pointer, extra, consequence);
    return false;
  }

  /** Loads under way that will add a model besides the default line's, not replace one. */
  private int newExtraModelsLoading() {
    int n = 0;
    for (Map.Entry<String, ModelPointer> l : loads.pendingPointers().entrySet()) {
      String slot = l.getKey();
      if (isVersionSlot(slot) || (!slot.equals(DEFAULT_SLOT) && !lineModels.containsKey(l.getValue().line))) n++;
    }
    return n;
  }

  private void remember(ModelPointer pointer) {
    knownVersions.remove(pointer.version);
    knownVersions.put(pointer.version, pointer);
  }

  // ---- which model serves a request ----

  /** The default line's model; null while none is loaded. */
  M served() {
    return served;
  }

  /** Every model held now (the default line's, other lines', pinned versions'), for releasing what belongs to the others. */
  Set<M> held() {
    Set<M> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    if (served != null) out.add(served);
    out.addAll(lineModels.values());
    out.addAll(pinnedModels.values());
    return out;
  }

  String servingVersion() {
    return served == null ? NO_MODEL : versionOf.apply(served);
  }

  /**
   * The model for a request: its experiment arm's, else the default line's; null when none is
   * loaded. An arm whose model is not available (yet) gets the default model and is taken out of
   * its experiment ({@code r.inArm(null, ...)}): serving it another model would put a wrong
   * observation into the experiment, so no exposure is recorded.
   */
  M modelFor(ScoringRequest r) {
    if (r.experimentId != null) {
      M m = armModel(r);
      if (m != null) return m;
      counts.armModelMissing().run();
      if (warnedArms.add(r.experimentId + "/" + r.arm)) {
        LOG.warn("experiment {} arm {}: its model ({}) is not available; its users get the default model and are not counted",
            r.experimentId, r.arm, r.modelLine != null ? "line " + r.modelLine : "version " + r.modelVersion);
      }
      r.inArm(null, null, null, null);
    }
    return served;
  }

  /**
   * The model of a request's experiment arm: the newest version of its line, or its pinned version
   * (loaded in the background on first use, from a pointer seen on the model-update topic); null
   * when not available (yet).
   */
  private M armModel(ScoringRequest r) {
    if (r.modelLine != null) return isDefaultLine(r.modelLine) ? served : lineModels.get(r.modelLine);
    if (r.modelVersion == null) return null;
    if (served != null && versionOf.apply(served).equals(r.modelVersion)) return served;
    for (M m : lineModels.values()) {
      if (versionOf.apply(m).equals(r.modelVersion)) return m;
    }
    M pinned = pinnedModels.get(r.modelVersion);
    ModelPointer pointer = knownVersions.get(r.modelVersion);
    String slot = versionSlot(r.modelVersion);
    if (pinned == null && pointer != null && !loads.isPending(slot) && roomForAnotherModel(pointer, "arms pinned to it get the default model")) {
      loads.start(slot, pointer);
    }
    return pinned;
  }
}
