package org.lmrec.stream.console;

import java.nio.file.Path;
import java.util.Optional;
import org.lmrec.summary.SummaryCatalogue;
import org.lmrec.summary.SummaryItem;

/**
 * Item titles from a model artifact's summary catalogue (the file {@code lmrec train} attaches when
 * the data has item texts), read with the same checks as the streaming job's summaries operator.
 */
final class ItemTitles {
  private final SummaryCatalogue catalogue;

  private ItemTitles(SummaryCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  /** @throws org.lmrec.artifact.ArtifactException naming the file and the problem (no catalogue, altered, too large) */
  static ItemTitles fromArtifact(Path artifactDir) {
    return new ItemTitles(SummaryCatalogue.read(artifactDir, SummaryCatalogue.Limits.defaults()));
  }

  Optional<String> title(String itemId) {
    return catalogue.item(itemId).map(SummaryItem::title);
  }

  int size() {
    return catalogue.size();
  }
}
