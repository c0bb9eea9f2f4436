package org.lmrec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.serving.ItemCatalogue.Kernel;

/**
 * {@code encodeBatch} must give every history the vector {@code encode} gives it alone: exactly on
 * the scalar kernel (same operations in the same order), within float rounding on the vector one.
 * Batches mix the lengths where the windowing can go wrong: 1, 2, maxLen - 1, maxLen, 3 * maxLen.
 */
class BatchedEncoderTest {
  private static final int ITEMS = 300;
  private static final int MAX_LEN = 20;
  private static final int[] EDGE_LENGTHS = {1, 2, MAX_LEN - 1, MAX_LEN, 3 * MAX_LEN};

  /** kind, blocks (GRU: layers), heads, dim: 64 is the production width, 24 leaves vector tails. */
  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(ModelKind.SASREC, 1, 1, 64),
        Arguments.of(ModelKind.SASREC, 2, 1, 64),
        Arguments.of(ModelKind.SASREC, 1, 2, 64),
        Arguments.of(ModelKind.SASREC, 2, 2, 64),
        Arguments.of(ModelKind.SASREC, 2, 2, 24),
        Arguments.of(ModelKind.GRU4REC, 1, 1, 64),
        Arguments.of(ModelKind.GRU4REC, 2, 1, 64),
        Arguments.of(ModelKind.GRU4REC, 2, 1, 24));
  }

  @ParameterizedTest(name = "{0} blocks={1} heads={2} d={3}")
  @MethodSource("models")
  void vectorBatchesMatchOneByOneEncodingWithinRounding(ModelKind kind, int blocks, int heads, int dim) {
    assertBatchesMatch(encoder(kind, blocks, heads, dim, Kernel.VECTOR), 1e-4f);
  }

  @ParameterizedTest(name = "{0} blocks={1} heads={2} d={3}")
  @MethodSource("models")
  void scalarBatchesEqualOneByOneEncodingExactly(ModelKind kind, int blocks, int heads, int dim) {
    assertBatchesMatch(encoder(kind, blocks, heads, dim, Kernel.SCALAR), 0f);
  }

  private static void assertBatchesMatch(SequenceEncoder encoder, float tolerance) {
    Random r = new Random(11);
    for (int size : new int[] {1, 3, 17}) {
      // Rotating the edge lengths puts each one first, alone (size 1) and among the others.
      for (int rotation = 0; rotation < EDGE_LENGTHS.length; rotation++) {
        int[][] histories = new int[size][];
        for (int u = 0; u < size; u++) {
          int length = u < EDGE_LENGTHS.length ? EDGE_LENGTHS[(u + rotation) % EDGE_LENGTHS.length] : 1 + r.nextInt(3 * MAX_LEN);
          histories[u] = randomHistory(r, length);
        }
        float[][] batch = encoder.encodeBatch(histories);
        assertThat(batch).hasNumberOfRows(size);
        for (int u = 0; u < size; u++) {
          float[] alone = encoder.encode(histories[u]);
          assertThat(batch[u]).hasSize(encoder.dim());
          for (int c = 0; c < alone.length; c++) {
            assertThat(Math.abs(batch[u][c] - alone[c]))
                .as("batch of %d, rotation %d, history %d (length %d), coordinate %d: %s vs %s",
                    size, rotation, u, histories[u].length, c, batch[u][c], alone[c])
                .isLessThanOrEqualTo(tolerance);
          }
        }
      }
    }
  }

  /** 400 histories: several chunks of work buffers (1,024 positions for SASRec, 341 users for GRU4Rec at d = 64). */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void batchesLargerThanOneChunkMatchOneByOneEncoding(ModelKind kind) {
    SequenceEncoder encoder = encoder(kind, 2, 1, 64, Kernel.VECTOR);
    Random r = new Random(12);
    int[][] histories = new int[400][];
    for (int u = 0; u < histories.length; u++) histories[u] = randomHistory(r, 1 + r.nextInt(3 * MAX_LEN));
    float[][] batch = encoder.encodeBatch(histories);
    for (int u = 0; u < histories.length; u++) {
      float[] alone = encoder.encode(histories[u]);
      for (int c = 0; c < alone.length; c++) {
        assertThat(batch[u][c]).as("history %d coordinate %d", u, c).isCloseTo(alone[c], Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void gruStepsOnAStoredStateReachTheBatchVector() {
    Gru4RecEncoder gru = (Gru4RecEncoder) encoder(ModelKind.GRU4REC, 2, 1, 64, Kernel.VECTOR);
    int[] history = randomHistory(new Random(5), MAX_LEN);
    float[] state = gru.initialState();
    for (int item : history) gru.step(state, item);
    float[] stepped = gru.output(state);
    float[] batched = gru.encodeBatch(new int[][] {{1}, history})[1];
    for (int c = 0; c < stepped.length; c++) assertThat(batched[c]).isCloseTo(stepped[c], Offset.offset(1e-4f));
  }

  @ParameterizedTest
  @EnumSource(Kernel.class)
  void batchedStepsAdvanceEveryStoredStateAsSingleStepsDo(Kernel kernel) {
    Gru4RecEncoder gru = (Gru4RecEncoder) encoder(ModelKind.GRU4REC, 2, 1, 64, kernel);
    Random r = new Random(6);
    int users = 5;
    float[][] states = new float[users][];
    float[][] expectedStates = new float[users][];
    for (int u = 0; u < users; u++) {
      states[u] = gru.initialState();
      for (int item : randomHistory(r, u * 3)) gru.step(states[u], item); // user 0 starts from the fresh state
      expectedStates[u] = states[u].clone();
    }
    float tolerance = kernel == Kernel.SCALAR ? 0f : 1e-4f;
    for (int event = 0; event < 4; event++) {
      int[] items = randomHistory(r, users);
      float[][] outputs = gru.stepBatch(states, items);
      for (int u = 0; u < users; u++) {
        gru.step(expectedStates[u], items[u]);
        float[] expectedOutput = gru.output(expectedStates[u]);
        for (int c = 0; c < expectedStates[u].length; c++) {
          assertThat(states[u][c]).as("event %d user %d state %d", event, u, c).isCloseTo(expectedStates[u][c], Offset.offset(tolerance));
        }
        for (int c = 0; c < expectedOutput.length; c++) {
          assertThat(outputs[u][c]).as("event %d user %d output %d", event, u, c).isCloseTo(expectedOutput[c], Offset.offset(tolerance));
        }
      }
    }
    assertThatThrownBy(() -> gru.stepBatch(states, new int[] {1})).hasMessageContaining("5 states but 1 items");
  }

  @Test
  void aVectorDependsOnlyOnItsOwnHistoryNotOnTheRestOfTheBatch() {
    SequenceEncoder sasRec = encoder(ModelKind.SASREC, 2, 2, 64, Kernel.SCALAR);
    Random r = new Random(8);
    int[] mine = randomHistory(r, 7);
    float[] inSmallBatch = sasRec.encodeBatch(new int[][] {mine, randomHistory(r, 3)})[0];
    float[] inLargeBatch = sasRec.encodeBatch(new int[][] {randomHistory(r, 50), randomHistory(r, 1), mine})[2];
    assertThat(inLargeBatch).containsExactly(inSmallBatch);
    // and a different history does give a different vector (the comparison above can fail)
    assertThat(sasRec.encodeBatch(new int[][] {randomHistory(r, 7)})[0]).isNotEqualTo(inSmallBatch);
  }

  @Test
  void emptyBatchGivesNoVectorsAndAnEmptyHistoryIsRefusedByItsIndex() {
    for (ModelKind kind : ModelKind.values()) {
      SequenceEncoder encoder = encoder(kind, 1, 1, 16, Kernel.VECTOR);
      assertThat(encoder.encodeBatch(new int[0][])).isEmpty();
      assertThatThrownBy(() -> encoder.encodeBatch(new int[][] {{3, 4}, {}}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty history")
          .hasMessageContaining("history 1");
    }
  }

  static SequenceEncoder encoder(ModelKind kind, int blocks, int heads, int dim, Kernel kernel) {
    ModelConfig cfg = ModelConfig.defaults(kind).withDim(dim).withBlocks(blocks).withHeads(heads).withMaxLen(MAX_LEN);
    long seed = 31L * blocks + 7L * heads + dim;
    return switch (kind) {
      case SASREC -> new SasRecEncoder(cfg, RandomEncoderWeights.sasRec(cfg, ITEMS, seed), kernel);
      case GRU4REC -> new Gru4RecEncoder(cfg, RandomEncoderWeights.gru4Rec(cfg, ITEMS, seed), kernel);
    };
  }

  private static int[] randomHistory(Random r, int length) {
    int[] h = new int[length];
    for (int i = 0; i < length; i++) h[i] = 1 + r.nextInt(ITEMS);
    return h;
  }
}
