package org.lmrec.summary.gguf;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes llama.cpp's own log lines to SLF4J (debug, warnings and errors as such) instead of stderr. */
final class NativeLog {
  private static final Logger LOG = LoggerFactory.getLogger("llama.cpp");
  private static volatile boolean routed;

  private NativeLog() {}

  static synchronized void route() {
    if (routed) return;
    LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {
      String line = message.stripTrailing();
      if (line.isEmpty()) return;
      switch (level) {
        case ERROR -> LOG.error(line);
        case WARN -> LOG.warn(line);
        default -> LOG.debug(line);
      }
    });
    routed = true;
  }
}
