package org.lmrec.stream.experiment;

import static org.lmrec.stream.state.CompactBinary.writeVarInt;
import static org.lmrec.stream.state.CompactBinary.writeZigZag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.lmrec.schema.ExposureOutcomeState;
import org.lmrec.schema.PendingExposure;
import org.lmrec.stream.state.CompactBinary;
import org.lmrec.stream.state.CompactStateSerializer;

/**
 * The outcome join's keyed state in a compact binary form. The join reads and rewrites a user's
 * whole state on every exposure and every interaction, and through Flink's Avro serializer that
 * was half of an A/B job's CPU (string decoding and Avro's per-field resolution). Here every
 * distinct string of a state is written once, in a table, and referred to by index: the ids of
 * the items shown by consecutive exposures overlap, experiment, arm and model version repeat in
 * every pending exposure, and an exposure's triggering event is usually one of the recent
 * interactions too. Times are varint deltas.
 *
 * <p>Format version 1: {@code strings} (varint count, then each as a varint length and its UTF-8 bytes); enrolled
 * experiments (varint count, indexes); pending exposures (varint count; each: experiment, arm,
 * model version and triggering event as indexes, trigger time as a zig-zag varint, shown items as a
 * count and indexes, a flag byte (1 = latency present, 2 = first exposure of the user), the latency
 * as a zig-zag varint when present); recent interactions (varint count; each: event and item as
 * indexes, time as a zig-zag delta from the previous one, the first from 0).
 *
 * <p>The Java type stays the Avro-generated {@link ExposureOutcomeState}, so state written by the
 * Avro serializer (savepoints of earlier versions) migrates on restore: {@link Snapshot} declares
 * itself compatible after migration with Flink's Avro serializer snapshot.
 */
public final class ExposureOutcomeStateSerializer extends CompactStateSerializer<ExposureOutcomeState> {
  private static final long serialVersionUID = 1L;

  @Override
  public ExposureOutcomeState createInstance() {
    return new ExposureOutcomeState(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }

  @Override
  public ExposureOutcomeState copy(ExposureOutcomeState from) {
    List<PendingExposure> pending = new ArrayList<>(from.getPending().size());
    for (PendingExposure p : from.getPending()) {
      pending.add(new PendingExposure(p.getExperimentId(), p.getExperimentArm(), p.getModelVersion(), p.getTriggeringEventId(), p.getTriggerTime(),
          new ArrayList<>(p.getShownItems()), p.getLatencyMillis(), p.getFirstExposureOfUser()));
    }
    return new ExposureOutcomeState(pending, new ArrayList<>(from.getStepEventIds()), new ArrayList<>(from.getStepItemIds()),
        new ArrayList<>(from.getStepTimes()), new ArrayList<>(from.getEnrolledExperiments()));
  }

  @Override
  public void serialize(ExposureOutcomeState s, DataOutputView out) throws IOException {
    int steps = s.getStepTimes().size();
    if (s.getStepEventIds().size() != steps || s.getStepItemIds().size() != steps) {
      throw new IOException("recent interactions out of step: " + s.getStepEventIds().size() + " event ids, " + s.getStepItemIds().size()
          + " item ids, " + steps + " times");
    }
    // One pass collects the distinct strings and, in write order, the index of every reference.
    int references = s.getEnrolledExperiments().size() + 2 * steps;
    for (PendingExposure p : s.getPending()) references += 4 + p.getShownItems().size();
    StringTable strings = new StringTable(references);
    for (String e : s.getEnrolledExperiments()) strings.add(e);
    for (PendingExposure p : s.getPending()) {
      strings.add(p.getExperimentId());
      strings.add(p.getExperimentArm());
      strings.add(p.getModelVersion());
      strings.add(p.getTriggeringEventId());
      for (String i : p.getShownItems()) strings.add(i);
    }
    for (int i = 0; i < steps; i++) {
      strings.add(s.getStepEventIds().get(i));
      strings.add(s.getStepItemIds().get(i));
    }

    writeVarInt(out, strings.size);
    for (int i = 0; i < strings.size; i++) CompactBinary.writeString(out, strings.distinct[i]);
    writeVarInt(out, s.getEnrolledExperiments().size());
    for (int i = 0; i < s.getEnrolledExperiments().size(); i++) writeVarInt(out, strings.next());
    writeVarInt(out, s.getPending().size());
    for (PendingExposure p : s.getPending()) {
      for (int i = 0; i < 4; i++) writeVarInt(out, strings.next()); // experiment, arm, model version, trigger
      writeZigZag(out, p.getTriggerTime());
      writeVarInt(out, p.getShownItems().size());
      for (int i = 0; i < p.getShownItems().size(); i++) writeVarInt(out, strings.next());
      Long latency = p.getLatencyMillis();
      out.writeByte((latency != null ? 1 : 0) | (p.getFirstExposureOfUser() ? 2 : 0));
      if (latency != null) writeZigZag(out, latency);
    }
    writeVarInt(out, steps);
    long previous = 0;
    for (int i = 0; i < steps; i++) {
      writeVarInt(out, strings.next());
      writeVarInt(out, strings.next());
      long t = s.getStepTimes().get(i);
      writeZigZag(out, t - previous);
      previous = t;
    }
  }

  @Override
  public ExposureOutcomeState deserialize(DataInputView in) throws IOException {
    CompactBinary r = new CompactBinary(ExposureOutcomes.STATE_NAME);
    String[] strings = new String[r.count(in, "strings")];
    for (int i = 0; i < strings.length; i++) strings[i] = r.readString(in);
    int enrolledCount = r.count(in, "enrolled experiments");
    List<String> enrolled = new ArrayList<>(enrolledCount);
    for (int i = 0; i < enrolledCount; i++) enrolled.add(string(r, in, strings));
    int pendingCount = r.count(in, "pending exposures");
    List<PendingExposure> pending = new ArrayList<>(pendingCount);
    for (int i = 0; i < pendingCount; i++) {
      String experiment = string(r, in, strings);
      String arm = string(r, in, strings);
      String version = string(r, in, strings);
      String trigger = string(r, in, strings);
      long triggerTime = r.readZigZag(in);
      int shownCount = r.count(in, "shown items");
      List<String> shown = new ArrayList<>(shownCount);
      for (int j = 0; j < shownCount; j++) shown.add(string(r, in, strings));
      int flags = in.readUnsignedByte();
      Long latency = (flags & 1) != 0 ? r.readZigZag(in) : null;
      pending.add(new PendingExposure(experiment, arm, version, trigger, triggerTime, shown, latency, (flags & 2) != 0));
    }
    int steps = r.count(in, "recent interactions");
    List<String> eventIds = new ArrayList<>(steps);
    List<String> itemIds = new ArrayList<>(steps);
    List<Long> times = new ArrayList<>(steps);
    long previous = 0;
    for (int i = 0; i < steps; i++) {
      eventIds.add(string(r, in, strings));
      itemIds.add(string(r, in, strings));
      previous += r.readZigZag(in);
      times.add(previous);
    }
    return new ExposureOutcomeState(pending, eventIds, itemIds, times, enrolled);
  }

  @Override
  public TypeSerializerSnapshot<ExposureOutcomeState> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * Every distinct string of one state, in first-seen order, and the index of each reference in
   * the order they were added (and are written). Open addressing over a power-of-two table sized
   * for the references up front: no resizing, no boxing, and a state just read back (whose equal
   * strings are one instance) mostly matches on identity.
   */
  private static final class StringTable {
    final String[] distinct;
    int size;
    private final String[] slots;
    private final int[] slotIndex;
    private final int[] order;
    private int added;
    private int read;

    StringTable(int references) {
      int capacity = Integer.highestOneBit(Math.max(4, references) * 2 - 1) << 1;
      distinct = new String[references];
      slots = new String[capacity];
      slotIndex = new int[capacity];
      order = new int[references];
    }

    void add(String s) {
      if (s == null) throw new NullPointerException("a string of the exposure-outcome state is null");
      int mask = slots.length - 1;
      int slot = (s.hashCode() * 0x9E3779B9) >>> 7 & mask;
      while (slots[slot] != null && slots[slot] != s && !slots[slot].equals(s)) slot = (slot + 1) & mask;
      if (slots[slot] == null) {
        slots[slot] = s;
        slotIndex[slot] = size;
        distinct[size++] = s;
      }
      order[added++] = slotIndex[slot];
    }

    /** The index of the next reference, in the order they were added. */
    int next() {
      return order[read++];
    }
  }

  private static String string(CompactBinary r, DataInputView in, String[] strings) throws IOException {
    long i = r.readVarLong(in);
    if (i >= strings.length) throw r.corrupt("string " + i + " of " + strings.length);
    return strings[(int) i];
  }

  /** This serializer's snapshot (see {@link CompactStateSerializer.Snapshot}); its class name is in every savepoint: never rename or move it. */
  public static final class Snapshot extends CompactStateSerializer.Snapshot<ExposureOutcomeState> {
    @Override
    public TypeSerializer<ExposureOutcomeState> restoreSerializer() {
      return new ExposureOutcomeStateSerializer();
    }
  }
}
