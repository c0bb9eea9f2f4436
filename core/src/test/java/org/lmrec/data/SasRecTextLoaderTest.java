package org.lmrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lmrec.data.DataFixtures.fixture;
import static org.lmrec.data.DataFixtures.sequencesById;
import static org.lmrec.data.DataFixtures.write;
import static org.lmrec.data.DataFixtures.writeBytes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SasRecTextLoaderTest {
  @TempDir Path tmp;

  @Test
  void keepsFileOrderPerUser() {
    Dataset d = DatasetLoader.load(fixture("sasrec/tiny.txt"));

    assertThat(d.name()).isEqualTo("tiny");
    assertThat(d.hasTimestamps()).isFalse();
    assertThat(d.itemIds()).containsExactly(null, "5", "3", "9", "4");
    assertThat(sequencesById(d)).containsExactly("1 -> [5, 3, 9]", "2 -> [5, 4]");
    assertThat(d.sequence(0)).containsExactly(1, 2, 3);
    assertThat(d.sequence(1)).containsExactly(1, 4);
  }

  @Test
  void acceptsWindowsLineEndingsAndExtraSpaces() {
    Path f = write(tmp, "w.txt", "1 5\r\n1  6 \r\n");
    assertThat(sequencesById(SasRecTextLoader.load(f))).containsExactly("1 -> [5, 6]");
  }

  @Test
  void malformedLinesAreRejected() {
    Path f = write(tmp, "v.txt", "1 5\n1 6 7\n");
    assertThatThrownBy(() -> SasRecTextLoader.load(f))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("v.txt line 2: expected 2 space-separated fields (user item), found 3");

    write(tmp, "v.txt", "1 5\n1 6\nabc 7\n");
    assertThatThrownBy(() -> SasRecTextLoader.load(f)).hasMessage("v.txt line 3: user id 'abc' is not an integer");

    write(tmp, "v.txt", "1 5\n1 6.5\n");
    assertThatThrownBy(() -> SasRecTextLoader.load(f)).hasMessage("v.txt line 2: item id '6.5' is not an integer");
  }

  @Test
  void invalidUtf8IsReportedAtItsLine() {
    byte[] good = "1 5\n1 6\n".getBytes(StandardCharsets.US_ASCII);
    byte[] bad = {'2', ' ', (byte) 0xC3, (byte) 0x28, '\n'};
    byte[] all = new byte[good.length + bad.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    Path f = writeBytes(tmp, "u.txt", all);

    assertThatThrownBy(() -> SasRecTextLoader.load(f)).hasMessage("u.txt line 3: not valid UTF-8 text");
  }
}
