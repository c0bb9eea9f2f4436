package org.lmrec.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.lmrec.artifact.ModelArtifact;
import org.lmrec.schema.ModelKind;
import org.lmrec.schema.ModelUpdate;

/**
 * Model announcements: valid ones alternate between two real artifacts (each is a swap), hostile
 * ones point anywhere, carry no or wrong hashes, forged versions, older times, control characters,
 * or are not announcements at all. Every announcement gets a distinct createdAt, so none equals the
 * pointer being served (the scorer ignores an exact repeat without counting it).
 */
final class ModelUpdateFuzz implements RecordGenerator {
  static final Schema SCHEMA = ModelUpdate.SCHEMA$;
  private static final int KINDS = SCHEMA.getField("kind").schema().getEnumSymbols().size();

  private final SplittableRandom r;
  private final ModelArtifact a;
  private final ModelArtifact b;
  private final Path outsideRoots;
  private final int maxBytes;
  private final List<Schema> foreign;
  private final List<Schema> history;
  private long clock = System.currentTimeMillis();
  private boolean nextIsA;
  private byte[] lastValid;

  /** @param outsideRoots a real artifact outside the configured artifact roots */
  ModelUpdateFuzz(long seed, ModelArtifact a, ModelArtifact b, Path outsideRoots, int maxBytes) {
    this.r = new SplittableRandom(seed);
    this.a = a;
    this.b = b;
    this.outsideRoots = outsideRoots;
    this.maxBytes = maxBytes;
    this.foreign = KnownSchemas.foreignTo(SCHEMA);
    this.history = KnownSchemas.history();
  }

  /** The next valid announcement: the other of the two artifacts, so the scorer swaps. */
  @Override
  public FuzzRecord valid() {
    nextIsA = !nextIsA;
    ModelArtifact m = nextIsA ? a : b;
    byte[] v = WireFormat.encode(WireFormat.sign(announcement(m.version(), uri(m.dir()), m.manifestSha256(), ModelKind.valueOf(m.modelKind().toUpperCase(java.util.Locale.ROOT)), ++clock, null)));
    lastValid = v;
    return new FuzzRecord("valid", key(m), v);
  }

  /** An unsigned announcement of the artifact that is not serving, dated long ago: a rollback nobody signed. */
  /** The other artifact announced as of 1970, correctly signed: a replay the scorer must refuse as older. */
  FuzzRecord olderOfTheOther() {
    return new FuzzRecord("older announcement replayed", key(otherArtifact()), WireFormat.encode(WireFormat.sign(olderAnnouncement())));
  }

  /** The same, unsigned: the source must refuse it as a dead letter. */
  FuzzRecord olderOfTheOtherUnsigned() {
    return new FuzzRecord("older announcement, unsigned", key(otherArtifact()), WireFormat.encode(olderAnnouncement()));
  }

  private ModelArtifact otherArtifact() {
    return nextIsA ? b : a;
  }

  private ModelUpdate olderAnnouncement() {
    ModelArtifact m = otherArtifact();
    return announcement(m.version(), uri(m.dir()), m.manifestSha256(), ModelKind.SASREC, 1_000, null);
  }

  /** The version of the artifact that {@link #olderOfTheOther} announces. */
  String otherVersion() {
    return (nextIsA ? b : a).version();
  }

  /** The version that the next valid announcement leaves serving. */
  String lastValidVersion() {
    return (nextIsA ? a : b).version();
  }

  private static byte[] key(ModelArtifact m) {
    return m.modelKind().getBytes(StandardCharsets.UTF_8);
  }

  private static String uri(Path dir) {
    return dir.toAbsolutePath().toUri().toString();
  }

  static ModelUpdate announcement(String version, String uri, String sha, ModelKind kind, long createdAt, String line) {
    return ModelUpdate.newBuilder().setModelVersion(version).setArtifactUri(uri).setManifestSha256(sha).setKind(kind)
        .setCreatedAt(Instant.ofEpochMilli(createdAt)).setModelLine(line).build();
  }

  private byte[] signed(String version, String uri, String sha, String line) {
    return WireFormat.encode(WireFormat.sign(announcement(version, uri, sha, ModelKind.SASREC, ++clock, line)));
  }

  @Override
  public FuzzRecord fuzz() {
    if (lastValid == null) valid();
    byte[] key = Keys.draw(r, a.modelKind());
    String aUri = uri(a.dir());
    switch (r.nextInt(17)) {
      case 0: return new FuzzRecord("random bytes", key, Mutations.randomBytes(r, r.nextBoolean() ? 16 : 4096));
      case 1: return new FuzzRecord("bit-flipped valid", key, Mutations.bitFlipped(r, lastValid));
      case 2: return new FuzzRecord("truncated valid", key, Mutations.truncated(r, lastValid));
      case 3: return new FuzzRecord("oversized (over 64 KiB)", key, Mutations.padded(r, lastValid, maxBytes + 1 + (r.nextInt(10) == 0 ? r.nextInt(4 * maxBytes) : r.nextInt(1_024))));
      case 4: return new FuzzRecord("edge values in every field", key, WireFormat.encodeGeneric((GenericRecord) EdgeValues.datum(SCHEMA, r, 0)));
      case 5: { // artifact URIs outside the roots, relative, escaping with .., other schemes
        String[] uris = {"file:///etc/passwd", aUri + "../../../../etc", "models/" + a.version(), "http://127.0.0.1:1/model", "",
            uri(outsideRoots), aUri + "/../" + b.dir().getFileName(), "file:" + a.dir().toAbsolutePath(), a.dir().toAbsolutePath().toString(),
            "file:///dev/zero", "file:///proc/self/environ", "jar:file:///x.jar!/"};
        return new FuzzRecord("artifact URI outside the roots or odd", key, signed("fz-" + clock, uris[r.nextInt(uris.length)], a.manifestSha256(), null));
      }
      case 6: return new FuzzRecord("empty manifest hash", key, signed(a.version(), aUri, "", null));
      case 7: {
        String[] hashes = {"0".repeat(64), a.manifestSha256().toUpperCase(), b.manifestSha256(), "zz", "x".repeat(10_000)};
        return new FuzzRecord("wrong manifest hash", key, signed(a.version(), aUri, hashes[r.nextInt(hashes.length)], null));
      }
      case 8: return new FuzzRecord("real artifact under a forged version", key, signed("forged-" + clock, aUri, a.manifestSha256(), null));
      case 9: { // a real, older announcement again: a rollback nobody signed; the same one redelivered now and then
        ModelUpdate older = announcement(a.version(), aUri, a.manifestSha256(), ModelKind.SASREC, 1_000 + r.nextInt(3), null);
        return new FuzzRecord("older announcement replayed", key, WireFormat.encode(WireFormat.sign(older)));
      }
      case 10: { // kind UNKNOWN or an index past the enum
        long index = r.nextBoolean() ? KINDS - 1 : new long[] {KINDS, 99, -1, Integer.MAX_VALUE}[r.nextInt(4)];
        byte[] body = new RawAvro().string("fz-" + clock++).string(aUri).string(a.manifestSha256()).varLong(index).varLong(clock).varLong(0).toByteArray();
        return new FuzzRecord(index == KINDS - 1 ? "kind UNKNOWN" : "kind index out of range", key, WireFormat.frame(SCHEMA, body));
      }
      case 11: { // model lines: the real artifact on many lines, past the cap of extra models
        String line = r.nextInt(4) == 0 ? "x".repeat(5_000) : "fz-line-" + r.nextInt(12);
        return new FuzzRecord("real artifact on another line", key, signed(a.version(), aUri, a.manifestSha256(), line));
      }
      case 12: { // control characters where the scorer logs: version, line, URI
        String evil = EdgeValues.string(r);
        int field = r.nextInt(3);
        return new FuzzRecord("edge string in " + List.of("version", "line", "uri").get(field), key,
            signed(field == 0 ? evil : "fz-" + clock, field == 2 ? evil : aUri + "missing-" + clock, a.manifestSha256(), field == 1 ? evil : null));
      }
      case 13: {
        Schema s = foreign.get(r.nextInt(foreign.size()));
        return new FuzzRecord("a " + s.getName() + " record", key, WireFormat.encodeGeneric((GenericRecord) EdgeValues.plain(s, r)));
      }
      case 14: {
        if (history.isEmpty()) return new FuzzRecord("random bytes", key, Mutations.randomBytes(r, 64));
        Schema s = history.get(r.nextInt(history.size()));
        return new FuzzRecord("history " + s.getName() + " v1", key, WireFormat.encodeGeneric((GenericRecord) EdgeValues.plain(s, r)));
      }
      case 15: {
        long[] lengths = {Integer.MAX_VALUE, Long.MAX_VALUE, -1, Long.MIN_VALUE, 1_000_000};
        int field = r.nextInt(2);
        RawAvro raw = new RawAvro();
        if (field == 1) raw.string("fz-" + clock);
        raw.varLong(lengths[r.nextInt(lengths.length)]).rawBytes("file:".getBytes(StandardCharsets.UTF_8));
        return new FuzzRecord("huge declared string length", key, WireFormat.frame(SCHEMA, raw.toByteArray()));
      }
      default: {
        FuzzRecord v = valid();
        return new FuzzRecord("valid (among the fuzz)", v.key(), v.value());
      }
    }
  }
}
