#!/usr/bin/env bash
# Run every benchmark in this folder, one after another; each prints its own ratios.
#   bash benchmarks/run_all.sh            (from the repository root)
# bench_batch.py's "analyze" section is bench_analyze.py, which runs here by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
for bench in benchmarks/bench_*.py; do
  echo "=== $bench"
  if [ "$(basename "$bench")" = bench_batch.py ]; then
    "$python" "$bench" --skip analyze "$@"
  else
    "$python" "$bench"
  fi
done
