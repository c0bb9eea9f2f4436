package org.lmrec.summary;

import java.util.Map;
import java.util.Objects;

/**
 * One item of a user's history as a summariser sees it: its title, its attributes (category,
 * brand, ...) and its LM text embedding (any fixed dimension; empty when the backend needs none).
 */
public record SummaryItem(String title, Map<String, String> attributes, float[] embedding) {
  public SummaryItem {
    Objects.requireNonNull(title, "title");
    attributes = Map.copyOf(attributes);
    embedding = embedding == null ? new float[0] : embedding.clone();
  }
}
