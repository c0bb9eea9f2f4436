#!/usr/bin/env bash
# Runs a benchmark harness: benchmarks/run.sh quality|gru-state|speed|scorer|kernels|ann|wire|state|join|streaming|enhance|lm|retrain|replay|swap|fuzz|trsr [key=value ...]
#   quality: datasets=video,ml-100k,beauty,synthetic models=sasrec-bce,sasrec-ce,gru4rec-ce epochs=200 patience=5 evalEvery=2 seeds=(model default)
#   speed:   datasets=ml-100k,video epochs=5 threads=2 peer=torch python=/usr/bin/python3 (SASRec s/epoch: the JVM
#            trainer, then benchmarks/python/sasrec_torch.py on the same data and settings, and the JVM/PyTorch ratio;
#            peer=none, or no python/torch (apt-get install -y python3-torch libopenblas0-pthread), skips the peer)
#   scorer:  forks=1 warmups=3 iterations=5 seconds=1 threads=1 include=REGEX batch=1,32,256 items=3000,100000 dim=64 maxLen=50
#            (JMH: catalogue kernels vs PyTorch matmul through DJL, top-K, and the history encoders one by one vs
#            batched (batch 64 unless batch= is given); about 6 minutes, 7 with threads=1,2; include=Encoder: encoders only, 1.5 minutes)
#   kernels: batch=1,32,256 items=3000,100000 dim=64 seconds=3 (the catalogue kernels, vector and OpenBLAS, and PyTorch
#            matmul timed round-robin in one JVM, 1 thread each, robust to load from other work; what the start-up
#            calibration picks, and vector/PyTorch (before) and picked/PyTorch (after); about 1.5 minutes)
#   ann:     items=3000,100000,1000000 tables=clustered,gaussian dim=64 users=256 batch=32 k=10 seen=20 warmups=5 rounds=5
#            ef=50,100,200 m=16 beamWidth=100 (exact scan + top-K vs the HNSW index, HnswItemIndex: µs per user, speed-up,
#            recall@10 against exact, graph build time and memory; one thread; the 1M-item graph builds in minutes)
#   wire:    rounds=30 records=200000 (decode/encode CPU ns per record, headerless Avro binary vs single-object
#            encoding, interleaved; about 2 minutes)
#   state:   rounds=30 records=50000 pending=5 shown=10 steps=6 window=50 (the outcome join and user window, read + write per
#            event: Flink's Avro serializer vs the compact ones, interleaved; about a minute)
#   join:    rounds=5 events=100000 users=20000 items=3000 shown=10 horizon=5 (the outcome join on RocksDB through Flink's
#            operator harness, per scored event: step and exposure apart vs one answered record; about a minute)
#   enhance: datasets=synthetic,office,games seeds=1,2,3 epochs=200 patience=5 categories=32 sftEpochs=1 sftUsers=0
#            userTokens=128 itemTokens=64 sftMode=user-level workDir=runs/bench/work (ID-only vs frozen LM vs P2Rec,
#            SASRec and GRU4Rec; finished stages are kept in workDir, so a rerun resumes) methods=id,frozen,p2rec,llmemb,...
#            lm=minilm (or a checkpoint DIR; several, comma-separated, share one run's ID-only models, rows tagged [name])
#            backbones=sasrec,gru4rec (sasrec alone skips GRU4Rec) residualL2=0.001 (the llmemb-residual*-l2 rows)
#   trsr:    datasets=office,games seeds=1 methods=sasrec,p2rec,llmemb negatives=20 topN=50 evalUsers=0 gamesUsers=6000
#            workDir=runs/bench/trsr (LLM-TRSR table, issue 19: SASRec, P2Rec-SASRec, LLMEmb-SASRec on 1 positive + 20
#            seeded negatives, Recall/MRR@3/5/10, plus full-ranking HR/NDCG@10; writes workDir/<dataset>/seed<N>/cases.tsv,
#            the test cases with their negatives and SASRec's top-50, for the LM ranker's rows)
#            stage=summaries datasets=office,games facets=(the ranker's) tokenBudget=(the ranker's) rounds=3 examples=3 (offline
#            extractive summaries of every test user, hierarchical vs recurrent: wall ms per user, words and LM tokens)
#            stage=ranker datasets=office,games seeds=1 summaries=recurrent,none,hierarchical evalUsers=500 sftUsers=2000
#            sftEpochs=1 (the LM ranker's rows, both protocols, on a seeded sample of test users; the baseline rows re-scored
#            on the same users from their stored ranks; run after stage=baselines, whose SASRec it re-ranks)
#   lm:      texts=2000 maxTokens=64 batch=32 threads=2 djlTexts=256 lm=minilm (LM embedding throughput vs a plain ONNX
#            Runtime loop; lm= takes several checkpoints, comma-separated, e.g. lm=minilm,runs/lm/e5-small-v2, measured in turn)
#   retrain: datasets=synthetic1m,office enhancer=p2rec epochs=200 patience=5 sftEpochs=1 categories=32 dim=64
#            sftUsers=2000 for synthetic1m, 0 (all) otherwise newItems=0.01 workDir=runs/bench/retrain threads=2
#            (three RetrainJob runs per dataset from an archive it writes: cold, warm-started SFT, incremental with
#            ~1% new items; stage wall times, gate NDCG@10, warm/cold ratios; synthetic-small: a ~20k-interaction smoke test;
#            workDir/<dataset> is wiped first; a tiny unmeasured retraining warms the JVM up first, warmup=false skips it)
#   replay:  datasets=synthetic1m,office dim=64 maxLen=50 topK=20 batch=256 parallelism=2 workDir=runs/bench/replay
#            (ReplayJob events/s with one model and three side by side, untrained seeded SASRec of the serving shape)
#   streaming: heads=sasrec,gru4rec items=3000,100000 dim=64 maxLen=50 users=20000 latencySeconds=20 ingestEvents=400000
#              only=scoring (just the drain, live sustainable rate and latency run, no swap, experiment or ingest)
#              swaps=5 only=swap (just announcement -> first recommendation by the new version, under live traffic)
#              only=experiment (just the drain rate with one model vs a 50/50 two-arm experiment with two models, two rounds,
#              the second warm; abBacklog=200000 events per drain)
#              only=summaries summaryBacklog=200000 summaryRate=1000 (user summaries off vs on: drain rate, refreshes/s, latency)
#              only=rerank rerankRate=0.25 rerankEvents=30 rerankUsers=40 rerankTops=20,50 (LLM-TRSR re-rank off vs top-N:
#              p50/p99 latency at one live rate and the extra p99 of each N)
#              restPort=18081 (starts its own Kafka broker on 127.0.0.1:19092, or LMREC_BENCH_KAFKA_PORT, and stops it at the end)
#   swap:    head=sasrec items=100000 dim=64 maxLen=50 rate=100 warmupSeconds=15 phaseSeconds=30 swapEverySeconds=3
#            (request latency p50/p99/max without swaps, then with a new model announced every few seconds, same run;
#            the scorer on a local MiniCluster fed paced requests, no Kafka; about 2 minutes plus writing the artifacts)
#   gru-state: datasets=ml-100k maxLen=50 seeds=1 epochs=200 patience=5 evalEvery=2 threads=2 (GRU4Rec tested two ways on
#            one trained model: its window, as the job encodes it, vs the whole history stepped from a zero state, as a
#            hidden state kept per user would be; all test users and those whose history outgrows the window)
#   fuzz:    n=100000 seed=1 cleanModels=min(n,1000) timeoutSeconds=600 (hostile records into each input topic
#            of the running job: every record accepted or dead-lettered, numRestarts 0; docs/fuzz.md;
#            starts its own broker on 127.0.0.1:19192, keeps the job's log in runs/bench/fuzz/job.log; exit 1 on a failure)
# Real datasets are read from ../shared/data (or $LMREC_SHARED_DATA) and skipped when absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
"$root/mvnw" -B -q -DskipTests -pl benchmarks -am package >&2
case "${1:-}" in
  quality) main=org.lmrec.bench.QualityBenchmark ;;
  speed) main=org.lmrec.bench.TrainingSpeedBenchmark ;;
  streaming) main=org.lmrec.bench.StreamingBenchmark ;;
  enhance) main=org.lmrec.bench.EnhancerBenchmark ;;
  lm) main=org.lmrec.bench.LmThroughputBenchmark ;;
  trsr) main=org.lmrec.bench.TrsrBenchmark ;;
  retrain) main=org.lmrec.bench.RetrainBenchmark ;;
  replay) main=org.lmrec.bench.ReplayBenchmark ;;
  swap) main=org.lmrec.bench.SwapLatencyBenchmark ;;
  gru-state) main=org.lmrec.bench.GruStateQuality ;;
  fuzz) main=org.lmrec.bench.fuzz.FuzzCampaign; BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx4g}" ;;
  # The JMH forks get their own heap and flags (ScorerBenchmark); this JVM only collects results.
  scorer) main=org.lmrec.bench.jmh.ScorerBenchmark; BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx1g}" ;;
  kernels) main=org.lmrec.bench.jmh.InterleavedScoring; BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx3g -Dai.djl.offline=true}" ;;
  ann) main=org.lmrec.bench.AnnBenchmark; BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx4g}" ;;
  wire) main=org.lmrec.bench.WireFormatBenchmark; BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx512m}" ;;
  state) main=org.lmrec.bench.StateFormatBenchmark; BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx512m}" ;;
  join) main=org.lmrec.bench.OutcomeJoinBenchmark; BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx2g}" ;;
  *) echo "usage: benchmarks/run.sh quality|speed|scorer|kernels|ann|wire|state|join|streaming|enhance|lm|retrain|replay|swap|fuzz|trsr [key=value ...]" >&2; exit 2 ;;
esac
shift
# Run from a private copy of the project's own jars: a rebuild during a long run must not pull
# classes out from under it.
private="$(mktemp -d "${TMPDIR:-/tmp}/lmrec-bench.XXXXXX")"
trap 'rm -rf "$private"' EXIT
cp "$here/target/lmrec-benchmarks-0.1.0-SNAPSHOT.jar" "$private/"
classpath="$private/lmrec-benchmarks-0.1.0-SNAPSHOT.jar"
IFS=':' read -ra deps < "$here/target/classpath.txt" || true # no final newline: read returns 1
for dep in "${deps[@]}"; do
  case "$dep" in
    "$root"/*|*/org/lmrec/*) cp -r "$dep" "$private/" && classpath="$classpath:$private/$(basename "$dep")" ;;
    *) classpath="$classpath:$dep" ;;
  esac
done
cd "$root"
if [[ "$main" == *StreamingBenchmark ]]; then
  # A real broker process on its own port and folder, stopped however the run ends.
  # LMREC_BENCH_KAFKA_PORT moves it (the controller takes the next port), e.g. beside another run.
  bench_port="${LMREC_BENCH_KAFKA_PORT:-19092}"
  kafka_dir="$root/runs/bench/kafka"
  "$root/deploy/local/kafka.sh" start --port "$bench_port" --dir "$kafka_dir" >&2
  trap '"$root/deploy/local/kafka.sh" stop --dir "$kafka_dir" >&2; rm -rf "$private"' EXIT
  set -- bootstrap=127.0.0.1:"$bench_port" "$@"
fi
if [[ "$main" == *FuzzCampaign ]]; then
  # Its own broker port and folder, so it can run beside the streaming benchmark; the job's log is
  # kept, since the campaign searches it for lines forged by record content.
  kafka_dir="$root/runs/bench/fuzz-kafka"
  mkdir -p "$root/runs/bench/fuzz"
  job_log="$root/runs/bench/fuzz/job.log"
  "$root/deploy/local/kafka.sh" start --port 19192 --dir "$kafka_dir" >&2
  trap '"$root/deploy/local/kafka.sh" stop --dir "$kafka_dir" >&2; rm -rf "$private"' EXIT
  java --add-modules=jdk.incubator.vector ${BENCH_JAVA_OPTS} -cp "$classpath" "$main" bootstrap=127.0.0.1:19192 log="$job_log" "$@" \
    2>&1 | tee "$job_log"
  exit "${PIPESTATUS[0]}"
fi
java --add-modules=jdk.incubator.vector ${BENCH_JAVA_OPTS:--Xmx12g} -cp "$classpath" "$main" "$@"
