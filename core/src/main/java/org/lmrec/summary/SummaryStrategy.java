package org.lmrec.summary;

import java.util.ArrayList;
import java.util.List;

/** How a user's blocks become one user-level summary (METHODS.md section 3). */
public enum SummaryStrategy {
  /** Summarise each block, then the block summaries. */
  HIERARCHICAL {
    @Override
    <S> S combine(Summariser<S> summariser, List<List<SummaryItem>> blocks) {
      List<S> perBlock = new ArrayList<>(blocks.size());
      for (List<SummaryItem> block : blocks) perBlock.add(summariser.summariseBlock(block));
      return perBlock.size() == 1 ? perBlock.get(0) : summariser.summariseSummaries(perBlock);
    }
  },
  /** summary_1 from block 1, then summary_n from summary_{n-1} and block n: what a stream can keep up to date. */
  RECURRENT {
    @Override
    <S> S combine(Summariser<S> summariser, List<List<SummaryItem>> blocks) {
      S summary = summariser.summariseBlock(blocks.get(0));
      for (int b = 1; b < blocks.size(); b++) summary = summariser.update(summary, blocks.get(b));
      return summary;
    }
  };

  abstract <S> S combine(Summariser<S> summariser, List<List<SummaryItem>> blocks);

  /**
   * The user-level summary of {@code history} (oldest first), or an empty one while it holds no
   * complete block.
   */
  public <S> UserSummary summarise(Summariser<S> summariser, List<SummaryItem> history, int blockSize, int maxBlocks) {
    Blocks<SummaryItem> blocks = Blocks.of(history, blockSize, maxBlocks);
    if (blocks.complete().isEmpty()) return UserSummary.none(summariser.version());
    S summary = combine(summariser, blocks.complete());
    return new UserSummary(summariser.render(summary), summariser.version(), blocks.complete().size());
  }
}
