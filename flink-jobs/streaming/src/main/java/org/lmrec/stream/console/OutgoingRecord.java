package org.lmrec.stream.console;

/** One checked record ready to send: its key and value bytes, and what it is, for the report line. */
record OutgoingRecord(byte[] key, byte[] value, String description) {}
