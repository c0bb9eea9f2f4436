package org.lmrec.trsr;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.LoadedArtifact;
import org.lmrec.artifact.SafeTensors;
import org.lmrec.tensor.TensorMap;

/**
 * The fine-tuned yes/no ranker as files of a model artifact, checksummed by its manifest like every
 * attached file: {@link #SPEC} (a {@link RankerSpec} as JSON), {@link #LORA} (the LoRA matrices,
 * {@code lora.<layer>.<target>.A|B}) and {@link #HEAD} (the {@link YesNoHead} as tensor {@code head}).
 * {@code ArtifactReader.load} refuses a changed file (SHA-256 mismatch) before {@link #read} sees it;
 * {@link #read} refuses a missing, unreadable or inconsistent one. Checking the base LM's SHA-256
 * against the checkpoint in hand is the loader's job (module {@code lm}), which has the checkpoint.
 */
public final class RankerFiles {
  public static final String DIR = "trsr/";
  public static final String SPEC = DIR + "ranker.json";
  public static final String LORA = DIR + "lora.safetensors";
  public static final String HEAD = DIR + "head.safetensors";
  public static final String HEAD_TENSOR = "head";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** A ranker as read back: its spec, its LoRA tensors (names as in the class comment) and its head. */
  public record Stored(RankerSpec spec, TensorMap lora, YesNoHead head) {}

  private RankerFiles() {}

  /** Attaches the three files to an artifact being written. */
  public static void attach(ArtifactWriter writer, RankerSpec spec, TensorMap lora, YesNoHead head) {
    if (head.hidden() != spec.hiddenSize()) {
      throw new IllegalArgumentException("head reads width " + head.hidden() + " but the spec says the LM is " + spec.hiddenSize() + " wide");
    }
    writer.extraFile(SPEC, toJson(spec));
    writer.extraFile(LORA, SafeTensors.toBytes(lora));
    writer.extraFile(HEAD, SafeTensors.toBytes(new TensorMap().put(HEAD_TENSOR, head.toTensor())));
  }

  /** True when the artifact carries a ranker. */
  public static boolean present(LoadedArtifact artifact) {
    return artifact.extraFiles().containsKey(SPEC);
  }

  /** The ranker of a loaded (hence checksum-verified) artifact; a clear refusal when it has none or it is inconsistent. */
  public static Stored read(LoadedArtifact artifact) {
    if (!present(artifact)) {
      throw new IllegalArgumentException("artifact " + artifact.dir() + " has no yes/no ranker (" + SPEC + "): it was not trained with --enhancer llm-trsr");
    }
    RankerSpec spec;
    try {
      spec = fromJson(Files.readAllBytes(artifact.extraFile(SPEC)));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("the ranker spec " + artifact.extraFile(SPEC) + " cannot be read: " + e.getMessage(), e);
    }
    TensorMap lora = SafeTensors.read(artifact.extraFile(LORA));
    TensorMap headFile = SafeTensors.read(artifact.extraFile(HEAD));
    if (!headFile.contains(HEAD_TENSOR)) throw new IllegalArgumentException(artifact.extraFile(HEAD) + " holds no tensor '" + HEAD_TENSOR + "'");
    YesNoHead head = YesNoHead.of(headFile.get(HEAD_TENSOR));
    if (head.hidden() != spec.hiddenSize()) {
      throw new IllegalArgumentException("the ranker head reads width " + head.hidden() + " but its spec says " + spec.hiddenSize());
    }
    return new Stored(spec, lora, head);
  }

  public static byte[] toJson(RankerSpec spec) {
    try {
      return JSON.writeValueAsBytes(spec);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the ranker spec", e);
    }
  }

  public static RankerSpec fromJson(byte[] json) throws IOException {
    return JSON.readValue(json, RankerSpec.class);
  }

  /** The spec as a map (for reports). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(RankerSpec spec) {
    return JSON.convertValue(spec, Map.class);
  }
}
