#!/usr/bin/env bash
# The streaming job on a real Flink 2.2.1 standalone session cluster, in one command: S3Proxy (an S3
# API server for checkpoints and savepoints), a Kafka broker, a JobManager and TaskManagers as
# separate JVMs (deploy/standalone/cluster.sh), a model (the newest `./lmrec train` wrote on
# synthetic data, or a fresh one), the job jar submitted through Flink's CLI, synthetic traffic
# replayed into the input topic and the recommendations printed as they arrive. Ctrl-C (or SIGTERM)
# stops everything it started.
#
#   deploy/standalone/run.sh [--taskmanagers 1|2] [--parallelism P] [--rate 200] [LocalDemo options]
#
# Environment: see deploy/standalone/cluster.sh help (state dir, ports, memory).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cluster=("$root/deploy/standalone/cluster.sh")
demo_pid=""
taskmanagers=1
parallelism=1
demo_args=()
t0=$SECONDS
started_ms="$(($(date +%s%N) / 1000000))"

say() { printf '\n==> %s\n' "$*"; }

while (($#)); do
  case "$1" in
    -h | --help)
      sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    --taskmanagers) taskmanagers="${2:?--taskmanagers needs a value}"; shift 2 ;;
    --parallelism) parallelism="${2:?--parallelism needs a value}"; shift 2 ;;
    *) demo_args+=("$1"); shift ;;
  esac
done
[[ "$taskmanagers" =~ ^[12]$ ]] || { echo "run.sh: --taskmanagers must be 1 or 2" >&2; exit 2; }

eval "$("${cluster[@]}" env)"
work="$LMREC_STANDALONE_DIR"

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$demo_pid" ]] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  say "stopping the cluster, Kafka and S3Proxy"
  "${cluster[@]}" stop || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "building the job jar and the demo (on the first run or after a source change)"
jar="$root/flink-jobs/job-jars/streaming-job/target/lmrec-streaming-job.jar"
if [[ ! -f "$jar" || -n "$(find "$root" -path "$root/runs" -prune -o -path "$root/.git" -prune -o \
    \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit)" ]]; then
  "$root/mvnw" -B -q -DskipTests -pl flink-jobs/job-jars/streaming-job -am package >&2
fi
classpath="$("$root/bin/launch" --classpath flink-jobs/streaming)"
demo=(java -Xmx1g --add-modules jdk.incubator.vector -Dai.djl.offline=true
      -Dlog4j2.configurationFile="$root/deploy/local/log4j2-demo.properties"
      -cp "$classpath" org.lmrec.stream.local.LocalDemo)

say "starting S3Proxy, Kafka, the JobManager and $taskmanagers TaskManager(s)"
"${cluster[@]}" start --taskmanagers "$taskmanagers"

if ! model="$("${demo[@]}" find-model --artifacts "$root/runs/artifacts" 2>/dev/null)"; then
  say "no model trained on the synthetic data yet: training one (./lmrec train, about a minute)"
  "$root/lmrec" train
  model="$("${demo[@]}" find-model --artifacts "$root/runs/artifacts")"
fi
keys="$work/demo/keys"
trusted="$("${demo[@]}" keys --dir "$keys" | tail -n 1)"

# The model and the archive live on the object store, like the checkpoints.
model_uri="s3://$LMREC_S3_BUCKET/models/$(basename "$model")"
"${cluster[@]}" put "$model" "$model_uri"

say "submitting $(basename "$jar") through Flink's CLI (serving $model_uri)"
job="$("${cluster[@]}" submit --parallelism "$parallelism" -- \
  -Dlmrec.model.initial="$model_uri" \
  -Dlmrec.models.trusted-keys="$trusted" \
  -Dlmrec.archive.path="s3://$LMREC_S3_BUCKET/archive" \
  -Dlmrec.job.name=lmrec-standalone)"
echo "job $job: $LMREC_REST_URL/#/job/running/$job/overview"

say "replaying synthetic traffic; recommendations below (Ctrl-C stops everything, $((SECONDS - t0)) s so far)"
"${demo[@]}" --external-job --web-url "$LMREC_REST_URL" --bootstrap "$LMREC_KAFKA_BOOTSTRAP" \
  --model "$model" --model-uri "$model_uri" --work-dir "$work/demo" --keys-dir "$keys" --started-at-ms "$started_ms" "${demo_args[@]}" &
demo_pid=$!
wait "$demo_pid"
