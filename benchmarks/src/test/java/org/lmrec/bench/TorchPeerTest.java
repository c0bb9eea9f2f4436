package org.lmrec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lmrec.train.BatchSampler;

/** Parsing the PyTorch peer's output, the steady-state seconds per epoch and the same-work check. */
class TorchPeerTest {
  private static final List<String> OUTPUT =
      List.of(
          "setup torch=1.13.0a0 threads=2 blas=/usr/lib/libblas.so.3 sequences=3 batches=1 positions=7 items=9 maxlen=200",
          "some warning the script did not mean for us",
          "epoch=1 seconds=9.500 loss=1.3",
          "epoch=2 seconds=4.000 loss=1.2",
          "epoch=3 seconds=6.000 loss=1.1",
          "epoch=4 seconds=5.000 loss=1.0");

  @Test
  void parsesTheSetupLineAndEveryEpochInOrder() {
    TorchPeer.Run run = TorchPeer.parse(OUTPUT);
    assertThat(run.setup()).containsEntry("torch", "1.13.0a0").containsEntry("blas", "/usr/lib/libblas.so.3");
    assertThat(run.setupInt("sequences")).isEqualTo(3);
    assertThat(run.epochSeconds()).containsExactly(9.5, 4.0, 6.0, 5.0);
  }

  @Test
  void steadySecondsIsTheMedianOfTheEpochsAfterTheFirst() {
    assertThat(TorchPeer.steadySeconds(List.of(9.5, 4.0, 6.0, 5.0))).isEqualTo(5.0); // 9.5 is warm-up
    assertThat(TorchPeer.steadySeconds(List.of(100.0, 4.0, 6.0))).isEqualTo(5.0); // even count: mean of the middle two
    assertThatThrownBy(() -> TorchPeer.steadySeconds(List.of(3.0))).hasMessageContaining("at least 2 epochs");
  }

  @Test
  void malformedOutputIsAnErrorNotAGuess() {
    assertThatThrownBy(() -> TorchPeer.parse(List.of("epoch=1 seconds=2.0")))
        .hasMessageContaining("no setup line");
    assertThatThrownBy(() -> TorchPeer.parse(List.of(OUTPUT.get(0), "epoch=2 seconds=2.0")))
        .hasMessageContaining("out of order");
    assertThatThrownBy(() -> TorchPeer.keyValues("epoch=1 seconds")).hasMessageContaining("expected key=value");
    assertThatThrownBy(() -> TorchPeer.parse(List.of("setup torch=1.13")).setupInt("sequences"))
        .hasMessageContaining("no sequences=");
  }

  @Test
  void aMissingInterpreterIsAReasonToSkip() {
    assertThat(TorchPeer.unavailable("/nonexistent/python3")).hasValueSatisfying(
        why -> assertThat(why).contains("/nonexistent/python3").contains("python="));
  }

  @Test
  void theRunStopsWhenThePeersEpochIsDifferentWork() {
    int[][] train = {{1, 2, 3}, {4, 5}, {6}, {7, 8, 9, 1}}; // 3 trainable sequences, 2 + 1 + 3 positions
    assertThat(TrainingSpeedBenchmark.positions(train, 200)).isEqualTo(6);
    assertThat(TrainingSpeedBenchmark.positions(train, 2)).isEqualTo(5);
    BatchSampler sampler = new BatchSampler(train, 9, 200, 128, true, true, 1);
    TorchPeer.Run same = TorchPeer.parse(List.of("setup sequences=3 batches=1 positions=6"));
    TrainingSpeedBenchmark.checkSameWork("toy", same, sampler, 6); // no exception
    TorchPeer.Run other = TorchPeer.parse(List.of("setup sequences=3 batches=1 positions=7"));
    assertThatThrownBy(() -> TrainingSpeedBenchmark.checkSameWork("toy", other, sampler, 6))
        .hasMessageContaining("different work");
  }
}
