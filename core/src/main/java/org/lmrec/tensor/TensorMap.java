package org.lmrec.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Named tensors in a stable order: what a model exports and what an artifact stores. */
public final class TensorMap {
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  public TensorMap put(String name, Tensor t) {
    if (!name.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException("tensor name '" + name + "' must match [A-Za-z0-9_.-]+ (it becomes a file name)");
    }
    tensors.put(name, t);
    return this;
  }

  /** The tensor with this name; a clear error when it is absent. */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) throw new IllegalArgumentException("no tensor named '" + name + "'; present: " + tensors.keySet());
    return t;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }

  public Map<String, Tensor> asMap() {
    return Collections.unmodifiableMap(tensors);
  }

  /** A copy without the named tensors (the rest in their order), e.g. to split a cached stage output. */
  public TensorMap without(String... names) {
    Set<String> skip = Set.of(names);
    TensorMap out = new TensorMap();
    tensors.forEach((n, t) -> {
      if (!skip.contains(n)) out.put(n, t);
    });
    return out;
  }

  public int size() {
    return tensors.size();
  }
}
