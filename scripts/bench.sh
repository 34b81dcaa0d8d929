#!/usr/bin/env bash
# Builds the release preset and runs every benchmark; results go to bench/results/*.jsonl
# (one JSON object per line). Benchmarks are never part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
cmake --preset release
cmake --build --preset release --target audit_bench access_bench aggregate_bench ingest_bench sla_bench segment_bench segment_snapshot_bench session_bench
(cd bench && npm install --no-audit --no-fund) || echo "npm install failed: segment_bench reports DuckDB as missing"
mkdir -p bench/results
export PITBOSS_BENCH_RESULTS="$PWD/bench/results"
for bench in audit_bench access_bench aggregate_bench ingest_bench sla_bench segment_bench segment_snapshot_bench session_bench; do
    echo "== $bench"
    (cd build/release && "./bench/$bench" "$@")
done
