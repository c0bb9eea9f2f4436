package org.lmrec.stream.summary;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.lmrec.summary.chat.ChatException;
import org.lmrec.summary.chat.LocalChatModel;
import org.lmrec.summary.chat.LocalChatModels;
import org.lmrec.summary.chat.LocalChatOptions;

/**
 * One loaded local checkpoint per JVM and settings, shared by every summary subtask in it: a GGUF
 * model is gigabytes, and a TaskManager with several slots must not hold a copy per slot. Counted
 * references; the last release closes it.
 */
final class SharedLocalModels {
  private static final Map<LocalChatOptions, Entry> OPEN = new HashMap<>();
  private static long loads;

  private SharedLocalModels() {}

  static synchronized LocalChatModel acquire(String format, LocalChatOptions options) throws IOException {
    Entry e = OPEN.get(options);
    if (e == null) {
      e = new Entry(LocalChatModels.open(format, options));
      OPEN.put(options, e);
      loads++;
    }
    e.references++;
    return new Handle(options, e.model);
  }

  /** Models open now (for tests). */
  static synchronized int open() {
    return OPEN.size();
  }

  /** Checkpoints loaded since the JVM started (for tests). */
  static synchronized long loads() {
    return loads;
  }

  private static synchronized void release(LocalChatOptions options) {
    Entry e = OPEN.get(options);
    if (e != null && --e.references == 0) {
      OPEN.remove(options);
      e.model.close();
    }
  }

  private static final class Entry {
    final LocalChatModel model;
    int references;

    Entry(LocalChatModel model) {
      this.model = model;
    }
  }

  /** A subtask's reference: closing it releases the shared model once. */
  private static final class Handle implements LocalChatModel {
    private final LocalChatOptions options;
    private final LocalChatModel model;
    private boolean closed;

    Handle(LocalChatOptions options, LocalChatModel model) {
      this.options = options;
      this.model = model;
    }

    @Override
    public String complete(String system, String user) throws ChatException, InterruptedException {
      return model.complete(system, user);
    }

    @Override
    public int maxTokens() {
      return model.maxTokens();
    }

    @Override
    public String describe() {
      return model.describe();
    }

    @Override
    public synchronized void close() {
      if (closed) return;
      closed = true;
      release(options);
    }
  }
}
