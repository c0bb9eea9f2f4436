package org.lmrec.retrainjob.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.lmrec.flink.archive.ArchiveWindow;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.flink.archive.InteractionArchiveFormat;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.retrain.UserHistory;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;

/**
 * The preparation job on a Flink MiniCluster over real archive files in the streaming job's layout:
 * exact window bounds, in-progress files and out-of-window days skipped, duplicates dropped,
 * deterministic order, sessions and repeats, length limits, exact counters.
 */
class ArchiveDataPrepTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  /** 2024-03-10T06:00Z to 2024-03-12T06:00Z: opens date=2024-03-10, -11 and -12. */
  static final ArchiveWindow WINDOW = new ArchiveWindow(Instant.parse("2024-03-10T06:00:00Z"), Instant.parse("2024-03-12T06:00:00Z"));

  @TempDir static Path archive;

  /**
   * <pre>
   * date=2024-03-09/  (before the window: never opened)  u6
   * date=2024-03-10/a u2 05:59:59.999 (out), u2 06:00 y0 (in), u1 10:02 i1 .. 11:05:59.999 i3
   * date=2024-03-10/b u1 10:00 i1, 10:01 i1, u2 11:00 x2 (e-u2-b), u2 11:00 x1 (e-u2-a)
   * date=2024-03-11/a u3 k1, k2, u4 solo
   * date=2024-03-11/b u3 k2 again (same event id: redelivered)
   * date=2024-03-11/.in-progress u5, a third copy of u3's k1 (never read)
   * date=2024-03-12/a u3 05:59:59.999 k3 (in), u3 06:00 k4 (out), u2 07:00 z (out)
   * date=2024-03-13/  (after the window: never opened)   u6
   * </pre>
   */
  @BeforeAll
  static void writeArchive() throws IOException {
    write("date=2024-03-09/interactions-a-0.avro", ev("e-u6-1", "u6", "before", "2024-03-09T12:00:00Z"));
    write("date=2024-03-10/interactions-a-0.avro",
        ev("e-u2-0", "u2", "y-early", "2024-03-10T05:59:59.999Z"),
        ev("e-u2-1", "u2", "y0", "2024-03-10T06:00:00Z"),
        ev("e-u1-7", "u1", "i3", "2024-03-10T11:05:59.999Z"), // 29:59.999 after i3: same session, collapsed
        ev("e-u1-3", "u1", "i1", EventType.PURCHASE, "2024-03-10T10:02:00Z"),
        ev("e-u1-4", "u1", "i2", "2024-03-10T10:05:00Z"),
        ev("e-u1-5", "u1", "i2", "2024-03-10T10:35:00Z"), // exactly the gap after i2: new session, kept
        ev("e-u1-6", "u1", "i3", "2024-03-10T10:36:00Z"));
    write("date=2024-03-10/interactions-b-0.avro",
        ev("e-u1-1", "u1", "i1", EventType.VIEW, "2024-03-10T10:00:00Z"),
        ev("e-u1-2", "u1", "i1", EventType.CLICK, "2024-03-10T10:01:00Z"),
        ev("e-u2-b", "u2", "x2", "2024-03-10T11:00:00Z"),
        ev("e-u2-a", "u2", "x1", "2024-03-10T11:00:00Z"));
    write("date=2024-03-11/interactions-a-0.avro",
        ev("e-u3-2", "u3", "k2", "2024-03-11T20:00:00Z"),
        ev("e-u3-1", "u3", "k1", "2024-03-11T09:00:00Z"),
        ev("e-u4-1", "u4", "solo", "2024-03-11T12:00:00Z"));
    write("date=2024-03-11/interactions-b-0.avro", ev("e-u3-2", "u3", "k2", "2024-03-11T20:00:00Z"));
    write("date=2024-03-11/.interactions-c-0.avro.inprogress.0a1b",
        ev("e-u5-1", "u5", "ghost", "2024-03-11T10:00:00Z"),
        ev("e-u3-1", "u3", "k1", "2024-03-11T09:00:00Z"));
    write("date=2024-03-12/interactions-a-0.avro",
        ev("e-u3-4", "u3", "k4", "2024-03-12T06:00:00Z"),
        ev("e-u3-3", "u3", "k3", "2024-03-12T05:59:59.999Z"),
        ev("e-u2-9", "u2", "z", "2024-03-12T07:00:00Z"));
    write("date=2024-03-13/interactions-a-0.avro", ev("e-u6-2", "u6", "after", "2024-03-13T12:00:00Z"));
    // A day that exists but holds only an in-progress file.
    write("date=2024-03-20/.interactions-a-0.avro.inprogress.ffff", ev("e-u7-1", "u7", "unfinished", "2024-03-20T12:00:00Z"));
  }

  @Test
  void defaultsPrepareTheWindowExactlyAndRepeatably() throws Exception {
    ArchiveDataPrep.Result r = prep(PrepOptions.defaults(), 2).run(archive.toUri().toString(), WINDOW);

    assertThat(r.histories()).containsExactly(
        history("u1", "i1@2024-03-10T10:00:00Z", "i2@2024-03-10T10:05:00Z", "i2@2024-03-10T10:35:00Z", "i3@2024-03-10T10:36:00Z"),
        history("u2", "y0@2024-03-10T06:00:00Z", "x1@2024-03-10T11:00:00Z", "x2@2024-03-10T11:00:00Z"),
        history("u3", "k1@2024-03-11T09:00:00Z", "k2@2024-03-11T20:00:00Z", "k3@2024-03-12T05:59:59.999Z"),
        history("u4", "solo@2024-03-11T12:00:00Z"));
    assertThat(r.filesRead()).isEqualTo(5);
    assertThat(r.eventsRead()).isEqualTo(18);
    assertThat(r.eventsOutsideWindow()).isEqualTo(3);
    assertThat(r.duplicatesDropped()).isEqualTo(1);
    assertThat(r.repeatsCollapsed()).isEqualTo(3);
    assertThat(r.itemsTruncated()).isZero();
    assertThat(r.usersTooShort()).isZero();
    assertThat(r.itemsKept()).isEqualTo(11);

    // The same input again, at another parallelism: the same result.
    assertThat(prep(PrepOptions.defaults(), 1).run(archive.toUri().toString(), WINDOW)).isEqualTo(r);
  }

  @Test
  void lengthLimitsAndNoCollapsing() throws Exception {
    ArchiveDataPrep.Result r = prep(new PrepOptions(Duration.ofMinutes(30), false, 2, 3), 2).run(archive.toUri().toString(), WINDOW);

    // u1 uncollapsed is i1 i1 i1 i2 i2 i3 i3: the last three stay; u4 has one item and goes.
    assertThat(r.histories()).containsExactly(
        history("u1", "i2@2024-03-10T10:35:00Z", "i3@2024-03-10T10:36:00Z", "i3@2024-03-10T11:05:59.999Z"),
        history("u2", "y0@2024-03-10T06:00:00Z", "x1@2024-03-10T11:00:00Z", "x2@2024-03-10T11:00:00Z"),
        history("u3", "k1@2024-03-11T09:00:00Z", "k2@2024-03-11T20:00:00Z", "k3@2024-03-12T05:59:59.999Z"));
    assertThat(r.repeatsCollapsed()).isZero();
    assertThat(r.itemsTruncated()).isEqualTo(4);
    assertThat(r.usersTooShort()).isEqualTo(1);
    assertThat(r.eventsRead()).isEqualTo(18);
    // Every event read is accounted for: outside, duplicate, truncated, u4's one, kept.
    assertThat(r.eventsOutsideWindow() + r.duplicatesDropped() + r.itemsTruncated() + 1 + r.itemsKept()).isEqualTo(r.eventsRead());
  }

  @Test
  void aWindowWithoutArchiveDirectoriesIsEmpty() throws Exception {
    ArchiveWindow january = new ArchiveWindow(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-08T00:00:00Z"));
    assertThat(prep(PrepOptions.defaults(), 1).run(archive.toUri().toString(), january)).isEqualTo(ArchiveDataPrep.Result.empty());
    assertThat(prep(PrepOptions.defaults(), 1).run(archive.resolve("missing").toUri().toString(), WINDOW)).isEqualTo(ArchiveDataPrep.Result.empty());
  }

  @Test
  void aDayWithOnlyInProgressFilesIsEmpty() throws Exception {
    ArchiveWindow day = ArchiveWindow.lastDays(Duration.ofDays(1), Instant.parse("2024-03-21T00:00:00Z"));
    assertThat(prep(PrepOptions.defaults(), 1).run(archive.toUri().toString(), day)).isEqualTo(ArchiveDataPrep.Result.empty());
  }

  @Test
  void sessionsSplitAtTheGapAndOnlyRepeatsInsideOneCollapse() {
    List<Interaction> events = new ArrayList<>(List.of(
        raw("a", "p", 0), raw("b", "p", 60_000), raw("c", "q", 120_000),
        raw("d", "q", 120_000 + 3_600_000), // an hour later: a new session, the repeat stays
        raw("e", "p", 120_000 + 3_600_000 + 1))); // back to p: not consecutive, stays
    HistoryBuilder.Tally tally = new HistoryBuilder.Tally();
    UserHistory h = new HistoryBuilder(PrepOptions.defaults()).build("u", events, tally);
    assertThat(h.items()).containsExactly("p", "q", "q", "p");
    assertThat(tally.repeatsCollapsed).isEqualTo(1);

    // With a gap longer than the hour the two q's share a session.
    tally = new HistoryBuilder.Tally();
    h = new HistoryBuilder(new PrepOptions(Duration.ofHours(2), true, 1, 0)).build("u", events, tally);
    assertThat(h.items()).containsExactly("p", "q", "p");
    assertThat(tally.repeatsCollapsed).isEqualTo(2);
  }

  @Test
  void recordsTravelAsFlinkPojos() {
    assertThat(new InteractionArchiveFormat().getProducedType()).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(UserHistory.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void optionsAreValidated() {
    assertThat(PrepOptions.defaults()).isEqualTo(new PrepOptions(Duration.ofMinutes(30), true, 1, 0));
    assertThatThrownBy(() -> new PrepOptions(Duration.ZERO, true, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrepOptions(Duration.ofMinutes(1), true, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrepOptions(Duration.ofMinutes(1), true, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PrepOptions(Duration.ofMinutes(1), true, 5, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void armOnlyKeepsTheUsersOfOneExperimentArmAndCountsTheRest() throws Exception {
    org.lmrec.experiment.Experiment experiment = org.lmrec.experiment.ExperimentJson.parse("""
        {"id": "rank-v2", "version": 1, "salt": "s-7",
         "arms": [{"name": "control", "weight": 50, "model": {"line": "main"}},
                  {"name": "p2rec", "weight": 50, "model": {"line": "p2rec"}}],
         "start": "2024-03-01T00:00:00Z"}
        """);
    ArchiveDataPrep.Result all = prep(PrepOptions.defaults(), 2).run(archive.toUri().toString(), WINDOW);
    // In-window events per user in the fixture (duplicates included: the arm filter runs before deduplication).
    Map<String, Long> inWindow = Map.of("u1", 7L, "u2", 3L, "u3", 4L, "u4", 1L);
    org.lmrec.experiment.ArmAssigner assigner = new org.lmrec.experiment.ArmAssigner();
    for (String arm : List.of("control", "p2rec")) {
      ArchiveDataPrep.Result r = prep(PrepOptions.defaults().withArmOnly(new ArmOnly(experiment, arm)), 2).run(archive.toUri().toString(), WINDOW);
      List<UserHistory> expected = all.histories().stream()
          .filter(h -> assigner.arm(experiment, h.userId()).orElseThrow().equals(arm)).toList();
      assertThat(r.histories()).isEqualTo(expected);
      long others = inWindow.entrySet().stream()
          .filter(e -> !assigner.arm(experiment, e.getKey()).orElseThrow().equals(arm)).mapToLong(Map.Entry::getValue).sum();
      assertThat(r.eventsOtherArms()).isEqualTo(others);
      assertThat(r.eventsRead()).isEqualTo(all.eventsRead());
    }
    assertThatThrownBy(() -> new ArmOnly(experiment, "treatment")).hasMessageContaining("has no arm 'treatment'");
  }

  private static ArchiveDataPrep prep(PrepOptions options, int parallelism) {
    Configuration flink = new Configuration();
    flink.setString("parallelism.default", String.valueOf(parallelism));
    flink.set(PipelineOptions.GENERIC_TYPES, false); // every record type is a Flink POJO, none falls back to Kryo
    return new ArchiveDataPrep(options, flink);
  }

  private static Interaction raw(String id, String item, long millis) {
    return Interaction.archived(id, "u", item, "CLICK", millis);
  }

  /** {@code item@time} steps. */
  private static UserHistory history(String user, String... steps) {
    String[] items = new String[steps.length];
    long[] times = new long[steps.length];
    for (int i = 0; i < steps.length; i++) {
      String[] parts = steps[i].split("@");
      items[i] = parts[0];
      times[i] = Instant.parse(parts[1]).toEpochMilli();
    }
    return new UserHistory(user, items, times);
  }

  private static InteractionEvent ev(String id, String user, String item, String time) {
    return ev(id, user, item, EventType.CLICK, time);
  }

  private static InteractionEvent ev(String id, String user, String item, EventType type, String time) {
    return InteractionEvent.newBuilder()
        .setEventId(id).setUserId(user).setItemId(item).setEventType(type).setEventTime(Instant.parse(time))
        .setContext(id.endsWith("1") ? Map.of("device", "web") : null)
        .build();
  }

  private static void write(String relative, InteractionEvent... events) throws IOException {
    Path file = archive.resolve(relative);
    Files.createDirectories(file.getParent());
    try (DataFileWriter<InteractionEvent> writer = new DataFileWriter<>(new SpecificDatumWriter<>(InteractionEvent.class))) {
      writer.create(InteractionEvent.getClassSchema(), file.toFile());
      for (InteractionEvent e : events) writer.append(e);
    }
  }
}
