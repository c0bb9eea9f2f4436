package org.lmrec.bench.fuzz;

/** One generated record: which case made it (the table groups by it), its key and its value. */
record FuzzRecord(String kind, byte[] key, byte[] value) {}
