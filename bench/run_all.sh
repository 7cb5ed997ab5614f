#!/usr/bin/env bash
# Run every benchmark and print a Markdown table of the figures (see docs/performance.md).
#
#   bench/run_all.sh            # full runs
#   QUICK=1 bench/run_all.sh    # fewer runs, for a smoke test
#
# Uses hyperfine when installed (apt-get install hyperfine), else a loop of runs.
# Wall times move with whatever else runs on the machine: the load average is printed with
# the table, and the CPU times beside the wall times move less.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [[ -n "${QUICK:-}" ]]; then
  ROUNDS=1; BATCH_RUNS=2; START_RUNS=8
else
  ROUNDS=3; BATCH_RUNS=5; START_RUNS=30
fi

# bytecode as an installed package has it: an editable install run with
# PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every call
"$PY" -m compileall -q src/interlock
"$PY" bench/corpus.py
echo
"$PY" bench/bench_check.py --rounds "$ROUNDS"
echo
"$PY" bench/bench_batch.py --runs "$BATCH_RUNS"
echo
"$PY" bench/bench_startup.py --runs "$START_RUNS"
echo
"$PY" bench/report.py
