package org.lmrec.stream;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.lmrec.serving.HnswItemIndex;
import org.lmrec.serving.TopKSearch;

/**
 * Every setting of the streaming job, typed, with its default and a one-line description. Read
 * from a Flink {@link org.apache.flink.configuration.Configuration} (a YAML file or -Dkey=value).
 */
public final class StreamingOptions {
  private StreamingOptions() {}

  // --- Kafka -------------------------------------------------------------------------------
  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      key("lmrec.kafka.bootstrap-servers").stringType().defaultValue("127.0.0.1:9092")
          .withDescription("Kafka bootstrap servers.");
  /**
   * Not an option but a prefix: every {@code lmrec.kafka.properties.<kafka setting>} goes, prefix
   * removed, to every Kafka source and sink (TLS, SASL, ...); settings the job owns are refused.
   * See docs/kafka-security.md.
   */
  public static final String KAFKA_PROPERTIES_PREFIX = org.lmrec.flink.kafka.KafkaClientProperties.CONFIG_PREFIX;
  public static final ConfigOption<String> INTERACTIONS_TOPIC =
      key("lmrec.topic.interactions").stringType().defaultValue("lmrec.interactions")
          .withDescription("Input topic of Avro InteractionEvent records.");
  public static final ConfigOption<String> MODEL_UPDATES_TOPIC =
      key("lmrec.topic.model-updates").stringType().defaultValue("lmrec.model-updates")
          .withDescription("Topic of Avro ModelUpdate announcements (a compacted topic).");
  public static final ConfigOption<String> RECOMMENDATIONS_TOPIC =
      key("lmrec.topic.recommendations").stringType().defaultValue("lmrec.recommendations")
          .withDescription("Output topic of Avro Recommendation records, keyed by the triggering event id.");
  public static final ConfigOption<String> EXPERIMENTS_TOPIC =
      key("lmrec.topic.experiments").stringType().noDefaultValue()
          .withDescription("Compacted topic of A/B experiment definitions (key = experiment id, value = JSON, null = remove); unset = none.");
  public static final ConfigOption<String> EXPERIMENTS_FILE =
      key("lmrec.experiments.file").stringType().noDefaultValue()
          .withDescription("A JSON file of experiment definitions (one object or an array) loaded at start; used when no experiments topic is set.");
  public static final ConfigOption<String> EXPOSURES_TOPIC =
      key("lmrec.topic.exposures").stringType().noDefaultValue()
          .withDescription("Where the recommendations served inside an experiment are also written, as exposure records; unset = not written.");
  public static final ConfigOption<String> EXPERIMENT_RESULTS_TOPIC =
      key("lmrec.topic.experiment-results").stringType().noDefaultValue()
          .withDescription("Where each look at a running experiment goes, as Avro ExperimentResult records keyed by experiment id; unset = not written.");
  public static final ConfigOption<String> DEAD_LETTERS_TOPIC =
      key("lmrec.topic.dead-letters").stringType().defaultValue("lmrec.dead-letters")
          .withDescription("Topic of Avro DeadLetter records: every input the job could not accept, with the reason.");
  public static final ConfigOption<String> CONSUMER_GROUP =
      key("lmrec.kafka.group-id").stringType().defaultValue("lmrec-streaming")
          .withDescription("Consumer group of the interaction source (offsets are committed on checkpoints).");
  public static final ConfigOption<DeliveryMode> DELIVERY =
      key("lmrec.sink.delivery").enumType(DeliveryMode.class).defaultValue(DeliveryMode.AT_LEAST_ONCE)
          .withDescription("AT_LEAST_ONCE: records appear at once, duplicates after a failure share the triggering "
              + "event id as key. EXACTLY_ONCE: Kafka transactions, records visible to read_committed consumers "
              + "only when the checkpoint completes (latency = checkpoint interval).");
  public static final ConfigOption<String> JOB_NAME =
      key("lmrec.job.name").stringType().defaultValue("lmrec-streaming")
          .withDescription("Name of the deployment: the Flink job's name and the default transactional-id prefix. "
              + "Two deployments on one Kafka cluster need two names.");
  public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
      key("lmrec.sink.transactional-id-prefix").stringType().noDefaultValue()
          .withDescription("Prefix of Kafka transactional ids (EXACTLY_ONCE only); default: lmrec.job.name. Each sink "
              + "adds its own suffix. Must be unique per deployment: a second job with the same prefix fences the first's transactions.");

  /** The configured transactional-id prefix, else the job name. */
  public static String transactionalIdPrefix(org.apache.flink.configuration.Configuration o) {
    return o.getOptional(TRANSACTIONAL_ID_PREFIX).orElse(o.get(JOB_NAME));
  }

  // --- Validation and event time -----------------------------------------------------------
  public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES =
      key("lmrec.input.max-payload-bytes").intType().defaultValue(64 * 1024)
          .withDescription("Larger interaction records are dead-lettered (their first bytes kept).");
  public static final ConfigOption<Boolean> ACCEPT_PLAIN_BINARY =
      key("lmrec.wire.accept-plain-binary").booleanType().defaultValue(false)
          .withDescription("Also accept interaction records in plain Avro binary without the single-object header, read as the "
              + "current InteractionEvent schema: only while producers older than the header are migrated. Such records "
              + "carry no schema fingerprint, so a record of another type that happens to decode is accepted too.");
  public static final ConfigOption<Integer> MAX_ID_LENGTH =
      key("lmrec.input.max-id-length").intType().defaultValue(256)
          .withDescription("Longest accepted user, item or event id, in characters.");
  public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
      key("lmrec.input.max-future-skew").durationType().defaultValue(Duration.ofHours(1))
          .withDescription("Events whose time is further ahead of the job's clock are dead-lettered.");
  public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
      key("lmrec.event-time.out-of-orderness").durationType().defaultValue(Duration.ofSeconds(5))
          .withDescription("Bound of the watermark behind the largest event time seen (per Kafka partition).");
  public static final ConfigOption<Duration> ALLOWED_LATENESS =
      key("lmrec.event-time.allowed-lateness").durationType().defaultValue(Duration.ofMinutes(10))
          .withDescription("Events older than the watermark by more are dead-lettered; younger ones are inserted in order.");
  public static final ConfigOption<Duration> SOURCE_IDLENESS =
      key("lmrec.event-time.idleness").durationType().defaultValue(Duration.ofSeconds(30))
          .withDescription("A partition without records for this long stops holding the watermark back.");

  // --- State and scoring -------------------------------------------------------------------
  public static final ConfigOption<Integer> SEQUENCE_LENGTH =
      key("lmrec.state.sequence-length").intType().defaultValue(50)
          .withDescription("Interactions kept per user (a ring buffer); older ones fall out.");
  public static final ConfigOption<Duration> STATE_TTL =
      key("lmrec.state.ttl").durationType().defaultValue(Duration.ofDays(30))
          .withDescription("A user's state is dropped after this long without an interaction (0 = keep forever).");
  public static final ConfigOption<Duration> DEDUP_HORIZON =
      key("lmrec.state.dedup-horizon").durationType().defaultValue(Duration.ofDays(7))
          .withDescription("How long after an event left a user's window its id is still recognised as a redelivery "
              + "(processing time; 0 = only ids in the window). At least the interaction topic's retention, the longest "
              + "a source can replay. Costs one state lookup per event and one entry per event that leaves the window.");
  public static final ConfigOption<List<String>> SCORED_EVENT_TYPES =
      key("lmrec.scoring.event-types").stringType().asList().defaultValues("ALL")
          .withDescription("Event types that trigger a recommendation (e.g. CLICK;PURCHASE), or ALL.");
  public static final ConfigOption<Integer> TOP_K =
      key("lmrec.scoring.top-k").intType().defaultValue(10)
          .withDescription("Items per recommendation, over the full catalogue, already-seen items excluded.");
  public static final ConfigOption<TopKSearch.Method> TOP_K_SEARCH =
      key("lmrec.scoring.top-k-search").enumType(TopKSearch.Method.class).defaultValue(TopKSearch.Method.EXACT)
          .withDescription("EXACT: every item scored, the whole micro-batch in one product. HNSW: approximate, on a Lucene HNSW "
              + "graph built when each model loads (minutes and hundreds of MB at 1M items, within lmrec.models.load-timeout); "
              + "pays off near a million items, see docs/benchmarks.md.");
  public static final ConfigOption<Integer> HNSW_M =
      key("lmrec.scoring.hnsw.m").intType().defaultValue(HnswItemIndex.Params.DEFAULT_MAX_CONN)
          .withDescription("HNSW graph: neighbours per node (M); more gives better recall, more memory and a slower build.");
  public static final ConfigOption<Integer> HNSW_BEAM_WIDTH =
      key("lmrec.scoring.hnsw.beam-width").intType().defaultValue(HnswItemIndex.Params.DEFAULT_BEAM_WIDTH)
          .withDescription("HNSW graph: candidates considered while linking a node (efConstruction).");
  public static final ConfigOption<Integer> HNSW_EF_SEARCH =
      key("lmrec.scoring.hnsw.ef-search").intType().defaultValue(HnswItemIndex.Params.DEFAULT_EF_SEARCH)
          .withDescription("HNSW search: candidates kept per query (at least top-k); the recall/latency knob.");
  public static final ConfigOption<Integer> BATCH_SIZE =
      key("lmrec.scoring.batch-size").intType().defaultValue(64)
          .withDescription("Requests scored together in one catalogue product: a micro-batch is scored when the requests for one model (in an experiment, one arm's) reach it.");
  public static final ConfigOption<Duration> BATCH_DELAY =
      key("lmrec.scoring.max-batch-delay").durationType().defaultValue(Duration.ofMillis(5))
          .withDescription("Longest a request waits for its micro-batch to fill.");
  public static final ConfigOption<String> INITIAL_MODEL =
      key("lmrec.model.initial").stringType().noDefaultValue()
          .withDescription("Artifact directory the job serves until a model update arrives: a path, file:// or s3://BUCKET/... URI.");
  public static final ConfigOption<java.util.List<String>> ARTIFACT_ROOTS =
      key("lmrec.models.artifact-roots").stringType().asList().noDefaultValue()
          .withDescription("Directories announced artifacts may be loaded from (real paths, symbolic links followed; "
              + "or object-store prefixes such as s3://BUCKET/PREFIX, matched by scheme, bucket and whole path segments; "
              + "the registry's refused/ folder never). Default: the folder holding lmrec.model.initial, else none, "
              + "and then every announcement is refused.");
  public static final ConfigOption<Integer> MAX_EXTRA_MODELS =
      key("lmrec.models.max-extra-models").intType().defaultValue(4)
          .withDescription("Models the scorer keeps besides the default line's (other lines, arms pinned to a version); "
              + "each holds a full item table in every scorer. A pointer beyond the cap is refused.");
  public static final ConfigOption<java.util.List<String>> TRUSTED_KEYS =
      key("lmrec.models.trusted-keys").stringType().asList().noDefaultValue()
          .withDescription("Ed25519 public keys (ID.pub files, PEM or DER X.509) or folders of them that may sign model announcements; "
              + "a key's id is its file name without .pub. Several keys at once allow a rotation (docs/model-signing.md).");
  public static final ConfigOption<Boolean> REQUIRE_SIGNATURE =
      key("lmrec.models.require-signature").booleanType().defaultValue(true)
          .withDescription("Refuse model announcements that are unsigned or signed by a key not in lmrec.models.trusted-keys "
              + "(a bad signature and an unsigned rollback are refused either way). While true, the job does not start without trusted keys.");
  public static final ConfigOption<org.apache.flink.configuration.MemorySize> MAX_ARTIFACT_BYTES =
      key("lmrec.models.max-artifact-bytes").memoryType().defaultValue(org.apache.flink.configuration.MemorySize.parse("2gb"))
          .withDescription("Largest artifact (all its files) the scorer loads; a larger one is refused before any file is read.");
  public static final ConfigOption<Duration> MODEL_LOAD_TIMEOUT =
      key("lmrec.models.load-timeout").durationType().defaultValue(org.lmrec.stream.scoring.ModelLoading.DEFAULT_TIMEOUT)
          .withDescription("Longest an announced model may take to load (in the background, the old model serving meanwhile); "
              + "a load still running then is refused.");
  public static final ConfigOption<Integer> MAX_LOADING_THREADS =
      key("lmrec.models.max-loading-threads").intType().defaultValue(org.lmrec.stream.scoring.ModelLoading.DEFAULT_MAX_THREADS)
          .withDescription("Model loader threads that may exist at once, those stuck in a read that never ends (a FIFO, a stalled "
              + "mount) included; an announcement beyond the cap is refused.");

  // --- Experiments: outcomes and statistics --------------------------------------------------
  public static final ConfigOption<Integer> OUTCOME_HORIZON_EVENTS =
      key("lmrec.experiments.horizon.events").intType().defaultValue(5)
          .withDescription("An exposure's outcome counts the user's next this many interactions ...");
  public static final ConfigOption<Duration> OUTCOME_HORIZON_TIME =
      key("lmrec.experiments.horizon.time").durationType().defaultValue(Duration.ofMinutes(30))
          .withDescription("... within this much event time after the triggering interaction; it closes at whichever comes first.");
  public static final ConfigOption<Integer> OUTCOME_CACHE_USERS =
      key("lmrec.experiments.outcome-cache-users").intType().defaultValue(10_000)
          .withDescription("Users in an experiment whose outcome-join state each scorer subtask keeps on the heap between checkpoints "
              + "(least recently used out first; written to RocksDB on the way out and at every checkpoint). Up to about 8 KiB each "
              + "at the default horizon: 10,000 users, up to about 80 MiB per subtask. Size it to the users active within a "
              + "checkpoint interval; a user not in it costs what every user cost before the cache (a RocksDB read and write per event).");
  public static final ConfigOption<Duration> LOOK_INTERVAL =
      key("lmrec.experiments.look-interval").durationType().defaultValue(Duration.ofMinutes(1))
          .withDescription("Event time between looks at an experiment (each look: per-arm statistics, SRM check, always-valid tests, a result record).");
  public static final ConfigOption<Duration> EXPERIMENT_STATISTICS_RETENTION =
      key("lmrec.experiments.statistics-retention").durationType().defaultValue(Duration.ofDays(30))
          .withDescription("An experiment's statistics state is dropped after this long (processing time) without an outcome "
              + "(0 = kept forever). Later outcomes of it start a fresh tally.");
  public static final ConfigOption<Integer> MAX_EXPERIMENTS =
      key("lmrec.experiments.max-experiments").intType().defaultValue(256)
          .withDescription("Experiments known at once (defined and not removed by a tombstone); a new one beyond is refused "
              + "to the dead-letter topic. Definitions live on every subtask's heap.");
  public static final ConfigOption<Integer> MAX_EXPERIMENT_DEFINITION_CHARS =
      key("lmrec.experiments.max-definition-chars").intType().defaultValue(64 * 1024)
          .withDescription("Characters of one experiment definition's JSON; a longer one is refused to the dead-letter topic.");
  public static final ConfigOption<Double> ALPHA =
      key("lmrec.experiments.alpha").doubleType().defaultValue(0.05)
          .withDescription("Significance level of the always-valid comparisons (safe to check at every look).");
  public static final ConfigOption<Double> TAU =
      key("lmrec.experiments.tau").doubleType().defaultValue(0.05)
          .withDescription("Mixture scale of the sequential test: the size of effect it is most powerful for (0.05 suits hit rates).");
  public static final ConfigOption<String> EXPERIMENT_REPORT_DIR =
      key("lmrec.experiments.report-dir").stringType().noDefaultValue()
          .withDescription("Directory (on the task managers) where each look rewrites <experiment>.json and <experiment>.png; unset = not written.");

  // --- User summaries (LLM-TRSR, issue 19 item 3; docs/streaming.md "User summaries") ---------
  public static final ConfigOption<Boolean> SUMMARIES_ENABLED =
      key("lmrec.summaries.enabled").booleanType().defaultValue(false)
          .withDescription("Keep each user's preference summary fresh (recurrent strategy over blocks of items) and write it to "
              + "lmrec.summaries.topic. Needs a summary catalogue (lmrec train attaches one when the data has item texts).");
  public static final ConfigOption<String> SUMMARIES_STRATEGY =
      key("lmrec.summaries.strategy").stringType().defaultValue("recurrent")
          .withDescription("Only 'recurrent': summary_n from summary_(n-1) and block n, what a stream can keep up to date; "
              + "'hierarchical' is refused at start (it re-summarises every block).");
  public static final ConfigOption<Integer> SUMMARIES_BLOCK_SIZE =
      key("lmrec.summaries.block-size").intType().defaultValue(5)
          .withDescription("Items per block; a refresh is asked for each time a user completes one.");
  public static final ConfigOption<Integer> SUMMARIES_MAX_BLOCKS =
      key("lmrec.summaries.max-blocks").intType().defaultValue(5)
          .withDescription("The summary covers the user's newest this many complete blocks, as the offline summary does.");
  public static final ConfigOption<String> SUMMARIES_BACKEND =
      key("lmrec.summaries.backend").stringType().defaultValue("extractive")
          .withDescription("'extractive': in the operator, no generative model (dominant attributes, central titles). "
              + "'endpoint': an OpenAI-compatible chat-completions endpoint through Flink Async I/O. "
              + "'gguf': a GGUF checkpoint run in-process by llama.cpp through Flink Async I/O (needs the lmrec-summary-gguf jar on the classpath).");
  public static final ConfigOption<String> SUMMARIES_CATALOGUE =
      key("lmrec.summaries.catalogue").stringType().noDefaultValue()
          .withDescription("Local artifact directory whose summary catalogue gives item titles, attributes and embeddings; "
              + "default: lmrec.model.initial. Read once at start; refused (summaries off, the job runs on) when absent, altered or too large.");
  public static final ConfigOption<org.apache.flink.configuration.MemorySize> SUMMARIES_MAX_CATALOGUE_BYTES =
      key("lmrec.summaries.max-catalogue-bytes").memoryType().defaultValue(org.apache.flink.configuration.MemorySize.parse("512mb"))
          .withDescription("Largest catalogue (both files) a summary operator loads; each of its subtasks holds one in memory.");
  public static final ConfigOption<Integer> SUMMARIES_TOKEN_BUDGET =
      key("lmrec.summaries.token-budget").intType().defaultValue(64)
          .withDescription("Extractive backend: words in a summary.");
  public static final ConfigOption<List<String>> SUMMARIES_FACETS =
      key("lmrec.summaries.facets").stringType().asList().defaultValues("categories", "brand")
          .withDescription("Extractive backend: the item attributes whose dominant values a summary names (the project's "
              + "loaders call the category path 'categories').");
  public static final ConfigOption<String> SUMMARIES_ENDPOINT_URL =
      key("lmrec.summaries.endpoint.url").stringType().noDefaultValue()
          .withDescription("Endpoint backend: base URL, e.g. http://127.0.0.1:8000/v1 (requests go to URL/chat/completions).");
  public static final ConfigOption<String> SUMMARIES_ENDPOINT_MODEL =
      key("lmrec.summaries.endpoint.model").stringType().defaultValue("default")
          .withDescription("Endpoint backend: the served model's name.");
  public static final ConfigOption<String> SUMMARIES_ENDPOINT_API_KEY =
      key("lmrec.summaries.endpoint.api-key").stringType().defaultValue("")
          .withDescription("Endpoint backend: sent as a bearer token when not empty.");
  public static final ConfigOption<Duration> SUMMARIES_ENDPOINT_CALL_TIMEOUT =
      key("lmrec.summaries.endpoint.call-timeout").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("Endpoint backend: one HTTP attempt, connection and answer together.");
  public static final ConfigOption<Integer> SUMMARIES_ENDPOINT_RETRIES =
      key("lmrec.summaries.endpoint.retries").intType().defaultValue(1)
          .withDescription("Endpoint backend: further attempts after a timeout, refused connection, 429 or 5xx.");
  public static final ConfigOption<Integer> SUMMARIES_ENDPOINT_MAX_CONCURRENT =
      key("lmrec.summaries.endpoint.max-concurrent").intType().defaultValue(4)
          .withDescription("Endpoint backend: HTTP requests in flight at once, per subtask.");
  public static final ConfigOption<Integer> SUMMARIES_ENDPOINT_MAX_TOKENS =
      key("lmrec.summaries.endpoint.max-tokens").intType().defaultValue(128)
          .withDescription("Endpoint backend: the answer's token budget.");
  public static final ConfigOption<String> SUMMARIES_GGUF_MODEL =
      key("lmrec.summaries.gguf.model").stringType().noDefaultValue()
          .withDescription("GGUF backend: the checkpoint file, a local path present on every TaskManager (checked, never downloaded).");
  public static final ConfigOption<Integer> SUMMARIES_GGUF_CONTEXT_TOKENS =
      key("lmrec.summaries.gguf.context-tokens").intType().defaultValue(2048)
          .withDescription("GGUF backend: context window (prompt and answer); at most the checkpoint's own.");
  public static final ConfigOption<Integer> SUMMARIES_GGUF_THREADS =
      key("lmrec.summaries.gguf.threads").intType().defaultValue(2)
          .withDescription("GGUF backend: CPU threads of one generation. One generation runs at a time per TaskManager JVM, "
              + "which holds one copy of the checkpoint for all its subtasks.");
  public static final ConfigOption<Integer> SUMMARIES_GGUF_MAX_TOKENS =
      key("lmrec.summaries.gguf.max-tokens").intType().defaultValue(128)
          .withDescription("GGUF backend: the answer's token budget.");
  public static final ConfigOption<Duration> SUMMARIES_GGUF_CALL_TIMEOUT =
      key("lmrec.summaries.gguf.call-timeout").durationType().defaultValue(Duration.ofSeconds(60))
          .withDescription("GGUF backend: one answer's wall-time limit; past it the generation is cancelled and the refresh fails (counted).");
  public static final ConfigOption<Duration> SUMMARIES_TIMEOUT =
      key("lmrec.summaries.timeout").durationType().defaultValue(Duration.ofSeconds(60))
          .withDescription("Endpoint and GGUF backends: Async I/O timeout of one refresh (up to max-blocks calls); then it counts as failed "
              + "and the old summary keeps serving.");
  public static final ConfigOption<Integer> SUMMARIES_CAPACITY =
      key("lmrec.summaries.capacity").intType().defaultValue(100)
          .withDescription("Endpoint and GGUF backends: refreshes in flight per subtask (Async I/O capacity); beyond it the summary "
              + "branch back-pressures, the recommendations do not wait for it.");
  public static final ConfigOption<String> SUMMARIES_TOPIC =
      key("lmrec.summaries.topic").stringType().defaultValue("lmrec.summaries")
          .withDescription("Where refreshed summaries go, as Avro UserSummaryUpdate records keyed by user id (with lmrec.summaries.enabled).");

  // --- LLM-TRSR re-rank (off by default) -----------------------------------------------------
  public static final ConfigOption<Integer> RERANK_TOP_N =
      key("lmrec.rerank.top-n").intType().defaultValue(0)
          .withDescription("Re-rank the SRS's top N with the served model's LLM-TRSR yes/no ranker (ONNX Runtime) before the top-k is "
              + "emitted; 0 = off (no LM is loaded). At least lmrec.scoring.top-k when on.");
  public static final ConfigOption<Duration> RERANK_BUDGET =
      key("lmrec.rerank.budget").durationType().defaultValue(Duration.ofSeconds(2))
          .withDescription("Re-rank time a micro-batch may spend; a request whose re-rank would end (by the measured time per "
              + "candidate) or ended past it is served in the SRS order and counted in lmrecRerankOverBudget.");
  public static final ConfigOption<Integer> RERANK_THREADS =
      key("lmrec.rerank.threads").intType().defaultValue(1)
          .withDescription("ONNX Runtime intra-op threads of each scorer subtask's ranker.");
  public static final ConfigOption<Integer> RERANK_BATCH =
      key("lmrec.rerank.prompt-batch").intType().defaultValue(32)
          .withDescription("Prompts per ONNX Runtime call (one request's N candidates are scored together, in batches of this size).");
  public static final ConfigOption<String> RERANK_LM =
      key("lmrec.rerank.lm").stringType().noDefaultValue()
          .withDescription("Base LM folder (one fp32 .onnx and tokenizer.json) the ranker was tuned on; unset = all-MiniLM-L6-v2 from "
              + "the classpath. A ranker tuned on another base (SHA-256) leaves its model un-reranked.");

  // --- Archive, checkpoints, parallelism ----------------------------------------------------
  public static final ConfigOption<String> ARCHIVE_PATH =
      key("lmrec.archive.path").stringType().noDefaultValue()
          .withDescription("Base URI of the interaction archive (Avro files under date=YYYY-MM-DD/); unset = no archive.");
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      key("lmrec.checkpoint.interval").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("Checkpoint interval; also when archive files and exactly-once output become visible.");
  public static final ConfigOption<String> CHECKPOINT_DIR =
      key("lmrec.checkpoint.dir").stringType().defaultValue("file:///tmp/lmrec-checkpoints")
          .withDescription("Where RocksDB's incremental checkpoints go.");
  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      key("lmrec.network.buffer-timeout").durationType().defaultValue(Duration.ofMillis(5))
          .withDescription("Longest a record waits in a network buffer between operators (Flink's default, 100 ms, "
              + "dominates latency at low rates; lower = less latency, slightly less throughput).");
  public static final ConfigOption<Integer> PARALLELISM =
      key("lmrec.parallelism").intType().defaultValue(2)
          .withDescription("Parallelism of the keyed state and scoring operators.");
}
