#!/usr/bin/env bash
# Throughput and latency of the streaming job on the standalone cluster (deploy/standalone/cluster.sh)
# at parallelism 1 and 2, against the same job on an in-process MiniCluster (StreamingJobMain run as a
# plain JVM), same machine, same seeded events and model (FaultTool prepare), AT_LEAST_ONCE so the
# latency is the job's own and not the checkpoint interval.
#   drain: BACKLOG events written before the job starts; events/s between its first and last recommendation
#   live:  RATE events/s for LIVE_S seconds; p50/p99/max of latencyMillis (arrival in the job's source to
#          emission by the scorer), read back from the recommendations
# Usage: deploy/standalone/measure.sh   Environment: LMREC_PORT_BASE (20000), MEASURE_DIR (runs/measure),
# MEASURE_BACKLOG (30000), MEASURE_RATE (200), MEASURE_LIVE_S (30), MEASURE_MODES ("standalone minicluster"),
# MEASURE_PARALLELISM ("1 2").
set -uo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT="$(cd "$HERE/../.." && pwd)"
readonly DIR="$(mkdir -p "${MEASURE_DIR:-$ROOT/runs/measure}" && cd "${MEASURE_DIR:-$ROOT/runs/measure}" && pwd)"
export LMREC_STANDALONE_DIR="${LMREC_STANDALONE_DIR:-$DIR/cluster}"
export LMREC_STANDALONE_PORT_BASE="${LMREC_PORT_BASE:-${LMREC_STANDALONE_PORT_BASE:-20000}}"
readonly CLUSTER="${LMREC_CLUSTER_SH:-$HERE/cluster.sh}"
readonly KAFKA="$ROOT/deploy/local/kafka.sh"
readonly BACKLOG="${MEASURE_BACKLOG:-30000}"
readonly RATE="${MEASURE_RATE:-200}"
readonly LIVE_S="${MEASURE_LIVE_S:-30}"
readonly PREP="$DIR/prepared"
readonly RESULTS="$DIR/results.tsv" # appended to; delete it for a fresh table

say() { printf '%s measure.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
# shellcheck source=bench-client.sh
. "$ROOT/deploy/standalone/bench-client.sh"

eval "$("$CLUSTER" env)"
readonly BOOTSTRAP="$LMREC_KAFKA_BOOTSTRAP" REST="$LMREC_REST_URL"

classpath() {
  say "building the benchmarks (FaultTool) and the job jar"
  bench_client_classpath "$DIR/lib" "${MEASURE_SKIP_BUILD:-0}" || exit 1
}

java_cp() {
  java --add-modules jdk.incubator.vector -Dai.djl.offline=true -Djava.io.tmpdir="$DIR/tmp" \
    -Dlog4j2.configurationFile="$ROOT/deploy/local/log4j2-demo.properties" -cp "$(<"$DIR/lib/classpath")" "$@"
}
ft() { java_cp -Xmx1g org.lmrec.bench.faults.FaultTool "$@"; }

options() { # RUN
  echo "-Dlmrec.kafka.bootstrap-servers=$BOOTSTRAP -Dlmrec.topic.interactions=m.$1.in -Dlmrec.topic.recommendations=m.$1.out -Dlmrec.topic.dead-letters=m.$1.dlq"
  echo "-Dlmrec.topic.model-updates=m.$1.models -Dlmrec.kafka.group-id=m.$1 -Dlmrec.job.name=measure-$1 -Dlmrec.sink.delivery=AT_LEAST_ONCE"
  echo "-Dlmrec.model.initial=$PREP/models/fault-v1 -Dlmrec.models.trusted-keys=$PREP/keys/faults.pub"
  echo "-Dlmrec.checkpoint.dir=file://$DIR/checkpoints -Dlmrec.checkpoint.interval=10s"
}

measure() { # MODE PARALLELISM
  local mode="$1" p="$2" run="$1-p$2-$(date +%H%M%S)" job="" pid="" t
  say "== $mode, parallelism $p ($run)"
  for t in in:2 out:2 dlq:1; do "$KAFKA" topics create "m.$run.${t%:*}" "${t#*:}" --dir "$LMREC_KAFKA_DIR" >/dev/null 2>&1; done
  "$KAFKA" topics create "m.$run.models" 1 --compact --dir "$LMREC_KAFKA_DIR" >/dev/null 2>&1
  head -n "$BACKLOG" "$PREP/events.tsv" | grep -v -P '\t(garbage|future)$' >"$DIR/backlog.tsv"
  local n
  n="$(wc -l <"$DIR/backlog.tsv")"
  ft load --bootstrap "$BOOTSTRAP" --topic "m.$run.in" --events "$DIR/backlog.tsv" --sent "$DIR/$run.backlog.sent" \
    --id-prefix "$run-backlog" --rate 1000000 --seconds 600 >&2
  # shellcheck disable=SC2046 # option words without spaces
  if [[ "$mode" == standalone ]]; then
    job="$("$CLUSTER" submit --parallelism "$p" -- $(options "$run"))" || { say "submit failed"; return 1; }
  else
    # exec: $! is then the JVM itself, not a subshell around it, and the kill below reaches it.
    (exec java --add-modules jdk.incubator.vector -Xmx2g -Djava.io.tmpdir="$DIR/tmp" \
      -Dlog4j2.configurationFile="$ROOT/deploy/local/log4j2-demo.properties" -cp "$(<"$DIR/lib/classpath")" \
      org.lmrec.stream.job.StreamingJobMain $(options "$run") -Dlmrec.parallelism="$p" \
      -Drest.port=0 -Dtaskmanager.numberOfTaskSlots="$p" -Dio.tmp.dirs="$DIR/tmp") >"$DIR/$run.minicluster.log" 2>&1 &
    pid=$!
  fi
  local drain live
  drain="$(ft stats --bootstrap "$BOOTSTRAP" --recommendations "m.$run.out" --id-prefix "$run-backlog" --expect "$n" --wait-seconds 600)"
  say "drain: $drain"
  ft load --bootstrap "$BOOTSTRAP" --topic "m.$run.in" --events "$PREP/events.tsv" --sent "$DIR/$run.live.sent" \
    --id-prefix "$run-live" --rate "$RATE" --seconds "$LIVE_S" >&2
  n="$(awk -F'\t' '$2 == 1' "$DIR/$run.live.sent" | wc -l)"
  live="$(ft stats --bootstrap "$BOOTSTRAP" --recommendations "m.$run.out" --id-prefix "$run-live" --expect "$n" --wait-seconds 120)"
  say "live: $live"
  if [[ -n "$job" ]]; then curl -fsS -X PATCH "$REST/jobs/$job?mode=cancel" >/dev/null; fi
  if [[ -n "$pid" ]]; then kill "$pid"; wait "$pid" 2>/dev/null; fi
  # mode, parallelism, drained, drain ev/s, live rate, live recs, p50, p99, max
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$p" "$(cut -f3 <<<"$drain")" "$RATE" "$(cut -f2 <<<"$live")" \
    "$(cut -f4 <<<"$live")" "$(cut -f5 <<<"$live")" "$(cut -f6 <<<"$live")" >>"$RESULTS"
}

main() {
  mkdir -p "$DIR/tmp"
  classpath
  [[ -f "$PREP/events.tsv" ]] || ft prepare --dir "$PREP" --events 100000 >&2 || exit 1
  trap '[[ "${MEASURE_KEEP_CLUSTER:-0}" == 1 ]] || "$CLUSTER" stop >/dev/null 2>&1' EXIT
  "$CLUSTER" start --taskmanagers 1 >&2 || { say "the cluster did not start"; exit 1; }
  [[ -f "$RESULTS" ]] || printf 'mode\tparallelism\tdrain_ev_s\tlive_rate\tlive_recs\tp50_ms\tp99_ms\tmax_ms\n' >"$RESULTS"
  local mode p
  for mode in ${MEASURE_MODES:-standalone minicluster}; do
    for p in ${MEASURE_PARALLELISM:-1 2}; do measure "$mode" "$p"; done
  done
  column -t -s $'\t' "$RESULTS"
}

main "$@"
