package org.lmrec.retrain;

import org.lmrec.artifact.ModelArtifact;

/** Tells the serving side that a published version is ready (the retraining job sends it to the model-update topic). */
@FunctionalInterface
public interface ModelAnnouncer {
  /** Returns once the announcement is durably sent; throws if it could not be. */
  void announce(ModelArtifact artifact) throws Exception;
}
