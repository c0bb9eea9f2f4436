package org.lmrec.summary.chat;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run a local generative checkpoint (a GGUF file) for summaries, defaults beside the settings.
 *
 * @param model the checkpoint file, a local path (never fetched from anywhere)
 * @param contextTokens the context window allocated (prompt and answer together)
 * @param threads CPU threads for one generation
 * @param maxTokens the answer's token budget
 * @param timeout one answer's wall-time limit; past it the generation is cancelled and the call fails
 * @param seed the sampler's seed (decoding is greedy, so answers are deterministic anyway)
 */
public record LocalChatOptions(Path model, int contextTokens, int threads, int maxTokens, Duration timeout, long seed) {
  public static LocalChatOptions defaults(Path model) {
    return new LocalChatOptions(model, 2048, 2, 128, Duration.ofSeconds(60), 42);
  }

  public LocalChatOptions {
    if (model == null) throw new IllegalArgumentException("a local chat model needs a checkpoint file");
    if (contextTokens < 64) throw new IllegalArgumentException("context tokens must be at least 64, got " + contextTokens);
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    if (maxTokens < 1 || maxTokens >= contextTokens) {
      throw new IllegalArgumentException("max tokens must be between 1 and the context (" + contextTokens + "), got " + maxTokens);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
  }

  public LocalChatOptions withMaxTokens(int n) {
    return new LocalChatOptions(model, contextTokens, threads, n, timeout, seed);
  }

  public LocalChatOptions withTimeout(Duration t) {
    return new LocalChatOptions(model, contextTokens, threads, maxTokens, t, seed);
  }

  public LocalChatOptions withContext(int tokens, int cpuThreads) {
    return new LocalChatOptions(model, tokens, cpuThreads, maxTokens, timeout, seed);
  }
}
