#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running demo:
# installs what is missing, builds (preset "dev"), and runs `pitboss demo` on an embedded
# SQLite file (./demo.db, recreated each time).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh
export CCACHE_BASEDIR="$PWD"
cmake --preset dev
cmake --build --preset dev

rm -f demo.db demo.db-wal demo.db-shm
./build/dev/src/cli/pitboss --db sqlite://demo.db demo
./build/dev/src/cli/pitboss --db sqlite://demo.db audit verify
