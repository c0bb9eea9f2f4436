package org.lmrec.enhance.llmemb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraWeights;
import org.lmrec.model.ItemAdapter;
import org.lmrec.tensor.Tensor;
import org.lmrec.tensor.TensorMap;

/**
 * LLMEmb's stage outputs as files of the model artifact (checksummed by its manifest). Serving
 * reads none of them: the adapter is already folded into {@code item_embedding}. They hold what
 * the fold was made from (the frozen reduced table and the adapter weights, so it can be checked
 * or redone for a refreshed table) and what SCFT learnt, from which a later run warm-starts.
 */
public final class LlmEmbArtifactFiles {
  public static final String DIR = "llmemb/";
  public static final String CONFIG = DIR + "config.json";
  public static final String LORA = DIR + "lora.safetensors";
  public static final String SCFT_STATE = DIR + "scft_state.safetensors";
  public static final String ITEM_TABLE = DIR + "item_lm_table.safetensors";
  public static final String ADAPTER = DIR + "adapter.safetensors";

  private LlmEmbArtifactFiles() {}

  /**
   * @param adapterWeights the trained {@code item_adapter.*} tensors of the SRS
   */
  public static void attach(ArtifactWriter writer, LlmEmbEnhancer.Result r, TensorMap adapterWeights, LlmEmbConfig config, LmCheckpoint checkpoint) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("llmemb", config.toMap());
    json.put("checkpoint", checkpoint.provenance());
    Map<String, Object> adapter = new LinkedHashMap<>(); // a fixed key order, as in every other part of this file
    adapter.put("hiddenWidth", r.init().adapter().hiddenWidth());
    adapter.put("activation", r.init().adapter().activation().name());
    adapter.put("residual", r.init().adapter().residual());
    json.put("adapter", adapter);
    json.put("reducedWidth", r.reduced().dim(1));
    json.put("scftLosses", r.scftLosses());
    json.put("temperature", r.temperature());
    json.put("stageSeconds", r.stageSeconds());
    try {
      writer.extraFile(CONFIG, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the LLMEmb config", e);
    }
    if (r.lora() != null) {
      writer.extraFile(LORA, SafeTensors.toBytes(r.lora().toTensorMap()));
      writer.extraFile(SCFT_STATE, SafeTensors.toBytes(new TensorMap().put("temperature", new Tensor(new float[] {r.temperature()}, 1))));
    }
    writer.extraFile(ITEM_TABLE, SafeTensors.toBytes(new TensorMap().put("items", r.reduced())));
    writer.extraFile(ADAPTER, SafeTensors.toBytes(adapterWeights));
  }

  /** The SCFT LoRA weights and temperature of a previous LLMEmb artifact (checked by its manifest). */
  public static LlmEmbEnhancer.WarmStart warmStart(LoadedArtifact previous, LoraConfig lora) {
    if (!previous.extraFiles().containsKey(LORA)) {
      throw new IllegalArgumentException("artifact " + previous.dir() + " has no LLMEmb SCFT weights (" + LORA
          + "): it was not trained with --enhancer llmemb, or SCFT was skipped (--scft-epochs 0)");
    }
    LoraWeights weights = LoraWeights.fromTensorMap(SafeTensors.read(previous.extraFile(LORA)), lora);
    float temperature = SafeTensors.read(previous.extraFile(SCFT_STATE)).get("temperature").data()[0];
    return new LlmEmbEnhancer.WarmStart(weights, temperature);
  }

  /** The frozen table and adapter of an artifact, folded again in plain Java (what serving's table must equal). */
  public static Tensor refold(LoadedArtifact artifact, ItemAdapter adapter) {
    Tensor table = SafeTensors.read(artifact.extraFile(ITEM_TABLE)).get("items");
    return org.lmrec.model.ItemAdapterFold.fold(table, SafeTensors.read(artifact.extraFile(ADAPTER)), adapter);
  }
}
