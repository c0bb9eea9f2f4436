package org.lmrec.stream.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic with a plain consumer (every partition assigned, no consumer group, nothing
 * committed, so tailing never moves the job's offsets), decodes each record to a JSON line, and ends
 * on {@code --max}, {@code --timeout} or {@code --exit-at-end}, whichever comes first.
 */
final class TopicTail {
  /** Longest single poll, so the deadline is checked often. */
  private static final Duration POLL = Duration.ofMillis(200);

  private final Properties clientSettings;
  private final String topic;
  private final RecordDecoder decoder;
  private final TailSettings settings;

  /** How a tail ended: lines printed, records read, undecodable ones among them. */
  record Summary(long printed, long read, long undecodable, String why) {}

  TopicTail(Properties clientSettings, String topic, RecordDecoder decoder, TailSettings settings) {
    this.clientSettings = clientSettings;
    this.topic = topic;
    this.decoder = decoder;
    this.settings = settings;
  }

  /** Prints JSON lines to {@code out} and progress notes (where it starts, how it ended) to {@code err}. */
  Summary run(PrintWriter out, PrintWriter err) throws InterruptedException {
    ExistingTopic.require(clientSettings, topic);
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    // A mistyped topic name must be an error, not a new empty topic on a broker that auto-creates.
    p.put("allow.auto.create.topics", "false");
    // Outputs of an EXACTLY_ONCE job hold aborted records too; show only what the job committed.
    p.put("isolation.level", "read_committed");
    long deadline = settings.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + settings.timeout().toNanos();
    long printed = 0;
    long read = 0;
    long undecodable = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      if (settings.fromBeginning()) consumer.seekToBeginning(partitions);
      else consumer.seekToEnd(partitions);
      // Resolve the start now: a lazy seekToEnd would skip whatever arrives before the first poll.
      partitions.forEach(consumer::position);
      Map<TopicPartition, Long> ends = settings.exitAtEnd() ? consumer.endOffsets(partitions) : Map.of();
      err.println("lmrec-topic: reading " + topic + " (" + partitions.size() + " partition" + (partitions.size() == 1 ? "" : "s") + ") from the "
          + (settings.fromBeginning() ? "beginning" : "end") + ", decoded as " + decoder.kindLabel());
      err.flush();
      while (true) {
        if (settings.max() > 0 && printed >= settings.max()) return new Summary(printed, read, undecodable, "--max " + settings.max() + " reached");
        if (settings.exitAtEnd() && atEnd(consumer, ends)) return new Summary(printed, read, undecodable, "end of the topic reached");
        long left = deadline - System.nanoTime();
        if (left <= 0) return new Summary(printed, read, undecodable, "--timeout " + TimeUtils.formatWithHighestUnit(settings.timeout()) + " passed");
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(left < POLL.toNanos() ? Duration.ofNanos(left) : POLL)) {
          read++;
          if (settings.exitAtEnd() && r.offset() >= ends.getOrDefault(new TopicPartition(r.topic(), r.partition()), Long.MAX_VALUE)) continue;
          if (settings.key() != null && !settings.key().equals(RecordJson.key(r.key()).asText(null))) continue;
          ObjectNode line = decoder.decode(r);
          if (line.has("undecodable")) undecodable++;
          if (settings.userId() != null && !settings.userId().equals(userIdOf(line))) continue;
          out.println(RecordJson.line(line));
          out.flush();
          printed++;
          if (settings.max() > 0 && printed >= settings.max()) break;
        }
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IllegalStateException("no answer from Kafka at " + clientSettings.getProperty("bootstrap.servers") + " in time: " + e.getMessage());
    }
  }

  private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) throw new IllegalArgumentException("topic '" + topic + "' has no partitions");
    return infos.stream().map(i -> new TopicPartition(topic, i.partition())).sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
  }

  private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** The value's {@code userId}, or null when it has none (dead letters, announcements, undecodable records). */
  private static String userIdOf(ObjectNode line) {
    JsonNode value = line.get("value");
    return value != null && value.hasNonNull("userId") ? value.get("userId").asText() : null;
  }
}
