#!/usr/bin/env bash
# Installs everything trustcost needs on a fresh Debian machine (run as root) and builds it.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the headless browser that tests the HTML report (tests/python/test_report.py).
# ccache: every build of the scripts reuses unchanged objects (scripts/ccache_env.sh).
debian_packages=(g++ libeigen3-dev libboost-dev catch2 chromium ccache)
if ! dpkg -s "${debian_packages[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" >/dev/null
fi

ROOT=$(pwd)
source scripts/ccache_env.sh

python3 -m pip install -q --disable-pip-version-check "scikit-build-core>=0.10" "pybind11>=2.12" "cmake>=3.24" ninja
# No build isolation: the cached build directory then stays valid between runs. Its own folder
# (build/install/...), apart from `pip wheel .`'s build/wheel/..., so the two never share a cache.
python3 -m pip install -q --disable-pip-version-check --no-build-isolation \
  -C build-dir="build/install/{wheel_tag}" ".[test,bench]"
