package org.lmrec.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft broker inside the test JVM, with small helpers to produce and consume bytes. */
public final class InProcessKafka implements AutoCloseable {
  private final KafkaClusterTestKit cluster;
  private final KafkaProducer<byte[], byte[]> producer;

  public InProcessKafka(Path baseDir) throws Exception {
    cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(baseDir).build())
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            // Tests write records stamped with event times years in the past (the job's sinks use
            // event time as the record timestamp). With the default 7-day retention, the broker's
            // retention check (30 s after start, then every 5 min) deleted every such record in the
            // middle of whichever test it fell into: a timing-dependent flake. Keep everything.
            .setConfigProp("log.retention.ms", "-1")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("linger.ms", "0");
    producer = new KafkaProducer<>(p);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public void createTopic(String name, int partitions, boolean compacted) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      NewTopic topic = new NewTopic(name, partitions, (short) 1);
      if (compacted) topic.configs(Map.of("cleanup.policy", "compact"));
      admin.createTopics(List.of(topic)).all().get();
    }
  }

  public void send(String topic, byte[] key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  /** Reads {@code topic} from the beginning until {@code done} holds for what was read, or the timeout passes. */
  public List<ConsumerRecord<byte[], byte[]>> readUntil(
      String topic, Duration timeout, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) throws TimeoutException {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    p.put("group.id", "test-reader-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("isolation.level", "read_committed");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
        if (done.test(all)) return all;
      }
    }
    throw new TimeoutException("after " + timeout + ", topic " + topic + " holds " + all.size() + " records, not what was awaited");
  }

  /**
   * Reads every partition of {@code topic} from the beginning with the given {@code isolationLevel}
   * ("read_committed" or "read_uncommitted") until {@code done} holds for what was read and the
   * reader has reached the end of every partition (for read_committed: the last stable offset), so
   * that nothing already visible at that level is left unread; or throws after the timeout.
   */
  public List<ConsumerRecord<byte[], byte[]>> readToEnd(
      String topic, String isolationLevel, Duration timeout, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) throws TimeoutException {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    p.put("isolation.level", isolationLevel);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
        if (done.test(all) && atEnd(consumer, partitions)) return all;
      }
    }
    throw new TimeoutException("after " + timeout + ", topic " + topic + " (" + isolationLevel + ") holds " + all.size() + " records, not what was awaited");
  }

  private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
  }

  @Override
  public void close() throws Exception {
    producer.close();
    cluster.close();
  }
}
