package org.lmrec.bench.fuzz;

/** Seeded generator of one topic's records: valid traffic for the clean run, hostile records for the fuzz. */
interface RecordGenerator {
  /** A record a well-behaved producer would send (the clean run, and the probes after the fuzz). */
  FuzzRecord valid();

  /** The next hostile (or, now and then, valid) record. */
  FuzzRecord fuzz();
}
