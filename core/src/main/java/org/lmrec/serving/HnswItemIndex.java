package org.lmrec.serving;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Approximate top-K by maximum inner product over the item table, on Lucene's HNSW graph: the
 * opt-in alternative to scoring every item ({@link ItemCatalogue} + {@link TopK}) for catalogues
 * too large to scan per request. Same contract as the exact path: a user vector in, the k best
 * unseen items (indices into the table, best first, ties to the smaller index) and their exact dot
 * products out.
 *
 * <p>Built once per model, single-threaded, nodes inserted in item order with the level draws from
 * {@link Params#seed}: the same table and parameters give the same graph and the same answers (on
 * the same JVM flags: the dot products run on the Vector API when it is loaded, and their rounding
 * may differ from the plain loops').
 * Node {@code n} of the graph is item {@code n + 1} (row 0, the padding, is not indexed).
 *
 * <p>Seen items are excluded with Lucene's filter ({@code acceptOrds}), not by over-fetching: the
 * search still walks through excluded nodes (they keep the graph connected) but never collects
 * them, so it returns k unseen items however many of the nearest ones were seen, with no guess of
 * how far to over-fetch.
 *
 * <p>The graph scores with Lucene's maximum-inner-product similarity, a monotone map of the dot
 * product; the answer is re-scored with the exact dot product, so its scores are the exact path's
 * (up to float rounding: one row at a time here, the batch kernel there).
 */
public final class HnswItemIndex {
  private final float[] table;
  private final int numItems;
  private final int dim;
  private final Params params;
  private final OnHeapHnswGraph graph;
  private final long buildNanos;

  /**
   * The graph's parameters.
   *
   * @param maxConn M, neighbours kept per node on the upper levels (2 M on the bottom one); more
   *     means better recall, more memory and a slower build. Default {@value #DEFAULT_MAX_CONN}
   * @param beamWidth efConstruction, candidates considered when linking a new node; default
   *     {@value #DEFAULT_BEAM_WIDTH}
   * @param efSearch candidates a query keeps (the answer is their best k, so effectively
   *     {@code max(k, efSearch)}); the recall/speed knob at query time. Default {@value #DEFAULT_EF_SEARCH}
   * @param seed the level draws; default {@value #DEFAULT_SEED}
   */
  public record Params(int maxConn, int beamWidth, int efSearch, long seed) implements Serializable {
    public static final int DEFAULT_MAX_CONN = 16;
    public static final int DEFAULT_BEAM_WIDTH = 100;
    public static final int DEFAULT_EF_SEARCH = 100;
    public static final long DEFAULT_SEED = 42L;
    /** Lucene's own caps for its HNSW format; larger graphs would only cost memory. */
    public static final int MAX_MAX_CONN = 512;
    public static final int MAX_BEAM_WIDTH = 3200;
    public static final int MAX_EF_SEARCH = 10_000;

    public Params {
      if (maxConn < 2 || maxConn > MAX_MAX_CONN) {
        throw new IllegalArgumentException("HNSW maxConn (M) must be in [2, " + MAX_MAX_CONN + "], got " + maxConn);
      }
      if (beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH) {
        throw new IllegalArgumentException("HNSW beamWidth (efConstruction) must be in [1, " + MAX_BEAM_WIDTH + "], got " + beamWidth);
      }
      if (efSearch < 1 || efSearch > MAX_EF_SEARCH) {
        throw new IllegalArgumentException("HNSW efSearch must be in [1, " + MAX_EF_SEARCH + "], got " + efSearch);
      }
    }

    public static Params defaults() {
      return new Params(DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH, DEFAULT_EF_SEARCH, DEFAULT_SEED);
    }

    public Params withEfSearch(int efSearch) {
      return new Params(maxConn, beamWidth, efSearch, seed);
    }
  }

  /** The k best items of one query, best first, with their exact dot products. */
  public record Hits(int[] items, float[] scores) {}

  private HnswItemIndex(float[] table, int numItems, int dim, Params params, OnHeapHnswGraph graph, long buildNanos) {
    this.table = table;
    this.numItems = numItems;
    this.dim = dim;
    this.params = params;
    this.graph = graph;
    this.buildNanos = buildNanos;
  }

  /**
   * Builds the graph over items 1..numItems of {@code table} ([numItems + 1, dim], row-major, row 0
   * padding). The table is kept by reference, not copied: do not change it afterwards.
   */
  public static HnswItemIndex build(float[] table, int numItems, int dim, Params params) {
    if (numItems < 0 || dim <= 0) {
      throw new IllegalArgumentException("HNSW index needs numItems >= 0 and dim > 0, got " + numItems + " and " + dim);
    }
    if (table.length != (long) (numItems + 1) * dim) {
      throw new IllegalArgumentException(
          "item table has " + table.length + " values, expected (numItems + 1) * dim = " + (long) (numItems + 1) * dim);
    }
    long start = System.nanoTime();
    try {
      HnswGraphBuilder builder = HnswGraphBuilder.create(new TableScorers(table, numItems, dim), params.maxConn(), params.beamWidth(), params.seed());
      OnHeapHnswGraph graph = builder.build(numItems);
      return new HnswItemIndex(table, numItems, dim, params, graph, System.nanoTime() - start);
    } catch (IOException e) {
      throw new UncheckedIOException("building the HNSW graph failed (it reads no file)", e); // on-heap: never happens
    }
  }

  /** The same graph searched with another efSearch (a query-time setting: nothing is rebuilt). */
  public HnswItemIndex withEfSearch(int efSearch) {
    return new HnswItemIndex(table, numItems, dim, params.withEfSearch(efSearch), graph, buildNanos);
  }

  public Params params() {
    return params;
  }

  public int numItems() {
    return numItems;
  }

  /** Wall time of {@link #build}, in milliseconds. */
  public double buildMillis() {
    return buildNanos / 1e6;
  }

  /** Heap held by the graph (Lucene's estimate), not counting the item table it shares with the catalogue. */
  public long graphBytes() {
    return graph.ramBytesUsed();
  }

  /**
   * The {@code k} best items for {@code user} by dot product, approximately, skipping
   * {@code excluded} (item indices; may be null). Fewer than k when fewer items are left.
   * One search at a time per graph: Lucene's on-heap graph keeps its iteration cursor inside.
   */
  public Hits search(float[] user, int k, BitSet excluded) {
    if (user == null || user.length != dim) {
      throw new IllegalArgumentException("user vector has " + (user == null ? "no values" : user.length + " values") + ", expected dim = " + dim);
    }
    if (k <= 0 || numItems == 0) return new Hits(new int[0], new float[0]);
    int keep = Math.max(k, params.efSearch());
    KnnCollector collector = new TopKnnCollector(keep, Integer.MAX_VALUE);
    try {
      synchronized (graph) {
        HnswGraphSearcher.search(new QueryScorer(table, numItems, dim, user), collector, graph, accepted(excluded));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return best(collector.topDocs(), user, k);
  }

  /** The best k candidates by exact dot product, ties to the smaller item as {@link TopK} does. */
  private Hits best(TopDocs found, float[] user, int k) {
    ScoreDoc[] docs = found.scoreDocs;
    Integer[] idx = new Integer[docs.length];
    int[] items = new int[docs.length];
    float[] scores = new float[docs.length];
    for (int i = 0; i < docs.length; i++) {
      items[i] = docs[i].doc + 1;
      scores[i] = dot(table, items[i] * dim, user, dim);
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(items[a], items[b]));
    int n = Math.min(k, docs.length);
    int[] outItems = new int[n];
    float[] outScores = new float[n];
    for (int i = 0; i < n; i++) {
      outItems[i] = items[idx[i]];
      outScores[i] = scores[idx[i]];
    }
    return new Hits(outItems, outScores);
  }

  private Bits accepted(BitSet excluded) {
    if (excluded == null || excluded.isEmpty()) return null; // null: accept every node
    return new Bits() {
      @Override
      public boolean get(int node) {
        return !excluded.get(node + 1);
      }

      @Override
      public int length() {
        return numItems;
      }
    };
  }

  static float dot(float[] table, int offset, float[] v, int dim) {
    return RowDot.dot(table, offset, v, 0, dim);
  }

  /** Node-to-node scores straight from the flat table (no per-vector copies), for the build. */
  private record TableScorers(float[] table, int numItems, int dim) implements RandomVectorScorerSupplier {
    @Override
    public RandomVectorScorer scorer(int node) {
      int from = (node + 1) * dim;
      return new RandomVectorScorer() {
        @Override
        public float score(int other) {
          return VectorUtil.scaleMaxInnerProductScore(RowDot.dot(table, from, table, (other + 1) * dim, dim));
        }

        @Override
        public int maxOrd() {
          return numItems;
        }
      };
    }

    @Override
    public RandomVectorScorerSupplier copy() {
      return this; // stateless
    }
  }

  /** Query-to-node scores. */
  private record QueryScorer(float[] table, int numItems, int dim, float[] query) implements RandomVectorScorer {
    @Override
    public float score(int node) {
      return VectorUtil.scaleMaxInnerProductScore(dot(table, (node + 1) * dim, query, dim));
    }

    @Override
    public int maxOrd() {
      return numItems;
    }
  }
}
