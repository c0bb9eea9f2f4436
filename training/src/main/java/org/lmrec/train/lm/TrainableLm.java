package org.lmrec.train.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import org.lmrec.model.djl.DjlOps;
import org.lmrec.tensor.Tensor;
import org.lmrec.lm.BertConfig;
import org.lmrec.lm.BertGraph;
import org.lmrec.lm.EmbeddingBatches;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LmTokenizer;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraTarget;
import org.lmrec.lm.LoraWeights;
import org.lmrec.lm.OnnxGraph;
import org.lmrec.lm.OnnxInitializer;
import org.lmrec.lm.OnnxTextEmbedder;
import org.lmrec.lm.Projection;
import org.lmrec.lm.TokenBatch;

/**
 * The checkpoint's BERT encoder rebuilt from DJL operators on the PyTorch engine, for LoRA
 * fine-tuning on the CPU. The base weights come from the ONNX initializers and stay frozen (plain
 * arrays without gradients); each targeted attention projection gets LoRA matrices A and B (the
 * only arrays with {@code requiresGradient}), so W·x becomes W·x + (alpha/r)·B(A(dropout(x))).
 *
 * <p>The forward pass follows the exported graph op for op (embeddings word + type + position,
 * LayerNorm, per layer: attention with an additive mask, output dense + residual + LayerNorm,
 * exact-erf GELU feed-forward + residual + LayerNorm) and mean-pools the last hidden state over
 * non-pad tokens, so with B = 0 it matches {@link OnnxTextEmbedder} to float rounding.
 *
 * <p>Training: call {@link #pooled} inside a {@code GradientCollector} with a per-step
 * sub-manager, compute a loss, {@code backward}, then update {@link #trainableParameters()} (e.g.
 * DJL's Adam, one id per array) and {@link #zeroGradients()}. Dropout masks come from the
 * PyTorch engine's generator, which the constructor seeds from {@link LoraConfig#seed()}.
 * Threads are the engine's (see {@code org.lmrec.model.EngineSettings}); two intra-op threads
 * suit this model on two cores. Not thread-safe.
 */
public final class TrainableLm implements AutoCloseable {
  /** System property that overrides the attention head count read from the graph. */
  public static final String HEADS_PROPERTY = BertGraph.HEADS_PROPERTY;
  private static final float MASKED = -Float.MAX_VALUE; // what the exported graph adds at pad positions

  private final LmCheckpoint checkpoint;
  private final BertConfig config;
  private final LoraConfig lora;
  private final LmTokenizer tokenizer;
  private final NDManager manager;
  private final NDArray wordEmbeddings;
  private final NDArray positionEmbeddings;
  private final NDArray typeEmbeddings; // null when the model has no token types
  private final NDArray embeddingNormGamma;
  private final NDArray embeddingNormBeta;
  private final Layer[] layers;
  private final List<NDArray> frozen = new ArrayList<>();
  private final List<NDArray> trainable = new ArrayList<>();

  /** One transformer layer's arrays. Projection weights are [in, out]. */
  private static final class Layer {
    final Map<Projection, NDArray> weight = new EnumMap<>(Projection.class);
    final Map<Projection, NDArray> bias = new EnumMap<>(Projection.class);
    final Map<LoraTarget, NDArray> loraA = new EnumMap<>(LoraTarget.class);
    final Map<LoraTarget, NDArray> loraB = new EnumMap<>(LoraTarget.class);
    NDArray attentionNormGamma;
    NDArray attentionNormBeta;
    NDArray outputNormGamma;
    NDArray outputNormBeta;
  }

  public TrainableLm(LmCheckpoint checkpoint, LoraConfig lora) {
    this(checkpoint, lora, Integer.getInteger(HEADS_PROPERTY, 0));
  }

  /** {@code attentionHeads} > 0 overrides the head count read from the graph. */
  public TrainableLm(LmCheckpoint checkpoint, LoraConfig lora, int attentionHeads) {
    this.checkpoint = checkpoint;
    this.lora = lora;
    OnnxGraph graph = OnnxGraph.read(checkpoint.onnxFile());
    BertGraph bert = BertGraph.of(graph, attentionHeads);
    this.config = bert.config();
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) lora.seed());
    this.manager = engine.newBaseManager();
    try {
      Map<String, OnnxInitializer> inits = graph.initializers();
      this.wordEmbeddings = frozen(inits.get(bert.name("embeddings.word_embeddings.weight")), false);
      this.positionEmbeddings = frozen(inits.get(bert.name("embeddings.position_embeddings.weight")), false);
      this.typeEmbeddings = config.typeVocabSize() > 0 ? frozen(inits.get(bert.name("embeddings.token_type_embeddings.weight")), false) : null;
      this.embeddingNormGamma = frozen(inits.get(bert.name("embeddings.LayerNorm.weight")), false);
      this.embeddingNormBeta = frozen(inits.get(bert.name("embeddings.LayerNorm.bias")), false);
      Random random = new Random(lora.seed());
      this.layers = new Layer[config.layers()];
      for (int l = 0; l < layers.length; l++) {
        Layer layer = new Layer();
        for (Projection p : Projection.values()) {
          BertGraph.Source s = bert.source(l, p);
          layer.weight.put(p, frozen(inits.get(s.weight()), s.outIn()));
          layer.bias.put(p, frozen(inits.get(s.bias()), false));
        }
        layer.attentionNormGamma = frozen(inits.get(bert.layerName(l, "attention.output.LayerNorm.weight")), false);
        layer.attentionNormBeta = frozen(inits.get(bert.layerName(l, "attention.output.LayerNorm.bias")), false);
        layer.outputNormGamma = frozen(inits.get(bert.layerName(l, "output.LayerNorm.weight")), false);
        layer.outputNormBeta = frozen(inits.get(bert.layerName(l, "output.LayerNorm.bias")), false);
        for (LoraTarget t : lora.orderedTargets()) {
          int in = config.hiddenSize();
          int out = config.hiddenSize();
          float bound = (float) (1.0 / Math.sqrt(in));
          float[] a = new float[in * lora.rank()];
          for (int i = 0; i < a.length; i++) a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
          layer.loraA.put(t, trainable(a, new Shape(in, lora.rank())));
          layer.loraB.put(t, trainable(new float[lora.rank() * out], new Shape(lora.rank(), out)));
        }
        layers[l] = layer;
      }
      this.tokenizer = new LmTokenizer(checkpoint);
    } catch (RuntimeException e) {
      manager.close(); // the weights loaded so far
      throw e;
    }
  }

  private NDArray frozen(OnnxInitializer init, boolean transpose) {
    Tensor t = new Tensor(init.floats(), init.intDims());
    NDArray a = DjlOps.tensor(manager, t);
    if (transpose) {
      NDArray inOut;
      try (NDArray view = a.transpose()) {
        inOut = view.duplicate(); // contiguous [in, out]
      }
      a.close();
      a = inOut;
    }
    frozen.add(a);
    return a;
  }

  private NDArray trainable(float[] values, Shape shape) {
    NDArray a = DjlOps.floats(manager, values, shape);
    a.setRequiresGradient(true);
    trainable.add(a);
    return a;
  }

  public LmCheckpoint checkpoint() {
    return checkpoint;
  }

  public BertConfig bertConfig() {
    return config;
  }

  public LoraConfig loraConfig() {
    return lora;
  }

  public int hiddenSize() {
    return config.hiddenSize();
  }

  public LmTokenizer tokenizer() {
    return tokenizer;
  }

  /** The long-lived manager that owns the weights; create heads and optimizer state under it. */
  public NDManager manager() {
    return manager;
  }

  /** The LoRA arrays (A then B, per layer and target, in a fixed order): the only ones with gradients. */
  public List<NDArray> trainableParameters() {
    return Collections.unmodifiableList(trainable);
  }

  /** The frozen base weights (embeddings, projections, biases, LayerNorms), for checks. */
  public List<NDArray> frozenParameters() {
    return Collections.unmodifiableList(frozen);
  }

  /**
   * Mean-pooled last hidden state [batch, hidden], with every intermediate array attached to {@code
   * step}. Inside a gradient collector, gradients reach the LoRA arrays only. {@code training}
   * applies LoRA dropout.
   */
  public NDArray pooled(TokenBatch batch, NDManager step, boolean training) {
    return forward(batch, step, training, true);
  }

  /** As {@link #pooled} without dropout and without any autograd graph (evaluation inside a training run). */
  public NDArray pooledInference(TokenBatch batch, NDManager step) {
    return forward(batch, step, false, false);
  }

  private NDArray forward(TokenBatch batch, NDManager step, boolean training, boolean withGradients) {
    int b = batch.size();
    int t = batch.length();
    if (b == 0) throw new IllegalArgumentException("empty token batch");
    if (t > config.maxPositions()) {
      throw new IllegalArgumentException("batch is " + t + " tokens long but the model takes at most " + config.maxPositions());
    }
    NDArray ids = DjlOps.longs(step, TokenBatch.flat(batch.ids()), new Shape(b, t));
    NDArray x = DjlOps.embed(ids, wordEmbeddings);
    if (typeEmbeddings != null) {
      x = x.add(DjlOps.embed(DjlOps.longs(step, TokenBatch.flat(batch.typeIds()), new Shape(b, t)), typeEmbeddings));
    }
    long[] positions = new long[t];
    for (int i = 0; i < t; i++) positions[i] = i;
    x = x.add(DjlOps.embed(DjlOps.longs(step, positions, new Shape(t)), positionEmbeddings));
    x = DjlOps.layerNorm(x, embeddingNormGamma, embeddingNormBeta, config.layerNormEps());

    float[] additive = new float[b * t];
    float[] keep = new float[b * t];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        boolean real = batch.attentionMask()[i][j] != 0;
        additive[i * t + j] = real ? 0f : MASKED;
        keep[i * t + j] = real ? 1f : 0f;
      }
    }
    NDArray mask = DjlOps.floats(step, additive, new Shape(b, 1, 1, t));
    NDArray scoreScale = DjlOps.scalar(step, (float) Math.sqrt(config.headSize()));
    NDArray loraScale = DjlOps.scalar(step, lora.scale());
    Lora adapters = new Lora(step, loraScale, training, withGradients);
    for (Layer layer : layers) x = layer(layer, x, mask, scoreScale, adapters, b, t);

    NDArray weights = DjlOps.floats(step, keep, new Shape(b, t, 1));
    return x.mul(weights).sum(new int[] {1}).div(weights.sum(new int[] {1}));
  }

  /** How the LoRA branch runs in this pass. */
  private record Lora(NDManager step, NDArray scale, boolean training, boolean withGradients) {}

  private NDArray layer(Layer layer, NDArray x, NDArray mask, NDArray scoreScale, Lora lora, int b, int t) {
    int heads = config.heads();
    int d = config.headSize();
    int h = config.hiddenSize();
    NDArray q = project(layer, Projection.QUERY, x, lora).reshape(b, t, heads, d).transpose(0, 2, 1, 3);
    NDArray k = project(layer, Projection.KEY, x, lora).reshape(b, t, heads, d).transpose(0, 2, 3, 1);
    NDArray v = project(layer, Projection.VALUE, x, lora).reshape(b, t, heads, d).transpose(0, 2, 1, 3);
    NDArray probs = q.matMul(k).div(scoreScale).add(mask).softmax(-1);
    NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(b, t, h);
    NDArray attended = project(layer, Projection.ATTENTION_OUTPUT, context, lora).add(x);
    NDArray y = DjlOps.layerNorm(attended, layer.attentionNormGamma, layer.attentionNormBeta, config.layerNormEps());
    NDArray inner = Activation.gelu(project(layer, Projection.INTERMEDIATE, y, lora));
    NDArray out = project(layer, Projection.OUTPUT, inner, lora).add(y);
    return DjlOps.layerNorm(out, layer.outputNormGamma, layer.outputNormBeta, config.layerNormEps());
  }

  private NDArray project(Layer layer, Projection p, NDArray x, Lora lora) {
    NDArray y = x.matMul(layer.weight.get(p)).add(layer.bias.get(p));
    LoraTarget target = targetOf(p);
    if (target == null || !layer.loraA.containsKey(target)) return y;
    NDArray a = layer.loraA.get(target);
    NDArray bMatrix = layer.loraB.get(target);
    if (!lora.withGradients()) { // detached views: no autograd graph, whatever the thread's grad mode
      a = a.stopGradient();
      a.attach(lora.step());
      bMatrix = bMatrix.stopGradient();
      bMatrix.attach(lora.step());
    }
    NDArray in = lora.training() && this.lora.dropout() > 0f ? DjlOps.dropout(x, this.lora.dropout(), true) : x;
    return y.add(in.matMul(a).matMul(bMatrix).mul(lora.scale()));
  }

  private static LoraTarget targetOf(Projection p) {
    for (LoraTarget t : LoraTarget.values()) if (t.projection() == p) return t;
    return null;
  }

  /** Mean-pooled embeddings without gradients or dropout, in batches of similar length; rows in input order. */
  public float[][] embed(List<String> texts, int maxTokens, int batchSize, IntConsumer progress) {
    return embed(texts, maxTokens, false, batchSize, progress);
  }

  /** As {@link #embed(List, int, int, IntConsumer)}; {@code keepEnd} keeps the last tokens of long texts. */
  public float[][] embed(List<String> texts, int maxTokens, boolean keepEnd, int batchSize, IntConsumer progress) {
    return EmbeddingBatches.embed(tokenizer, texts, maxTokens, keepEnd, batchSize, progress, batch -> {
      try (NDManager step = manager.newSubManager()) {
        float[] flat = forward(batch, step, false, false).toFloatArray();
        float[][] rows = new float[batch.size()][];
        int h = config.hiddenSize();
        for (int i = 0; i < rows.length; i++) rows[i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
        return rows;
      }
    });
  }

  /** Zeroes the gradients of the LoRA arrays (PyTorch adds each backward pass to them). */
  public void zeroGradients() {
    for (NDArray a : trainable) {
      if (!a.hasGradient()) continue;
      try (NDArray g = a.getGradient()) {
        g.subi(g);
      }
    }
  }

  /** A copy of the current LoRA matrices with this model's config. */
  public LoraWeights loraWeights() {
    Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
    for (int l = 0; l < layers.length; l++) {
      for (LoraTarget t : lora.orderedTargets()) {
        tensors.put(LoraWeights.tensorName(l, t, true), DjlOps.toTensor(layers[l].loraA.get(t)));
        tensors.put(LoraWeights.tensorName(l, t, false), DjlOps.toTensor(layers[l].loraB.get(t)));
      }
    }
    return new LoraWeights(lora, layers.length, tensors);
  }

  /**
   * Overwrites the LoRA matrices in place (warm start; the arrays keep their identity, so an
   * optimizer's per-array state still applies). Rank, alpha, targets, layer count and every shape
   * must match this model's; dropout and seed may differ.
   */
  public void loadLora(LoraWeights w) {
    LoraConfig c = w.config();
    if (c.rank() != lora.rank() || c.alpha() != lora.alpha() || !c.targets().equals(lora.targets())) {
      throw new IllegalArgumentException(
          "LoRA weights were made for rank " + c.rank() + ", alpha " + c.alpha() + ", targets " + c.targets() + " but this model has rank "
              + lora.rank() + ", alpha " + lora.alpha() + ", targets " + lora.targets());
    }
    if (w.layers() != layers.length) {
      throw new IllegalArgumentException("LoRA weights have " + w.layers() + " layers but the model has " + layers.length);
    }
    for (int l = 0; l < layers.length; l++) {
      for (LoraTarget t : lora.orderedTargets()) {
        check(layers[l].loraA.get(t), w.a(l, t), "A", l, t);
        check(layers[l].loraB.get(t), w.b(l, t), "B", l, t);
      }
    }
    for (int l = 0; l < layers.length; l++) {
      for (LoraTarget t : lora.orderedTargets()) {
        overwrite(layers[l].loraA.get(t), w.a(l, t));
        overwrite(layers[l].loraB.get(t), w.b(l, t));
      }
    }
  }

  private static void check(NDArray target, Tensor value, String which, int layer, LoraTarget t) {
    Shape want = target.getShape();
    Shape got = new Shape(java.util.Arrays.stream(value.shape()).asLongStream().toArray());
    if (!want.equals(got)) {
      throw new IllegalArgumentException("LoRA " + which + " of layer " + layer + " " + t.key() + " has shape " + got + " but the model needs " + want);
    }
  }

  private void overwrite(NDArray target, Tensor value) {
    try (NDArray copy = DjlOps.tensor(manager, value); NDArray view = target.stopGradient()) {
      view.subi(view).addi(copy); // through a detached view: allowed on a leaf that requires grad, same storage
    }
  }

  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
