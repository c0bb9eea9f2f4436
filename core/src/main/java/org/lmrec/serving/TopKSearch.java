package org.lmrec.serving;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a served model finds each user's top K: {@link Method#EXACT} scores the whole catalogue
 * (the default: exact, and on a batch the fastest up to a few hundred thousand items), {@link
 * Method#HNSW} searches an {@link HnswItemIndex} built when the model loads (approximate; pays off
 * near a million items, see docs/benchmarks.md).
 *
 * @param hnsw the graph's parameters; used only by {@link Method#HNSW}
 */
public record TopKSearch(Method method, HnswItemIndex.Params hnsw) implements Serializable {
  public enum Method {
    EXACT,
    HNSW;

    /** {@code exact} or {@code hnsw}, any case. */
    public static Method parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("top-K search '" + name + "' is not one of exact, hnsw", e);
      }
    }
  }

  public TopKSearch {
    if (method == null) throw new IllegalArgumentException("top-K search method is required");
    if (hnsw == null) hnsw = HnswItemIndex.Params.defaults();
  }

  public static TopKSearch exact() {
    return new TopKSearch(Method.EXACT, HnswItemIndex.Params.defaults());
  }

  public static TopKSearch hnsw(HnswItemIndex.Params params) {
    return new TopKSearch(Method.HNSW, params);
  }

  public boolean approximate() {
    return method == Method.HNSW;
  }
}
