#!/usr/bin/env bash
# Everything setup.sh does, then every test: ctest of the dev build (unit, conformance on SQLite
# and on a private PostgreSQL, CLI integration, install/find_package, pytest), the asan-ubsan
# build's ctest, and short libFuzzer runs. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

bash scripts/setup.sh

# A private PostgreSQL on loopback for the conformance suites; stopped on exit.
eval "$(bash scripts/postgres.sh start)"
trap 'bash "$root/scripts/postgres.sh" stop >/dev/null 2>&1 || true' EXIT
export PITBOSS_REQUIRE_POSTGRES=1
export CCACHE_BASEDIR="$root"

echo "== clang-format (.clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

echo "== doxygen (every public symbol documented; warnings fail)"
rm -rf build/docs && doxygen docs/Doxyfile

echo "== ctest (dev)"
ctest --preset dev -j2

echo "== build + ctest (asan-ubsan)"
cmake --preset asan-ubsan
cmake --build --preset asan-ubsan
ctest --preset asan-ubsan -j2

echo "== fuzz (clang, libFuzzer, bounded runs)"
cmake --preset fuzz
cmake --build --preset fuzz
ctest --test-dir build/fuzz --output-on-failure

echo "== all test suites passed"
