package org.lmrec.experiment;

/** Which experiment, definition version and arm a user's event belongs to, and the model that serves it. */
public record Assignment(String experimentId, int experimentVersion, String arm, ModelRef model) {}
