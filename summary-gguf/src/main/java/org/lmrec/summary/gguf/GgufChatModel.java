package org.lmrec.summary.gguf;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.lmrec.summary.chat.ChatException;
import org.lmrec.summary.chat.LocalChatModel;
import org.lmrec.summary.chat.LocalChatOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GGUF checkpoint run in this process by llama.cpp (through its Java binding, {@code de.kherud:llama},
 * CPU only): the third LLM-TRSR summary backend. The file's header is checked in Java first
 * ({@link GgufFile}). Decoding is greedy (temperature 0), so the same prompt gives the same answer.
 * The checkpoint's own chat template formats the exchange when it has one; otherwise the system
 * and user texts are joined as plain text. One generation runs at a time (llama.cpp's context is
 * not shared between threads here); a generation past the timeout is cancelled and the call fails,
 * and so does a prompt that would not fit the context window with its answer (llama.cpp would
 * otherwise cut it silently).
 */
public final class GgufChatModel implements LocalChatModel {
  private static final Logger LOG = LoggerFactory.getLogger(GgufChatModel.class);

  private final LocalChatOptions options;
  private final GgufFile file;
  private final LlamaModel model;
  private final ReentrantLock oneAtATime = new ReentrantLock(true);

  private GgufChatModel(LocalChatOptions options, GgufFile file, LlamaModel model) {
    this.options = options;
    this.file = file;
    this.model = model;
  }

  /** Checks the file, then loads it; a file llama.cpp cannot load is refused with its reason. */
  public static GgufChatModel open(LocalChatOptions options) throws IOException {
    GgufFile file = GgufFile.read(options.model());
    if (file.contextLength() > 0 && options.contextTokens() > file.contextLength()) {
      // A longer window than the checkpoint was trained for only degrades its answers: use the checkpoint's.
      int trained = (int) Math.min(Integer.MAX_VALUE, file.contextLength());
      if (options.maxTokens() >= trained) {
        throw new IOException(options.model().getFileName() + " was trained for a context of " + trained + " tokens, too short for answers of "
            + options.maxTokens());
      }
      LOG.warn("{}: context of {} tokens asked, the checkpoint was trained for {}: using {}", options.model().getFileName(),
          options.contextTokens(), trained, trained);
      options = options.withContext(trained, options.threads());
    }
    NativeLog.route();
    long t0 = System.nanoTime();
    ModelParameters parameters = new ModelParameters()
        .setModel(options.model().toAbsolutePath().toString())
        .setCtxSize(options.contextTokens())
        .setThreads(options.threads())
        .setThreadsBatch(options.threads())
        .setGpuLayers(0)
        .setSeed(options.seed());
    LlamaModel model;
    try {
      model = new LlamaModel(parameters);
    } catch (RuntimeException | UnsatisfiedLinkError e) { // the binding's LlamaException is not public
      throw new IOException("llama.cpp could not load " + options.model().getFileName() + ": " + e.getMessage(), e);
    }
    LOG.info(String.format("GGUF summary model %s loaded in %.1f s (%s, %s, %d tensors, chat template %s)", options.model().getFileName(),
        (System.nanoTime() - t0) / 1e9, file.architecture(), file.name().isEmpty() ? "unnamed" : file.name(), file.tensors(),
        file.chatTemplate().isEmpty() ? "none: plain prompt" : "from the checkpoint"));
    return new GgufChatModel(options, file, model);
  }

  /** What was read from the file's header. */
  public GgufFile file() {
    return file;
  }

  /** The context window in use (at most the checkpoint's own). */
  public int contextTokens() {
    return options.contextTokens();
  }

  @Override
  public String complete(String system, String user) throws ChatException, InterruptedException {
    oneAtATime.lockInterruptibly();
    try {
      InferenceParameters parameters = parameters(system, user);
      // llama.cpp would cut a prompt longer than the window, silently and from the user's end: refuse it instead.
      int promptTokens = model.encode(text(parameters, system, user)).length;
      if (promptTokens + options.maxTokens() > options.contextTokens()) {
        throw new ChatException("prompt of " + promptTokens + " tokens and an answer of up to " + options.maxTokens()
            + " do not fit the context of " + options.contextTokens() + " tokens", null);
      }
      return generate(parameters);
    } catch (RuntimeException e) { // the binding's LlamaException is not public
      throw new ChatException("llama.cpp failed: " + e.getMessage(), e);
    } finally {
      oneAtATime.unlock();
    }
  }

  /** The exact text the model reads for this exchange (the chat template applied, or the plain form). */
  public String prompt(String system, String user) {
    return text(parameters(system, user), system, user);
  }

  private String text(InferenceParameters parameters, String system, String user) {
    return file.chatTemplate().isEmpty() ? plain(system, user) : model.applyTemplate(parameters);
  }

  private InferenceParameters parameters(String system, String user) {
    InferenceParameters p = new InferenceParameters(file.chatTemplate().isEmpty() ? plain(system, user) : "")
        .setNPredict(options.maxTokens())
        .setTemperature(0f)
        .setSeed((int) options.seed())
        .setCachePrompt(false);
    if (!file.chatTemplate().isEmpty()) p.setUseChatTemplate(true).setMessages(system, List.of(new Pair<>("user", user)));
    return p;
  }

  static String plain(String system, String user) {
    return system + "\n\n" + user + "\n\nProfile:";
  }

  /** Runs under {@link #complete}, which turns the binding's runtime failures into a {@link ChatException}. */
  private String generate(InferenceParameters parameters) throws ChatException, InterruptedException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    StringBuilder answer = new StringBuilder();
    LlamaIterator tokens = model.generate(parameters).iterator();
    while (tokens.hasNext()) {
      LlamaOutput out = tokens.next();
      answer.append(out.text);
      if (Thread.interrupted()) {
        tokens.cancel();
        throw new InterruptedException("summary generation interrupted");
      }
      if (System.nanoTime() > deadline) {
        tokens.cancel();
        throw new ChatException("no answer within " + options.timeout() + " (" + answer.length() + " characters generated, cancelled)", null);
      }
    }
    String text = answer.toString().strip();
    if (text.isEmpty()) throw new ChatException("empty answer from " + options.model().getFileName(), null);
    return text;
  }

  @Override
  public int maxTokens() {
    return options.maxTokens();
  }

  @Override
  public String describe() {
    return "gguf=" + options.model().getFileName() + ";fingerprint=" + file.fingerprint() + ";max_tokens=" + options.maxTokens();
  }

  @Override
  public void close() {
    model.close();
  }
}
