#!/usr/bin/env bash
# The local demo in one command: a real Kafka broker (a process on 127.0.0.1, KRaft), a model
# (the newest one `./lmrec train` wrote on synthetic data, or a fresh one), the streaming job on
# a local Flink MiniCluster with RocksDB and the web UI, and synthetic traffic replayed into the
# input topic. Recommendations are printed as they arrive. Ctrl-C stops everything it started.
#
#   deploy/local/run.sh [--rate 200] [--web-port 8081] [--summaries] [any other LocalDemo option, see --help]
#
# --summaries also keeps each user's preference summary fresh in the job (LLM-TRSR, recurrent
# strategy, extractive backend, docs/streaming.md "User summaries") and prints a few as they
# refresh; it needs a model with a summary catalogue (./lmrec train attaches one), trained if none.
#
# Environment: LMREC_KAFKA_PORT (default 9092), LMREC_JAVA_OPTS (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
port="${LMREC_KAFKA_PORT:-9092}"
work="$root/runs/local"
kafka=("$root/deploy/local/kafka.sh")
demo_pid=""

say() { printf '\n==> %s\n' "$*"; }

find_model_args=(--artifacts "$root/runs/artifacts")
for arg in "$@"; do
  if [[ "$arg" == "--summaries" ]]; then find_model_args+=(--with-summary-catalogue); fi
  if [[ "$arg" == "-h" || "$arg" == "--help" ]]; then
    exec "$root/bin/launch" flink-jobs/streaming org.lmrec.stream.local.LocalDemo --help 2>/dev/null
  fi
done

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$demo_pid" ]] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM "$demo_pid" 2>/dev/null || true   # the JVM's shutdown hook cancels the job
    wait "$demo_pid" 2>/dev/null || true
  fi
  say "stopping the Kafka broker"
  "${kafka[@]}" stop --dir "$work/kafka" || true
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "checking the build of the streaming job (it builds on the first run or after a source change)"
classpath="$("$root/bin/launch" --classpath flink-jobs/streaming)"
# jdk.incubator.vector: the serving kernels use the Vector API. JDK 17 prints "WARNING: Using incubator
# modules: jdk.incubator.vector" at every start and no flag turns it off, so the JVMs below run with
# exactly that line filtered out of their stderr (as bin/launch does); all else, and exit codes, pass.
java_cmd=(java ${LMREC_JAVA_OPTS:--Xmx4g} --add-modules jdk.incubator.vector -Dai.djl.offline=true
          -Dlog4j2.configurationFile="$root/deploy/local/log4j2-demo.properties"
          -cp "$classpath" org.lmrec.stream.local.LocalDemo)
incubator_warning='WARNING: Using incubator modules: jdk.incubator.vector'
demo_jvm() { "${java_cmd[@]}" "$@" 2> >(grep -vxF --line-buffered "$incubator_warning" >&2); }

say "starting Kafka on 127.0.0.1:$port"
"${kafka[@]}" start --port "$port" --dir "$work/kafka"
for topic in "lmrec.interactions 4" "lmrec.recommendations 4" "lmrec.dead-letters 1" "lmrec.summaries 4"; do
  "${kafka[@]}" topics create $topic --dir "$work/kafka" >/dev/null
done
"${kafka[@]}" topics create lmrec.model-updates 1 --compact --dir "$work/kafka" >/dev/null

if ! model="$(demo_jvm find-model "${find_model_args[@]}" 2>/dev/null)"; then
  say "no model trained on the synthetic data yet (with a summary catalogue, for --summaries): training one (./lmrec train, about a minute)"
  "$root/lmrec" train
  model="$(demo_jvm find-model "${find_model_args[@]}")"
fi
say "serving $model"

mkdir -p "$work"
# Not through demo(): $! must be the JVM's pid, which cleanup() signals.
"${java_cmd[@]}" --bootstrap "127.0.0.1:$port" --model "$model" --work-dir "$work" "$@" \
  2> >(grep -vxF --line-buffered "$incubator_warning" >&2) &
demo_pid=$!
wait "$demo_pid"
