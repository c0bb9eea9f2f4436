package org.lmrec.lm;

/**
 * The six weight matrices of a BERT layer, with the path segment that names them in an exported
 * graph ({@code /encoder/layer.0/attention/self/query/MatMul}) and in HuggingFace parameter names
 * ({@code encoder.layer.0.attention.self.query.weight}).
 */
public enum Projection {
  QUERY("attention/self/query", "attention.self.query"),
  KEY("attention/self/key", "attention.self.key"),
  VALUE("attention/self/value", "attention.self.value"),
  ATTENTION_OUTPUT("attention/output/dense", "attention.output.dense"),
  INTERMEDIATE("intermediate/dense", "intermediate.dense"),
  OUTPUT("output/dense", "output.dense");

  final String graphPath;
  final String parameterPath;

  Projection(String graphPath, String parameterPath) {
    this.graphPath = graphPath;
    this.parameterPath = parameterPath;
  }
}
