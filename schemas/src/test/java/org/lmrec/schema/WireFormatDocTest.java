package org.lmrec.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/wire-format.md lists every released version with its fingerprint; this keeps the list true. */
class WireFormatDocTest {
  private static final Pattern ROW = Pattern.compile(
      "^\\| (\\w+) \\| (v\\d+(?: \\(current\\))?) \\| `(0x[0-9a-f]{16})` \\| `(c3 01(?: [0-9a-f]{2}){8})` \\|", Pattern.MULTILINE);

  @Test
  void theReleasedVersionsTableMatchesTheComputedFingerprints() throws IOException {
    List<String> documented = new ArrayList<>();
    Matcher m = ROW.matcher(Files.readString(doc()));
    while (m.find()) documented.add(row(m.group(1), m.group(2), m.group(3), m.group(4)));

    List<String> computed = new ArrayList<>();
    for (String type : ReleasedSchemas.get().types()) {
      for (ReleasedSchemas.Version v : ReleasedSchemas.get().versionsOf(type)) {
        computed.add(row(type, "v" + v.number() + (v.current() ? " (current)" : ""), ReleasedSchemas.hex(v.fingerprint()), header(v.fingerprint())));
      }
    }
    assertThat(documented).as("rows of the released-versions table in %s; expected rows (add the 'where' column):%n%s",
        doc(), String.join("\n", computed)).containsExactlyInAnyOrderElementsOf(computed);
  }

  @Test
  void theHeaderColumnIsTheFingerprintLittleEndian() {
    // The header bytes as Avro's own encoder writes them, against the formula the table uses.
    byte[] encoded = AvroCodec.of(DeadLetter.class).encode(SampleRecords.deadLetter());
    StringBuilder written = new StringBuilder();
    for (int i = 0; i < 10; i++) written.append(i == 0 ? "" : " ").append(String.format("%02x", encoded[i] & 0xff));

    assertThat(written.toString()).isEqualTo(header(ReleasedSchemas.fingerprint(DeadLetter.getClassSchema())));
  }

  private static String row(String type, String version, String fingerprint, String header) {
    return "| " + type + " | " + version + " | `" + fingerprint + "` | `" + header + "` |";
  }

  private static String header(long fingerprint) {
    StringBuilder s = new StringBuilder("c3 01");
    for (int i = 0; i < 8; i++) s.append(String.format(" %02x", (fingerprint >>> (8 * i)) & 0xff));
    return s.toString();
  }

  /** Surefire runs in the module directory; the docs are at the repository root. */
  private static Path doc() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs/wire-format.md");
      if (Files.exists(candidate)) return candidate;
    }
    throw new AssertionError("docs/wire-format.md not found above " + Path.of("").toAbsolutePath());
  }
}
