package org.lmrec.bench.fuzz;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.DeadLetter;

/**
 * Reads the dead-letter topic in the background and keeps, per source topic, each source record's
 * (partition, offset) once with its reason. A record dead-lettered twice (by two subtasks of a
 * broadcast input, or replayed) counts once, and the repeats are counted apart.
 */
final class DeadLetterTally implements AutoCloseable {
  /** One dead-lettered source record. */
  record Letter(int partition, long offset, String reason, int rawKeyBytes, int rawValueBytes) {}

  private final Map<String, Map<Long, Letter>> bySource = new HashMap<>();
  private final Map<String, Integer> repeats = new HashMap<>();
  private final Set<String> internalReasons = new HashSet<>();
  private int internal;
  private final Map<String, Integer> rawControlInReason = new HashMap<>();
  private final Map<String, String> rawControlExample = new HashMap<>();
  private long largest;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread reader;

  DeadLetterTally(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "fuzz-dead-letters-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("max.partition.fetch.bytes", String.valueOf(8 * 1024 * 1024));
    AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class).withMaxPayloadBytes(16 * 1024 * 1024);
    reader = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
        c.subscribe(List.of(topic));
        while (!stop.get()) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) add(codec.decode(r.value()), r.serializedValueSize());
        }
      }
    }, "fuzz-dead-letter-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private synchronized void add(DeadLetter d, int size) {
    largest = Math.max(largest, size);
    String source = d.getSourceTopic();
    if (d.getReason().chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
      rawControlInReason.merge(source, 1, Integer::sum);
      rawControlExample.putIfAbsent(source, Printable.of(d.getReason().getBytes(java.nio.charset.StandardCharsets.UTF_8), 200));
    }
    if (d.getSourceOffset() < 0) { // produced inside the job, no source record of its own
      internal++;
      internalReasons.add(Reasons.normalise(d.getReason()));
      return;
    }
    long slot = ((long) d.getSourcePartition() << 48) ^ d.getSourceOffset();
    Letter l = new Letter(d.getSourcePartition(), d.getSourceOffset(), d.getReason(),
        d.getRawKey() == null ? -1 : d.getRawKey().remaining(), d.getRawValue().remaining());
    if (bySource.computeIfAbsent(source, k -> new HashMap<>()).putIfAbsent(slot, l) != null) repeats.merge(source, 1, Integer::sum);
  }

  /** Distinct source records of {@code topic} dead-lettered so far. */
  synchronized int count(String topic) {
    return bySource.getOrDefault(topic, Map.of()).size();
  }

  synchronized Letter get(String topic, int partition, long offset) {
    return bySource.getOrDefault(topic, Map.of()).get(((long) partition << 48) ^ offset);
  }

  synchronized int repeats(String topic) {
    return repeats.getOrDefault(topic, 0);
  }

  /** Per source topic: dead letters whose reason carries a raw control character (a newline, an escape) from the record. */
  synchronized Map<String, Integer> rawControlInReason() {
    return Map.copyOf(rawControlInReason);
  }

  synchronized String rawControlExample(String topic) {
    return rawControlExample.get(topic);
  }

  synchronized int internal() {
    return internal;
  }

  synchronized Set<String> internalReasons() {
    return Set.copyOf(internalReasons);
  }

  /** The largest dead letter seen, in bytes: it must stay under the producer's max.request.size. */
  synchronized long largest() {
    return largest;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    reader.join(10_000);
  }
}
