package org.lmrec.enhance.p2rec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.lm.LmCheckpoint;
import org.lmrec.lm.LoraConfig;
import org.lmrec.lm.LoraWeights;
import org.lmrec.tensor.TensorMap;

/**
 * P2Rec's stage outputs as files of the model artifact (checksummed by its manifest): what the run
 * found (categories, g_u), what it tuned (LoRA weights, head) and what it produced (the tuned LM's
 * item embeddings). A later run warm-starts from {@link #warmStart}.
 */
public final class P2RecArtifactFiles {
  public static final String DIR = "p2rec/";
  public static final String CONFIG = DIR + "config.json";
  public static final String CATEGORIES = DIR + "categories.tsv";
  public static final String CENTROIDS = DIR + "centroids.safetensors";
  public static final String PREFERENCES = DIR + "preferences.safetensors";
  public static final String LORA = DIR + "lora.safetensors";
  public static final String HEAD = DIR + "head.safetensors";
  public static final String ITEM_EMBEDDINGS = DIR + "item_lm_embeddings.safetensors";

  private P2RecArtifactFiles() {}

  public static void attach(ArtifactWriter writer, P2RecEnhancer.Result r, P2RecConfig config, LmCheckpoint checkpoint, List<String> itemIds) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("p2rec", config.toMap());
    json.put("checkpoint", checkpoint.provenance());
    json.put("sft", r.sft().toMetrics(""));
    json.put("stageSeconds", r.stageSeconds());
    try {
      writer.extraFile(CONFIG, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the P2Rec config", e);
    }
    writer.extraFile(CATEGORIES, r.categories().toTsv(itemIds));
    writer.extraFile(CENTROIDS, SafeTensors.toBytes(new TensorMap().put("centroids", r.categories().centroids())));
    writer.extraFile(PREFERENCES, SafeTensors.toBytes(new TensorMap().put("g_u", r.priors().toTensor())));
    writer.extraFile(LORA, SafeTensors.toBytes(r.lora().toTensorMap()));
    writer.extraFile(HEAD, SafeTensors.toBytes(new TensorMap().put("head", r.head())));
    writer.extraFile(ITEM_EMBEDDINGS, SafeTensors.toBytes(new TensorMap().put("items", r.lmEmbeddings())));
  }

  /** The fine-tuned LoRA weights and head of a previous P2Rec artifact (checked by its manifest). */
  public static P2RecEnhancer.WarmStart warmStart(LoadedArtifact previous, LoraConfig lora) {
    if (!previous.extraFiles().containsKey(LORA)) {
      throw new IllegalArgumentException("artifact " + previous.dir() + " has no P2Rec LoRA weights (" + LORA + "): it was not trained with --enhancer p2rec");
    }
    TensorMap loraFile = SafeTensors.read(previous.extraFile(LORA));
    TensorMap head = SafeTensors.read(previous.extraFile(HEAD));
    return new P2RecEnhancer.WarmStart(LoraWeights.fromTensorMap(loraFile, lora), head.get("head"));
  }

}
