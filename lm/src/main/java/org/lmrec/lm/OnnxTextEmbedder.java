package org.lmrec.lm;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.lmrec.tensor.Tensor;

/**
 * Fast inference with ONNX Runtime: token ids in, {@code last_hidden_state} out, mean-pooled over
 * the non-pad tokens. Optionally a LoRA adapter is folded into the projection initializers (W' =
 * W + scale·A·B, handed to ORT with {@code SessionOptions.addInitializer} on the same .onnx file),
 * so a fine-tuned encoder embeds a catalogue at ORT speed without re-exporting the graph.
 *
 * <p>ORT runs {@code threads} intra-op threads and one inter-op thread. {@link #embed} is not
 * meant to be called from several threads at once (create one embedder per thread instead).
 */
public final class OnnxTextEmbedder implements AutoCloseable {
  private static final String IDS = "input_ids";
  private static final String MASK = "attention_mask";
  private static final String TYPES = "token_type_ids";

  private final LmCheckpoint checkpoint;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final List<OnnxTensor> foldedTensors = new ArrayList<>();
  private final LmTokenizer tokenizer;
  private final String output;
  private final Set<String> inputs;
  private int hiddenSize;

  public OnnxTextEmbedder(LmCheckpoint checkpoint, int threads) {
    this(checkpoint, threads, null);
  }

  /** {@code folded}: LoRA weights to fold into the projections, or null for the checkpoint as it is. */
  public OnnxTextEmbedder(LmCheckpoint checkpoint, int threads, LoraWeights folded) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    this.checkpoint = checkpoint;
    Engine.getEngine("OnnxRuntime"); // DJL must load ORT's natives before the ai.onnxruntime API is used
    this.env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (folded != null) fold(options, folded);
      this.session = env.createSession(checkpoint.onnxFile().toString(), options);
      this.inputs = session.getInputNames();
      for (String in : inputs) {
        if (!in.equals(IDS) && !in.equals(MASK) && !in.equals(TYPES)) {
          throw new IllegalArgumentException("model " + checkpoint.name() + " wants an input '" + in + "'; only input_ids, attention_mask and token_type_ids are supported");
        }
      }
      if (!inputs.contains(IDS)) throw new IllegalArgumentException("model " + checkpoint.name() + " has no input_ids input");
      this.output = hiddenStateOutput(session);
    } catch (OrtException e) {
      closeFolded();
      throw new IllegalStateException("ONNX Runtime cannot load " + checkpoint.onnxFile() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeFolded();
      throw e;
    }
    this.tokenizer = new LmTokenizer(checkpoint);
  }

  private void fold(OrtSession.SessionOptions options, LoraWeights folded) throws OrtException {
    OnnxGraph graph = OnnxGraph.read(checkpoint.onnxFile());
    BertGraph bert = BertGraph.of(graph, BertGraph.HEADS_NOT_NEEDED);
    if (folded.layers() != bert.config().layers()) {
      throw new IllegalArgumentException("LoRA weights have " + folded.layers() + " layers but " + checkpoint.name() + " has " + bert.config().layers());
    }
    for (int l = 0; l < folded.layers(); l++) {
      for (LoraTarget t : folded.config().orderedTargets()) {
        BertGraph.Source source = bert.source(l, t.projection());
        OnnxInitializer w = graph.initializers().get(source.weight());
        Tensor delta = folded.delta(l, t);
        int in = delta.dim(0);
        int out = delta.dim(1);
        long[] want = source.outIn() ? new long[] {out, in} : new long[] {in, out};
        if (!java.util.Arrays.equals(w.dims(), want)) {
          throw new IllegalArgumentException(
              "LoRA delta of layer " + l + " " + t.key() + " is [" + in + ", " + out + "] but " + source.weight() + " is " + java.util.Arrays.toString(w.dims()));
        }
        float[] merged = w.floats().clone();
        float[] d = delta.data();
        for (int i = 0; i < in; i++) {
          for (int j = 0; j < out; j++) {
            if (source.outIn()) merged[j * in + i] += d[i * out + j];
            else merged[i * out + j] += d[i * out + j];
          }
        }
        OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(merged), w.dims());
        foldedTensors.add(tensor); // must outlive the session
        options.addInitializer(source.weight(), tensor);
      }
    }
  }

  private static String hiddenStateOutput(OrtSession session) throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    if (outputs.containsKey("last_hidden_state")) return "last_hidden_state";
    for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo ti && ti.getShape().length == 3) return e.getKey();
    }
    throw new IllegalArgumentException("the model has no [batch, tokens, hidden] output to pool (outputs: " + outputs.keySet() + ")");
  }

  public LmCheckpoint checkpoint() {
    return checkpoint;
  }

  public LmTokenizer tokenizer() {
    return tokenizer;
  }

  /** Width of the embeddings (384 for MiniLM). */
  public int hiddenSize() {
    if (hiddenSize == 0) {
      try {
        long[] shape = ((TensorInfo) session.getOutputInfo().get(output).getInfo()).getShape();
        hiddenSize = shape[2] > 0 ? (int) shape[2] : embedBatch(tokenizer.encode(List.of("probe"), 8, false))[0].length;
      } catch (OrtException e) {
        throw new IllegalStateException("cannot read the output shape of " + checkpoint.name(), e);
      }
    }
    return hiddenSize;
  }

  /**
   * Mean-pooled embeddings, one row per text in input order, computed in batches of {@code
   * batchSize} texts of similar length (each cut to {@code maxTokens} tokens, keeping the start);
   * {@code progress} (may be null) hears the number of texts done after each batch.
   */
  public float[][] embed(List<String> texts, int maxTokens, int batchSize, IntConsumer progress) {
    return embed(texts, maxTokens, false, batchSize, progress);
  }

  /** As {@link #embed(List, int, int, IntConsumer)}; {@code keepEnd} keeps the last tokens of long texts. */
  public float[][] embed(List<String> texts, int maxTokens, boolean keepEnd, int batchSize, IntConsumer progress) {
    return EmbeddingBatches.embed(tokenizer, texts, maxTokens, keepEnd, batchSize, progress, this::embedBatch);
  }

  /** Mean-pooled embeddings of one padded batch. */
  public float[][] embedBatch(TokenBatch batch) {
    int b = batch.size();
    int t = batch.length();
    long[] shape = {b, t};
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put(IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(TokenBatch.flat(batch.ids())), shape));
      if (inputs.contains(MASK)) feed.put(MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(TokenBatch.flat(batch.attentionMask())), shape));
      if (inputs.contains(TYPES)) feed.put(TYPES, OnnxTensor.createTensor(env, LongBuffer.wrap(TokenBatch.flat(batch.typeIds())), shape));
      try (OrtSession.Result result = session.run(feed, Set.of(output))) {
        OnnxValue value = result.get(output).orElseThrow();
        FloatBuffer hidden = ((OnnxTensor) value).getFloatBuffer();
        int h = hidden.remaining() / (b * t);
        return meanPool(hidden, batch.attentionMask(), b, t, h);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + b + " x " + t + " tokens: " + e.getMessage(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  private static float[][] meanPool(FloatBuffer hidden, long[][] mask, int b, int t, int h) {
    float[][] out = new float[b][h];
    double[] sum = new double[h];
    for (int i = 0; i < b; i++) {
      java.util.Arrays.fill(sum, 0.0);
      int n = 0;
      for (int j = 0; j < t; j++) {
        if (mask[i][j] == 0) continue;
        n++;
        int base = (i * t + j) * h;
        for (int k = 0; k < h; k++) sum[k] += hidden.get(base + k);
      }
      for (int k = 0; k < h; k++) out[i][k] = (float) (sum[k] / n);
    }
    return out;
  }

  private void closeFolded() {
    foldedTensors.forEach(OnnxTensor::close);
    foldedTensors.clear();
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the ONNX Runtime session", e);
    } finally {
      closeFolded();
      tokenizer.close();
    }
  }
}
