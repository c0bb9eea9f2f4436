package org.lmrec.lm;

/**
 * The shape of a BERT-family encoder, as read from its ONNX graph (see {@code BertGraph}).
 *
 * @param vocabSize rows of the word embedding table
 * @param hiddenSize width of the hidden states (384 for MiniLM-L6)
 * @param layers number of transformer layers
 * @param heads attention heads per layer (12 for MiniLM-L6, each 32 wide)
 * @param intermediateSize width of the feed-forward layer
 * @param maxPositions rows of the position embedding table: the longest input the model takes
 * @param typeVocabSize rows of the token-type table (0 when the model has none)
 * @param layerNormEps epsilon of every LayerNorm
 */
public record BertConfig(
    int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, int maxPositions, int typeVocabSize, float layerNormEps) {
  public BertConfig {
    if (heads < 1 || hiddenSize % heads != 0) {
      throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible into " + heads + " attention heads");
    }
    if (layers < 1) throw new IllegalArgumentException("an encoder needs at least one layer");
  }

  public int headSize() {
    return hiddenSize / heads;
  }
}
