package org.lmrec.serving;

import java.util.function.Supplier;

/** Runs test code with {@code -Dlmrec.serving.kernel} set, restoring the JVM's value afterwards. */
public final class KernelProperty {
  private KernelProperty() {}

  public static <T> T with(String value, Supplier<T> body) {
    String before = System.getProperty(ItemCatalogue.KERNEL_PROPERTY);
    System.setProperty(ItemCatalogue.KERNEL_PROPERTY, value);
    try {
      return body.get();
    } finally {
      if (before == null) System.clearProperty(ItemCatalogue.KERNEL_PROPERTY);
      else System.setProperty(ItemCatalogue.KERNEL_PROPERTY, before);
    }
  }
}
