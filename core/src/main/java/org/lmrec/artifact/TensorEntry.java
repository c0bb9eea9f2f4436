package org.lmrec.artifact;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Arrays;
import java.util.Objects;

/** Where one tensor lives inside an artifact, its shape, element type and checksum. */
public record TensorEntry(String file, int[] shape, String dtype, String sha256) {

  public TensorEntry {
    shape = shape == null ? null : shape.clone();
  }

  @Override
  public int[] shape() {
    return shape == null ? null : shape.clone();
  }

  /** Number of elements the shape declares (product of dimensions; 1 for a scalar); ArithmeticException on overflow. */
  @JsonIgnore
  public long elementCount() {
    long n = 1;
    for (int s : shape) n = Math.multiplyExact(n, (long) s);
    return n;
  }

  // Value semantics for the array, so that manifests compare by content.
  @Override
  public boolean equals(Object o) {
    return o instanceof TensorEntry t
        && Objects.equals(file, t.file)
        && Arrays.equals(shape, t.shape)
        && Objects.equals(dtype, t.dtype)
        && Objects.equals(sha256, t.sha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, Arrays.hashCode(shape), dtype, sha256);
  }

  @Override
  public String toString() {
    return "TensorEntry[file=" + file + ", shape=" + Arrays.toString(shape) + ", dtype=" + dtype
        + ", sha256=" + sha256 + "]";
  }
}
