package org.lmrec.enhance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.lmrec.artifact.Sha256;

/** A SHA-256 of the training sequences and item texts: stage keys change whenever the data does. */
public final class DataFingerprint {
  private DataFingerprint() {}

  public static String of(int[][] sequences, List<String> itemTexts) {
    MessageDigest d = Sha256.newDigest();
    ByteBuffer buf = ByteBuffer.allocate(4);
    for (int[] s : sequences) {
      d.update(buf.clear().putInt(s.length).array());
      for (int item : s) d.update(buf.clear().putInt(item).array());
    }
    for (String t : itemTexts) {
      d.update(t.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
    }
    return Sha256.hex(d);
  }
}
