package org.lmrec.model.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.lmrec.model.EmbeddingInit;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.TrainingBatch;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * What both DJL backbones share: parameters, the item table, the training step and catalogue
 * scoring. A backbone only says how it turns a padded batch of item sequences into one feature
 * vector per position, and on which side it pads.
 */
abstract class DjlSequentialModel implements SequentialModel {
  protected final ModelConfig config;
  protected final int numItems;
  protected final NDManager root;
  protected final ParameterStore params;
  protected final ItemTable items;

  protected DjlSequentialModel(ModelConfig config, int numItems, EmbeddingInit init) {
    if (numItems < 1) throw new IllegalArgumentException("catalogue is empty");
    this.config = config;
    this.numItems = numItems;
    NativeMemoryTuning.apply();
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) config.seed()); // dropout masks come from the engine's generator
    this.root = engine.newBaseManager();
    this.params = new ParameterStore(root, config.seed(), config.learningRate(), betaTwo());
    this.items = new ItemTable(params, numItems, config.dim(), init, config.seed());
  }

  /** Adam's second-moment decay; SASRec's reference uses 0.98. */
  protected float betaTwo() {
    return 0.98f;
  }

  /** True when rows are padded on the left (the last item sits in the last column). */
  protected abstract boolean rightAligned();

  /** Per-position features [B, L, d] of a padded batch of item indices [B, L] (int64). */
  protected abstract NDArray features(NDManager step, NDArray table, NDArray inputs, boolean training);

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public int numItems() {
    return numItems;
  }

  @Override
  public float trainStep(TrainingBatch batch) {
    try (NDManager step = root.newSubManager()) {
      float loss;
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray table = items.effective(step);
        NDArray inputs = DjlOps.longs(step, flatten(batch.inputs()), new Shape(batch.size(), batch.length()));
        NDArray feats = features(step, table, inputs, true);
        NDArray lossArray = NextItemLoss.compute(step, feats, table, batch, config.loss());
        NDArray alignment = items.alignmentLoss(step, table, batch);
        if (alignment != null) lossArray = lossArray.add(alignment);
        NDArray penalty = items.residualPenalty(step);
        if (penalty != null) lossArray = lossArray.add(penalty);
        collector.backward(lossArray);
        loss = lossArray.getFloat();
      }
      params.step();
      if (!Float.isFinite(loss)) {
        throw new IllegalStateException("training diverged: loss is " + loss + " (lower the learning rate?)");
      }
      return loss;
    }
  }

  @Override
  public float[][] scoreAll(int[][] histories) {
    int b = histories.length;
    int len = config.maxLen();
    long[] flat = new long[b * len];
    long[] lastPositions = new long[b];
    for (int i = 0; i < b; i++) {
      int[] h = histories[i];
      int n = Math.min(h.length, len);
      if (n == 0) throw new IllegalArgumentException("cannot score an empty history (query " + i + ")");
      int offset = rightAligned() ? len - n : 0;
      for (int j = 0; j < n; j++) flat[i * len + offset + j] = h[h.length - n + j];
      lastPositions[i] = (long) i * len + offset + n - 1;
    }
    try (NDManager step = root.newSubManager()) {
      NDArray table = items.effective(step);
      NDArray feats = features(step, table, DjlOps.longs(step, flat, new Shape(b, len)), false);
      NDArray last = feats.reshape(b * (long) len, config.dim()).get(DjlOps.longs(step, lastPositions, new Shape(b)));
      NDArray tableT = DjlOps.transposed(table, step);
      int width = numItems + 1;
      int chunk = NextItemLoss.chunkRows(width);
      float[][] out = new float[b][];
      for (int start = 0; start < b; start += chunk) {
        int end = Math.min(b, start + chunk);
        float[] block = last.get(start + ":" + end).matMul(tableT).toFloatArray();
        for (int i = start; i < end; i++) {
          out[i] = java.util.Arrays.copyOfRange(block, (i - start) * width, (i - start + 1) * width);
        }
      }
      return out;
    }
  }

  @Override
  public TensorMap exportWeights() {
    TensorMap out = new TensorMap();
    try (NDManager step = root.newSubManager()) {
      Tensor table = ParameterStore.toTensor(items.effective(step));
      java.util.Arrays.fill(table.data(), 0, table.dim(1), 0f); // row 0 is padding
      out.put("item_embedding", table);
    }
    TensorMap backbone = params.exportTrainable();
    for (String name : backbone.names()) {
      if (!name.startsWith("item_")) out.put(name, backbone.get(name)); // item table exported above
    }
    return out;
  }

  @Override
  public TensorMap exportItemAdapter() {
    TensorMap out = new TensorMap();
    TensorMap all = params.exportTrainable();
    for (String name : all.names()) if (name.startsWith(ItemTable.ADAPTER_PREFIX)) out.put(name, all.get(name));
    return out;
  }

  @Override
  public TensorMap exportTrainableState() {
    return params.exportTrainable();
  }

  @Override
  public void restoreTrainableState(TensorMap state) {
    params.restoreTrainable(state);
  }

  protected static Tensor tensor(NDArray a) {
    return ParameterStore.toTensor(a);
  }

  protected static long[] flatten(int[][] rows) {
    int len = rows.length == 0 ? 0 : rows[0].length;
    long[] flat = new long[rows.length * len];
    for (int i = 0; i < rows.length; i++) {
      for (int t = 0; t < len; t++) flat[i * len + t] = rows[i][t];
    }
    return flat;
  }

  @Override
  public void close() {
    params.close();
    root.close();
  }
}
