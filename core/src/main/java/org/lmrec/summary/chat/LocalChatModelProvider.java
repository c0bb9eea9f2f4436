package org.lmrec.summary.chat;

import java.io.IOException;

/**
 * Opens local generative checkpoints; found through {@link java.util.ServiceLoader}, so core needs
 * no native library. The optional {@code lmrec-summary-gguf} module provides one (llama.cpp).
 */
public interface LocalChatModelProvider {
  /** The checkpoint format it reads, e.g. {@code gguf}. */
  String format();

  /** Checks and loads the checkpoint; a file that is not a well-formed checkpoint is refused with the reason. */
  LocalChatModel open(LocalChatOptions options) throws IOException;
}
