package org.lmrec.model;

/**
 * JVM-wide settings of the training engine. They only take effect before the first model is
 * created (DJL reads them when the PyTorch engine starts).
 */
public final class EngineSettings {
  private EngineSettings() {}

  /**
   * Offline mode (nothing may be downloaded at run time) and the PyTorch thread pool: {@code
   * intraOp} threads per operation, one inter-op thread (steps are sequential anyway).
   */
  public static void configure(int intraOpThreads) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(intraOpThreads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
