package org.lmrec.bench;

import ai.djl.engine.Engine;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lmrec.data.Dataset;
import org.lmrec.data.SyntheticConfig;
import org.lmrec.data.SyntheticDataGenerator;
import org.lmrec.enhance.ItemTexts;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LmTokenizer;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.OnnxTextEmbedder;
import org.lmrec.lm.TokenBatch;
import org.lmrec.train.lm.TrainableLm;
import org.lmrec.model.EngineSettings;

/**
 * How fast the LM embeds a catalogue: lmrec's {@link OnnxTextEmbedder} (tokenize, ONNX Runtime,
 * mean pooling) against a plain ONNX Runtime loop over the same inputs tokenized in advance (the
 * floor: the session's compute alone), and the trainable DJL copy in inference mode.
 *
 * <p>Usage: {@code LmThroughputBenchmark [texts=2000] [maxTokens=64] [batch=32] [threads=2] [djlTexts=256]
 * [lm=minilm (or a checkpoint folder; several, comma-separated, are measured in turn on the same texts)]}
 */
public final class LmThroughputBenchmark {
  public static void main(String[] args) throws Exception {
    Args a = new Args(args);
    int n = a.getInt("texts", 2000);
    int maxTokens = a.getInt("maxTokens", 64);
    int batch = a.getInt("batch", 32);
    int threads = a.getInt("threads", 2);
    EngineSettings.configure(threads);
    Dataset data = SyntheticDataGenerator.generateDataset(SyntheticConfig.defaults().withItems(n));
    List<String> texts = ItemTexts.of(data, ItemTexts.DEFAULT_MAX_VALUE_CHARS).subList(1, n + 1);
    List<String> table = new ArrayList<>();
    for (String spec : a.get("lm", "minilm").split(",")) {
      LmCheckpoint checkpoint = LmCheckpoint.parse(spec);
      double embedder;
      try (OnnxTextEmbedder e = new OnnxTextEmbedder(checkpoint, threads)) {
        e.embed(texts.subList(0, Math.min(n, 4 * batch)), maxTokens, batch, null); // warm-up
        long t0 = System.nanoTime();
        e.embed(texts, maxTokens, batch, null);
        embedder = n / ((System.nanoTime() - t0) / 1e9);
      }

      double plain = plainOrtLoop(checkpoint, texts, maxTokens, batch, threads);

      int djlTexts = Math.min(n, a.getInt("djlTexts", 256));
      double djl;
      try (TrainableLm lm = new TrainableLm(checkpoint, LoraConfig.defaults())) {
        lm.embed(texts.subList(0, Math.min(djlTexts, 2 * batch)), maxTokens, batch, null);
        long t0 = System.nanoTime();
        lm.embed(texts.subList(0, djlTexts), maxTokens, batch, null);
        djl = djlTexts / ((System.nanoTime() - t0) / 1e9);
      }
      String lm = checkpoint.name() + (checkpoint.textPrefix().isEmpty() ? "" : " (prefix '" + checkpoint.textPrefix() + "')");
      table.add(String.format("| %s | plain ONNX Runtime loop (pre-tokenized, no pooling) | %.0f | 1.00 |", lm, plain));
      table.add(String.format("| %s | lmrec OnnxTextEmbedder (tokenize + ORT + mean pooling) | %.0f | %.2f |", lm, embedder, embedder / plain));
      table.add(String.format("| %s | lmrec TrainableLm.embed (DJL/PyTorch, %d texts) | %.0f | %.2f |", lm, djlTexts, djl, djl / plain));
    }

    System.out.printf("%n| LM | path (%d texts, ≤%d tokens, batch %d, %d threads) | items/s | vs plain ORT loop |%n|---|---|---|---|%n", n, maxTokens, batch, threads);
    table.forEach(System.out::println);
  }

  private static double plainOrtLoop(LmCheckpoint checkpoint, List<String> texts, int maxTokens, int batch, int threads) throws Exception {
    Engine.getEngine("OnnxRuntime"); // DJL must initialise ONNX Runtime before it is used directly
    List<TokenBatch> batches = new ArrayList<>();
    try (LmTokenizer tokenizer = new LmTokenizer(checkpoint)) {
      for (int from = 0; from < texts.size(); from += batch) {
        batches.add(tokenizer.encode(texts.subList(from, Math.min(texts.size(), from + batch)), maxTokens, false));
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(checkpoint.onnxFile().toString(), options)) {
        run(env, session, batches.subList(0, Math.min(4, batches.size())));
        long t0 = System.nanoTime();
        run(env, session, batches);
        return texts.size() / ((System.nanoTime() - t0) / 1e9);
      }
    }
  }

  private static void run(OrtEnvironment env, OrtSession session, List<TokenBatch> batches) throws Exception {
    for (TokenBatch b : batches) {
      try (OnnxTensor ids = OnnxTensor.createTensor(env, b.ids());
          OnnxTensor mask = OnnxTensor.createTensor(env, b.attentionMask());
          OnnxTensor types = OnnxTensor.createTensor(env, b.typeIds());
          OrtSession.Result r = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
        r.get(0);
      }
    }
  }
}
