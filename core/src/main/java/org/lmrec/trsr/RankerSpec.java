package org.lmrec.trsr;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What inference needs to rebuild a fine-tuned yes/no ranker's input and check its base, stored as
 * {@link RankerFiles#SPEC} beside the LoRA weights and the head: how prompts were made (summary
 * strategy, blocks, summariser version, recent items, attribute facets, value cut, token budget)
 * and which base LM the adapter belongs to (name and SHA-256 of its .onnx file).
 *
 * @param formatVersion {@link #FORMAT_VERSION}; another value is refused
 * @param lmName base checkpoint's label (informative)
 * @param lmSha256 SHA-256 of the base checkpoint's .onnx file: a ranker is refused on any other base
 * @param hiddenSize width of the LM's pooled output (the head's input)
 * @param lora LoRA settings as a map ({@code rank}, {@code alpha}, {@code dropout}, {@code targets}, {@code seed})
 * @param summary which summary the prompt carries ({@code none}: recent items only)
 * @param blockSize items per summary block (5 in the paper)
 * @param maxBlocks newest complete blocks summarised (5 in the paper)
 * @param summariserVersion {@code Summariser.version()} of the summariser the ranker was trained with
 * @param recentItems newest history items shown in the prompt
 * @param promptFacets item attributes shown beside the title (others, e.g. descriptions, are left out)
 * @param maxValueChars each title/attribute value is cut to this many characters
 * @param maxTokens token budget of one prompt (special tokens included)
 */
public record RankerSpec(
    int formatVersion,
    String lmName,
    String lmSha256,
    int hiddenSize,
    Map<String, Object> lora,
    SummaryMode summary,
    int blockSize,
    int maxBlocks,
    String summariserVersion,
    int recentItems,
    List<String> promptFacets,
    int maxValueChars,
    int maxTokens) {
  public static final int FORMAT_VERSION = 1;

  public RankerSpec {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("ranker format version " + formatVersion + " is not supported (this code reads " + FORMAT_VERSION + ")");
    }
    Objects.requireNonNull(lmSha256, "lmSha256");
    Objects.requireNonNull(summary, "summary");
    lora = Map.copyOf(Objects.requireNonNull(lora, "lora"));
    promptFacets = List.copyOf(Objects.requireNonNull(promptFacets, "promptFacets"));
    summariserVersion = summariserVersion == null ? "" : summariserVersion;
    if (hiddenSize < 1) throw new IllegalArgumentException("hidden size must be positive, got " + hiddenSize);
    if (blockSize < 1 || maxBlocks < 1) throw new IllegalArgumentException("block size and max blocks must be positive");
    if (recentItems < 1) throw new IllegalArgumentException("the prompt shows at least one recent item, got " + recentItems);
    if (maxValueChars < 1) throw new IllegalArgumentException("max value chars must be positive");
    if (maxTokens < 16) throw new IllegalArgumentException("a prompt needs at least 16 tokens, got " + maxTokens);
  }

  /** The prompt builder these settings describe. */
  public RankingPrompt prompt() {
    return new RankingPrompt(recentItems, maxValueChars);
  }
}
