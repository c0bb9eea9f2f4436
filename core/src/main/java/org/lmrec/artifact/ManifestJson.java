package org.lmrec.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Pretty JSON for {@link Manifest}; tolerant of unknown fields everywhere (forward compatibility). */
public final class ManifestJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ManifestJson() {}

  public static byte[] toBytes(Manifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("manifest cannot be serialised to JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses manifest bytes; {@code source} only names the file in the error. */
  public static Manifest parse(byte[] bytes, Path source) {
    try {
      Manifest m = MAPPER.readValue(bytes, Manifest.class);
      if (m == null) throw new ArtifactException(source, "malformed JSON: empty document");
      return m;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null
          ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ArtifactException(source, "malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ArtifactException(source, "cannot parse: " + e.getMessage(), e);
    }
  }
}
