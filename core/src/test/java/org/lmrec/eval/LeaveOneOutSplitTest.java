package org.lmrec.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lmrec.data.Dataset;
import org.lmrec.data.DatasetBuilder;

class LeaveOneOutSplitTest {
  /**
   * Items are registered first so that a=1, b=2, c=3, d=4, e=5. Alice's events are given out of
   * time order to make sure the split works on the chronological sequence.
   */
  private static Dataset dataset() {
    DatasetBuilder b = new DatasetBuilder("hand");
    for (String item : new String[] {"a", "b", "c", "d", "e"}) b.item(item);
    return b
        .interaction("alice", "c", 30)
        .interaction("alice", "a", 10)
        .interaction("alice", "b", 20)
        .interaction("alice", "d", 40)
        .interaction("alice", "e", 50) // alice: a b c d e = 1 2 3 4 5
        .interaction("bob", "b", 10)
        .interaction("bob", "a", 20) // bob: 2 1 (too short)
        .interaction("carol", "e", 10)
        .interaction("carol", "d", 20)
        .interaction("carol", "e", 30) // carol: 5 4 5 (exactly 3, with a repeat)
        .interaction("dave", "c", 10) // dave: 3
        .build();
  }

  @Test
  void trainingDropsTheLastTwoItemsOfEligibleUsersOnly() {
    LeaveOneOutSplit split = LeaveOneOutSplit.of(dataset());
    assertThat(split.numItems()).isEqualTo(5);
    int[][] train = split.trainSequences();
    assertThat(train).hasNumberOfRows(4);
    assertThat(train[0]).containsExactly(1, 2, 3); // alice
    assertThat(train[1]).containsExactly(2, 1); // bob keeps everything
    assertThat(train[2]).containsExactly(5); // carol
    assertThat(train[3]).containsExactly(3); // dave keeps everything
  }

  @Test
  void validationPredictsTheSecondToLastFromTheTrainingPrefix() {
    List<EvalCase> validation = LeaveOneOutSplit.of(dataset()).validation();
    assertThat(validation).extracting(EvalCase::user).containsExactly(0, 2);
    assertThat(validation.get(0).history()).containsExactly(1, 2, 3);
    assertThat(validation.get(0).target()).isEqualTo(4);
    assertThat(validation.get(1).history()).containsExactly(5);
    assertThat(validation.get(1).target()).isEqualTo(4);
  }

  @Test
  void testPredictsTheLastFromEverythingBefore() {
    List<EvalCase> test = LeaveOneOutSplit.of(dataset()).test();
    assertThat(test).extracting(EvalCase::user).containsExactly(0, 2);
    assertThat(test.get(0).history()).containsExactly(1, 2, 3, 4);
    assertThat(test.get(0).target()).isEqualTo(5);
    assertThat(test.get(1).history()).containsExactly(5, 4);
    assertThat(test.get(1).target()).isEqualTo(5); // a repeat of a seen item
  }

  @Test
  void splitDoesNotModifyTheDataset() {
    Dataset d = dataset();
    LeaveOneOutSplit split = LeaveOneOutSplit.of(d);
    split.trainSequences()[1][0] = 99;
    assertThat(d.sequence(1)).containsExactly(2, 1);
    assertThat(d.sequence(0)).containsExactly(1, 2, 3, 4, 5);
  }
}
