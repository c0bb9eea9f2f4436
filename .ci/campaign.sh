#!/usr/bin/env bash
# Flake hunt: runs the CI command on fresh clones of this repository's HEAD, one after another,
# optionally with two CPU-bound processes beside each run, and prints one line per run.
#
#   .ci/campaign.sh RUNS [quiet|busy]      e.g. .ci/campaign.sh 5 busy
#
# Each clone is made next to this checkout (so ../shared is beside it, as in CI) and removed
# afterwards; logs stay in ../campaign-logs/. Failed tests are never rerun: a red run is a finding.
set -uo pipefail
runs=${1:?usage: .ci/campaign.sh RUNS [quiet|busy]}
mode=${2:-quiet}
repo="$(cd "$(dirname "$0")/.." && pwd)"
parent="$(dirname "$repo")"
logs="$parent/campaign-logs"
mkdir -p "$logs"
rev=$(git -C "$repo" rev-parse --short HEAD)
for i in $(seq 1 "$runs"); do
  clone="$parent/campaign-clone"
  rm -rf "$clone"
  git clone -q "$repo" "$clone"
  hogs=()
  if [[ "$mode" == busy ]]; then
    for _ in 1 2; do (exec yes > /dev/null) & hogs+=($!); done
  fi
  log="$logs/$rev-$mode-$i.log"
  start=$(date +%s)
  (cd "$clone" && CI=true bash .ci/run > "$log" 2>&1)
  rc=$?
  for h in "${hogs[@]}"; do kill "$h"; done
  tests=$(grep -E "Tests run: [0-9]+, F" "$log" | grep -v " in " | awk -F'[ ,]+' '{s += $4} END {print s + 0}')
  failed=$(grep -E "\[ERROR\] +[A-Za-z]+[A-Za-z0-9.]*:[0-9]+" "$log" | head -3 | tr '\n' ' ')
  echo "run $i of $runs  $rev  $mode  rc=$rc  $(( $(date +%s) - start )) s  tests=$tests  $failed"
  rm -rf "$clone"
done
