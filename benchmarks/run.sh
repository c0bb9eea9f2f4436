#!/usr/bin/env bash
# Runs a benchmark harness: benchmarks/run.sh quality|speed [key=value ...]
#   quality: datasets=video,ml-100k,beauty,synthetic models=sasrec-bce,sasrec-ce,gru4rec-ce epochs=200 patience=5 evalEvery=2
#   speed:   epochs=5 threads=2
# Real datasets are read from ../shared/data (or $LMREC_SHARED_DATA) and skipped when absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
"$root/mvnw" -B -q -DskipTests -pl benchmarks -am package >&2
case "${1:-}" in
  quality) main=org.lmrec.bench.QualityBenchmark ;;
  speed) main=org.lmrec.bench.TrainingSpeedBenchmark ;;
  *) echo "usage: benchmarks/run.sh quality|speed [key=value ...]" >&2; exit 2 ;;
esac
shift
cd "$root"
exec java ${BENCH_JAVA_OPTS:--Xmx12g} -cp "$here/target/lmrec-benchmarks-0.1.0-SNAPSHOT.jar:$(cat "$here/target/classpath.txt")" "$main" "$@"
