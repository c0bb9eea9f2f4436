package org.lmrec.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.lmrec.schema.ReleasedSchemas;

/** Real Avro bytes as other producers write them: headerless (before the header) or of an older version. */
public final class WireBytes {
  private WireBytes() {}

  /** Plain Avro binary of the current schema, without the single-object header. */
  public static byte[] plain(SpecificRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code record} single-object encoded with released version {@code number} of its schema. */
  public static byte[] asVersion(SpecificRecord record, int number) {
    Schema old = ReleasedSchemas.get().versionsOf(record.getSchema().getName()).get(number - 1).schema();
    try {
      GenericRecord asOld = new GenericDatumReader<GenericRecord>(record.getSchema(), old)
          .read(null, DecoderFactory.get().binaryDecoder(plain(record), null));
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(asOld).array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
