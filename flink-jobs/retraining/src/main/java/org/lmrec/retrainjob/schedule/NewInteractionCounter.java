package org.lmrec.retrainjob.schedule;

import java.io.BufferedWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.lmrec.flink.storage.FlinkFileSystems;

/**
 * Counts the interactions archived since the last successful retraining, so that the scheduler
 * can retrain when enough new data has arrived instead of only on a clock.
 *
 * <p>The archive ({@code <base>/date=YYYY-MM-DD/interactions-*.avro}, Avro container files of
 * {@code InteractionEvent}) only ever gains finished files, and a finished file is never
 * rewritten, so "new data" is exactly "finished files not seen before". The seen files and their
 * record counts live in a small tab-separated state file ({@value #STATE_FILE_NAME}, paths
 * relative to the base) that is replaced atomically, so a crash leaves the old or the new state,
 * never a torn one; it is re-read on every call, so a run by another process (a manual
 * {@code lmrec-retrain run}) that marks files seen is honoured. In-progress files (names starting
 * with a dot) are not counted: they are still growing and will show up under their final name.
 *
 * <p>A new file is counted from its Avro block headers only (each block states its record count
 * and byte size; the data is skipped, not decompressed or decoded), so polling a large archive is
 * cheap; a seen file is not opened at all.
 *
 * <p>The archive is read through Flink's file system ({@code file://}, {@code s3://}); the state
 * file is local.
 *
 * <p>Use {@link #snapshot()} before a run and {@link #markSeen(Snapshot)} after it succeeded:
 * files finished while the run was going on are not in the snapshot and so still count as new
 * afterwards.
 */
public final class NewInteractionCounter {
  /** Name of the state file in the state directory. */
  public static final String STATE_FILE_NAME = "seen-archive-files.tsv";

  private static final Pattern DATE_DIR = Pattern.compile("date=\\d{4}-\\d{2}-\\d{2}");
  private static final String FILE_PREFIX = "interactions-";
  private static final String FILE_SUFFIX = ".avro";

  private final org.apache.flink.core.fs.Path archiveBase;
  private final Path stateFile;

  /**
   * @param archiveBase the archive's base directory (need not exist yet: then nothing is new)
   * @param stateDir where the state file is kept (created on the first {@link #markSeen})
   */
  public NewInteractionCounter(Path archiveBase, Path stateDir) {
    this(Objects.requireNonNull(archiveBase, "archiveBase").toAbsolutePath().toUri().toString(), stateDir);
  }

  /** As above, the archive at any Flink file system URI ({@code file:///...}, {@code s3://BUCKET/...}). */
  public NewInteractionCounter(String archiveBaseUri, Path stateDir) {
    this.archiveBase = new org.apache.flink.core.fs.Path(Objects.requireNonNull(archiveBaseUri, "archiveBaseUri"));
    this.stateFile = Objects.requireNonNull(stateDir, "stateDir").resolve(STATE_FILE_NAME);
  }

  /**
   * The finished archive files present at one moment and how many of their records were new.
   *
   * @param files every finished file (path relative to the archive base, '/'-separated) and its
   *     record count, sorted by path
   * @param newFiles how many of them had not been seen
   * @param newRecords the records in those unseen files
   */
  public record Snapshot(SortedMap<String, Long> files, int newFiles, long newRecords) {
    public Snapshot {
      files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }
  }

  public Path stateFile() {
    return stateFile;
  }

  /** The records in finished files not seen yet; same as {@code snapshot().newRecords()}. */
  public long countNew() throws IOException {
    return snapshot().newRecords();
  }

  /**
   * Lists the finished archive files now and counts the records of those not seen yet.
   *
   * @throws IOException when the archive cannot be listed, the state file is unreadable, or a
   *     finished file is not a well-formed Avro container file (the message names it)
   */
  public Snapshot snapshot() throws IOException {
    Map<String, Long> seen = readState();
    TreeMap<String, Long> files = new TreeMap<>();
    int newFiles = 0;
    long newRecords = 0;
    for (String relative : listFinishedFiles()) {
      Long count = seen.get(relative);
      if (count == null) {
        count = countRecords(new org.apache.flink.core.fs.Path(archiveBase, relative));
        newFiles++;
        newRecords += count;
      }
      files.put(relative, count);
    }
    return new Snapshot(files, newFiles, newRecords);
  }

  /**
   * Records the snapshot's files as seen (after a successful run). Files seen earlier stay seen
   * as long as they exist; entries of files that were removed from the archive (retention) are
   * dropped so the state does not grow forever. The state file is replaced atomically.
   */
  public void markSeen(Snapshot snapshot) throws IOException {
    TreeMap<String, Long> state = new TreeMap<>(readState());
    state.putAll(snapshot.files());
    state.keySet().retainAll(new java.util.HashSet<>(listFinishedFiles()));
    writeStateAtomically(state);
  }

  private List<String> listFinishedFiles() throws IOException {
    List<String> result = new ArrayList<>();
    FileSystem fs = FlinkFileSystems.of(archiveBase);
    if (!fs.exists(archiveBase)) {
      return result;
    }
    FileStatus[] dates = fs.listStatus(archiveBase);
    for (FileStatus dateDir : dates == null ? new FileStatus[0] : dates) {
      String date = dateDir.getPath().getName();
      if (!dateDir.isDir() || !DATE_DIR.matcher(date).matches()) continue;
      FileStatus[] parts;
      try {
        parts = fs.listStatus(dateDir.getPath());
      } catch (java.io.FileNotFoundException removedMeanwhile) {
        continue; // retention removed the day between the two listings: nothing to count there
      }
      for (FileStatus part : parts == null ? new FileStatus[0] : parts) {
        if (isFinishedFile(part)) result.add(date + "/" + part.getPath().getName());
      }
    }
    return result;
  }

  private static boolean isFinishedFile(FileStatus s) {
    String name = s.getPath().getName();
    // the prefix rules out the dot-prefixed in-progress files; a tab or newline would break the state file
    return !s.isDir() && name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX)
        && name.indexOf('\t') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0;
  }

  /**
   * The record count of an Avro container file, from its block headers: header (magic, metadata
   * map, sync marker), then blocks of (record count, byte size, data, sync marker).
   */
  static long countRecords(Path file) throws IOException {
    return countRecords(new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri()));
  }

  static long countRecords(org.apache.flink.core.fs.Path file) throws IOException {
    try (InputStream in = FlinkFileSystems.of(file).open(file)) {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(in, null);
      byte[] magic = new byte[DataFileConstants.MAGIC.length];
      decoder.readFixed(magic);
      if (!Arrays.equals(magic, DataFileConstants.MAGIC)) {
        throw new IOException("Not an Avro container file: " + file);
      }
      for (long n = decoder.readMapStart(); n != 0; n = decoder.mapNext()) {
        for (long i = 0; i < n; i++) {
          decoder.skipString();
          decoder.skipBytes();
        }
      }
      byte[] sync = new byte[DataFileConstants.SYNC_SIZE];
      decoder.readFixed(sync);
      byte[] blockSync = new byte[DataFileConstants.SYNC_SIZE];
      long records = 0;
      while (!decoder.isEnd()) {
        long count = decoder.readLong();
        long size = decoder.readLong();
        if (count < 0 || size < 0 || size > Integer.MAX_VALUE) {
          throw new IOException("Corrupt Avro block header (count " + count + ", size " + size + ") in " + file);
        }
        decoder.skipFixed((int) size);
        decoder.readFixed(blockSync);
        if (!Arrays.equals(sync, blockSync)) {
          throw new IOException("Bad Avro sync marker after block " + records + " records in " + file);
        }
        records += count;
      }
      return records;
    } catch (EOFException e) {
      throw new IOException("Truncated Avro container file: " + file, e);
    }
  }

  private Map<String, Long> readState() throws IOException {
    Map<String, Long> state = new TreeMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException none) {
      return state;
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int tab = line.lastIndexOf('\t');
      try {
        if (tab <= 0) {
          throw new NumberFormatException("no tab");
        }
        state.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
      } catch (NumberFormatException e) {
        throw new IOException("Malformed line " + (i + 1) + " in " + stateFile + ": " + line, e);
      }
    }
    return state;
  }

  private void writeStateAtomically(SortedMap<String, Long> state) throws IOException {
    Path dir = stateFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + STATE_FILE_NAME, ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          Writer out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
        out.write("# finished archive files already used by a successful retraining: path relative to the archive base, TAB, records\n");
        for (Map.Entry<String, Long> e : state.entrySet()) {
          out.write(e.getKey() + "\t" + e.getValue() + "\n");
        }
        out.flush();
        channel.force(true);
      }
      Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
