#!/usr/bin/env bash
# Every test: C++ (Catch2 via CTest) and Python (pytest, which also executes the notebooks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ROOT=$(pwd)
source scripts/ccache_env.sh

cmake -S . -B build/cpp -G Ninja -DBUILD_TESTING=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/cpp -j "$(nproc)"
ctest --test-dir build/cpp --output-on-failure

# faulthandler: a crash in C++ prints the Python stack of every thread instead of dying silently.
python3 -X faulthandler -m pytest "$@"
