package org.lmrec.data;

import java.util.List;

/**
 * A generated dataset with its hidden ground truth, for tests and sanity checks of models.
 *
 * @param dataset the interactions and item attributes
 * @param itemCategory latent category of each item index ({@code [0]} = -1 for padding)
 * @param categoryNames name of each latent category (the theme its item text is drawn from)
 */
public record SyntheticData(Dataset dataset, int[] itemCategory, List<String> categoryNames) {
  public int category(int item) {
    return itemCategory[item];
  }
}
