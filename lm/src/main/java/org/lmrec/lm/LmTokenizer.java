package org.lmrec.lm;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The checkpoint's HuggingFace tokenizer, with truncation done here rather than by the tokenizer
 * so that either end of a text can be kept: {@code [CLS] text [SEP]}, at most {@code maxTokens} in
 * all. The file's own padding/truncation settings are ignored (the tokenizer runs with neither).
 *
 * <p>The special tokens around a single sequence are read from the tokenizer itself (a probe text
 * encoded with and without them), so BERT's {@code [CLS]}/{@code [SEP]} are not hard-coded.
 *
 * <p>A checkpoint's {@link LmCheckpoint#textPrefix() text prefix} (E5's {@code "query: "}) is
 * tokenized once and put after {@code [CLS]} in every row {@link #encode} makes, and it is never
 * cut: truncation (from either end) cuts the text only. The ranker's prompts ({@link
 * PromptTokens}) are built without it.
 */
public final class LmTokenizer implements AutoCloseable {
  private static final String PROBE = "probe";
  private static final int CHUNK = 512;

  private final HuggingFaceTokenizer tokenizer;
  private final long[] prefix;
  private final long[] suffix;
  private final long[] textPrefix;
  private final long padId;

  public LmTokenizer(LmCheckpoint checkpoint) {
    try {
      this.tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(checkpoint.tokenizerFile())
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizer " + checkpoint.tokenizerFile() + ": " + e.getMessage(), e);
    }
    long[] with = tokenizer.encode(PROBE, true, false).getIds();
    long[] without = tokenizer.encode(PROBE, false, false).getIds();
    int start = indexOf(with, without);
    if (without.length == 0 || start < 0) {
      throw new IllegalStateException("cannot locate the special tokens of tokenizer " + checkpoint.tokenizerFile());
    }
    this.prefix = Arrays.copyOfRange(with, 0, start);
    this.suffix = Arrays.copyOfRange(with, start + without.length, with.length);
    this.textPrefix = checkpoint.textPrefix().isEmpty() ? new long[0] : tokenizer.encode(checkpoint.textPrefix(), false, false).getIds();
    this.padId = 0L; // BERT vocabularies put [PAD] at 0; padded positions are masked anyway
  }

  /**
   * Encodes each text as {@code [CLS] prefix text [SEP]} with at most {@code maxTokens} tokens, padded
   * to the longest row of this batch (prefix: the checkpoint's text prefix, often none). {@code keepEnd = false} cuts the end of a long text; {@code keepEnd =
   * true} keeps its last tokens (for user histories, whose most recent items come last).
   */
  public TokenBatch encode(List<String> texts, int maxTokens, boolean keepEnd) {
    return TokenBatch.pad(encodeRows(texts, maxTokens, keepEnd), padId);
  }

  /** Unpadded rows of ids, special tokens included. */
  long[][] encodeRows(List<String> texts, int maxTokens, boolean keepEnd) {
    int fixed = prefix.length + textPrefix.length + suffix.length;
    int budget = maxTokens - fixed;
    if (budget < 1) {
      throw new IllegalArgumentException(
          "maxTokens " + maxTokens + " leaves no room for text next to " + (prefix.length + suffix.length) + " special tokens"
              + (textPrefix.length == 0 ? "" : " and the " + textPrefix.length + "-token text prefix"));
    }
    long[][] rows = new long[texts.size()][];
    if (texts.isEmpty()) return rows;
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) throw new IllegalArgumentException("text " + i + " is null");
    }
    Encoding[] encodings = null;
    for (int i = 0; i < rows.length; i++) {
      if (i % CHUNK == 0) { // encodings carry token strings and offsets: hold only a chunk of them at a time
        encodings = tokenizer.batchEncode(texts.subList(i, Math.min(rows.length, i + CHUNK)), false, false);
      }
      long[] ids = encodings[i % CHUNK].getIds();
      int n = Math.min(budget, ids.length);
      int from = keepEnd ? ids.length - n : 0;
      long[] row = new long[fixed + n];
      System.arraycopy(prefix, 0, row, 0, prefix.length);
      System.arraycopy(textPrefix, 0, row, prefix.length, textPrefix.length);
      System.arraycopy(ids, from, row, prefix.length + textPrefix.length, n);
      System.arraycopy(suffix, 0, row, prefix.length + textPrefix.length + n, suffix.length);
      rows[i] = row;
    }
    return rows;
  }

  /** Token ids of each text without special tokens and without truncation, in input order. */
  long[][] rawRows(List<String> texts) {
    long[][] rows = new long[texts.size()][];
    for (int i = 0; i < rows.length; i += CHUNK) {
      Encoding[] encodings = tokenizer.batchEncode(texts.subList(i, Math.min(rows.length, i + CHUNK)), false, false);
      for (int j = 0; j < encodings.length; j++) rows[i + j] = encodings[j].getIds();
    }
    return rows;
  }

  /** Token ids of a text without special tokens and without truncation (for tests and diagnostics). */
  public long[] rawIds(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /** Ids that open every encoded text ({@code [CLS]} for BERT). */
  public long[] prefixIds() {
    return prefix.clone();
  }

  /** Ids of the checkpoint's text prefix, put after {@link #prefixIds()} by {@link #encode} (empty for none). */
  public long[] textPrefixIds() {
    return textPrefix.clone();
  }

  /** Ids that close every encoded text ({@code [SEP]} for BERT). */
  public long[] suffixIds() {
    return suffix.clone();
  }

  long padId() {
    return padId;
  }

  private static int indexOf(long[] haystack, long[] needle) {
    outer:
    for (int s = 0; s + needle.length <= haystack.length; s++) {
      for (int j = 0; j < needle.length; j++) if (haystack[s + j] != needle[j]) continue outer;
      return s;
    }
    return -1;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
