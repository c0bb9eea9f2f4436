#!/usr/bin/env bash
# The local demo in one command: a real Kafka broker (a process on 127.0.0.1, KRaft), a model
# (the newest one `./lmrec train` wrote on synthetic data, or a fresh one), the streaming job on
# a local Flink MiniCluster with RocksDB and the web UI, and synthetic traffic replayed into the
# input topic. Recommendations are printed as they arrive. Ctrl-C stops everything it started.
#
#   deploy/local/run.sh [--ab | --retrain | --replay] [--rate 200] [--web-port 8081] [--summaries [--summaries-gguf FILE]] [--duration 5m]
#                       [any other LocalDemo option, see --help]
#
# One flag per use (without one: recommendations until Ctrl-C):
#   --ab       a live A/B test: the SASRec against a GRU4Rec (trained too if missing), 50/50; each look
#              at the experiment is printed as it arrives on lmrec.experiment-results, the report
#              (JSON, PNG) is kept in runs/local/experiments. Stops after --duration (default 5m).
#   --retrain  the retraining scheduler (./lmrec-retrain schedule) on the demo's own archive: once
#              enough new interactions are archived it trains a SASRec on them, gates it, publishes it
#              to runs/local/retrained and announces it; the demo prints the swap when the served
#              version changes, and stops 30 s later (or after --duration, default 15m).
#   --replay   replays the demo's archive (runs/local/archive, the last day) through the streaming
#              job's own operators (./lmrec-replay) and prints where the report is; with no archive
#              yet it first runs the demo for 2 minutes to make one.
#
# --summaries also keeps each user's preference summary fresh in the job (LLM-TRSR, recurrent
# strategy, extractive backend, docs/streaming.md "User summaries") and prints a few as they
# refresh; it needs a model with a summary catalogue (./lmrec train attaches one), trained if none.
#
# The first run trains the demo's model (and --ab its GRU4Rec) within a time budget; a progress bar
# and each epoch's line say how long it may still take.
#
# Environment: LMREC_KAFKA_PORT (default 9092), LMREC_JAVA_OPTS (default -Xmx4g),
# LMREC_DEMO_TRAIN (the demo's training options, default "--max-minutes 3 --epochs 40 --patience 3
# --max-len 20 --lr 0.002": test NDCG@10 0.2569 on the synthetic data, popularity 0.0536).
set -euo pipefail
started_at_ms="$(date +%s%3N)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
port="${LMREC_KAFKA_PORT:-9092}"
work="$root/runs/local"
kafka=("$root/deploy/local/kafka.sh")
# A bounded first training: a shorter history and a time budget keep it to a few minutes even on a busy
# machine (docs: deploy/local/README.md "First run"); the model still ends on its best validated epoch.
read -r -a train_args <<< "${LMREC_DEMO_TRAIN:---max-minutes 3 --epochs 40 --patience 3 --max-len 20 --lr 0.002}"
demo_pid=""
helper_pids=()

say() { printf '\n==> %s\n' "$*"; }

mode="recommendations"
demo_args=()
find_model_args=(--artifacts "$root/runs/artifacts")
for arg in "$@"; do
  case "$arg" in
    --ab | --retrain | --replay)
      if [[ "$mode" != "recommendations" ]]; then echo "run.sh: one of --ab, --retrain, --replay at a time (got --$mode and $arg)" >&2; exit 2; fi
      mode="${arg#--}" ;;
    -h | --help)   # this script's own flags (the header above), then the demo's options
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed -E 's/^# ?//'; echo
      exec "$root/bin/launch" flink-jobs/streaming org.lmrec.stream.local.LocalDemo --help 2>/dev/null ;;
    *)
      if [[ "$arg" == "--summaries" ]]; then find_model_args+=(--with-summary-catalogue); fi
      demo_args+=("$arg") ;;
  esac
done

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$demo_pid" ]] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM "$demo_pid" 2>/dev/null || true   # the JVM's shutdown hook cancels the job
    wait "$demo_pid" 2>/dev/null || true
  fi
  for pid in "${helper_pids[@]}"; do   # the retraining scheduler and its log filter
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if "${kafka[@]}" status --dir "$work/kafka" >/dev/null 2>&1; then
    say "stopping the Kafka broker"
    "${kafka[@]}" stop --dir "$work/kafka" || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "checking the build of the streaming job (it builds on the first run or after a source change)"
classpath="$("$root/bin/launch" --classpath flink-jobs/streaming)"
# jdk.incubator.vector: the serving kernels use the Vector API. JDK 17 prints "WARNING: Using incubator
# modules: jdk.incubator.vector" at every start and no flag turns it off, so the JVMs below run with
# exactly that line filtered out of their stderr (as bin/launch does); all else, and exit codes, pass.
# --summaries-gguf FILE needs the optional GGUF module (llama.cpp's binding) beside the job's classpath.
if [[ " ${demo_args[*]} " == *" --summaries-gguf "* ]]; then
  gguf_jar="$root/summary-gguf/target/lmrec-summary-gguf-0.1.0-SNAPSHOT.jar"
  llama_jar="$HOME/.m2/repository/de/kherud/llama/4.2.0/llama-4.2.0.jar"
  if [[ ! -f "$gguf_jar" || ! -f "$llama_jar" ]]; then
    say "building the optional GGUF summary module (summary-gguf)"
    "$root/mvnw" -B -q -DskipTests -pl summary-gguf -am package >&2
  fi
  classpath="$classpath:$gguf_jar:$llama_jar"
fi
classpath="$classpath${LMREC_EXTRA_CLASSPATH:+:$LMREC_EXTRA_CLASSPATH}"
java_cmd=(java ${LMREC_JAVA_OPTS:--Xmx4g} --add-modules jdk.incubator.vector -Dai.djl.offline=true
          -Dlog4j2.configurationFile="$root/deploy/local/log4j2-demo.properties"
          -cp "$classpath" org.lmrec.stream.local.LocalDemo)
incubator_warning='WARNING: Using incubator modules: jdk.incubator.vector'
demo_jvm() { "${java_cmd[@]}" "$@" 2> >(grep -vxF --line-buffered "$incubator_warning" >&2); }

# The newest model of KIND trained on the synthetic data, trained now (with the demo's budget) if none.
model_of() {
  local kind="$1" found
  if ! found="$(demo_jvm find-model --kind "$kind" "${find_model_args[@]}" 2>/dev/null)"; then
    say "no $kind trained on the synthetic data yet: training one (./lmrec train --model $kind ${train_args[*]}; each epoch's line says how long it may still take)" >&2
    "$root/lmrec" train --model "$kind" "${train_args[@]}" >&2
    found="$(demo_jvm find-model --kind "$kind" "${find_model_args[@]}")"
  fi
  echo "$found"
}

replay_archive() {
  local models=(--model "$1")
  if found="$(demo_jvm find-model --kind gru4rec "${find_model_args[@]}" 2>/dev/null)"; then models+=(--model "$found"); fi
  say "replaying the demo's archive (the last day of runs/local/archive) through the streaming job's operators: ./lmrec-replay"
  "$root/lmrec-replay" --archive "$work/archive" --window 1d "${models[@]}" --out "$work/replay"
  # ./lmrec-replay has printed the Markdown report itself; say where the files are.
  say "replay report: $work/replay/replay-report.md (and .json, ndcg-at-10.png, hr-at-10.png beside it)"
}

archived() { [[ -n "$(find "$work/archive" -name '*.avro' -size +0 -print -quit 2>/dev/null)" ]]; }

model="$(model_of sasrec)"
if [[ "$mode" == "replay" ]] && archived; then
  replay_archive "$model"
  exit 0
fi

say "starting Kafka on 127.0.0.1:$port"
"${kafka[@]}" start --port "$port" --dir "$work/kafka"
# One describe for all, a create for each missing topic: a repeat start (topics there) costs one tool JVM.
"${kafka[@]}" topics ensure lmrec.interactions:4 lmrec.recommendations:4 lmrec.dead-letters:1 lmrec.summaries:4 \
    lmrec.model-updates:1:compact lmrec.experiment-results:1:compact --dir "$work/kafka" >/dev/null
retrained_args=()
if [[ -f "$work/retrained/SERVING.json" ]]; then
  # After a --retrain session the compacted topic still announces its last version, and every
  # later job reads it: start from that version (the job refuses an announcement older than one it
  # has accepted, so --retrain's swap is then to a newer one) and let the job load from that
  # folder in every mode, instead of logging the announcement as refused.
  version="$(sed -n 's/.*"version" *: *"\([^"]*\)".*/\1/p' "$work/retrained/SERVING.json")"
  if [[ -n "$version" && -d "$work/retrained/$version" ]]; then
    # Loads stay allowed from the trained models' folder too (the --ab candidate lives there).
    if [[ "$mode" != "retrain" ]]; then retrained_args=(--artifact-root "$work/retrained" --artifact-root "$(dirname "$model")"); fi
    model="$work/retrained/$version"
    say "the last --retrain's model is still announced on lmrec.model-updates (runs/local/retrained; delete runs/local to start afresh)"
  fi
fi
say "serving $model"

# Mode defaults come first: an option given on the command line (e.g. --duration 10m) wins.
mode_args=()
case "$mode" in
  ab)
    mode_args=(--duration 5m --ab-model "$(model_of gru4rec)") ;;
  retrain)
    keys="$work/keys"
    public_key="$(demo_jvm keys --dir "$keys")"   # the demo's pair, created on first use
    say "starting the retraining scheduler on the demo's archive (log: runs/local/retrain.log): a SASRec on the archived interactions once 20,000 new ones are archived"
    "$root/lmrec-retrain" schedule --new-interactions 20000 --poll 10s --metrics-port 0 \
        --archive "$work/archive" --artifacts "$work/retrained" --window 1d \
        --bootstrap-servers "127.0.0.1:$port" --signing-key "${public_key%.pub}.key" \
        --enhancer none --max-len 20 --epochs 15 --patience 3 > "$work/retrain.log" 2>&1 &
    scheduler_pid=$!
    helper_pids+=("$scheduler_pid")
    # The scheduler's main steps, as they happen, beside the recommendations (tail ends with the scheduler).
    tail -n +1 --pid="$scheduler_pid" -F "$work/retrain.log" 2>/dev/null \
      | grep --line-buffered -E "^lmrec: building|^[0-9:.]+ +(WARN|ERROR) |^[0-9:.]+ +INFO .*(scheduler started|new archived interactions|Retraining \(|retraining|quality gate|published|refused|epoch [0-9]+/)" \
      | grep --line-buffered -v -E " WARN +(CollectResultFetcher|WebMonitorUtils|DefaultDelegationTokenManager|JobMaster) " \
      | sed -u 's/^/          [retrain] /' &
    helper_pids+=($!)
    mode_args=(--duration 15m --stop-after-swap 30s --artifact-root "$work/retrained") ;;
  replay)
    say "no archive yet: running the demo for 2 minutes to make one, then replaying it"
    mode_args=(--duration 2m) ;;
esac

mkdir -p "$work"
# Not through demo_jvm: $! must be the JVM's pid, which cleanup() signals.
"${java_cmd[@]}" --bootstrap "127.0.0.1:$port" --model "$model" --work-dir "$work" --started-at-ms "$started_at_ms" \
    "${mode_args[@]}" "${retrained_args[@]}" "${demo_args[@]}" 2> >(grep -vxF --line-buffered "$incubator_warning" >&2) &
demo_pid=$!
wait "$demo_pid"
demo_pid=""
if [[ "$mode" == "replay" ]]; then replay_archive "$model"; fi
