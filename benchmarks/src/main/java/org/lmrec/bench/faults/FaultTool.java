package org.lmrec.bench.faults;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lmrec.artifact.ArtifactReader;
import org.lmrec.artifact.ArtifactWriter;
import org.lmrec.artifact.TrainingDataInfo;
import org.lmrec.flink.announce.AnnouncementKeys;
import org.lmrec.flink.announce.AnnouncementSigner;
import org.lmrec.flink.announce.ModelUpdates;
import org.lmrec.flink.archive.ArchiveFiles;
import org.lmrec.model.ModelConfig;
import org.lmrec.model.ModelKind;
import org.lmrec.model.SequentialModel;
import org.lmrec.model.djl.SequentialModels;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.EventType;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.UserSequenceState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fault campaign's client side (deploy/standalone/faults.sh drives it): {@code prepare} writes
 * seeded events, two model versions and a signing key; {@code load} sends the events at a steady
 * rate and records every acknowledged one; {@code announce} publishes a signed model swap;
 * {@code check} computes the ground truth from the interactions topic and compares the committed
 * recommendations, the archive and the final savepoint's user sequences with it ({@link FaultCheck}).
 */
@Command(name = "faults", mixinStandardHelpOptions = true, subcommands = {
    FaultTool.Prepare.class, FaultTool.Load.class, FaultTool.Announce.class, FaultTool.Check.class, FaultTool.Stats.class})
public final class FaultTool {
  /** The model versions {@code prepare} writes: served from the start, and announced by the swap case. */
  static final String V1 = "fault-v1";
  static final String V2 = "fault-v2";
  static final String KEY_ID = "faults";
  /** Events further ahead of the broker's timestamp are dead-lettered by the job (lmrec.input.max-future-skew, 1 h). */
  static final Duration FUTURE = Duration.ofDays(2);

  public static void main(String[] args) {
    int rc = new CommandLine(new FaultTool()).execute(args);
    System.exit(rc); // Kafka and Flink leave non-daemon threads behind
  }

  @Command(name = "prepare", description = "Writes DIR/events.tsv (seeded), DIR/models/{fault-v1,fault-v2} and DIR/keys/faults.{key,pub}.")
  static final class Prepare implements Callable<Integer> {
    @Option(names = "--dir", required = true) Path dir;
    @Option(names = "--seed", defaultValue = "18") long seed;
    @Option(names = "--events", defaultValue = "100000") int events;
    @Option(names = "--users", defaultValue = "300") int users;
    @Option(names = "--items", defaultValue = "2000") int items;
    @Option(names = "--invalid-every", defaultValue = "50", description = "Every n-th event is invalid (garbage bytes or an event time far ahead).")
    int invalidEvery;
    @Option(names = "--dim", defaultValue = "32") int dim;
    @Option(names = "--max-len", defaultValue = "50") int maxLen;

    @Override
    public Integer call() throws Exception {
      Files.createDirectories(dir);
      SplittableRandom random = new SplittableRandom(seed);
      try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("events.tsv"))) {
        for (int i = 0; i < events; i++) {
          String user = "u" + random.nextInt(users);
          // Approximately Zipf(1): a few popular items and a long tail.
          int item = 1 + (int) Math.min(items - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(items))) - 1);
          String kind = invalidEvery > 0 && i % invalidEvery == invalidEvery - 1 ? (random.nextBoolean() ? "garbage" : "future") : "ok";
          w.write(i + "\t" + user + "\ti" + item + "\t" + kind + "\n");
        }
      }
      List<String> ids = new ArrayList<>();
      ids.add(null);
      for (int i = 1; i <= items; i++) ids.add("i" + i);
      for (String version : List.of(V1, V2)) {
        Path root = dir.resolve("models");
        if (Files.isDirectory(root.resolve(version))) continue;
        ModelConfig cfg = ModelConfig.defaults(ModelKind.SASREC).withDim(dim).withMaxLen(maxLen).withSeed(version.equals(V1) ? 1 : 2);
        try (SequentialModel m = SequentialModels.create(cfg, items, null)) {
          ArtifactWriter.write(root, version, cfg.kind().id(), cfg.toMap(), m.exportWeights(), ids,
              new TrainingDataInfo("untrained fault-campaign model", 0, items, 0, null, null, "faults"), Map.of(), Map.of());
        }
      }
      if (!Files.exists(dir.resolve("keys").resolve(KEY_ID + AnnouncementKeys.PRIVATE_SUFFIX))) {
        java.security.SecureRandom seeded = java.security.SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(seed);
        AnnouncementKeys.generate(dir.resolve("keys"), KEY_ID, seeded);
      }
      System.out.println("prepared " + events + " events, models " + V1 + " and " + V2 + " in " + dir.toAbsolutePath());
      return 0;
    }
  }

  @Command(name = "load", description = "Sends the prepared events at a steady rate, stamped with the wall clock; every acknowledged event goes to --sent.")
  static final class Load implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true) String bootstrap;
    @Option(names = "--topic", required = true) String topic;
    @Option(names = "--events", required = true) Path events;
    @Option(names = "--sent", required = true, description = "TSV: event id, valid (1/0), partition, offset, send time") Path sentLog;
    @Option(names = "--id-prefix", required = true, description = "Prefix of the event ids (one per case).") String idPrefix;
    @Option(names = "--rate", defaultValue = "200", description = "Events per second.") double rate;
    @Option(names = "--seconds", defaultValue = "60") double seconds;
    @Option(names = "--stop-file", description = "Stop sending as soon as this file exists.") Path stopFile;

    @Override
    public Integer call() throws Exception {
      List<String> lines = Files.readAllLines(events);
      AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("acks", "all");
      p.put("enable.idempotence", "true");
      p.put("linger.ms", "5");
      // Ride out a broker restart: records wait in the producer's buffer instead of failing.
      p.put("delivery.timeout.ms", "600000");
      p.put("request.timeout.ms", "10000");
      p.put("max.block.ms", "600000");
      AtomicLong acked = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      Thread main = Thread.currentThread();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop.set(true);
        try {
          main.join(30_000);
        } catch (InterruptedException ignored) {
          // exiting anyway
        }
      }));
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      int sent = 0;
      try (BufferedWriter log = Files.newBufferedWriter(sentLog);
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (String line : lines) {
          if (stop.get() || System.nanoTime() >= deadline || (stopFile != null && Files.exists(stopFile))) break;
          long due = start + (long) (sent / rate * 1e9);
          long wait = due - System.nanoTime();
          if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          String[] f = line.split("\t");
          String id = idPrefix + "-" + f[0];
          boolean valid = f[3].equals("ok");
          long now = System.currentTimeMillis();
          byte[] value;
          if (f[3].equals("garbage")) {
            value = new byte[24];
            new SplittableRandom(Long.parseLong(f[0])).nextBytes(value);
          } else {
            long eventTime = f[3].equals("future") ? now + FUTURE.toMillis() : now;
            value = codec.encode(InteractionEvent.newBuilder().setEventId(id).setUserId(f[1]).setItemId(f[2])
                .setEventType(EventType.CLICK).setEventTime(Instant.ofEpochMilli(eventTime)).build());
          }
          producer.send(new ProducerRecord<>(topic, f[1].getBytes(StandardCharsets.UTF_8), value), (md, e) -> {
            if (e != null) {
              failed.incrementAndGet();
              System.err.println("send of " + id + " failed: " + e);
              return;
            }
            acked.incrementAndGet();
            synchronized (log) {
              try {
                log.write(id + "\t" + (valid ? 1 : 0) + "\t" + md.partition() + "\t" + md.offset() + "\t" + now + "\n");
              } catch (IOException io) {
                throw new java.io.UncheckedIOException(io);
              }
            }
          });
          sent++;
        }
        producer.flush();
        synchronized (log) {
          log.flush();
        }
      }
      System.out.printf("load: %d sent, %d acknowledged, %d failed in %.1f s%n", sent, acked.get(), failed.get(), (System.nanoTime() - start) / 1e9);
      return failed.get() == 0 ? 0 : 1;
    }
  }

  @Command(name = "announce", description = "Publishes a signed announcement of a prepared model version.")
  static final class Announce implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true) String bootstrap;
    @Option(names = "--topic", required = true) String topic;
    @Option(names = "--dir", required = true, description = "The prepare directory.") Path dir;
    @Option(names = "--version", defaultValue = V2) String version;

    @Override
    public Integer call() throws Exception {
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        ModelUpdates.send(producer, topic, ArtifactReader.readManifest(dir.resolve("models").resolve(version)),
            AnnouncementSigner.fromFile(dir.resolve("keys").resolve(KEY_ID + AnnouncementKeys.PRIVATE_SUFFIX)));
      }
      System.out.println("announced " + version + " at " + System.currentTimeMillis());
      return 0;
    }
  }

  @Command(name = "check", description = "Ground truth from the interactions topic against the committed recommendations, the archive and the final savepoint; prints one table row.")
  static final class Check implements Callable<Integer> {
    @Option(names = "--case", defaultValue = "case") String caseName;
    @Option(names = "--bootstrap", required = true) String bootstrap;
    @Option(names = "--interactions", required = true) String interactions;
    @Option(names = "--recommendations", required = true) String recommendations;
    @Option(names = "--sent", description = "The load's log of acknowledged events (the 'sent' column).") Path sentLog;
    @Option(names = "--archive", description = "Base URI of the interaction archive; unset = not checked.") String archive;
    @Option(names = "--savepoint", description = "The final savepoint; unset = state not checked.") String savepoint;
    @Option(names = "--flink-conf", description = "Folder with a config.yaml for Flink's file systems (s3.endpoint, ...).") Path flinkConf;
    @Option(names = "--sequence-length", defaultValue = "50") int sequenceLength;
    @Option(names = "--state-ttl", defaultValue = "30d", description = "The job's lmrec.state.ttl: TTL state is read with its own descriptor.")
    String stateTtl;
    @Option(names = "--expect-version", defaultValue = V1) String expectVersion;
    @Option(names = "--version-from", defaultValue = "-1", description = "Epoch ms from which the allowance counts; < 0: the expected version from the start.")
    long versionFrom;
    @Option(names = "--allowance-seconds", defaultValue = "0") double allowanceSeconds;
    @Option(names = "--fault-at", defaultValue = "-1", description = "Epoch ms of the fault; < 0 = no recovery time.") long faultAt;
    @Option(names = "--wait-seconds", defaultValue = "0", description = "Keep reading recommendations until every accepted event has one, at most this long.")
    double waitSeconds;
    @Option(names = "--table", description = "Append the row (with a header when new) to this file.") Path table;
    @Option(names = "--header", description = "Print the header line first.") boolean header;

    @Override
    public Integer call() throws Exception {
      if (flinkConf != null) FileSystem.initialize(GlobalConfiguration.loadConfiguration(flinkConf.toString()), null);
      List<FaultCheck.Accepted> accepted = readAccepted(bootstrap, interactions);
      long sent = sentLog == null ? -1 : Files.readAllLines(sentLog).size();
      List<FaultCheck.Rec> recs = readRecommendations(bootstrap, recommendations, accepted, Duration.ofMillis((long) (waitSeconds * 1000)));
      List<String> archived = archive == null ? null : readArchive(archive);
      Map<String, UserSequenceState> state = savepoint == null ? null
          : SavepointStates.userSequences(savepoint, org.apache.flink.util.TimeUtils.parseDuration(stateTtl));
      FaultCheck.Versions versions = versionFrom < 0 ? FaultCheck.Versions.always(expectVersion)
          : new FaultCheck.Versions(expectVersion, versionFrom, (long) (allowanceSeconds * 1000));
      FaultCheck.Result r = FaultCheck.evaluate(sent, accepted, recs, archived, state, sequenceLength, versions, faultAt);
      r.examples().forEach(e -> System.err.println("  " + e));
      if (header) System.out.println(FaultCheck.Result.header());
      System.out.println(r.row(caseName));
      if (table != null) {
        boolean fresh = !Files.exists(table);
        Files.writeString(table, (fresh ? FaultCheck.Result.header() + "\n" : "") + r.row(caseName) + "\n", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      }
      return r.clean() ? 0 : 3;
    }
  }

  @Command(name = "stats", description = "Throughput and latency of the recommendations for events whose id starts with --id-prefix: "
      + "count, events/s between the first and the last emission, p50/p99/max of latencyMillis (arrival in the job to emission).")
  static final class Stats implements Callable<Integer> {
    @Option(names = "--bootstrap", required = true) String bootstrap;
    @Option(names = "--recommendations", required = true) String recommendations;
    @Option(names = "--id-prefix", required = true) String idPrefix;
    @Option(names = "--expect", defaultValue = "0", description = "Wait until this many recommendations of the prefix were read.") long expect;
    @Option(names = "--wait-seconds", defaultValue = "300") double waitSeconds;
    @Option(names = "--label", defaultValue = "") String label;

    @Override
    public Integer call() {
      AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
      List<Long> latencies = new ArrayList<>();
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      Set<String> ids = new HashSet<>();
      long deadline = System.nanoTime() + (long) (waitSeconds * 1e9);
      try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
        List<TopicPartition> parts = assignAll(c, recommendations);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) || (ids.size() < expect && System.nanoTime() < deadline)) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
            Recommendation rec = codec.decode(r.value());
            if (!rec.getTriggeringEventId().startsWith(idPrefix) || !ids.add(rec.getTriggeringEventId())) continue;
            long t = rec.getProducedAt().toEpochMilli();
            first = Math.min(first, t);
            last = Math.max(last, t);
            if (rec.getLatencyMillis() != null) latencies.add(rec.getLatencyMillis());
          }
        }
      }
      latencies.sort(null);
      double seconds = (last - first) / 1000.0;
      System.out.printf(java.util.Locale.ROOT, "%s\t%d\t%.0f\t%d\t%d\t%d%n", label, ids.size(), seconds > 0 ? (ids.size() - 1) / seconds : Double.NaN,
          pct(latencies, 0.50), pct(latencies, 0.99), latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
      return expect > 0 && ids.size() < expect ? 1 : 0;
    }

    private static long pct(List<Long> sorted, double q) {
      return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    p.put("max.poll.records", "5000");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> assignAll(KafkaConsumer<byte[], byte[]> c, String topic) {
    List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    c.assign(parts);
    c.seekToBeginning(parts);
    return parts;
  }

  /**
   * The accepted events, each partition's in offset order (a user's events share a partition): those
   * that decode and are not far ahead of the broker's timestamp. A repeated id is a redelivery the job
   * ignores, so only its first copy counts.
   */
  static List<FaultCheck.Accepted> readAccepted(String bootstrap, String topic) {
    AvroCodec<InteractionEvent> codec = AvroCodec.of(InteractionEvent.class);
    List<FaultCheck.Accepted> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      List<TopicPartition> parts = assignAll(c, topic);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      Map<Integer, List<FaultCheck.Accepted>> byPartition = new HashMap<>();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          InteractionEvent e;
          try {
            e = codec.decode(r.value());
          } catch (RuntimeException refused) {
            continue;
          }
          long t = e.getEventTime().toEpochMilli();
          if (t > r.timestamp() + Duration.ofHours(1).toMillis() || !seen.add(e.getEventId())) continue;
          byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>())
              .add(new FaultCheck.Accepted(e.getEventId(), e.getUserId(), e.getItemId(), t));
        }
      }
      byPartition.values().forEach(out::addAll);
    }
    return out;
  }

  /** Every committed recommendation; with a wait, reads on until each accepted event has one or the wait is over. */
  static List<FaultCheck.Rec> readRecommendations(String bootstrap, String topic, List<FaultCheck.Accepted> accepted, Duration wait) {
    AvroCodec<Recommendation> codec = AvroCodec.of(Recommendation.class);
    Set<String> missing = new HashSet<>();
    accepted.forEach(a -> missing.add(a.eventId()));
    List<FaultCheck.Rec> out = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
      List<TopicPartition> parts = assignAll(c, topic);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) || (!missing.isEmpty() && System.nanoTime() < deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          Recommendation rec = codec.decode(r.value());
          missing.remove(rec.getTriggeringEventId());
          out.add(new FaultCheck.Rec(rec.getTriggeringEventId(), rec.getModelVersion(), rec.getProducedAt().toEpochMilli()));
        }
      }
    }
    return out;
  }

  /** Event ids of every record in the archive's finished files (in-progress files start with a dot and are skipped). */
  static List<String> readArchive(String baseUri) throws IOException {
    List<String> ids = new ArrayList<>();
    org.apache.flink.core.fs.Path base = new org.apache.flink.core.fs.Path(baseUri);
    FileSystem fs = base.getFileSystem();
    if (!fs.exists(base)) return ids;
    collect(fs, base, ids);
    return ids;
  }

  private static void collect(FileSystem fs, org.apache.flink.core.fs.Path dir, List<String> ids) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isDir()) {
        collect(fs, s.getPath(), ids);
      } else if (ArchiveFiles.isFinishedArchiveFile(s.getPath().getName())) {
        try (InputStream in = fs.open(s.getPath());
            DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
          for (GenericRecord r : records) ids.add(r.get("eventId").toString());
        }
      }
    }
  }
}
