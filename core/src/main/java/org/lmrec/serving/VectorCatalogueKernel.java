package org.lmrec.serving;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The catalogue product as a small GEMM micro-kernel on the JDK Vector API.
 *
 * <p>At construction the table is repacked into panels of {@link #PANEL} items, each stored
 * transposed as [d][PANEL]: one vector load then holds one coordinate of {@code LANES} consecutive
 * items, so a user's score for those items is a chain of broadcast-FMAs with no horizontal sum.
 * Four users are scored together (a 4 x 2-vector block of accumulators kept in registers), so each
 * panel load feeds eight FMAs. The panels are walked in chunks that fit in L2 and every user block
 * visits a chunk before the next chunk is read, so a large batch streams the table from memory once.
 *
 * <p>Every path sums the coordinates in order with one fused multiply-add per step, so a user's
 * scores are bit-for-bit the same whatever batch it comes in; they differ from the scalar kernel's
 * (separate multiply and add) by rounding only.
 */
final class VectorCatalogueKernel implements CatalogueKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** Items per panel: two vectors, the micro-kernel's width. */
  static final int PANEL = 2 * LANES;
  private static final int USER_BLOCK = 4;
  /** Packed bytes per chunk: half of a 512 KB..1 MB L2, leaving room for the outputs and users. */
  private static final int CHUNK_BYTES = 256 * 1024;

  private final float[] packed;
  private final int numItems;
  private final int dim;
  private final int numPanels;
  private final int panelFloats;
  private final int panelsPerChunk;

  VectorCatalogueKernel(float[] table, int numItems, int dim) {
    this.numItems = numItems;
    this.dim = dim;
    this.numPanels = (numItems + PANEL - 1) / PANEL;
    this.panelFloats = dim * PANEL;
    long size = (long) numPanels * panelFloats;
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "catalogue of " + numItems + " items x " + dim + " dims is too large to pack into one array (" + size + " floats)");
    }
    this.packed = pack(table, numItems, dim, numPanels, panelFloats);
    this.panelsPerChunk = Math.max(1, CHUNK_BYTES / (panelFloats * Float.BYTES));
  }

  /** Item {@code 1 + p * PANEL + j}, coordinate c, goes to {@code packed[p * d * PANEL + c * PANEL + j]}; the tail is zero. */
  private static float[] pack(float[] table, int numItems, int dim, int numPanels, int panelFloats) {
    float[] packed = new float[numPanels * panelFloats];
    for (int item = 1; item <= numItems; item++) {
      int p = (item - 1) / PANEL;
      int j = (item - 1) % PANEL;
      int dst = p * panelFloats + j;
      int src = item * dim;
      for (int c = 0; c < dim; c++) packed[dst + c * PANEL] = table[src + c];
    }
    return packed;
  }

  @Override
  public void score(float[][] users, int count, float[][] out) {
    for (int first = 0; first < numPanels; first += panelsPerChunk) {
      int last = Math.min(numPanels, first + panelsPerChunk);
      int u = 0;
      for (; u + USER_BLOCK <= count; u += USER_BLOCK) {
        for (int p = first; p < last; p++) {
          scoreFourUsers(users[u], users[u + 1], users[u + 2], users[u + 3], p, out[u], out[u + 1], out[u + 2], out[u + 3]);
        }
      }
      for (; u < count; u++) {
        int p = first;
        for (; p + 1 < last; p += 2) scoreOneUserTwoPanels(users[u], p, out[u]);
        if (p < last) scoreOneUser(users[u], p, out[u]);
      }
    }
    for (int u = 0; u < count; u++) out[u][0] = Float.NEGATIVE_INFINITY;
  }

  private void scoreFourUsers(
      float[] x0, float[] x1, float[] x2, float[] x3, int p, float[] o0, float[] o1, float[] o2, float[] o3) {
    FloatVector a00 = FloatVector.zero(SPECIES), a01 = FloatVector.zero(SPECIES);
    FloatVector a10 = FloatVector.zero(SPECIES), a11 = FloatVector.zero(SPECIES);
    FloatVector a20 = FloatVector.zero(SPECIES), a21 = FloatVector.zero(SPECIES);
    FloatVector a30 = FloatVector.zero(SPECIES), a31 = FloatVector.zero(SPECIES);
    float[] t = packed;
    int base = p * panelFloats;
    // Offsets written as base + c * PANEL (not a running offset) let C2 hoist the bounds checks.
    for (int c = 0; c < dim; c++) {
      FloatVector t0 = FloatVector.fromArray(SPECIES, t, base + c * PANEL);
      FloatVector t1 = FloatVector.fromArray(SPECIES, t, base + c * PANEL + LANES);
      FloatVector b = FloatVector.broadcast(SPECIES, x0[c]);
      a00 = t0.fma(b, a00);
      a01 = t1.fma(b, a01);
      b = FloatVector.broadcast(SPECIES, x1[c]);
      a10 = t0.fma(b, a10);
      a11 = t1.fma(b, a11);
      b = FloatVector.broadcast(SPECIES, x2[c]);
      a20 = t0.fma(b, a20);
      a21 = t1.fma(b, a21);
      b = FloatVector.broadcast(SPECIES, x3[c]);
      a30 = t0.fma(b, a30);
      a31 = t1.fma(b, a31);
    }
    int item = 1 + p * PANEL;
    int valid = Math.min(PANEL, numItems - p * PANEL);
    store(a00, a01, o0, item, valid);
    store(a10, a11, o1, item, valid);
    store(a20, a21, o2, item, valid);
    store(a30, a31, o3, item, valid);
  }

  /** Panels p and p + 1 for one user: four independent FMA chains hide the FMA latency. */
  private void scoreOneUserTwoPanels(float[] x, int p, float[] o) {
    FloatVector a0 = FloatVector.zero(SPECIES), a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES), a3 = FloatVector.zero(SPECIES);
    float[] t = packed;
    int base = p * panelFloats;
    int next = base + panelFloats;
    for (int c = 0; c < dim; c++) {
      FloatVector b = FloatVector.broadcast(SPECIES, x[c]);
      a0 = FloatVector.fromArray(SPECIES, t, base + c * PANEL).fma(b, a0);
      a1 = FloatVector.fromArray(SPECIES, t, base + c * PANEL + LANES).fma(b, a1);
      a2 = FloatVector.fromArray(SPECIES, t, next + c * PANEL).fma(b, a2);
      a3 = FloatVector.fromArray(SPECIES, t, next + c * PANEL + LANES).fma(b, a3);
    }
    store(a0, a1, o, 1 + p * PANEL, Math.min(PANEL, numItems - p * PANEL));
    store(a2, a3, o, 1 + (p + 1) * PANEL, Math.min(PANEL, numItems - (p + 1) * PANEL));
  }

  private void scoreOneUser(float[] x, int p, float[] o) {
    FloatVector a0 = FloatVector.zero(SPECIES), a1 = FloatVector.zero(SPECIES);
    float[] t = packed;
    int base = p * panelFloats;
    for (int c = 0; c < dim; c++) {
      FloatVector b = FloatVector.broadcast(SPECIES, x[c]);
      a0 = FloatVector.fromArray(SPECIES, t, base + c * PANEL).fma(b, a0);
      a1 = FloatVector.fromArray(SPECIES, t, base + c * PANEL + LANES).fma(b, a1);
    }
    store(a0, a1, o, 1 + p * PANEL, Math.min(PANEL, numItems - p * PANEL));
  }

  private static void store(FloatVector lo, FloatVector hi, float[] o, int item, int valid) {
    if (valid == PANEL) {
      lo.intoArray(o, item);
      hi.intoArray(o, item + LANES);
    } else { // the zero-padded tail panel: only the real items are written
      float[] tail = new float[PANEL];
      lo.intoArray(tail, 0);
      hi.intoArray(tail, LANES);
      System.arraycopy(tail, 0, o, item, valid);
    }
  }
}
