#!/usr/bin/env bash
# Stages the build context of deploy/k8s/Dockerfile in deploy/k8s/image and builds the image:
#   deploy/k8s/build-image.sh [IMAGE]        (default lmrec-flink:0.1.0)
# usrlib/: the job jars of flink-jobs/job-jars; lib/: the DJL and ONNX Runtime jars (with their
# natives) that the retraining's prep job leaves to the cluster classpath.
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE=${1:-lmrec-flink:0.1.0}
CTX=deploy/k8s/image
rm -rf "$CTX" && mkdir -p "$CTX/usrlib" "$CTX/lib"
./mvnw -B -q -pl flink-jobs/job-jars/streaming-job,flink-jobs/job-jars/retrain-prep-job -am package -DskipTests
cp flink-jobs/job-jars/streaming-job/target/lmrec-streaming-job.jar flink-jobs/job-jars/retrain-prep-job/target/lmrec-retrain-prep-job.jar "$CTX/usrlib/"
./mvnw -B -q -pl training dependency:copy-dependencies -DincludeScope=runtime \
  -DincludeGroupIds=ai.djl,ai.djl.pytorch,ai.djl.onnxruntime,ai.djl.huggingface,com.microsoft.onnxruntime \
  -DoutputDirectory="$PWD/$CTX/lib"
docker build -f deploy/k8s/Dockerfile -t "$IMAGE" "$CTX"
