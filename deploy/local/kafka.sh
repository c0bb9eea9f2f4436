#!/usr/bin/env bash
# Runs a real Apache Kafka 4.2.0 broker (single node, KRaft, broker+controller in one process) as a
# local background process, from jars resolved from Maven Central; no Kafka download or Docker.
# Usage: deploy/local/kafka.sh help. Details: deploy/local/README.md.
set -euo pipefail
# Without this, a failure inside $(...) would not stop the function running in it.
shopt -s inherit_errexit

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly POM="$SCRIPT_DIR/kafka/pom.xml"
readonly BROKER_LOG4J="$SCRIPT_DIR/kafka/log4j2-broker.xml"
readonly TOOLS_LOG4J="$SCRIPT_DIR/kafka/log4j2-tools.xml"
readonly DEFAULT_DIR="$REPO_ROOT/runs/local/kafka"
readonly DEFAULT_PORT=9092
readonly READY_TIMEOUT_S="${LMREC_KAFKA_READY_TIMEOUT_S:-60}"
readonly STOP_TIMEOUT_S="${LMREC_KAFKA_STOP_TIMEOUT_S:-20}"
readonly BROKER_HEAP_OPTS="${LMREC_KAFKA_HEAP_OPTS:--Xms512m -Xmx1g}"
readonly JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
readonly TOPIC_NAME_RE='^[a-zA-Z0-9._-]{1,249}$'

usage() {
  cat <<EOF
Usage: deploy/local/kafka.sh COMMAND [ARGS] [--dir DIR]

Runs a single-node Kafka 4.2.0 broker (KRaft) on 127.0.0.1. All state (classpath cache, config,
data, logs, PID file) lives in DIR, default $DEFAULT_DIR.

Commands:
  start [--port PORT] [--controller-port PORT]
                     start the broker in the background and wait until it answers a metadata
                     request (default port $DEFAULT_PORT, controller port = PORT+1); exits 0 if a
                     broker from DIR is already running
  stop               SIGTERM, wait up to ${STOP_TIMEOUT_S}s, then SIGKILL; exits 0 if not running
  status             print whether a broker from DIR runs (exit 0) or not (exit 3)
  topics create NAME PARTITIONS [--compact]
                     create a topic (replication factor 1); an existing topic with the same
                     partition count and cleanup policy is accepted, a different one is an error
  topics ensure NAME:PARTITIONS[:compact] ...
                     every topic as asked: one describe for all, a create for each missing
                     one; an existing topic that differs is an error (as with create)
  topics list        list topic names
  topics describe [NAME]
                     partitions, leaders and configs
  topics delete NAME delete a topic and its records
  produce TOPIC [-- TOOL-ARGS...]
                     send stdin lines as records (org.apache.kafka.tools.ConsoleProducer)
  consume TOPIC [--from-beginning] [--max-messages N] [--timeout-ms MS] [-- TOOL-ARGS...]
                     print records (org.apache.kafka.tools.consumer.ConsoleConsumer)
  perf [--topic T] [--records N] [--record-size BYTES] [--partitions P]
                     Kafka's own producer/consumer throughput (ProducerPerformance with
                     throughput -1 and acks=1, then ConsumerPerformance); default topic
                     lmrec.perf (created with 4 partitions, like lmrec.interactions),
                     1000000 records of 100 bytes
  classpath          print the broker/tools classpath (resolved with ./mvnw, cached in DIR)

Environment: JAVA_HOME, LMREC_KAFKA_HEAP_OPTS (default "-Xms512m -Xmx1g"),
LMREC_KAFKA_READY_TIMEOUT_S (default 60), LMREC_KAFKA_STOP_TIMEOUT_S (default 20).
EOF
}

say() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { printf 'kafka.sh: error: %s\n' "$*" >&2; exit 1; }

now_ms() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    local t="${EPOCHREALTIME/[.,]/}"
    echo "${t:0:${#t}-3}"
  else
    echo "$(($(date +%s) * 1000))"
  fi
}

# Milliseconds since $1 (from now_ms), as seconds with one decimal.
elapsed_s() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' "$((ms / 1000))" "$(((ms % 1000) / 100))"
}

# No leading zeros: bash arithmetic would read them as octal.
is_uint() { [[ "$1" =~ ^(0|[1-9][0-9]*)$ ]]; }

check_port_arg() {
  is_uint "$1" && (($1 >= 1 && $1 <= 65535)) || die "invalid port '$1' (expected 1-65535)"
}

# --- state in DIR --------------------------------------------------------------------------------

# Absolute path of the state directory (created if missing).
state_dir() {
  [[ -n "$1" ]] || die "empty --dir"
  mkdir -p "$1/logs"
  (cd "$1" && pwd)
}

pid_file() { echo "$1/broker.pid"; }
port_file() { echo "$1/broker.port"; }

# True if the process exists and is not a zombie (a killed child stays a zombie until reaped).
is_alive() {
  local stat
  stat="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ -n "$stat" && "$stat" != Z* ]]
}

# Full command line of PID (the broker's classpath makes it long, so never a truncated one).
command_line() {
  if [[ -r "/proc/$1/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$1/cmdline"
  else
    ps -ww -o args= -p "$1" 2>/dev/null
  fi
}

# True if PID is a broker started from DIR; guards against a stale PID file whose PID was reused.
is_our_broker() {
  local pid="$1" dir="$2" args
  is_alive "$pid" || return 1
  args="$(command_line "$pid")" || return 1
  [[ "$args" == *"kafka.Kafka $dir/server.properties"* ]]
}

# Prints the PID of the running broker from DIR, via the PID file, or, if that was lost (e.g. the
# file was deleted), via the unique config path on its command line. Fails if none runs.
running_pid() {
  local dir="$1" pid
  if [[ -f "$(pid_file "$dir")" ]]; then
    pid="$(<"$(pid_file "$dir")")"
    if is_uint "$pid" && is_our_broker "$pid" "$dir"; then
      echo "$pid"
      return 0
    fi
  fi
  # Literal (not regex) match, so odd characters in DIR cannot match other processes; the needle
  # goes through the environment because on awk's own command line it would match awk itself.
  for pid in $(ps -ww -eo pid=,args= | LMREC_NEEDLE="kafka.Kafka $dir/server.properties" \
    awk 'index($0, ENVIRON["LMREC_NEEDLE"]) { print $1 }'); do
    if is_our_broker "$pid" "$dir"; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

running_port() {
  local f
  f="$(port_file "$1")"
  [[ -f "$f" ]] || die "broker from $1 is running but $f is missing; restart it (stop, start)"
  cat "$f"
}

# Bootstrap address of the running broker from DIR, or a clear error.
require_bootstrap() {
  local dir="$1" port
  running_pid "$dir" >/dev/null ||
    die "no broker from $dir is running; start it with: deploy/local/kafka.sh start --dir $dir"
  # Assigned first: a failure inside "...$(...)" of an echo would not stop the script.
  port="$(running_port "$dir")"
  echo "127.0.0.1:$port"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Serialises start/stop on one DIR. The broker must not inherit fd 9 (see launch_broker), or it
# would hold the lock for its whole life.
lock_dir() {
  command -v flock >/dev/null || return 0
  exec 9>"$1/.lock"
  flock -w 120 9 || die "another kafka.sh start/stop on $1 did not finish within 120 s"
}

# --- Java and classpath --------------------------------------------------------------------------

check_java() {
  command -v "$JAVA_BIN" >/dev/null || die "java not found (set JAVA_HOME or put java on PATH)"
  local line major
  line="$("$JAVA_BIN" -version 2>&1 | head -n 1)"
  major="$(sed -E 's/.*version "([0-9]+)(\.[0-9]+)*.*/\1/' <<<"$line")"
  if [[ "$major" == 1 ]]; then major=8; fi
  is_uint "$major" && ((major >= 17)) || die "Kafka 4.2 needs Java 17 or newer; $JAVA_BIN is: $line"
}

# Prints the classpath, resolving it with Maven once and caching it in DIR. The cache is keyed by
# the POM's hash and dropped if any jar vanished (e.g. a cleaned ~/.m2).
classpath() {
  local dir="$1" cache="$1/classpath.txt" keyfile="$1/classpath.key" key jar
  key="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$cache" && -f "$keyfile" && "$(<"$keyfile")" == "$key" ]]; then
    local complete=1 jars
    # The file has no final newline, so read reports EOF (status 1) after filling jars.
    IFS=: read -r -a jars <"$cache" || true
    for jar in "${jars[@]}"; do [[ -f "$jar" ]] || { complete=0; break; }; done
    if ((complete)); then
      cat "$cache"
      return 0
    fi
  fi
  say "resolving the Kafka 4.2.0 classpath with Maven (first run downloads ~40 MB of jars)"
  local out
  if ! out="$(cd "$REPO_ROOT" && ./mvnw -q -B -f "$POM" dependency:build-classpath \
    -Dkafka.classpath.file="$cache.tmp" 2>&1)"; then
    printf '%s\n' "$out" | tail -n 30 >&2
    die "could not resolve the Kafka classpath from $POM (output above)"
  fi
  [[ -s "$cache.tmp" ]] || die "Maven wrote no classpath to $cache.tmp"
  mv "$cache.tmp" "$cache"
  echo "$key" >"$keyfile"
  cat "$cache"
}

# Runs a Kafka tool class on the cached classpath; its logs go to DIR/logs/tools.log.
# Usage: run_tool DIR JVM_OPTS MAIN_CLASS ARGS...
run_tool() {
  local dir="$1" jvm_opts="$2" main="$3" cp
  shift 3
  cp="$(classpath "$dir")"
  # shellcheck disable=SC2086 # jvm_opts is a space-separated option list on purpose
  "$JAVA_BIN" $jvm_opts -Dlog4j2.configurationFile="$TOOLS_LOG4J" \
    -Dlmrec.kafka.tools.log="$dir/logs/tools.log" -cp "$cp" "$main" "$@"
}

# Admin commands (topics, console tools) need little heap; perf gets more for its buffers.
readonly QUICK_JVM="-Xmx256m"
readonly PERF_JVM="-Xmx512m"

# --- start ---------------------------------------------------------------------------------------

write_server_properties() {
  local dir="$1" port="$2" cport="$3"
  cat >"$dir/server.properties" <<EOF
# Written by deploy/local/kafka.sh on every start; edits here are overwritten.
# Single-node KRaft: this one process is both the broker and the only controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT

log.dirs=$dir/data

# One broker, so every replication factor and min ISR is 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
num.partitions=1

# Consumer groups start at once instead of waiting 3 s for more members that never come.
group.initial.rebalance.delay.ms=0
# Fewer internal partitions than the production defaults (50): less to create on a laptop.
offsets.topic.num.partitions=8
transaction.state.log.num.partitions=8
# Lets an exactly-once Flink KafkaSink use transaction timeouts up to 1 h (broker default 15 min).
transaction.max.timeout.ms=3600000
EOF
}

format_storage_if_needed() {
  local dir="$1" id out
  [[ -f "$dir/data/meta.properties" ]] && return 0
  if [[ -s "$dir/cluster.id" ]]; then
    id="$(<"$dir/cluster.id")"
  else
    id="$(run_tool "$dir" "$QUICK_JVM" kafka.tools.StorageTool random-uuid | tail -n 1)"
    [[ "$id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "kafka.tools.StorageTool random-uuid printed '$id'"
    echo "$id" >"$dir/cluster.id"
  fi
  say "formatting $dir/data (cluster id $id)"
  if ! out="$(run_tool "$dir" "$QUICK_JVM" kafka.tools.StorageTool format -t "$id" \
    -c "$dir/server.properties" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "formatting the storage in $dir/data failed (output above)"
  fi
}

# Starts the broker detached (own session: it outlives this script and the terminal) and sets
# STARTING_PID. Not run in $(...): the PID must be known the moment the broker exists, for
# abort_start. Closing fd 9 keeps the start/stop lock from leaking into it.
launch_broker() {
  local dir="$1" cp="$2"
  # shellcheck disable=SC2086 # heap options are a space-separated list on purpose
  setsid "$JAVA_BIN" $BROKER_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true -Dkafka.logs.dir="$dir/logs" \
    -Dlog4j2.configurationFile="$BROKER_LOG4J" \
    -cp "$cp" kafka.Kafka "$dir/server.properties" \
    </dev/null >"$dir/logs/kafka.out" 2>&1 9>&- &
  STARTING_PID=$!
  # Not a job of this script: bash would otherwise report "Terminated" if start has to stop it.
  disown "$STARTING_PID" 2>/dev/null || true
}

print_log_tail() {
  local dir="$1" f
  for f in "$dir/logs/kafka.out" "$dir/logs/server.log"; do
    [[ -s "$f" ]] || continue
    printf -- '--- last lines of %s ---\n' "$f" >&2
    tail -n 25 "$f" >&2
  done
}

# Stops PID: SIGTERM (Kafka shuts down cleanly), then SIGKILL after TIMEOUT seconds.
terminate() {
  local pid="$1" timeout="$2" deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$(($(now_ms) + timeout * 1000))
  while is_alive "$pid" && (($(now_ms) < deadline)); do sleep 0.2; done
  if is_alive "$pid"; then
    say "broker (pid $pid) still running after ${timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$(($(now_ms) + 5000))
    while is_alive "$pid" && (($(now_ms) < deadline)); do sleep 0.1; done
    ! is_alive "$pid" || die "broker (pid $pid) survived SIGKILL"
  fi
}

# Waits until the broker accepts connections on PORT and answers a metadata request. The probe
# (listing topics is a Metadata request; the admin client retries until the broker serves it) is
# started at once, so its JVM start-up (~1.5 s) overlaps the broker's instead of following it.
wait_until_ready() {
  local dir="$1" pid="$2" port="$3" cp cfg deadline accepting=0 status
  cp="$(classpath "$dir")"
  cfg="$dir/probe-admin.properties"
  local timeout_ms=$((READY_TIMEOUT_S * 1000))
  # The admin client rejects a request timeout above its overall API timeout.
  printf 'default.api.timeout.ms=%d\nrequest.timeout.ms=%d\nreconnect.backoff.max.ms=200\n' \
    "$timeout_ms" "$((timeout_ms < 5000 ? timeout_ms : 5000))" >"$cfg"
  deadline=$((SECONDS + READY_TIMEOUT_S))
  # A simple command in the background, so $! is the java process itself.
  # shellcheck disable=SC2086 # QUICK_JVM is a space-separated option list on purpose
  "$JAVA_BIN" $QUICK_JVM -Dlog4j2.configurationFile="$TOOLS_LOG4J" \
    -Dlmrec.kafka.tools.log="$dir/logs/tools.log" -cp "$cp" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$port" --command-config "$cfg" --list \
    </dev/null >"$dir/logs/probe.out" 2>&1 9>&- &
  PROBE_PID=$!
  while :; do
    ((accepting)) || ! port_open "$port" || accepting=1
    if ! is_alive "$PROBE_PID"; then
      status=0
      wait "$PROBE_PID" || status=$?
      PROBE_PID=""
      ((status == 0)) && ((accepting)) && return 0
      if ((status != 0)); then
        tail -n 10 "$dir/logs/probe.out" >&2
        die "the broker did not answer a metadata request on 127.0.0.1:$port within ${READY_TIMEOUT_S}s (probe output above)"
      fi
      # The answer came before this loop saw the port open; one more check settles it.
      port_open "$port" && return 0
      die "metadata answered but 127.0.0.1:$port does not accept connections"
    fi
    is_alive "$pid" || die "the broker exited during startup (see the log below)"
    if ((SECONDS >= deadline)); then
      ((accepting)) || die "the broker did not accept connections on 127.0.0.1:$port within ${READY_TIMEOUT_S}s"
      die "the broker accepts connections on 127.0.0.1:$port but did not answer a metadata request within ${READY_TIMEOUT_S}s"
    fi
    sleep 0.2
  done
}

# EXIT trap while starting: a broker that did not become ready must not outlive the script, nor
# must the readiness probe.
STARTING_PID=""
STARTING_DIR=""
PROBE_PID=""
abort_start() {
  local status=$?
  if [[ -n "$PROBE_PID" ]]; then
    kill -KILL "$PROBE_PID" 2>/dev/null || true
    wait "$PROBE_PID" 2>/dev/null || true
  fi
  if [[ -n "$STARTING_PID" ]]; then
    if ((status >= 128)); then say "start interrupted"; else print_log_tail "$STARTING_DIR"; fi
    say "stopping the broker that did not become ready (pid $STARTING_PID)"
    terminate "$STARTING_PID" 5 || true
    rm -f "$(pid_file "$STARTING_DIR")" "$(port_file "$STARTING_DIR")"
  fi
  exit "$status"
}

cmd_start() {
  local dir="$DEFAULT_DIR" port="$DEFAULT_PORT" port_given=0 cport="" pid
  while (($#)); do
    case "$1" in
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      --port) port="${2:?--port needs a value}"; port_given=1; shift 2 ;;
      --controller-port) cport="${2:?--controller-port needs a value}"; shift 2 ;;
      *) die "start: unknown argument '$1' (see: deploy/local/kafka.sh help)" ;;
    esac
  done
  check_port_arg "$port"
  cport="${cport:-$((port + 1))}"
  check_port_arg "$cport"
  [[ "$cport" != "$port" ]] || die "the controller port must differ from the broker port ($port)"
  dir="$(state_dir "$dir")"
  lock_dir "$dir"

  if pid="$(running_pid "$dir")"; then
    local running
    running="$(running_port "$dir")"
    if ((port_given)) && [[ "$running" != "$port" ]]; then
      die "a broker from $dir already runs on port $running (pid $pid), not $port; stop it first"
    fi
    say "already running: pid $pid, bootstrap 127.0.0.1:$running (dir $dir)"
    return 0
  fi
  rm -f "$(pid_file "$dir")"

  port_open "$port" && die "port $port is already in use by another process (not a broker from $dir)"
  port_open "$cport" && die "controller port $cport is already in use by another process"
  check_java

  local t0 cp t_launch
  t0="$(now_ms)"
  cp="$(classpath "$dir")"
  write_server_properties "$dir" "$port" "$cport"
  format_storage_if_needed "$dir"

  t_launch="$(now_ms)"
  trap abort_start EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  STARTING_DIR="$dir"
  launch_broker "$dir" "$cp"
  echo "$STARTING_PID" >"$(pid_file "$dir")"
  echo "$port" >"$(port_file "$dir")"
  say "started broker pid $STARTING_PID on 127.0.0.1:$port; waiting until it is ready (log: $dir/logs/server.log)"
  wait_until_ready "$dir" "$STARTING_PID" "$port"
  STARTING_PID=""
  trap - EXIT INT TERM
  say "ready: bootstrap 127.0.0.1:$port, pid $(<"$(pid_file "$dir")"), $(elapsed_s "$t_launch") s from launch to first metadata answer ($(elapsed_s "$t0") s in all)"
}

# --- stop / status -------------------------------------------------------------------------------

parse_dir_only() {
  local dir="$DEFAULT_DIR"
  while (($#)); do
    case "$1" in
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      *) die "unknown argument '$1' (see: deploy/local/kafka.sh help)" ;;
    esac
  done
  echo "$dir"
}

cmd_stop() {
  local dir pid t0
  dir="$(parse_dir_only "$@")"
  dir="$(state_dir "$dir")"
  lock_dir "$dir"
  if ! pid="$(running_pid "$dir")"; then
    rm -f "$(pid_file "$dir")"
    say "not running (dir $dir)"
    return 0
  fi
  t0="$(now_ms)"
  say "stopping broker pid $pid (dir $dir)"
  terminate "$pid" "$STOP_TIMEOUT_S"
  rm -f "$(pid_file "$dir")"
  say "stopped in $(elapsed_s "$t0") s"
}

cmd_status() {
  local dir pid port
  dir="$(parse_dir_only "$@")"
  if [[ -d "$dir" ]] && dir="$(state_dir "$dir")" && pid="$(running_pid "$dir")"; then
    port="$(running_port "$dir")"
    if port_open "$port"; then
      echo "running: pid $pid, bootstrap 127.0.0.1:$port, dir $dir, log $dir/logs/server.log"
    else
      echo "running but not accepting connections on 127.0.0.1:$port: pid $pid, dir $dir, log $dir/logs/server.log"
    fi
    return 0
  fi
  echo "not running (dir $dir)"
  return 3
}

# --- topics, console tools, perf -----------------------------------------------------------------

# Prints "PARTITIONS CLEANUP_POLICY" of an existing topic, parsed from TopicCommand --describe.
describe_topic_summary() {
  local dir="$1" bootstrap="$2" name="$3" out line count policy
  out="$(run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$bootstrap" --describe --topic "$name")" ||
    die "could not describe topic $name"
  line="$(grep -m 1 -E "^Topic: $name[[:space:]]" <<<"$out")" || die "no description of topic $name in: $out"
  count="$(sed -E 's/.*PartitionCount: ([0-9]+).*/\1/' <<<"$line")"
  policy="delete"
  if [[ "$line" =~ cleanup\.policy=([a-z,]+) ]]; then policy="${BASH_REMATCH[1]}"; fi
  echo "$count $policy"
}

topics_create() {
  local dir="$1" name="" partitions="" compact=0
  shift
  while (($#)); do
    case "$1" in
      --compact) compact=1; shift ;;
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      -*) die "topics create: unknown option '$1'" ;;
      *)
        if [[ -z "$name" ]]; then name="$1"
        elif [[ -z "$partitions" ]]; then partitions="$1"
        else die "topics create: unexpected argument '$1'"; fi
        shift ;;
    esac
  done
  [[ -n "$name" && -n "$partitions" ]] || die "usage: topics create NAME PARTITIONS [--compact]"
  [[ "$name" =~ $TOPIC_NAME_RE ]] || die "invalid topic name '$name' (letters, digits, '.', '_', '-')"
  is_uint "$partitions" && ((partitions >= 1)) || die "PARTITIONS must be a positive integer, got '$partitions'"
  dir="$(state_dir "$dir")"

  local bootstrap want_policy out
  bootstrap="$(require_bootstrap "$dir")"
  want_policy="delete"
  local -a config=()
  if ((compact)); then want_policy="compact"; config=(--config cleanup.policy=compact); fi
  # No --if-not-exists: an existing topic must be checked, since a demo topic with a different
  # partition count would silently change the job's parallelism.
  if out="$(run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$bootstrap" --create --topic "$name" --partitions "$partitions" \
    --replication-factor 1 "${config[@]}" 2>&1)"; then
    echo "created topic $name ($partitions partition(s), cleanup.policy=$want_policy)"
    return 0
  fi
  grep -q 'already exists' <<<"$out" || { printf '%s\n' "$out" >&2; die "could not create topic $name"; }
  local have have_count have_policy
  have="$(describe_topic_summary "$dir" "$bootstrap" "$name")"
  have_count="${have% *}"
  have_policy="${have#* }"
  if [[ "$have_count" != "$partitions" || "$have_policy" != "$want_policy" ]]; then
    die "topic $name exists with $have_count partition(s) and cleanup.policy=$have_policy, not $partitions and $want_policy; delete it (topics delete $name) or use a fresh --dir"
  fi
  echo "topic $name exists already ($partitions partition(s), cleanup.policy=$want_policy)"
}

# topics ensure NAME:PARTITIONS[:compact] ...: every topic as asked, with one describe for all of them
# and one create per missing topic (a repeat start of the demo, whose topics exist, starts one JVM,
# not two per topic). An existing topic with another partition count or cleanup policy is an error.
topics_ensure() {
  local dir="$1" spec name partitions policy out line have_count have_policy
  shift
  local -a specs=()
  while (($#)); do
    case "$1" in
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      -*) die "topics ensure: unknown option '$1'" ;;
      *) specs+=("$1"); shift ;;
    esac
  done
  ((${#specs[@]})) || die "usage: topics ensure NAME:PARTITIONS[:compact] ..."
  for spec in "${specs[@]}"; do
    [[ "$spec" =~ ^([A-Za-z0-9._-]+):([0-9]+)(:compact)?$ ]] || die "topics ensure: '$spec' is not NAME:PARTITIONS[:compact]"
    ((BASH_REMATCH[2] >= 1)) || die "topics ensure: $spec: PARTITIONS must be at least 1"
  done
  dir="$(state_dir "$dir")"
  local bootstrap
  bootstrap="$(require_bootstrap "$dir")"
  out="$(run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --describe)" ||
    die "could not describe the topics"
  for spec in "${specs[@]}"; do
    [[ "$spec" =~ ^([A-Za-z0-9._-]+):([0-9]+)(:compact)?$ ]]
    name="${BASH_REMATCH[1]}" partitions="${BASH_REMATCH[2]}" policy="${BASH_REMATCH[3]:+compact}"
    policy="${policy:-delete}"
    if line="$(grep -m 1 -E "^Topic: ${name//./\\.}[[:space:]]" <<<"$out")"; then
      have_count="$(sed -E 's/.*PartitionCount: ([0-9]+).*/\1/' <<<"$line")"
      have_policy="delete"
      if [[ "$line" =~ cleanup\.policy=([a-z,]+) ]]; then have_policy="${BASH_REMATCH[1]}"; fi
      if [[ "$have_count" != "$partitions" || "$have_policy" != "$policy" ]]; then
        die "topic $name exists with $have_count partition(s) and cleanup.policy=$have_policy, not $partitions and $policy; delete it (topics delete $name) or use a fresh --dir"
      fi
      echo "topic $name exists already ($partitions partition(s), cleanup.policy=$policy)"
    elif [[ "$policy" == compact ]]; then
      topics_create "$dir" "$name" "$partitions" --compact
    else
      topics_create "$dir" "$name" "$partitions"
    fi
  done
}

cmd_topics() {
  local sub="${1:-}" dir="$DEFAULT_DIR" bootstrap name=""
  (($#)) && shift
  case "$sub" in
    create) topics_create "$dir" "$@" ;;
    ensure) topics_ensure "$dir" "$@" ;;
    list)
      dir="$(parse_dir_only "$@")"
      dir="$(state_dir "$dir")"
      bootstrap="$(require_bootstrap "$dir")"
      run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "$bootstrap" --list ;;
    delete)
      (($#)) && [[ "$1" != --* ]] || die "usage: topics delete NAME"
      name="$1"
      shift
      dir="$(parse_dir_only "$@")"
      dir="$(state_dir "$dir")"
      bootstrap="$(require_bootstrap "$dir")"
      run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "$bootstrap" --delete --topic "$name"
      echo "deleted topic $name" ;;
    describe)
      if (($#)) && [[ "$1" != --* ]]; then name="$1"; shift; fi
      dir="$(parse_dir_only "$@")"
      dir="$(state_dir "$dir")"
      bootstrap="$(require_bootstrap "$dir")"
      run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.TopicCommand \
        --bootstrap-server "$bootstrap" --describe ${name:+--topic "$name"} ;;
    *) die "usage: topics create NAME PARTITIONS [--compact] | topics ensure NAME:PARTITIONS[:compact] ... | topics list | topics describe [NAME] | topics delete NAME" ;;
  esac
}

cmd_produce() {
  local dir="$DEFAULT_DIR" topic="" bootstrap
  local -a extra=()
  while (($#)); do
    case "$1" in
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      --) shift; extra=("$@"); break ;;
      -*) die "produce: unknown option '$1' (pass tool options after --)" ;;
      *) [[ -z "$topic" ]] || die "produce: unexpected argument '$1'"; topic="$1"; shift ;;
    esac
  done
  [[ -n "$topic" ]] || die "usage: produce TOPIC [-- TOOL-ARGS...]"
  dir="$(state_dir "$dir")"
  bootstrap="$(require_bootstrap "$dir")"
  run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.ConsoleProducer \
    --bootstrap-server "$bootstrap" --topic "$topic" "${extra[@]}"
}

cmd_consume() {
  local dir="$DEFAULT_DIR" topic="" bootstrap
  local -a opts=() extra=()
  while (($#)); do
    case "$1" in
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      --from-beginning) opts+=(--from-beginning); shift ;;
      --max-messages) is_uint "${2:-}" || die "--max-messages needs a number"; opts+=(--max-messages "$2"); shift 2 ;;
      --timeout-ms) is_uint "${2:-}" || die "--timeout-ms needs a number"; opts+=(--timeout-ms "$2"); shift 2 ;;
      --) shift; extra=("$@"); break ;;
      -*) die "consume: unknown option '$1' (pass tool options after --)" ;;
      *) [[ -z "$topic" ]] || die "consume: unexpected argument '$1'"; topic="$1"; shift ;;
    esac
  done
  [[ -n "$topic" ]] || die "usage: consume TOPIC [--from-beginning] [--max-messages N] [--timeout-ms MS]"
  dir="$(state_dir "$dir")"
  bootstrap="$(require_bootstrap "$dir")"
  run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.consumer.ConsoleConsumer \
    --bootstrap-server "$bootstrap" --topic "$topic" "${opts[@]}" "${extra[@]}"
}

# Copies stdin to stdout and to this script's stderr. Not "tee /dev/stderr": opening that path
# truncates stderr when it is redirected to a file.
show_on_stderr() { tee >(cat >&2); }

cmd_perf() {
  local dir="$DEFAULT_DIR" topic="lmrec.perf" records=1000000 size=100 partitions=4 bootstrap
  while (($#)); do
    case "$1" in
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      --topic) topic="${2:?--topic needs a value}"; shift 2 ;;
      --records) records="${2:?--records needs a value}"; shift 2 ;;
      --record-size) size="${2:?--record-size needs a value}"; shift 2 ;;
      --partitions) partitions="${2:?--partitions needs a value}"; shift 2 ;;
      *) die "perf: unknown argument '$1'" ;;
    esac
  done
  is_uint "$records" && ((records > 0)) || die "--records must be a positive integer"
  is_uint "$size" && ((size > 0)) || die "--record-size must be a positive integer"
  dir="$(state_dir "$dir")"
  bootstrap="$(require_bootstrap "$dir")"
  # An existing topic is used as it is (perf may target lmrec.interactions on purpose).
  if ! run_tool "$dir" "$QUICK_JVM" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
    --list | grep -x -- "$topic" >/dev/null; then
    topics_create "$dir" "$topic" "$partitions" --dir "$dir" >&2
  fi

  say "producing $records records of $size bytes to $topic (throughput unlimited, acks=1)"
  local pout summary
  pout="$(run_tool "$dir" "$PERF_JVM" org.apache.kafka.tools.ProducerPerformance \
    --topic "$topic" --num-records "$records" --record-size "$size" --throughput -1 \
    --bootstrap-server "$bootstrap" --command-property acks=1 | show_on_stderr)" ||
    die "ProducerPerformance failed"
  # Final line, e.g. "1000000 records sent, 412371.1 records/sec (39.33 MB/sec), 61.72 ms avg
  # latency, 401.00 ms max latency, 48 ms 50th, 168 ms 95th, 233 ms 99th, 370 ms 99.9th."
  summary="$(grep -E 'records sent, .* 99th' <<<"$pout" | tail -n 1)" ||
    die "no summary line in the ProducerPerformance output"
  local p_rate p_mb p_avg p_p50 p_p99 p_max
  p_rate="$(sed -E 's/.* ([0-9]+)(\.[0-9]+)? records\/sec.*/\1/' <<<"$summary")"
  p_mb="$(sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/' <<<"$summary")"
  p_avg="$(sed -E 's/.* ([0-9.]+) ms avg latency.*/\1/' <<<"$summary")"
  p_max="$(sed -E 's/.* ([0-9.]+) ms max latency.*/\1/' <<<"$summary")"
  p_p50="$(sed -E 's/.* ([0-9]+) ms 50th.*/\1/' <<<"$summary")"
  p_p99="$(sed -E 's/.* ([0-9]+) ms 99th.*/\1/' <<<"$summary")"

  say "consuming $records records from $topic"
  local cout cline c_rate c_mb
  cout="$(run_tool "$dir" "$PERF_JVM" org.apache.kafka.tools.ConsumerPerformance \
    --bootstrap-server "$bootstrap" --topic "$topic" --num-records "$records" --timeout 60000 |
    show_on_stderr)" || die "ConsumerPerformance failed"
  # CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
  cline="$(grep -E '^[0-9]{4}-' <<<"$cout" | tail -n 1)" || die "no result line in the ConsumerPerformance output"
  c_mb="$(cut -d, -f4 <<<"$cline" | tr -d ' ' | sed -E 's/^([0-9]+\.[0-9]{0,2}).*/\1/')"
  c_rate="$(cut -d, -f6 <<<"$cline" | tr -d ' ' | cut -d. -f1)"

  echo "producer: $records records x $size B to $topic, acks=1: $p_rate records/s ($p_mb MB/s); latency avg $p_avg ms, p50 $p_p50 ms, p99 $p_p99 ms, max $p_max ms"
  echo "consumer: $records records from $topic: $c_rate records/s ($c_mb MB/s)"
}

cmd_classpath() {
  local dir
  dir="$(parse_dir_only "$@")"
  dir="$(state_dir "$dir")"
  classpath "$dir"
}

main() {
  local cmd="${1:-help}"
  (($#)) && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    topics) cmd_topics "$@" ;;
    produce) cmd_produce "$@" ;;
    consume) cmd_consume "$@" ;;
    perf) cmd_perf "$@" ;;
    classpath) cmd_classpath "$@" ;;
    help | -h | --help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
