# Sourced by faults.sh and measure.sh: the benchmarks' client (FaultTool) on a private classpath.
# Expects ROOT (the repository) and a say function.

# bench_client_classpath LIBDIR SKIP_BUILD: builds the benchmarks and the job jar (offline first, then
# online) unless SKIP_BUILD is 1, copies the project's own jars into LIBDIR (a rebuild during a long
# run must not pull classes out from under it) and writes the classpath to LIBDIR/classpath.
bench_client_classpath() {
  local lib="$1" skip="${2:-0}" dep
  if [[ "$skip" != 1 ]]; then
    (cd "$ROOT" && ./mvnw -B -q -o -DskipTests -pl benchmarks,flink-jobs/job-jars/streaming-job -am package) ||
      (cd "$ROOT" && ./mvnw -B -q -DskipTests -pl benchmarks,flink-jobs/job-jars/streaming-job -am package) ||
      { say "build failed"; return 1; }
  fi
  mkdir -p "$lib"
  cp "$ROOT/benchmarks/target/lmrec-benchmarks-0.1.0-SNAPSHOT.jar" "$lib/" || { say "no benchmarks jar: build it first"; return 1; }
  local cp="$lib/lmrec-benchmarks-0.1.0-SNAPSHOT.jar"
  IFS=: read -ra deps <"$ROOT/benchmarks/target/classpath.txt" || true
  for dep in "${deps[@]}"; do
    case "$dep" in
      "$ROOT"/*) cp "$dep" "$lib/"; cp+=":$lib/$(basename "$dep")" ;;
      *) cp+=":$dep" ;;
    esac
  done
  echo "$cp" >"$lib/classpath"
}
