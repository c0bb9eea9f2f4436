package org.lmrec.bench.faults;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.lmrec.schema.AvroCodec;
import org.lmrec.schema.UserSequenceState;
import org.lmrec.stream.job.StreamingJob;
import org.lmrec.stream.state.SequenceStateFunction;

/** Reads every user's sequence out of a savepoint with Flink's State Processor API, on a local MiniCluster. */
public final class SavepointStates {
  private SavepointStates() {}

  /** @param ttl the job's {@code lmrec.state.ttl}: TTL state is only readable through a descriptor with the same setting */
  public static Map<String, UserSequenceState> userSequences(String savepointPath, Duration ttl) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("rest.bind-port", "0");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    // Savepoints are in the canonical format: any backend reads them; the heap one needs no natives.
    SavepointReader reader = SavepointReader.read(env, savepointPath, new HashMapStateBackend());
    DataStream<Tuple2<String, byte[]>> states = reader.readKeyedState(
        OperatorIdentifier.forUid(StreamingJob.Uids.USER_SEQUENCES), new Reader(ttl), Types.STRING,
        Types.TUPLE(Types.STRING, TypeInformation.of(byte[].class)));
    AvroCodec<UserSequenceState> codec = AvroCodec.of(UserSequenceState.class);
    Map<String, UserSequenceState> out = new HashMap<>();
    try (CloseableIterator<Tuple2<String, byte[]>> it = states.executeAndCollect("read user sequences")) {
      while (it.hasNext()) {
        Tuple2<String, byte[]> t = it.next();
        out.put(t.f0, codec.decode(t.f1));
      }
    }
    return out;
  }

  /** Emits each user's window as Avro bytes: a plain tuple crosses the collect sink without a serializer for the Avro class. */
  static final class Reader extends KeyedStateReaderFunction<String, Tuple2<String, byte[]>> {
    private static final long serialVersionUID = 1L;
    private final Duration ttl;
    private transient ValueState<UserSequenceState> state;
    private transient AvroCodec<UserSequenceState> codec;

    Reader(Duration ttl) {
      this.ttl = ttl;
    }

    @Override
    public void open(OpenContext context) {
      state = getRuntimeContext().getState(SequenceStateFunction.descriptor(ttl));
      codec = AvroCodec.of(UserSequenceState.class);
    }

    @Override
    public void readKey(String key, Context ctx, Collector<Tuple2<String, byte[]>> out) throws Exception {
      UserSequenceState s = state.value();
      if (s != null) out.collect(Tuple2.of(key, codec.encode(s)));
    }
  }
}
