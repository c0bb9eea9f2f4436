package org.lmrec.flink.archive;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.AvroWriters;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.lmrec.schema.InteractionEvent;

/**
 * The archive of accepted interactions that the retraining and replay jobs read: Avro container
 * files (schema embedded) under {@code <base>/date=YYYY-MM-DD/}. Bulk files are finished on each
 * checkpoint, so a file is visible, complete and never rewritten once the checkpoint is done;
 * in-progress files start with a dot and readers skip them.
 */
public final class InteractionArchive {
  private InteractionArchive() {}

  public static FileSink<InteractionEvent> sink(String baseUri) {
    return FileSink.forBulkFormat(new Path(baseUri), AvroWriters.forSpecificRecord(InteractionEvent.class))
        .withBucketAssigner(new EventDateBucketAssigner())
        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("interactions").withPartSuffix(".avro").build())
        .build();
  }
}
