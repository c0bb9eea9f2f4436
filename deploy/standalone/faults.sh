#!/usr/bin/env bash
# The fault campaign (issue 18, item 6): one fault at a time on the standalone cluster
# (deploy/standalone/cluster.sh) under steady live load, the job delivering EXACTLY_ONCE with a
# checkpoint every 5 s; after each case the ground truth computed from the input is compared with
# the committed recommendations, the archive and the user sequences in the final savepoint
# (org.lmrec.bench.faults.FaultTool check). Prints the table; docs/fault-campaign.md explains it.
#
# Usage: deploy/standalone/faults.sh [CASE ...]   (default: tm broker jm redeploy rescale swap baseline)
#   tm        kill -9 the TaskManager running the job, start a replacement
#   broker    stop the Kafka broker, restart it
#   jm        kill -9 the JobManager, restart it, resume from the latest retained checkpoint
#   redeploy  stop with a savepoint, start a changed job jar from it (ChangedStreamingJobMain: one new
#             operator between the scorer and the recommendations sink; top-k 20, batch size 32)
#   rescale   parallelism 1 -> 2 through a savepoint
#   swap      announce a model swap while the TaskManager is down
#   baseline  no fault
# Environment: LMREC_PORT_BASE (ports of the cluster, default 20000), FAULTS_DIR (runs/faults),
# FAULTS_RATE (events/s, 100), FAULTS_BEFORE_S (load before the fault, 20), FAULTS_AFTER_S (load
# after it, 60), FAULTS_SWAP_ALLOWANCE_S (old-version recommendations allowed for this long after
# the job runs again, 30), FAULTS_BROKER_DOWN_S (10), FAULTS_KEEP_CLUSTER=1 (leave it running).
#
# No `set -e`: a case that fails must not end the campaign; its row says what went wrong.
set -uo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT="$(cd "$HERE/../.." && pwd)"
readonly FAULTS_DIR="$(mkdir -p "${FAULTS_DIR:-$ROOT/runs/faults}" && cd "${FAULTS_DIR:-$ROOT/runs/faults}" && pwd)"
export LMREC_STANDALONE_DIR="${LMREC_STANDALONE_DIR:-$FAULTS_DIR/cluster}"
export LMREC_STANDALONE_PORT_BASE="${LMREC_PORT_BASE:-${LMREC_STANDALONE_PORT_BASE:-20000}}"
export LMREC_CHECKPOINT_INTERVAL=5s
readonly CLUSTER="${LMREC_CLUSTER_SH:-$HERE/cluster.sh}"
readonly KAFKA="$ROOT/deploy/local/kafka.sh"
readonly RATE="${FAULTS_RATE:-100}"
readonly BEFORE_S="${FAULTS_BEFORE_S:-20}"
readonly AFTER_S="${FAULTS_AFTER_S:-60}"
readonly ALLOWANCE_S="${FAULTS_SWAP_ALLOWANCE_S:-30}"
readonly BROKER_DOWN_S="${FAULTS_BROKER_DOWN_S:-10}"
readonly PREP="$FAULTS_DIR/prepared"
readonly TABLE="$FAULTS_DIR/table.tsv"
readonly CHECKPOINTS="$FAULTS_DIR/checkpoints.tsv"
readonly CHANGED_JOB="$FAULTS_DIR/changed-job.tsv"
# The redeploy case's changed jar: lmrec-streaming-job.jar plus ChangedStreamingJobMain (built below).
readonly CHANGED_JAR="$FAULTS_DIR/lib/lmrec-streaming-job-changed.jar"
readonly CHANGED_MAIN=org.lmrec.bench.faults.ChangedStreamingJobMain
readonly CHANGED_OPERATOR=changed-job-recommendation-count CHANGED_METRIC=lmrecChangedJobRecommendations

say() { printf '%s faults.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench-client.sh
. "$ROOT/deploy/standalone/bench-client.sh"
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo "${t:0:${#t}-3}"; }

eval "$("$CLUSTER" env)"
readonly S3_DIR="$LMREC_S3_DIR" BOOTSTRAP="$LMREC_KAFKA_BOOTSTRAP" REST="$LMREC_REST_URL"

# --- the client: FaultTool from the benchmarks' classpath -----------------------------------------

build() {
  say "building the benchmarks (FaultTool) and the job jar"
  bench_client_classpath "$FAULTS_DIR/lib" "${FAULTS_SKIP_BUILD:-0}" || exit 1
  # The changed job jar: the job jar's classes plus one new class, so a restore from the old jar's
  # savepoint runs different code (a new operator with its own uid), not just different settings.
  cp "$ROOT/flink-jobs/job-jars/streaming-job/target/lmrec-streaming-job.jar" "$CHANGED_JAR"
  (cd "$ROOT/benchmarks/target/classes" && jar uf "$CHANGED_JAR" org/lmrec/bench/faults/ChangedStreamingJobMain*.class) ||
    { say "could not build the changed job jar"; exit 1; }
}

ft() {
  java -Xmx1g --add-modules jdk.incubator.vector -Dai.djl.offline=true -Djava.io.tmpdir="$FAULTS_DIR/tmp" \
    -Dlog4j2.configurationFile="$ROOT/deploy/local/log4j2-demo.properties" \
    -cp "$(<"$FAULTS_DIR/lib/classpath")" org.lmrec.bench.faults.FaultTool "$@"
}

# --- the job ---------------------------------------------------------------------------------------

rest() { curl -fsS --max-time 5 "$REST$1"; }

# Waits until JOB runs with every task running (or finished: the bounded experiments source ends);
# prints the time (epoch ms) it saw that.
wait_running() {
  local job="$1" deadline=$((SECONDS + ${2:-180})) state
  while ((SECONDS < deadline)); do
    state="$(rest "/jobs/$job" 2>/dev/null | jq -r '[.state] + [.vertices[].status | select(. != "FINISHED")] | unique | join(",")' 2>/dev/null)"
    if [[ "$state" == RUNNING ]]; then now_ms; return 0; fi
    sleep 0.2
  done
  say "job $job not running after ${2:-180}s (last: ${state:-no answer})"
  return 1
}

# Waits (at most 60 s) until the JobManager has noticed a fault: JOB is no longer all running.
wait_disturbed() {
  local job="$1" deadline=$((SECONDS + 60)) state
  while ((SECONDS < deadline)); do
    state="$(rest "/jobs/$job" 2>/dev/null | jq -r '[.state] + [.vertices[].status | select(. != "FINISHED")] | unique | join(",")' 2>/dev/null)"
    [[ "$state" != RUNNING ]] && return 0
    sleep 0.2
  done
  say "job $job still all running 60 s after the fault"
}

# The archive: on the object store (default) or, FAULTS_ARCHIVE=file, in FAULTS_DIR.
archive_uri() { if [[ "${FAULTS_ARCHIVE:-s3}" == file ]]; then echo "file://$FAULTS_DIR/archive/$1"; else echo "s3://$LMREC_S3_BUCKET/faults/$1/archive"; fi; }
archive_local() { if [[ "${FAULTS_ARCHIVE:-s3}" == file ]]; then echo "file://$FAULTS_DIR/archive/$1"; else echo "file://$S3_DIR/faults/$1/archive"; fi; }

# Options of this case's job: its own topics, consumer group, transactional ids and archive.
job_options() {
  local c="$1"
  echo "-Dlmrec.topic.interactions=f.$c.in -Dlmrec.topic.recommendations=f.$c.out -Dlmrec.topic.dead-letters=f.$c.dlq"
  echo "-Dlmrec.topic.model-updates=f.$c.models -Dlmrec.kafka.group-id=f.$c -Dlmrec.job.name=faults-$c"
  echo "-Dlmrec.sink.delivery=EXACTLY_ONCE -Dlmrec.checkpoint.interval=5s -Dlmrec.archive.path=$(archive_uri "$c")"
  echo "-Dlmrec.model.initial=$PREP/models/fault-v1 -Dlmrec.models.trusted-keys=$PREP/keys/faults.pub"
  # Checkpoints on the object store (default) or, FAULTS_CHECKPOINTS=file, in FAULTS_DIR; savepoints
  # go to the object store either way.
  [[ "${FAULTS_CHECKPOINTS:-s3}" == file ]] && echo "-Dlmrec.checkpoint.dir=file://$FAULTS_DIR/checkpoints"
  return 0
}

submit() { # CASE PARALLELISM [--from SAVEPOINT] [--changed] [extra -D...]
  local c="$1" p="$2"
  shift 2
  local -a from=() jar=()
  if [[ "${1:-}" == --from ]]; then from=(--from "$2"); shift 2; fi
  if [[ "${1:-}" == --changed ]]; then jar=(--jar "$CHANGED_JAR" --class "$CHANGED_MAIN"); shift; fi
  # shellcheck disable=SC2046 # the options are words without spaces
  "$CLUSTER" submit --parallelism "$p" "${jar[@]}" "${from[@]}" -- $(job_options "$c") "$@"
}

# Whether the changed job's code runs in JOB: its job graph (REST) lists the new operator and the
# operator's counter (summed over subtasks) is above 0. Appends a line to CHANGED_JOB; fails if not.
check_changed_job() { # JOB
  local job="$1" vertex ids count="" deadline=$((SECONDS + 60))
  vertex="$(rest "/jobs/$job" 2>/dev/null | jq -r --arg op "$CHANGED_OPERATOR" '.vertices[] | select(.name | contains($op)) | .id' | head -n 1)"
  if [[ -z "$vertex" ]]; then
    printf '%s\t%s\tno\tn/a\n' "$job" "$CHANGED_MAIN" >>"$CHANGED_JOB"
    say "redeploy: job $job has no operator $CHANGED_OPERATOR: the changed jar did not run"
    return 1
  fi
  # The REST metrics are fetched from the TaskManagers every few seconds: the first answers may be empty.
  while ((SECONDS < deadline)); do
    ids="$(rest "/jobs/$job/vertices/$vertex/metrics" 2>/dev/null | jq -r --arg m ".$CHANGED_METRIC" '[.[].id | select(endswith($m))] | join(",")')"
    [[ -n "$ids" ]] && count="$(rest "/jobs/$job/vertices/$vertex/metrics?get=$ids" 2>/dev/null | jq -r '[.[].value | tonumber] | add // empty')"
    [[ -n "$count" ]] && ((count > 0)) && break
    sleep 1
  done
  printf '%s\t%s\tyes\t%s\n' "$job" "$CHANGED_MAIN" "${count:-n/a}" >>"$CHANGED_JOB"
  say "redeploy: operator $CHANGED_OPERATOR in job $job counted ${count:-no} recommendations"
  [[ -n "$count" ]] && ((count > 0))
}

# The newest completed checkpoint of JOB: what a restarted JobManager without HA resumes from.
latest_checkpoint() {
  [[ "${FAULTS_CHECKPOINTS:-s3}" == file ]] || { "$CLUSTER" latest-checkpoint "$1"; return; }
  local d best="" n best_n=-1
  for d in "$FAULTS_DIR/checkpoints/$1"/chk-*; do
    [[ -f "$d/_metadata" ]] || continue
    n="${d##*/chk-}"
    ((n > best_n)) && { best_n="$n"; best="$d"; }
  done
  [[ -n "$best" ]] && echo "file://$best"
}

# The savepoint's _metadata on S3 as a local folder URI: S3Proxy's filesystem backend keeps objects as files.
local_uri() { local p="${1%/_metadata}"; echo "file://$S3_DIR/${p#s3://$LMREC_S3_BUCKET/}"; }

checkpoint_stats() { # CASE JOB
  rest "/jobs/$2/checkpoints" 2>/dev/null | jq -r --arg c "$1" \
    '[$c, .counts.completed, .counts.failed, (.latest.completed.end_to_end_duration // "n/a"),
      (.latest.completed.checkpointed_size // "n/a"), (.latest.completed.state_size // "n/a"),
      (.summary.end_to_end_duration.avg // "n/a")] | @tsv' >>"$CHECKPOINTS" 2>/dev/null || true
}

TM=1 # the TaskManager that runs now (the cluster keeps one; each replacement gets the next number)

ensure_tm() {
  local status
  status="$("$CLUSTER" status 2>/dev/null)"
  grep -q "^tm-$TM: running" <<<"$status" && return 0
  TM=$((TM + 1))
  "$CLUSTER" start-tm "$TM" >&2
}

# --- one case --------------------------------------------------------------------------------------

run_case() {
  local name="$1" c="$1-$(date +%H%M%S)" p=2 job fault_at=-1 version=fault-v1 version_from=-1 allowance=0 log
  log="$FAULTS_DIR/$c.log"
  say "=== case $name ($c), log $log"
  [[ "$name" == rescale ]] && p=1
  ensure_tm
  local t
  for t in in:2 out:2 dlq:1; do "$KAFKA" topics create "f.$c.${t%:*}" "${t#*:}" --dir "$LMREC_KAFKA_DIR" >>"$log" 2>&1; done
  "$KAFKA" topics create "f.$c.models" 1 --compact --dir "$LMREC_KAFKA_DIR" >>"$log" 2>&1
  job="$(submit "$c" "$p" 2>>"$log")" || { say "$name: submit failed"; echo -e "$name\tsubmit failed" >>"$TABLE"; return 1; }
  wait_running "$job" >/dev/null || { echo -e "$name\tjob did not start" >>"$TABLE"; return 1; }
  say "$name: job $job runs at parallelism $p; load $RATE ev/s for $((BEFORE_S + AFTER_S)) s, the fault after ${BEFORE_S} s"
  ft load --bootstrap "$BOOTSTRAP" --topic "f.$c.in" --events "$PREP/events.tsv" --sent "$FAULTS_DIR/$c.sent.tsv" \
    --id-prefix "$c" --rate "$RATE" --seconds "$((BEFORE_S + AFTER_S))" >>"$log" 2>&1 &
  local load=$!
  sleep "$BEFORE_S"
  fault_at="$(now_ms)"
  say "$name: fault at $fault_at (epoch ms)"
  case "$name" in
    tm)
      "$CLUSTER" kill-tm "$TM" >>"$log" 2>&1
      TM=$((TM + 1))
      # The replacement starts at once; "running again" counts only after the JobManager noticed the loss.
      "$CLUSTER" start-tm "$TM" >>"$log" 2>&1 &
      wait_disturbed "$job"
      wait $!
      ;;
    broker)
      "$KAFKA" stop --dir "$LMREC_KAFKA_DIR" >>"$log" 2>&1
      sleep "$BROKER_DOWN_S"
      "$KAFKA" start --port "${BOOTSTRAP##*:}" --dir "$LMREC_KAFKA_DIR" >>"$log" 2>&1
      ;;
    jm)
      "$CLUSTER" kill-jm >>"$log" 2>&1
      "$CLUSTER" start-jm >>"$log" 2>&1
      local cp
      cp="$(latest_checkpoint "$job" 2>>"$log")"
      say "jm: resuming from $cp"
      job="$(submit "$c" "$p" --from "$cp" 2>>"$log")" || say "jm: resubmit failed"
      ;;
    redeploy)
      local sp
      sp="$("$CLUSTER" savepoint "$job" --stop 2>>"$log")"
      say "redeploy: stopped with $sp; starting the changed job"
      job="$(submit "$c" "$p" --from "$sp" --changed -Dlmrec.scoring.top-k=20 -Dlmrec.scoring.batch-size=32 2>>"$log")" || say "redeploy: submit failed"
      ;;
    rescale)
      local sp
      sp="$("$CLUSTER" savepoint "$job" --stop 2>>"$log")"
      say "rescale: stopped with $sp; starting at parallelism 2"
      p=2
      job="$(submit "$c" "$p" --from "$sp" 2>>"$log")" || say "rescale: submit failed"
      ;;
    swap)
      "$CLUSTER" kill-tm "$TM" >>"$log" 2>&1
      ft announce --bootstrap "$BOOTSTRAP" --topic "f.$c.models" --dir "$PREP" --version fault-v2 >>"$log" 2>&1
      TM=$((TM + 1))
      "$CLUSTER" start-tm "$TM" >>"$log" 2>&1 &
      wait_disturbed "$job"
      wait $!
      version=fault-v2
      allowance="$ALLOWANCE_S"
      ;;
    baseline) ;;
  esac
  local running_at
  running_at="$(wait_running "$job" 300)" || say "$name: the job did not run again"
  [[ "$name" == swap ]] && version_from="$running_at"
  say "$name: running again $(((running_at - fault_at) / 1000)) s after the fault; waiting for the load to end"
  wait "$load"
  # Every accepted event's recommendation committed (at most 3 minutes), then the final savepoint.
  ft check --case "$name" --bootstrap "$BOOTSTRAP" --interactions "f.$c.in" --recommendations "f.$c.out" \
    --wait-seconds 180 --expect-version "$version" >>"$log" 2>&1
  checkpoint_stats "$name" "$job"
  if [[ "$name" == redeploy ]] && ! check_changed_job "$job"; then
    echo -e "redeploy\tthe changed job jar did not run (see $CHANGED_JOB)" >>"$TABLE"
  fi
  local sp
  sp="$("$CLUSTER" savepoint "$job" --stop 2>>"$log")" || {
    say "$name: final savepoint failed; cancelling the job so the next case gets its slots"
    curl -fsS -X PATCH "$REST/jobs/$job?mode=cancel" >/dev/null 2>&1
  }
  say "$name: final savepoint $sp"
  local -a state=()
  [[ -n "$sp" ]] && state=(--savepoint "$(local_uri "$sp")")
  ft check --case "$name" --bootstrap "$BOOTSTRAP" --interactions "f.$c.in" --recommendations "f.$c.out" \
    --sent "$FAULTS_DIR/$c.sent.tsv" --archive "$(archive_local "$c")" "${state[@]}" \
    --expect-version "$version" --version-from "$version_from" --allowance-seconds "$allowance" \
    --fault-at "$fault_at" --table "$TABLE" 2>>"$log" | tail -n 1 >&2
}

cleanup() {
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
  if [[ "${FAULTS_KEEP_CLUSTER:-0}" != 1 ]]; then "$CLUSTER" stop >/dev/null 2>&1; fi
}

main() {
  local -a cases=("$@")
  ((${#cases[@]})) || cases=(tm broker jm redeploy rescale swap baseline)
  local c
  for c in "${cases[@]}"; do
    case "$c" in tm | broker | jm | redeploy | rescale | swap | baseline) ;; *) say "unknown case '$c'"; exit 2 ;; esac
  done
  mkdir -p "$FAULTS_DIR/tmp"
  build
  [[ -f "$PREP/events.tsv" ]] || ft prepare --dir "$PREP" --events 200000 >&2 || { say "prepare failed"; exit 1; }
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  "$CLUSTER" start --taskmanagers 1 >&2 || { say "the cluster did not start"; exit 1; }
  TM="$("$CLUSTER" status | sed -n 's/^tm-\([0-9]*\): running.*/\1/p' | tail -n 1)"
  TM="${TM:-1}"
  rm -f "$TABLE" "$CHECKPOINTS" "$CHANGED_JOB"
  printf 'job\tmain class\tnew operator in the job graph\tits counter\n' >"$CHANGED_JOB"
  printf 'case\tcompleted\tfailed\tlast_duration_ms\tlast_checkpointed_bytes\tlast_full_bytes\tavg_duration_ms\n' >"$CHECKPOINTS"
  for c in "${cases[@]}"; do run_case "$c"; done
  echo
  column -t -s $'\t' "$TABLE"
  echo
  echo "checkpoints (at the end of each case):"
  column -t -s $'\t' "$CHECKPOINTS"
  if (($(wc -l <"$CHANGED_JOB") > 1)); then
    echo
    echo "the changed job (redeploy, before its final savepoint):"
    column -t -s $'\t' "$CHANGED_JOB"
  fi
}

main "$@"
