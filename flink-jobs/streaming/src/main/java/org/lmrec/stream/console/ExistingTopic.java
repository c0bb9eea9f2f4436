package org.lmrec.stream.console;

import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Checks that a topic exists before the console reads or writes it: a mistyped name must be an
 * error naming the topics that do exist, not a producer blocked on metadata or a new empty topic
 * on a broker that creates topics on first use.
 */
final class ExistingTopic {
  private ExistingTopic() {}

  static void require(Properties clientSettings, String topic) throws InterruptedException {
    String bootstrap = clientSettings.getProperty("bootstrap.servers");
    Set<String> names;
    try (Admin admin = Admin.create(clientSettings)) {
      names = new TreeSet<>(admin.listTopics().names().get(20, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot list the topics at " + bootstrap + " (is Kafka running there?): "
          + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }
    if (!names.contains(topic)) {
      throw new IllegalArgumentException("topic '" + topic + "' does not exist at " + bootstrap + "; topics there: "
          + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
  }
}
