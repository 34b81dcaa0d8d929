#!/usr/bin/env bash
# Installs the Debian 12 packages pitboss needs that are missing (via sudo when not root).
# Every dependency comes from Debian's apt; nothing is downloaded from anywhere else.
set -euo pipefail

PACKAGES=(
    # toolchain
    g++ clang libclang-rt-14-dev clang-format cmake ninja-build ccache pkg-config git
    # libraries
    libboost-dev libsqlite3-dev libsqlitecpp-dev libpq-dev nlohmann-json3-dev
    libhowardhinnant-date-dev tzdata libssl-dev libcurl4-openssl-dev librabbitmq-dev
    libxlsxwriter-dev libhpdf-dev libargon2-dev libhiredis-dev
    libqrencode-dev
    # Python module and its tests (Debian's /usr/bin/python3)
    python3 python3-dev pybind11-dev python3-pybind11 python3-pytest python3-numpy python3-pandas
    # tests, docs and tools
    catch2 sqlite3 postgresql redis-server doxygen
)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi

echo "deps: installing ${missing[*]}"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
