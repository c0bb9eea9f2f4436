package org.lmrec.summary.chat;

/**
 * A generative LM that answers one chat exchange: what {@link ChatSummariser} needs from a
 * backend. Two implement it: {@link ChatCompletionsClient} (an OpenAI-compatible endpoint) and,
 * in the optional {@code lmrec-summary-gguf} module, a GGUF checkpoint run in-process by llama.cpp.
 * A call that gives no usable answer throws {@link ChatException} with the reason.
 */
public interface ChatModel {
  /** The model's answer to a system instruction and one user message. */
  String complete(String system, String user) throws ChatException, InterruptedException;

  /** The answer's token budget, which the prompts state. */
  int maxTokens();

  /** Names the model and the settings that shape its answers (stored in each summary's version). */
  String describe();
}
