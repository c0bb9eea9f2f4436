package org.lmrec.stream.summary;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import org.lmrec.summary.chat.LocalChatOptions;

/**
 * The {@code lmrec.summaries.gguf.*} options: a GGUF checkpoint on every TaskManager's local disk,
 * run in-process by llama.cpp (the optional {@code lmrec-summary-gguf} module).
 *
 * @param model the checkpoint's local path, the same on every TaskManager
 * @param contextTokens context window (prompt and answer)
 * @param threads CPU threads of one generation
 * @param maxTokens the answer's token budget
 * @param callTimeout one answer's wall-time limit; the generation is cancelled past it
 */
public record GgufSettings(String model, int contextTokens, int threads, int maxTokens, Duration callTimeout) implements Serializable {
  public static GgufSettings none() {
    LocalChatOptions d = LocalChatOptions.defaults(Path.of("unset"));
    return new GgufSettings(null, d.contextTokens(), d.threads(), d.maxTokens(), d.timeout());
  }

  /** As llama.cpp's backend takes them; refuses settings that cannot work. */
  public LocalChatOptions options() {
    if (model == null || model.isBlank()) throw new IllegalArgumentException("lmrec.summaries.backend=gguf needs lmrec.summaries.gguf.model");
    return new LocalChatOptions(Path.of(model), contextTokens, threads, maxTokens, callTimeout, 42);
  }
}
