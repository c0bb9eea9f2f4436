package org.lmrec.enhance.trsr;

import java.util.Arrays;
import java.util.List;
import org.lmrec.lm.LoraConfig;
import org.lmrec.settings.Settings;
import org.lmrec.trsr.SummaryMode;

/**
 * Every setting of LLM-TRSR's yes/no ranker and its fine-tuning (METHODS.md §3), defaults in
 * {@link #defaults()}, sized for a 2-core CPU with all-MiniLM-L6-v2 (a prompt of at most 160
 * tokens; the cost grows about linearly with it).
 *
 * @param summary the prompt's preference summary: recurrent (default), hierarchical, or none (recent items only)
 * @param blockSize items per summary block (5 in the paper)
 * @param maxBlocks newest complete blocks summarised (5 in the paper)
 * @param summaryTokens word budget of the offline extractive summary
 * @param recentItems newest history items in the prompt (3 to 5 in the paper)
 * @param promptFacets comma-separated item attributes shown beside the title (and summarised)
 * @param maxValueChars each title or attribute value is cut to this many characters
 * @param maxTokens token budget of one prompt; the profile is cut before the items and the candidate
 * @param itemTokens token budget of an item's text when the base LM embeds it for the summariser
 * @param lora LoRA on the attention projections (r 8, alpha 16, dropout 0.05)
 * @param epochs SFT passes over the training users
 * @param batchSize prompts per SFT step (half positives, half negatives)
 * @param learningRate Adam learning rate of LoRA and the head
 * @param maxUsers cap on SFT users, a seeded sample; 0 = every user with a training example
 * @param validationUsers validation users scored after each epoch (1 positive + {@code negatives}) for model selection
 * @param negatives random negatives beside the positive in the paper's protocol (20)
 * @param rerankTop how many of the SASRec's top items the ranker re-ranks in the full-catalogue protocol (50)
 * @param evalUsers test users evaluated (a seeded sample); 0 = all
 * @param seed user sampling and order, negatives, head initialisation
 */
public record RankerConfig(
    SummaryMode summary,
    int blockSize,
    int maxBlocks,
    int summaryTokens,
    int recentItems,
    String promptFacets,
    int maxValueChars,
    int maxTokens,
    int itemTokens,
    LoraConfig lora,
    int epochs,
    int batchSize,
    float learningRate,
    int maxUsers,
    int validationUsers,
    int negatives,
    int rerankTop,
    int evalUsers,
    long seed) implements Settings<RankerConfig> {

  public RankerConfig {
    if (blockSize < 1 || maxBlocks < 1) throw new IllegalArgumentException("block size and max blocks must be positive");
    if (summaryTokens < 1) throw new IllegalArgumentException("summaryTokens must be positive");
    if (recentItems < 1) throw new IllegalArgumentException("recentItems must be at least 1");
    if (maxValueChars < 1) throw new IllegalArgumentException("maxValueChars must be positive");
    if (maxTokens < 32) throw new IllegalArgumentException("maxTokens must be at least 32, got " + maxTokens);
    if (itemTokens < 8) throw new IllegalArgumentException("itemTokens must be at least 8");
    if (epochs < 0) throw new IllegalArgumentException("epochs must not be negative");
    if (batchSize < 2 || batchSize % 2 != 0) throw new IllegalArgumentException("batchSize must be even and at least 2 (positive and negative per user), got " + batchSize);
    if (!(learningRate > 0)) throw new IllegalArgumentException("learningRate must be positive");
    if (maxUsers < 0 || validationUsers < 0 || evalUsers < 0) throw new IllegalArgumentException("user caps must not be negative");
    if (negatives < 1) throw new IllegalArgumentException("negatives must be at least 1");
    if (rerankTop < 1) throw new IllegalArgumentException("rerankTop must be at least 1");
  }

  public static RankerConfig defaults() {
    return new RankerConfig(SummaryMode.RECURRENT, 5, 5, 48, 3, "brand,categories,category", 50, 160, 64,
        LoraConfig.defaults(), 1, 16, 1e-3f, 2000, 100, 20, 50, 500, 42);
  }

  /** {@link #promptFacets} as a list. */
  public List<String> facets() {
    return Arrays.stream(promptFacets.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList();
  }

  public RankerConfig withSeed(long v) {
    return edit().set(RankerConfig::seed, v).set(RankerConfig::lora, lora.withSeed(v)).build();
  }
}
