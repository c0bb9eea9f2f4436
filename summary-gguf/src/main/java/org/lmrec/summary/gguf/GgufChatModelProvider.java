package org.lmrec.summary.gguf;

import java.io.IOException;
import org.lmrec.summary.chat.LocalChatModel;
import org.lmrec.summary.chat.LocalChatModelProvider;
import org.lmrec.summary.chat.LocalChatOptions;

/** Registers {@link GgufChatModel} as the {@code gguf} local chat backend (META-INF/services). */
public final class GgufChatModelProvider implements LocalChatModelProvider {
  @Override
  public String format() {
    return "gguf";
  }

  @Override
  public LocalChatModel open(LocalChatOptions options) throws IOException {
    return GgufChatModel.open(options);
  }
}
