package org.lmrec.stream.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.ConfigOption;
import org.lmrec.schema.DeadLetter;
import org.lmrec.schema.ExperimentResult;
import org.lmrec.schema.InteractionEvent;
import org.lmrec.schema.ModelUpdate;
import org.lmrec.schema.Recommendation;
import org.lmrec.schema.UserSummaryUpdate;
import org.lmrec.stream.StreamingOptions;

/**
 * What a topic carries, as the streaming job's settings define it ({@link StreamingOptions}); the
 * console infers it from the job's default topic names, or takes it from {@code --type}.
 */
public enum TopicKind {
  INTERACTIONS(InteractionEvent.class, StreamingOptions.INTERACTIONS_TOPIC),
  MODEL_UPDATES(ModelUpdate.class, StreamingOptions.MODEL_UPDATES_TOPIC),
  RECOMMENDATIONS(Recommendation.class, StreamingOptions.RECOMMENDATIONS_TOPIC),
  EXPOSURES(Recommendation.class, StreamingOptions.EXPOSURES_TOPIC),
  DEAD_LETTERS(DeadLetter.class, StreamingOptions.DEAD_LETTERS_TOPIC),
  EXPERIMENT_RESULTS(ExperimentResult.class, StreamingOptions.EXPERIMENT_RESULTS_TOPIC),
  SUMMARIES(UserSummaryUpdate.class, StreamingOptions.SUMMARIES_TOPIC),
  /** Experiment definitions: JSON values, not Avro. */
  EXPERIMENTS(null, StreamingOptions.EXPERIMENTS_TOPIC),
  /** Unknown topic: each record is decoded as whatever lmrec record its schema fingerprint names. */
  ANY(null, null);

  private final Class<? extends SpecificRecord> recordType;
  private final ConfigOption<String> setting;

  TopicKind(Class<? extends SpecificRecord> recordType, ConfigOption<String> setting) {
    this.recordType = recordType;
    this.setting = setting;
  }

  /** The Avro record the topic carries; empty for {@link #EXPERIMENTS} and {@link #ANY}. */
  public Optional<Class<? extends SpecificRecord>> recordType() {
    return Optional.ofNullable(recordType);
  }

  /** The job's setting that names the topic, e.g. {@code lmrec.topic.interactions}. */
  public String settingKey() {
    return setting == null ? "(none)" : setting.key();
  }

  /** The name {@code --type} takes, e.g. {@code dead-letters}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The kind whose default topic name (in the job's settings) is {@code topic}; else {@link #ANY}. */
  public static TopicKind ofDefaultName(String topic) {
    for (TopicKind k : values()) {
      if (k.setting != null && k.setting.hasDefaultValue() && k.setting.defaultValue().equals(topic)) return k;
    }
    return ANY;
  }

  /** Parses a {@code --type} value; the error lists the valid ones. */
  public static TopicKind parse(String label) {
    String normalized = label == null ? "" : label.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (TopicKind k : values()) {
      if (k.name().equals(normalized)) return k;
    }
    throw new IllegalArgumentException("unknown topic type '" + label + "'; one of " + labels());
  }

  public static String labels() {
    return Arrays.stream(values()).map(TopicKind::label).collect(Collectors.joining(", "));
  }
}
