package org.lmrec.flink.archive;

import java.util.function.Function;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.formats.avro.AbstractAvroBulkFormat;
import org.lmrec.flink.interaction.Interaction;
import org.lmrec.schema.InteractionEvent;

/**
 * Reads the interaction archive's Avro container files for a {@code FileSource}. Each file carries
 * its writer schema; reading with the current {@link InteractionEvent} schema resolves older files
 * too (every later field has a default). Flink's reader decodes into one reused generic record, so
 * each one is copied into an {@link Interaction} (the jobs' one in-flight representation, see
 * {@link Interaction#archived}) before it leaves the reader. The files themselves hold
 * {@link InteractionEvent}s, as {@link InteractionArchive} writes them; their format does not
 * depend on this class.
 */
public final class InteractionArchiveFormat extends AbstractAvroBulkFormat<GenericRecord, Interaction, FileSourceSplit> {
  private static final long serialVersionUID = 1L;

  public InteractionArchiveFormat() {
    super(InteractionEvent.getClassSchema());
  }

  @Override
  protected GenericRecord createReusedAvroRecord() {
    return new GenericData.Record(readerSchema);
  }

  @Override
  protected Function<GenericRecord, Interaction> createConverter() {
    return Interaction::of; // Interaction.of(GenericRecord)
  }

  @Override
  public TypeInformation<Interaction> getProducedType() {
    return TypeInformation.of(Interaction.class);
  }
}
