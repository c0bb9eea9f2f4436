package org.lmrec.lm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an exported BERT graph says about the encoder: its {@link BertConfig} and which initializer
 * holds each weight.
 *
 * <ul>
 *   <li>Embeddings, biases and LayerNorms carry HuggingFace names ({@code
 *       embeddings.word_embeddings.weight}, possibly behind a prefix such as {@code bert.}).
 *   <li>Projection matrices are often anonymous ({@code onnx::MatMul_787}); the consuming node's
 *       name says which they are ({@code /encoder/layer.0/attention/self/query/MatMul}). A MatMul
 *       takes them as [in, out]; a Gemm with {@code transB = 1} as [out, in]. Initializers named
 *       {@code ...encoder.layer.K.attention.self.query.weight} are found by name as well.
 *   <li>The bias of a projection is the initializer added to the MatMul's output (or a Gemm's C).
 *   <li>The head count comes from the Reshape that splits heads in layer 0 (its shape is a
 *       constant, or a Concat of constants {@code [.., .., heads, headSize]}); failing that, from
 *       the attention scale constant (scores / sqrt(headSize)). It can be overridden.
 *   <li>LayerNorm epsilon comes from the {@code LayerNorm/Add} constant of the decomposed
 *       LayerNorm (opset &lt; 17) or a LayerNormalization node; 1e-12 (BERT's) otherwise.
 * </ul>
 */
public final class BertGraph {
  /** System property naming the number of attention heads where the graph does not reveal it. */
  public static final String HEADS_PROPERTY = "lmrec.lm.heads";

  private static final Pattern PROJECTION_NODE =
      Pattern.compile("layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value|attention/output/dense|intermediate/dense|output/dense)/(MatMul|Gemm)(_\\d+)?$");
  private static final Pattern LAYER_PARAMETER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
  private static final float DEFAULT_EPS = 1e-12f;
  /** For callers that only need weight locations (folding): skips the head-count search. */
  static final int HEADS_NOT_NEEDED = -1;

  /** Where one projection's weight and bias live. {@code outIn}: stored [out, in] rather than [in, out]. */
  public record Source(String weight, String bias, boolean outIn) {}

  record Key(int layer, Projection projection) {}

  private final BertConfig config;
  private final String prefix;
  private final Map<Key, Source> sources;

  private BertGraph(BertConfig config, String prefix, Map<Key, Source> sources) {
    this.config = config;
    this.prefix = prefix;
    this.sources = sources;
  }

  /** Analyses a graph; {@code headsOverride} > 0 replaces the head count found in the graph. */
  public static BertGraph of(OnnxGraph graph, int headsOverride) {
    Map<String, OnnxInitializer> inits = graph.initializers();
    String wordName = null;
    for (String name : inits.keySet()) {
      if (name.endsWith("embeddings.word_embeddings.weight")) wordName = name;
    }
    if (wordName == null) {
      throw new IllegalArgumentException("not a BERT-family graph: no initializer named *embeddings.word_embeddings.weight");
    }
    String prefix = wordName.substring(0, wordName.length() - "embeddings.word_embeddings.weight".length());
    OnnxInitializer word = inits.get(wordName);
    int vocab = Math.toIntExact(word.dims()[0]);
    int hidden = Math.toIntExact(word.dims()[1]);
    OnnxInitializer positions = require(inits, prefix + "embeddings.position_embeddings.weight");
    OnnxInitializer types = inits.get(prefix + "embeddings.token_type_embeddings.weight");

    Map<Key, Source> sources = projectionSources(graph, prefix);
    TreeSet<Integer> layers = new TreeSet<>();
    for (Key k : sources.keySet()) layers.add(k.layer());
    for (String name : inits.keySet()) {
      Matcher m = LAYER_PARAMETER.matcher(name);
      if (m.find()) layers.add(Integer.parseInt(m.group(1)));
    }
    if (layers.isEmpty()) throw new IllegalArgumentException("no encoder layers found in the graph");
    int numLayers = layers.last() + 1;
    for (int l = 0; l < numLayers; l++) {
      for (Projection p : Projection.values()) {
        if (!sources.containsKey(new Key(l, p))) {
          throw new IllegalArgumentException("cannot find the " + p.parameterPath + " weight of layer " + l + " in the graph");
        }
      }
    }
    OnnxInitializer intermediate = inits.get(sources.get(new Key(0, Projection.INTERMEDIATE)).weight());
    Source interSource = sources.get(new Key(0, Projection.INTERMEDIATE));
    int inter = Math.toIntExact(intermediate.dims()[interSource.outIn() ? 0 : 1]);
    int heads = headsOverride > 0 ? headsOverride : headsOverride == HEADS_NOT_NEEDED ? 1 : heads(graph, hidden);
    checkActivation(graph);
    BertConfig config =
        new BertConfig(
            vocab,
            hidden,
            numLayers,
            heads,
            inter,
            Math.toIntExact(positions.dims()[0]),
            types == null ? 0 : Math.toIntExact(types.dims()[0]),
            layerNormEps(graph));
    BertGraph g = new BertGraph(config, prefix, sources);
    g.checkShapes(inits);
    return g;
  }

  public BertConfig config() {
    return config;
  }

  /** A HuggingFace parameter name with the graph's prefix ({@code embeddings.LayerNorm.weight} -> {@code bert.embeddings...}). */
  public String name(String hfName) {
    return prefix + hfName;
  }

  public String layerName(int layer, String suffix) {
    return prefix + "encoder.layer." + layer + "." + suffix;
  }

  public Source source(int layer, Projection p) {
    return sources.get(new Key(layer, p));
  }

  /** Every initializer a full rebuild needs (to load only those). */
  List<String> allParameterNames() {
    List<String> names = new ArrayList<>();
    names.add(name("embeddings.word_embeddings.weight"));
    names.add(name("embeddings.position_embeddings.weight"));
    if (config.typeVocabSize() > 0) names.add(name("embeddings.token_type_embeddings.weight"));
    names.add(name("embeddings.LayerNorm.weight"));
    names.add(name("embeddings.LayerNorm.bias"));
    for (int l = 0; l < config.layers(); l++) {
      for (Projection p : Projection.values()) {
        names.add(source(l, p).weight());
        names.add(source(l, p).bias());
      }
      for (String ln : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
        names.add(layerName(l, ln + ".weight"));
        names.add(layerName(l, ln + ".bias"));
      }
    }
    return names;
  }

  private void checkShapes(Map<String, OnnxInitializer> inits) {
    int h = config.hiddenSize();
    int f = config.intermediateSize();
    for (int l = 0; l < config.layers(); l++) {
      for (Projection p : Projection.values()) {
        int in = p == Projection.OUTPUT ? f : h;
        int out = p == Projection.INTERMEDIATE ? f : h;
        Source s = source(l, p);
        long[] dims = require(inits, s.weight()).dims();
        long[] want = s.outIn() ? new long[] {out, in} : new long[] {in, out};
        if (!java.util.Arrays.equals(dims, want)) {
          throw new IllegalArgumentException(
              "layer " + l + " " + p.parameterPath + " weight " + s.weight() + " has shape " + java.util.Arrays.toString(dims) + ", expected "
                  + java.util.Arrays.toString(want));
        }
        require(inits, s.bias());
      }
    }
    for (String n : allParameterNames()) require(inits, n);
  }

  private static Map<Key, Source> projectionSources(OnnxGraph graph, String prefix) {
    Map<String, OnnxInitializer> inits = graph.initializers();
    Map<String, List<OnnxNode>> consumers = new HashMap<>();
    for (OnnxNode n : graph.nodes()) for (String in : n.inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
    Map<Key, Source> out = new LinkedHashMap<>();
    for (OnnxNode n : graph.nodes()) {
      if (!n.opType().equals("MatMul") && !n.opType().equals("Gemm")) continue;
      Key key = keyOfNode(n.name());
      if (key == null) key = keyOfParameter(n, inits, prefix);
      if (key == null || out.containsKey(key)) continue;
      Source s = sourceOf(n, inits, consumers);
      if (s != null) out.put(key, s);
    }
    return out;
  }

  private static Key keyOfNode(String nodeName) {
    Matcher m = PROJECTION_NODE.matcher(nodeName);
    if (!m.find()) return null;
    for (Projection p : Projection.values()) {
      if (p.graphPath.equals(m.group(2))) return new Key(Integer.parseInt(m.group(1)), p);
    }
    return null;
  }

  private static Key keyOfParameter(OnnxNode n, Map<String, OnnxInitializer> inits, String prefix) {
    for (String in : n.inputs()) {
      if (!inits.containsKey(in) || !in.startsWith(prefix + "encoder.layer.")) continue;
      Matcher m = Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)\\.weight$").matcher(in);
      if (!m.find()) continue;
      for (Projection p : Projection.values()) {
        if (p.parameterPath.equals(m.group(2))) return new Key(Integer.parseInt(m.group(1)), p);
      }
    }
    return null;
  }

  private static Source sourceOf(OnnxNode n, Map<String, OnnxInitializer> inits, Map<String, List<OnnxNode>> consumers) {
    if (n.inputs().size() < 2 || !inits.containsKey(n.inputs().get(1))) return null;
    String weight = n.inputs().get(1);
    if (n.opType().equals("Gemm")) {
      boolean outIn = n.intAttributes().getOrDefault("transB", 0L) == 1L;
      if (n.intAttributes().getOrDefault("transA", 0L) == 1L) return null;
      String bias = n.inputs().size() > 2 && inits.containsKey(n.inputs().get(2)) ? n.inputs().get(2) : null;
      return bias == null ? null : new Source(weight, bias, outIn);
    }
    for (OnnxNode c : consumers.getOrDefault(n.outputs().get(0), List.of())) {
      if (!c.opType().equals("Add")) continue;
      for (String in : c.inputs()) {
        OnnxInitializer b = inits.get(in);
        if (b != null && b.dims().length == 1) return new Source(weight, in, false);
      }
    }
    return null;
  }

  private static int heads(OnnxGraph graph, int hidden) {
    for (OnnxNode n : graph.nodes()) {
      if (!n.opType().equals("Reshape") || !n.name().contains("layer.0/attention/self") || n.inputs().size() < 2) continue;
      long[] shape = constantShape(graph, n.inputs().get(1));
      if (shape != null && shape.length == 4 && shape[2] > 0 && shape[3] > 0 && shape[2] * shape[3] == hidden) return (int) shape[2];
    }
    for (OnnxNode n : graph.nodes()) {
      boolean div = n.opType().equals("Div");
      if (!(div || n.opType().equals("Mul")) || !n.name().contains("layer.0/attention/self")) continue;
      for (String in : n.inputs()) {
        OnnxInitializer c = graph.constant(in);
        if (c == null || c.elementCount() != 1 || c.floats() == null) continue;
        double v = c.scalarValue();
        double headSize = div ? v * v : 1.0 / (v * v);
        long rounded = Math.round(headSize);
        if (rounded > 0 && Math.abs(headSize - rounded) < 1e-3 * rounded && hidden % rounded == 0) return (int) (hidden / rounded);
      }
    }
    throw new IllegalArgumentException(
        "cannot find the number of attention heads in the graph (no head-splitting Reshape or attention scale in layer 0); "
            + "pass it explicitly (TrainableLm constructor argument or -D" + HEADS_PROPERTY + ")");
  }

  /** The values of a shape input when they are known without running the graph, else null. */
  private static long[] constantShape(OnnxGraph graph, String valueName) {
    OnnxInitializer c = graph.constant(valueName);
    if (c != null) return c.longs();
    for (OnnxNode n : graph.nodes()) {
      if (!n.opType().equals("Concat") || !n.outputs().contains(valueName)) continue;
      long[] shape = new long[n.inputs().size()];
      for (int i = 0; i < shape.length; i++) {
        OnnxInitializer part = graph.constant(n.inputs().get(i));
        shape[i] = part != null && part.longs() != null && part.longs().length == 1 ? part.longs()[0] : -1; // -1: computed at run time
      }
      return shape;
    }
    return null;
  }

  /** The rebuild uses the exact (erf) GELU, BERT's; a tanh-approximated export would drift from it. */
  private static void checkActivation(OnnxGraph graph) {
    boolean erf = false;
    boolean tanh = false;
    for (OnnxNode n : graph.nodes()) {
      if (!n.name().contains("layer.0/intermediate")) continue;
      erf |= n.opType().equals("Erf") || n.opType().equals("Gelu");
      tanh |= n.opType().equals("Tanh") || n.opType().equals("FastGelu");
    }
    if (tanh && !erf) throw new IllegalArgumentException("the graph uses the tanh approximation of GELU; only the exact (erf) GELU is supported");
  }

  private static float layerNormEps(OnnxGraph graph) {
    for (OnnxNode n : graph.nodes()) {
      if (n.opType().equals("LayerNormalization")) return n.floatAttributes().getOrDefault("epsilon", 1e-5f);
      if (n.opType().equals("Add") && n.name().endsWith("embeddings/LayerNorm/Add")) {
        for (String in : n.inputs()) {
          OnnxInitializer c = graph.constant(in);
          if (c != null && c.floats() != null && c.elementCount() == 1) return c.floats()[0];
        }
      }
    }
    return DEFAULT_EPS;
  }

  private static OnnxInitializer require(Map<String, OnnxInitializer> inits, String name) {
    OnnxInitializer i = inits.get(name);
    if (i == null) throw new IllegalArgumentException("the graph has no initializer named " + name);
    return i;
  }
}
