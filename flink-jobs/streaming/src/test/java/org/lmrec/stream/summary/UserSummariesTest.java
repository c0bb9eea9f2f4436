package org.lmrec.stream.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.schema.UserSummaryUpdate;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryStrategy;

/** The summary operator on RocksDB through Flink's harness: recurrent refreshes equal the offline summary, across a restore. */
class UserSummariesTest {
  @TempDir Path dir;
  private final List<KeyedOneInputStreamOperatorTestHarness<String, Interaction, UserSummaryUpdate>> open = new ArrayList<>();

  KeyedOneInputStreamOperatorTestHarness<String, Interaction, UserSummaryUpdate> harness(UserSummaries f, OperatorSubtaskState restore) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), (Interaction i) -> i.userId, Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setup();
    if (restore != null) h.initializeState(restore);
    h.open();
    open.add(h);
    return h;
  }

  @AfterEach
  void close() throws Exception {
    for (var h : open) h.close();
  }

  static List<UserSummaryUpdate> send(KeyedOneInputStreamOperatorTestHarness<String, Interaction, UserSummaryUpdate> h, List<Interaction> events) throws Exception {
    int before = h.extractOutputValues().size();
    for (Interaction e : events) h.processElement(e, e.eventTime);
    List<UserSummaryUpdate> all = h.extractOutputValues();
    return new ArrayList<>(all.subList(before, all.size()));
  }

  @Test
  void everyRefreshEqualsTheRecurrentSummaryFromScratchAndSurvivesARestore() throws Exception {
    Path artifact = SummaryFixtures.artifact(dir, 30, 7);
    SummarySettings settings = SummarySettings.extractive(artifact.toString());
    SummaryCatalogue catalogue = SummaryCatalogue.read(artifact, SummaryCatalogue.Limits.defaults());
    // 38 items: 7 blocks (the window slides after the 5th) and 3 pending; the snapshot falls mid-block.
    List<Interaction> history = SummaryFixtures.history("u1", 38, 30, 11);
    List<Interaction> other = SummaryFixtures.history("u2", 12, 30, 12);

    var uninterrupted = harness(new UserSummaries(settings, Duration.ZERO), null);
    List<UserSummaryUpdate> expected = send(uninterrupted, history);
    assertThat(expected).hasSize(7);
    for (UserSummaryUpdate u : expected) {
      int items = (int) u.getBlocks() * 5;
      String fromScratch = SummaryStrategy.RECURRENT.summarise(settings.extractive(), SummaryFixtures.items(catalogue, history.subList(0, items)), 5, 5).text();
      assertThat(u.getText()).as("refresh %d", u.getBlocks()).isEqualTo(fromScratch).isNotBlank();
      assertThat(u.getWindowBlocks()).isEqualTo((int) Math.min(5, u.getBlocks()));
      assertThat(u.getSummariserVersion()).startsWith("extractive-v1");
    }
    assertThat(expected.get(6).getText()).as("the window slid: not the 5-block summary").isNotEqualTo(expected.get(4).getText());

    var first = harness(new UserSummaries(settings, Duration.ZERO), null);
    List<UserSummaryUpdate> got = send(first, history.subList(0, 18));
    send(first, other);
    OperatorSubtaskState snapshot = first.snapshot(1, 1);
    first.close();
    open.remove(first);
    var restored = harness(new UserSummaries(settings, Duration.ZERO), snapshot);
    got.addAll(send(restored, history.subList(18, history.size())));
    assertThat(got).extracting(UserSummaryUpdate::getText).containsExactlyElementsOf(expected.stream().map(UserSummaryUpdate::getText).toList());
    assertThat(got).extracting(UserSummaryUpdate::getBlocks).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }

  @Test
  void itemsTheCatalogueDoesNotKnowAreLeftOutAndCounted() throws Exception {
    Path artifact = SummaryFixtures.artifact(dir, 30, 7);
    SummarySettings settings = SummarySettings.extractive(artifact.toString());
    SummaryCatalogue catalogue = SummaryCatalogue.read(artifact, SummaryCatalogue.Limits.defaults());
    List<Interaction> history = new ArrayList<>(SummaryFixtures.history("u1", 10, 30, 3));
    history.add(3, SummaryFixtures.event("x", "u1", "not-in-catalogue", 1_003L));
    UserSummaries f = new UserSummaries(settings, Duration.ZERO);
    List<UserSummaryUpdate> out = send(harness(f, null), history);
    assertThat(f.unknownItemCount()).isEqualTo(1);
    assertThat(out).hasSize(2);
    assertThat(out.get(1).getText())
        .isEqualTo(SummaryStrategy.RECURRENT.summarise(settings.extractive(), SummaryFixtures.items(catalogue, history), 5, 5).text());
  }

  @Test
  void aTamperedCatalogueTurnsSummariesOffAndTheOperatorPassesBy() throws Exception {
    Path artifact = SummaryFixtures.artifact(dir, 30, 7);
    Path items = artifact.resolve(SummaryCatalogue.ITEMS_FILE);
    Files.writeString(items, Files.readString(items).replace("Title 1 ", "Buy now "));
    UserSummaries f = new UserSummaries(SummarySettings.extractive(artifact.toString()), Duration.ZERO);
    assertThat(send(harness(f, null), SummaryFixtures.history("u1", 12, 30, 3))).isEmpty();
    assertThat(f.catalogueRefused()).isTrue();

    UserSummaries oversized = new UserSummaries(SummarySettings.extractive(SummaryFixtures.artifact(dir.resolve("b"), 30, 7).toString()).withMaxCatalogueBytes(100), Duration.ZERO);
    assertThat(send(harness(oversized, null), SummaryFixtures.history("u1", 12, 30, 3))).isEmpty();
    assertThat(oversized.catalogueRefused()).isTrue();
  }
}
