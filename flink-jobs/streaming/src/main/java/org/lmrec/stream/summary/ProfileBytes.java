package org.lmrec.stream.summary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lmrec.summary.ExtractiveSummariser.Candidate;
import org.lmrec.summary.ExtractiveSummariser.Profile;

/**
 * The extractive summariser's {@link Profile} as bytes in keyed state: exact (doubles and floats by
 * their bits, so an update from the decoded profile equals one from the original), versioned, and
 * read with caps, since state written by another build or version should fail to a recompute, not
 * to an out-of-memory error.
 */
final class ProfileBytes {
  private static final byte VERSION = 1;
  private static final int MAX_COUNT = 1 << 16;

  private ProfileBytes() {}

  static byte[] encode(Profile p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeDouble(p.weight());
      out.writeInt(p.facets().size());
      for (Map.Entry<String, Map<String, Double>> f : p.facets().entrySet()) {
        out.writeUTF(f.getKey());
        out.writeInt(f.getValue().size());
        for (Map.Entry<String, Double> v : f.getValue().entrySet()) {
          out.writeUTF(v.getKey());
          out.writeDouble(v.getValue());
        }
      }
      out.writeInt(p.centroidSum().length);
      for (double d : p.centroidSum()) out.writeDouble(d);
      out.writeInt(p.candidates().size());
      for (Candidate c : p.candidates()) {
        out.writeUTF(c.title());
        out.writeInt(c.unit().length);
        for (float x : c.unit()) out.writeFloat(x);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when the bytes are not a profile this version wrote */
  static Profile decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readByte() != VERSION) throw new IllegalArgumentException("unknown profile version");
      double weight = in.readDouble();
      Map<String, Map<String, Double>> facets = new TreeMap<>();
      for (int f = count(in); f > 0; f--) {
        String facet = in.readUTF();
        Map<String, Double> values = new TreeMap<>();
        for (int v = count(in); v > 0; v--) values.put(in.readUTF(), in.readDouble());
        facets.put(facet, values);
      }
      double[] centroid = new double[count(in)];
      for (int d = 0; d < centroid.length; d++) centroid[d] = in.readDouble();
      List<Candidate> candidates = new ArrayList<>();
      for (int c = count(in); c > 0; c--) {
        String title = in.readUTF();
        float[] unit = new float[count(in)];
        for (int d = 0; d < unit.length; d++) unit[d] = in.readFloat();
        candidates.add(new Candidate(title, unit));
      }
      if (in.read() != -1) throw new IllegalArgumentException("trailing bytes after the profile");
      return new Profile(weight, facets, centroid, List.copyOf(candidates));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a profile: " + e, e);
    }
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_COUNT) throw new IllegalArgumentException("count " + n + " out of range");
    return n;
  }
}
