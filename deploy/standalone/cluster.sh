#!/usr/bin/env bash
# A real Flink 2.2.1 standalone session cluster on this machine, from Maven Central jars (no
# flink-dist): a JobManager and TaskManagers as separate JVMs, a Kafka broker (deploy/local/kafka.sh)
# and S3Proxy (a real S3 API server, filesystem backend) for checkpoints and savepoints.
# Usage: deploy/standalone/cluster.sh help. Details: deploy/standalone/README.md.
set -euo pipefail
shopt -s inherit_errexit

readonly SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly DIR="$(mkdir -p "${LMREC_STANDALONE_DIR:-$REPO_ROOT/runs/standalone}" && cd "${LMREC_STANDALONE_DIR:-$REPO_ROOT/runs/standalone}" && pwd)"
readonly BASE="${LMREC_STANDALONE_PORT_BASE:-20000}"
readonly KAFKA_PORT=$((BASE + 92))
readonly REST_PORT=$((BASE + 81))
readonly JM_RPC_PORT=$((BASE + 123))
readonly BLOB_PORT=$((BASE + 124))
readonly TM_RPC_PORTS="$((BASE + 200))-$((BASE + 219))"
readonly PROM_PORTS="$((BASE + 250))-$((BASE + 259))"
readonly S3_PORT=$((BASE + 900))
readonly BUCKET=lmrec
readonly S3_KEY=lmrec
readonly S3_SECRET=lmrec-standalone-secret
readonly TM_SLOTS="${LMREC_TM_SLOTS:-2}"
readonly TM_MEMORY="${LMREC_TM_MEMORY:-2g}"
readonly JM_MEMORY="${LMREC_JM_MEMORY:-1g}"
readonly CHECKPOINT_INTERVAL="${LMREC_CHECKPOINT_INTERVAL:-10s}"
# 1 = Flink's changelog state backend: a checkpoint uploads a log of state changes instead of
# flushing RocksDB in the task thread (the job's longest pause; docs/streaming.md). Its storage is a
# TaskManager setting, so it lives here, not in the job's settings.
readonly STATE_CHANGELOG="${LMREC_STATE_CHANGELOG:-0}"
readonly READY_TIMEOUT_S="${LMREC_STANDALONE_READY_TIMEOUT_S:-120}"
readonly JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
readonly STREAMING_JAR="$REPO_ROOT/flink-jobs/job-jars/streaming-job/target/lmrec-streaming-job.jar"
readonly KAFKA=("$REPO_ROOT/deploy/local/kafka.sh")

# Flink's own Java 17 options (env.java.default-opts.all of flink-dist's config.yaml); without them
# the JobManager and the CLI fail with ExceptionInInitializerError.
readonly JAVA17_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  # The serving kernels use the Vector API.
  --add-modules=jdk.incubator.vector)

usage() {
  cat <<EOF
Usage: deploy/standalone/cluster.sh COMMAND [ARGS]

A Flink 2.2.1 standalone session cluster with Kafka and S3Proxy; state in $DIR
(LMREC_STANDALONE_DIR), ports from $BASE (LMREC_STANDALONE_PORT_BASE): web UI/REST $REST_PORT,
Kafka $KAFKA_PORT, S3 $S3_PORT, JobManager RPC $JM_RPC_PORT, Prometheus $PROM_PORTS.

Commands:
  start [--taskmanagers N]   S3Proxy (+ bucket), Kafka (+ topics), the JobManager and N (default 1)
                             TaskManagers; waits until N task managers are registered
  stop                       stop every process started from $DIR (TaskManagers, JobManager, S3Proxy, Kafka)
  submit [--jar JAR] [--class MAIN] [--from SAVEPOINT] [--parallelism P] [-- -Dlmrec.key=value ...]
                             run the streaming job jar through Flink's CLI (detached); prints the job id.
                             Default settings point it at this cluster's Kafka and s3://$BUCKET/checkpoints;
                             options after -- are passed to the job and override them. With
                             LMREC_STATE_CHANGELOG=1, --from restores in CLAIM mode: the job owns the
                             snapshot and deletes it once subsumed (copy a savepoint you want to keep)
  savepoint [JOB] [--stop]   trigger a savepoint (or stop with one) of JOB (default: the running job);
                             prints the savepoint's _metadata path (s3://...)
  latest-checkpoint [JOB]    print the newest completed checkpoint's _metadata path (s3://...), read from
                             the object store, so it works while the JobManager is down
  jobs                       print "JOB_ID STATE NAME" of every job the JobManager knows
  flink ARGS...              Flink's own CLI (CliFrontend) against this cluster, e.g. flink list, or
                             flink run -c org.lmrec.retrainjob.prep.ArchiveDataPrepMain JAR --archive ... --output ...
  put LOCAL_DIR s3://$BUCKET/PREFIX
                             upload a directory (e.g. a model artifact) through the S3 API
  checkpoint-stats [JOB]     checkpoint counts, duration p50/p99/max and sizes (REST /jobs/:id/checkpoints)
  start-tm N | kill-tm N     start TaskManager N and wait until it registered (prints the seconds) / kill -9 it
  start-jm | kill-jm         start the JobManager / kill -9 it (a session cluster without HA forgets its jobs;
                             resume with: submit --from \$(latest-checkpoint JOB))
  status                     which processes run, the registered task managers, the jobs
  env                        print the cluster's addresses as shell variables (eval-able)

Environment: LMREC_TM_SLOTS ($TM_SLOTS), LMREC_TM_MEMORY ($TM_MEMORY), LMREC_JM_MEMORY ($JM_MEMORY),
LMREC_CHECKPOINT_INTERVAL ($CHECKPOINT_INTERVAL), LMREC_STATE_CHANGELOG ($STATE_CHANGELOG: 1 = Flink's changelog
state backend, its log in s3://$BUCKET/changelog), LMREC_STANDALONE_READY_TIMEOUT_S ($READY_TIMEOUT_S).
EOF
}

say() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { printf 'cluster.sh: error: %s\n' "$*" >&2; exit 1; }
is_uint() { [[ "$1" =~ ^(0|[1-9][0-9]*)$ ]]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo "${t:0:${#t}-3}"; }

is_alive() {
  local stat
  stat="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ -n "$stat" && "$stat" != Z* ]]
}

# PID of process NAME (jm, tm-1, s3proxy) if it runs; its command line carries -Dlmrec.standalone=DIR/NAME,
# which guards against a reused PID and finds it when the PID file is gone.
pid_of() {
  local name="$1" pid tag="-Dlmrec.standalone=$DIR/$1 "
  if [[ -f "$DIR/pids/$name.pid" ]]; then
    pid="$(<"$DIR/pids/$name.pid")"
    if is_uint "$pid" && is_alive "$pid" && [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$tag"* ]]; then
      echo "$pid"
      return 0
    fi
  fi
  for pid in $(ps -ww -eo pid=,args= | LMREC_NEEDLE="$tag" awk 'index($0 " ", ENVIRON["LMREC_NEEDLE"]) { print $1 }'); do
    if is_alive "$pid" && [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$tag"* ]]; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# SIGTERM, then SIGKILL after $2 seconds.
terminate() {
  local pid="$1" grace="$2" deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + grace))
  while is_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  is_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  while is_alive "$pid"; do sleep 0.1; done
}

# --- classpaths and files --------------------------------------------------------------------------

# Resolves a classpath with Maven once, cached in DIR and keyed by the pom's hash.
cached_classpath() {
  local name="$1" pom="$2" prop="$3" cache="$DIR/$1.classpath" key jar complete=1 out
  key="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$cache" && -f "$cache.key" && "$(<"$cache.key")" == "$key" ]]; then
    local jars
    IFS=: read -r -a jars <"$cache" || true
    for jar in "${jars[@]}"; do [[ -f "$jar" ]] || { complete=0; break; }; done
    # The plugins are copied by the same Maven run.
    [[ "$name" != flink ]] || compgen -G "$DIR/plugins/s3-fs-hadoop/*.jar" >/dev/null || complete=0
    if ((complete)); then cat "$cache"; return 0; fi
  fi
  say "resolving the $name classpath with Maven (the first run downloads its jars)"
  local -a extra=()
  [[ "$name" == flink ]] && extra=(dependency:copy "-Dflink.plugins.dir=$DIR/plugins")
  if ! out="$(cd "$REPO_ROOT" && ./mvnw -q -B -f "$pom" dependency:build-classpath "${extra[@]}" "-D$prop=$cache.tmp" 2>&1)"; then
    printf '%s\n' "$out" | tail -n 30 >&2
    die "could not resolve the $name classpath from $pom"
  fi
  mv "$cache.tmp" "$cache"
  echo "$key" >"$cache.key"
  cat "$cache"
}

flink_classpath() { cached_classpath flink "$SCRIPT_DIR/flink/pom.xml" flink.classpath.file; }
s3proxy_classpath() { cached_classpath s3proxy "$SCRIPT_DIR/s3proxy/pom.xml" s3proxy.classpath.file; }

# The changelog state backend's settings when LMREC_STATE_CHANGELOG=1 (read by every TaskManager).
changelog_config() {
  case "$STATE_CHANGELOG" in
    0) echo "# Changelog state backend: off (LMREC_STATE_CHANGELOG=1 turns it on)." ;;
    1) printf '%s\n' "# Changelog state backend (LMREC_STATE_CHANGELOG=1): checkpoints upload this log; RocksDB is" \
         "# snapshotted every 10 minutes." "state.changelog.enabled: true" "state.changelog.storage: filesystem" \
         "state.changelog.dstl.dfs.base-path: s3://$BUCKET/changelog" ;;
    *) die "LMREC_STATE_CHANGELOG must be 0 or 1, not '$STATE_CHANGELOG'" ;;
  esac
}

write_config() {
  changelog_config >/dev/null # refuses a bad LMREC_STATE_CHANGELOG here, not inside the heredoc's subshell
  mkdir -p "$DIR/conf" "$DIR/logs" "$DIR/pids" "$DIR/tmp"
  cat >"$DIR/conf/config.yaml" <<EOF
# Written by deploy/standalone/cluster.sh on every start; edits here are overwritten.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $JM_RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: $JM_MEMORY
blob.server.port: $BLOB_PORT
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $REST_PORT
web.submit.enable: true
web.cancel.enable: true

taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.rpc.port: $TM_RPC_PORTS
taskmanager.numberOfTaskSlots: $TM_SLOTS
taskmanager.memory.process.size: $TM_MEMORY
parallelism.default: 1
# Spread a job's slots over the TaskManagers (else parallelism 2 fits in one TaskManager's 2 slots,
# and killing the other one hits nothing).
taskmanager.load-balance.mode: SLOTS

# State: RocksDB, incremental checkpoints and savepoints on the object store (S3Proxy).
state.backend.type: rocksdb
execution.checkpointing.incremental: true
execution.checkpointing.interval: $CHECKPOINT_INTERVAL
execution.checkpointing.dir: s3://$BUCKET/checkpoints
execution.checkpointing.savepoint-dir: s3://$BUCKET/savepoints
execution.checkpointing.externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
execution.checkpointing.num-retained: 3
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 1000
restart-strategy.fixed-delay.delay: 2 s
$(changelog_config)

# flink-s3-fs-hadoop (plugins/s3-fs-hadoop) against S3Proxy.
s3.endpoint: http://127.0.0.1:$S3_PORT
s3.path.style.access: true
s3.access-key: $S3_KEY
s3.secret-key: $S3_SECRET
# Keep directory markers: after each write, S3A would otherwise delete the parent "directory"
# objects with a multi-object delete, which hung against S3Proxy and stalled every checkpoint.
s3.directory.marker.retention: keep

# Prometheus (plugins/metrics-prometheus): each process takes the next free port of the range.
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: $PROM_PORTS

# Native libraries must be loaded once per JVM, by the cluster's class loader, never by a job's.
classloader.parent-first-patterns.additional: ai.djl.;ai.onnxruntime.

io.tmp.dirs: $DIR/tmp
EOF
  cat >"$DIR/conf/log4j.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = WARN
logger.zookeeper.name = org.apache.zookeeper
logger.zookeeper.level = WARN
EOF
  cat >"$DIR/conf/log4j-cli.properties" <<'EOF'
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = FileAppender
appender.file.name = FileAppender
appender.file.type = File
appender.file.append = true
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
}

# Flink's memory settings for a process, computed by Flink itself (what flink-dist's scripts do):
# prints the JVM options on line 1 and the dynamic -D settings on line 2.
resource_params() {
  local what="$1" cp out
  cp="$(flink_classpath)"
  out="$("$JAVA_BIN" -cp "$cp" -Dlog4j2.configurationFile="$DIR/conf/log4j-cli.properties" -Dlog.file="$DIR/logs/bash-java-utils.log" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$what" --configDir "$DIR/conf" 2>&1)" ||
    { printf '%s\n' "$out" | tail -n 20 >&2; die "BashJavaUtils $what failed"; }
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | tail -n 2 | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# Starts a Flink process in the background: NAME MAIN_CLASS RESOURCE_WHAT [extra args...]
launch_flink() {
  local name="$1" main="$2" what="$3" cp params jvm dyn pid
  shift 3
  if pid="$(pid_of "$name")"; then say "$name already runs (pid $pid)"; return 0; fi
  cp="$(flink_classpath)"
  params="$(resource_params "$what")"
  jvm="$(sed -n 1p <<<"$params")"
  dyn="$(sed -n 2p <<<"$params")"
  mkdir -p "$DIR/tmp/$name"
  local log="$DIR/logs/flink-$name.log"
  # shellcheck disable=SC2086 # jvm and dyn are option lists computed by Flink
  FLINK_CONF_DIR="$DIR/conf" FLINK_PLUGINS_DIR="$DIR/plugins" setsid nohup "$JAVA_BIN" $jvm "${JAVA17_OPTS[@]}" \
    -Dlmrec.standalone="$DIR/$name" -Dlog.file="$log" -Dlog4j.configurationFile="file:$DIR/conf/log4j.properties" \
    -Dlog4j2.configurationFile="file:$DIR/conf/log4j.properties" -Dai.djl.offline=true -Daws.java.v1.disableDeprecationAnnouncement=true \
    -cp "$cp" "$main" --configDir "$DIR/conf" $dyn "$@" >"$DIR/logs/flink-$name.out" 2>&1 </dev/null &
  echo $! >"$DIR/pids/$name.pid"
  say "started $name (pid $!, log $log)"
}

rest() { curl -fsS --max-time 5 "http://127.0.0.1:$REST_PORT$1"; }

# Number of registered task managers (empty output when the REST endpoint does not answer).
registered_tms() { rest /taskmanagers 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["taskmanagers"]))' 2>/dev/null; }

wait_for_tms() {
  local want="$1" deadline=$((SECONDS + READY_TIMEOUT_S)) have t0
  t0="$(now_ms)"
  while :; do
    have="$(registered_tms || true)"
    if [[ -n "$have" ]] && ((have >= want)); then
      say "$have task manager(s) registered ($((($(now_ms) - t0))) ms waiting)"
      return 0
    fi
    pid_of jm >/dev/null || die "the JobManager exited (see $DIR/logs/flink-jm.log and flink-jm.out)"
    ((SECONDS < deadline)) || die "only ${have:-0} of $want task manager(s) registered within ${READY_TIMEOUT_S}s (see $DIR/logs)"
    sleep 0.5
  done
}

# --- S3Proxy ---------------------------------------------------------------------------------------

start_s3proxy() {
  local pid cp deadline
  if pid="$(pid_of s3proxy)"; then say "S3Proxy already runs (pid $pid)"; return 0; fi
  port_open "$S3_PORT" && die "port $S3_PORT is in use by another process"
  cp="$(s3proxy_classpath)"
  mkdir -p "$DIR/s3"
  # The jclouds filesystem backend: objects are plain files under DIR/s3/BUCKET (the nio2 backend
  # broke restoring savepoints).
  cat >"$DIR/conf/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_KEY
s3proxy.credential=$S3_SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DIR/s3
EOF
  cat >"$DIR/conf/s3proxy-logback.xml" <<'EOF'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>
EOF
  setsid nohup "$JAVA_BIN" -Xmx256m -Dlmrec.standalone="$DIR/s3proxy" -Dlogback.configurationFile="$DIR/conf/s3proxy-logback.xml" \
    -cp "$cp" org.gaul.s3proxy.Main \
    --properties "$DIR/conf/s3proxy.properties" >"$DIR/logs/s3proxy.log" 2>&1 </dev/null &
  echo $! >"$DIR/pids/s3proxy.pid"
  deadline=$((SECONDS + 60))
  until port_open "$S3_PORT"; do
    pid_of s3proxy >/dev/null || { tail -n 20 "$DIR/logs/s3proxy.log" >&2; die "S3Proxy exited during startup"; }
    ((SECONDS < deadline)) || die "S3Proxy did not listen on $S3_PORT within 60s"
    sleep 0.2
  done
  # The bucket, created through the S3 API (409 = exists already).
  local code
  code="$(curl -sS -o "$DIR/logs/s3-bucket.out" -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    --user "$S3_KEY:$S3_SECRET" "http://127.0.0.1:$S3_PORT/$BUCKET")"
  [[ "$code" == 200 || "$code" == 409 ]] || die "could not create bucket $BUCKET (HTTP $code: $(cat "$DIR/logs/s3-bucket.out"))"
  say "S3Proxy on http://127.0.0.1:$S3_PORT, bucket s3://$BUCKET (files under $DIR/s3/$BUCKET)"
}

# --- commands --------------------------------------------------------------------------------------

cmd_start() {
  local n=1
  while (($#)); do
    case "$1" in
      --taskmanagers) n="${2:?--taskmanagers needs a value}"; shift 2 ;;
      *) die "start: unknown argument '$1'" ;;
    esac
  done
  is_uint "$n" && ((n >= 1 && n <= 9)) || die "--taskmanagers must be 1-9"
  command -v curl >/dev/null || die "curl is needed"
  command -v python3 >/dev/null || die "python3 is needed (to read the REST answers)"
  write_config
  flink_classpath >/dev/null
  start_s3proxy
  # Flink first: its JVMs start while Kafka starts and the topics are created.
  if ! pid_of jm >/dev/null; then
    port_open "$REST_PORT" && die "port $REST_PORT is in use by another process"
    launch_flink jm org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
  fi
  local i
  for ((i = 1; i <= n; i++)); do pid_of "tm-$i" >/dev/null || launch_tm "$i"; done
  "${KAFKA[@]}" start --port "$KAFKA_PORT" --dir "$DIR/kafka"
  local topic
  local -a creating=()
  for topic in "lmrec.interactions 4" "lmrec.recommendations 4" "lmrec.dead-letters 1" "lmrec.model-updates 1 --compact"; do
    # shellcheck disable=SC2086 # name, partition count, flag
    "${KAFKA[@]}" topics create $topic --dir "$DIR/kafka" >/dev/null &
    creating+=($!)
  done
  for i in "${creating[@]}"; do wait "$i" || die "could not create the topics"; done
  for ((i = 1; i <= n; i++)); do [[ -z "${TM_LAUNCHED_MS[$i]:-}" ]] || wait_registered "$i"; done
  wait_for_tms "$n"
  say "web UI: http://127.0.0.1:$REST_PORT"
}

# Starts TaskManager N in the background; its registration is awaited by wait_registered.
launch_tm() {
  local n="$1"
  is_uint "$n" && ((n >= 1)) || die "start-tm: N must be a positive number"
  [[ -f "$DIR/conf/config.yaml" ]] || write_config
  local log="$DIR/logs/flink-tm-$n.log"
  # Registrations are counted in the log, which every start of tm-N appends to.
  TM_LINES_BEFORE["$n"]="$(grep -c 'Successful registration at resource manager' "$log" 2>/dev/null || true)"
  TM_LAUNCHED_MS["$n"]="$(now_ms)"
  launch_flink "tm-$n" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS \
    -Dio.tmp.dirs="$DIR/tmp/tm-$n"
}
declare -A TM_LINES_BEFORE=() TM_LAUNCHED_MS=()

# Waits until TaskManager N logged a new registration at the resource manager; prints the seconds
# from its launch (JVM start to registration).
wait_registered() {
  local n="$1" log="$DIR/logs/flink-tm-$1.log" deadline=$((SECONDS + READY_TIMEOUT_S)) have ms
  while :; do
    have="$(grep -c 'Successful registration at resource manager' "$log" 2>/dev/null || true)"
    if ((${have:-0} > ${TM_LINES_BEFORE[$n]:-0})); then
      ms=$(($(now_ms) - ${TM_LAUNCHED_MS[$n]}))
      say "tm-$n registered at the resource manager $((ms / 1000)).$(((ms % 1000) / 100)) s after its launch"
      return 0
    fi
    pid_of "tm-$n" >/dev/null || die "tm-$n exited (see $log and ${log%.log}.out)"
    ((SECONDS < deadline)) || die "tm-$n did not register within ${READY_TIMEOUT_S}s (see $log)"
    sleep 0.2
  done
}

cmd_start_tm() {
  local n="${1:?usage: start-tm N}"
  if pid_of "tm-$n" >/dev/null; then say "tm-$n already runs"; return 0; fi
  launch_tm "$n"
  wait_registered "$n"
}

cmd_kill() {
  local name="$1" pid
  pid="$(pid_of "$name")" || die "$name does not run"
  kill -KILL "$pid"
  while is_alive "$pid"; do sleep 0.05; done
  rm -f "$DIR/pids/$name.pid"
  say "killed $name (pid $pid, SIGKILL)"
}

cmd_start_jm() {
  [[ -f "$DIR/conf/config.yaml" ]] || write_config
  launch_flink jm org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until rest /overview >/dev/null 2>&1; do
    pid_of jm >/dev/null || die "the JobManager exited (see $DIR/logs/flink-jm.log)"
    ((SECONDS < deadline)) || die "the JobManager's REST endpoint did not answer within ${READY_TIMEOUT_S}s"
    sleep 0.3
  done
  say "JobManager answers on http://127.0.0.1:$REST_PORT"
}

cmd_stop() {
  local name pid f
  for f in "$DIR"/pids/tm-*.pid; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pid)"
    if pid="$(pid_of "$name")"; then say "stopping $name (pid $pid)"; terminate "$pid" 15; fi
    rm -f "$f"
  done
  # TaskManagers whose PID file is gone.
  for pid in $(ps -ww -eo pid=,args= | LMREC_NEEDLE="-Dlmrec.standalone=$DIR/tm-" awk 'index($0, ENVIRON["LMREC_NEEDLE"]) { print $1 }'); do
    is_alive "$pid" && { say "stopping task manager pid $pid"; terminate "$pid" 15; }
  done
  for name in jm s3proxy; do
    if pid="$(pid_of "$name")"; then say "stopping $name (pid $pid)"; terminate "$pid" 15; fi
    rm -f "$DIR/pids/$name.pid"
  done
  "${KAFKA[@]}" stop --dir "$DIR/kafka" || true
}

# Runs Flink's CLI (CliFrontend) against this cluster.
flink_cli() {
  local cp
  [[ -f "$DIR/conf/config.yaml" ]] || write_config
  cp="$(flink_classpath)"
  FLINK_CONF_DIR="$DIR/conf" FLINK_PLUGINS_DIR="$DIR/plugins" "$JAVA_BIN" -Xmx512m "${JAVA17_OPTS[@]}" -Daws.java.v1.disableDeprecationAnnouncement=true \
    -Dlog.file="$DIR/logs/flink-cli.log" -Dlog4j2.configurationFile="file:$DIR/conf/log4j-cli.properties" \
    -cp "$cp" org.apache.flink.client.cli.CliFrontend "$@"
}

cmd_submit() {
  local jar="$STREAMING_JAR" main=org.lmrec.stream.job.StreamingJobMain from="" parallelism=1 out id
  local -a job_args=()
  while (($#)); do
    case "$1" in
      --jar) jar="${2:?--jar needs a value}"; shift 2 ;;
      --class) main="${2:?--class needs a value}"; shift 2 ;;
      --from) from="${2:?--from needs a value}"; shift 2 ;;
      --parallelism) parallelism="${2:?--parallelism needs a value}"; shift 2 ;;
      --) shift; job_args=("$@"); break ;;
      *) die "submit: unknown argument '$1' (job settings go after --)" ;;
    esac
  done
  [[ -f "$jar" ]] || die "no job jar at $jar; build it: ./mvnw -B -pl flink-jobs/job-jars/streaming-job -am package -DskipTests"
  is_uint "$parallelism" && ((parallelism >= 1)) || die "--parallelism must be a positive number"
  local -a cli=(run -d -c "$main")
  [[ -n "$from" ]] && cli+=(-s "$from")
  # The changelog state backend cannot take the full snapshot a NO_CLAIM restore (the CLI's default)
  # forces: started so, the job fails every checkpoint after the restore (docs/fault-campaign.md).
  # CLAIM: the job owns the snapshot it starts from and deletes it once a newer one subsumes it.
  [[ -n "$from" && "$STATE_CHANGELOG" == 1 ]] && cli+=(-cm claim)
  cli+=("$jar"
    -Dlmrec.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT"
    -Dlmrec.checkpoint.dir="s3://$BUCKET/checkpoints"
    -Dlmrec.checkpoint.interval="$CHECKPOINT_INTERVAL"
    -Dlmrec.parallelism="$parallelism"
    -Dlmrec.kafka.group-id=lmrec-standalone
    "${job_args[@]}")
  out="$(flink_cli "${cli[@]}" 2>&1)" || { printf '%s\n' "$out" | tail -n 40 >&2; die "flink run failed (log: $DIR/logs/flink-cli.log)"; }
  id="$(grep -oE 'JobID [0-9a-f]{32}' <<<"$out" | tail -n 1 | cut -d' ' -f2)" ||
    { printf '%s\n' "$out" >&2; die "no job id in the CLI's output"; }
  echo "$id" >"$DIR/last-job-id"
  echo "$id"
}

# Job id: the argument, else the one running job.
job_arg() {
  if [[ -n "${1:-}" ]]; then
    [[ "$1" =~ ^[0-9a-f]{32}$ ]] || die "not a job id: '$1'"
    echo "$1"
    return 0
  fi
  local running
  running="$(rest /jobs/overview | python3 -c 'import json,sys; print("\n".join(j["jid"] for j in json.load(sys.stdin)["jobs"] if j["state"] in ("RUNNING","CREATED","RESTARTING","INITIALIZING")))')" ||
    die "the JobManager does not answer on $REST_PORT"
  [[ -n "$running" ]] || die "no running job"
  (($(wc -l <<<"$running") == 1)) || die "several jobs run; name one: $(tr '\n' ' ' <<<"$running")"
  echo "$running"
}

cmd_savepoint() {
  local job="" stop=0 out path
  while (($#)); do
    case "$1" in
      --stop) stop=1; shift ;;
      *) job="$1"; shift ;;
    esac
  done
  job="$(job_arg "$job")"
  local t0
  t0="$(now_ms)"
  if ((stop)); then
    out="$(flink_cli stop -p "s3://$BUCKET/savepoints" "$job" 2>&1)" || { printf '%s\n' "$out" | tail -n 30 >&2; die "stop with savepoint failed"; }
  else
    out="$(flink_cli savepoint "$job" "s3://$BUCKET/savepoints" 2>&1)" || { printf '%s\n' "$out" | tail -n 30 >&2; die "savepoint failed"; }
  fi
  path="$(grep -oE 's3://[^ ]*savepoint-[0-9a-f-]+' <<<"$out" | tail -n 1)" || { printf '%s\n' "$out" >&2; die "no savepoint path in the CLI's output"; }
  say "savepoint of $job in $(($(now_ms) - t0)) ms (CLI start included)"
  echo "$path/_metadata"
}

cmd_latest_checkpoint() {
  local job="${1:-}" base="$DIR/s3/$BUCKET/checkpoints" best="" best_n=-1 d n
  if [[ -z "$job" ]]; then
    job="$(job_arg "" 2>/dev/null)" || job="$(cat "$DIR/last-job-id" 2>/dev/null)" || die "name a job: latest-checkpoint JOB"
  fi
  [[ "$job" =~ ^[0-9a-f]{32}$ ]] || die "not a job id: '$job'"
  for d in "$base/$job"/chk-*; do
    [[ -f "$d/_metadata" ]] || continue
    n="${d##*/chk-}"
    is_uint "$n" && ((n > best_n)) && { best_n="$n"; best="$d"; }
  done
  [[ -n "$best" ]] || die "no completed checkpoint of job $job under s3://$BUCKET/checkpoints"
  echo "s3://$BUCKET/checkpoints/$job/chk-$best_n/_metadata"
}

# Checkpoint figures of JOB from the REST API (/jobs/:id/checkpoints): counts, and over the retained
# history: end-to-end duration p50/p99/max, checkpointed (incremental) size and full state size.
cmd_checkpoint_stats() {
  local job
  job="$(job_arg "${1:-}")"
  rest "/jobs/$job/checkpoints" | python3 -c '
import json, sys
d = json.load(sys.stdin)
c, s = d["counts"], d["summary"]
def mb(v): return "%.2f MB" % (v / 1e6)
print("job %s: %d completed, %d failed, %d in progress, %d restored" % (sys.argv[1], c["completed"], c["failed"], c["in_progress"], c["restored"]))
e = s["end_to_end_duration"]
print("end-to-end duration: p50 %d ms, p99 %d ms, max %d ms" % (e["p50"], e["p99"], e["max"]))
cs, st = s["checkpointed_size"], s["state_size"]
print("checkpointed size (incremental): p50 %s, max %s; full state size: p50 %s, max %s" % (mb(cs["p50"]), mb(cs["max"]), mb(st["p50"]), mb(st["max"])))
l = d["latest"]["completed"]
if l: print("latest: chk-%d %d ms, %s checkpointed, %s state, %s" % (l["id"], l["end_to_end_duration"], mb(l["checkpointed_size"]), mb(l["state_size"]), l["external_path"]))
for h in d["history"]:
    if h.get("is_savepoint") and h["status"] == "COMPLETED":
        print("savepoint %d: %d ms, %s, %s" % (h["id"], h["end_to_end_duration"], mb(h["state_size"]), h["external_path"]))
' "$job"
}

# Uploads the files under a local directory to s3://BUCKET/PREFIX/ through the S3 API (SigV4).
cmd_put() {
  local src="${1:?usage: put LOCAL_DIR s3://$BUCKET/PREFIX}" dst="${2:?usage: put LOCAL_DIR s3://$BUCKET/PREFIX}" f rel code n=0
  [[ -d "$src" ]] || die "put: $src is not a directory"
  [[ "$dst" =~ ^s3://$BUCKET/([A-Za-z0-9._/=-]+)$ ]] || die "put: the target must be s3://$BUCKET/PREFIX (letters, digits, . _ / = -)"
  local prefix="${BASH_REMATCH[1]%/}"
  pid_of s3proxy >/dev/null || die "S3Proxy does not run (cluster.sh start)"
  while IFS= read -r -d '' f; do
    rel="${f#"$src"/}"
    [[ "$rel" =~ ^[A-Za-z0-9._/=-]+$ ]] || die "put: unsupported file name '$rel'"
    code="$(curl -sS -o "$DIR/logs/s3-put.out" -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" \
      -H "x-amz-content-sha256: $(sha256sum "$f" | cut -d' ' -f1)" --user "$S3_KEY:$S3_SECRET" \
      --upload-file "$f" "http://127.0.0.1:$S3_PORT/$BUCKET/$prefix/$rel")"
    [[ "$code" == 200 ]] || die "put $rel: HTTP $code $(cat "$DIR/logs/s3-put.out")"
    n=$((n + 1))
  done < <(find "$src" -type f -print0 | sort -z)
  say "uploaded $n file(s) to s3://$BUCKET/$prefix/"
}

cmd_jobs() {
  rest /jobs/overview | python3 -c 'import json,sys; [print(j["jid"], j["state"], j["name"]) for j in json.load(sys.stdin)["jobs"]]'
}

cmd_status() {
  local name pid f
  for name in jm s3proxy; do
    if pid="$(pid_of "$name")"; then echo "$name: running (pid $pid)"; else echo "$name: not running"; fi
  done
  for f in "$DIR"/pids/tm-*.pid; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pid)"
    if pid="$(pid_of "$name")"; then echo "$name: running (pid $pid)"; else echo "$name: not running"; fi
  done
  "${KAFKA[@]}" status --dir "$DIR/kafka" | sed 's/^/kafka: /' || true
  echo "registered task managers: $(registered_tms || echo '- (JobManager not answering)')"
  cmd_jobs 2>/dev/null | sed 's/^/job: /' || true
  echo "web UI: http://127.0.0.1:$REST_PORT"
}

cmd_env() {
  cat <<EOF
LMREC_STANDALONE_DIR=$DIR
LMREC_REST_URL=http://127.0.0.1:$REST_PORT
LMREC_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
LMREC_KAFKA_DIR=$DIR/kafka
LMREC_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
LMREC_S3_BUCKET=$BUCKET
LMREC_S3_DIR=$DIR/s3/$BUCKET
LMREC_PROMETHEUS_PORTS=$PROM_PORTS
EOF
}

main() {
  local cmd="${1:-help}"
  (($#)) && shift
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop ;;
    submit) cmd_submit "$@" ;;
    savepoint) cmd_savepoint "$@" ;;
    latest-checkpoint) cmd_latest_checkpoint "$@" ;;
    jobs) cmd_jobs ;;
    checkpoint-stats) cmd_checkpoint_stats "$@" ;;
    flink) flink_cli "$@" ;;
    put) cmd_put "$@" ;;
    start-tm) cmd_start_tm "$@" ;;
    kill-tm) is_uint "${1:-x}" || die "usage: kill-tm N"; cmd_kill "tm-$1" ;;
    start-jm) cmd_start_jm ;;
    kill-jm) cmd_kill jm ;;
    status) cmd_status ;;
    env) cmd_env ;;
    help | -h | --help) usage ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
