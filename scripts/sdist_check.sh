#!/usr/bin/env bash
# The sdist builds without Debian's libeigen3-dev and libboost-dev.
#
#   bash scripts/sdist_check.sh [python-version]      (default 3.11)
#
# 1. Builds the sdist into dist/ and checks what it holds.
# 2. Unpacks it (build/packaging/sdist-src) and builds a wheel from that tree, with only the
#    sdist's declared build requirements (boost-headers and cmeel-eigen bring the headers), in a
#    private mount namespace where Debian's Eigen and Boost folders (headers and CMake configs)
#    are covered by empty mounts: CMake and the compiler cannot reach them, as on a machine
#    without the packages. Where a mount namespace cannot be made (not root), CMAKE_IGNORE_PATH
#    hides the CMake configs instead and step 3 still proves which headers were compiled.
# 3. Proves the fallback was used: CMake's cache names the Python packages' Eigen config and
#    the boost-headers folder, and the compiler's dependency records list headers from them and
#    none from /usr/include/{eigen3,boost}.
# 4. Installs the wheel in a fresh venv and runs scripts/smoke_test.py.
# A fixed build folder and a build venv of fixed path (not pip's random temporary ones) let
# ccache serve a rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VERSION=${1:-3.11}
source scripts/packaging_env.sh
python=$(python_for "$VERSION")
[ -n "$python" ] || { echo "Python $VERSION not found"; exit 1; }
tag=cp${VERSION/./}
start=$SECONDS

echo "== sdist"
SDIST_VENV=$WORK/sdist-tools
if [ ! -x "$SDIST_VENV/bin/pyproject-build" ]; then
  "$python" -m venv "$SDIST_VENV" && "$SDIST_VENV/bin/pip" install -q build "scikit-build-core>=0.10" twine
fi
rm -f "$DIST"/trustcost-*.tar.gz
# The sdist needs only scikit-build-core: -x skips the check for the wheel's build requirements.
"$SDIST_VENV/bin/python" -m build --sdist --no-isolation -x --outdir "$DIST" . >/dev/null
sdist=$(ls "$DIST"/trustcost-*.tar.gz)
listing=$(tar -tzf "$sdist")
for needed in pyproject.toml CMakeLists.txt cmake/HeaderDependencies.cmake LICENSE README.md cpp/include \
              cpp/bindings python/trustcost/datasets/cdnow_customers_summary.csv; do
  grep -q "^trustcost-[^/]*/$needed" <<<"$listing" || { echo "sdist lacks $needed"; exit 1; }
done
if grep -E "^trustcost-[^/]*/(build|dist)/|\.so$|__pycache__" <<<"$listing"; then
  echo "sdist holds build products (above)"; exit 1
fi
echo "$(basename "$sdist"): $(( $(stat -c %s "$sdist") / 1024 )) KiB, $(wc -l <<<"$listing") entries"
# The README is the long description: a package index renders it (twine check) and has none of
# the repository's files, so a link must be absolute.
"$SDIST_VENV/bin/twine" check --strict "$sdist"
if grep -oE '\]\([^)]*\)' README.md | grep -vE '\]\(https?://'; then
  echo "README.md has relative links (above): they break on a package index"; exit 1
fi

echo "== wheel from the sdist, without Debian's Eigen and Boost"
SRC=$WORK/sdist-src
rm -rf "$SRC" && mkdir -p "$SRC" && tar -xzf "$sdist" -C "$SRC"
tree=$(ls -d "$SRC"/trustcost-*)
BUILD_VENV=$WORK/sdist-build-$tag
if [ ! -x "$BUILD_VENV/bin/python" ]; then
  "$python" -m venv "$BUILD_VENV"
  mapfile -t requires < <("$SDIST_VENV/bin/python" -c 'import sys, tomllib
print(*tomllib.load(open(sys.argv[1], "rb"))["build-system"]["requires"], sep="\n")' "$tree/pyproject.toml")
  "$BUILD_VENV/bin/pip" install -q "${requires[@]}" "cmake>=3.24" ninja
fi
HIDDEN=(/usr/include/eigen3 /usr/include/boost /usr/share/eigen3 /usr/lib/cmake/eigen3
        /usr/lib/x86_64-linux-gnu/cmake /lib/x86_64-linux-gnu/cmake /usr/local/include/eigen3 /usr/local/include/boost)
OUT=$WORK/sdist-wheel && rm -rf "$OUT"
build=(env PATH="$BUILD_VENV/bin:$PATH" "$BUILD_VENV/bin/pip" wheel -q --no-deps --no-build-isolation -w "$OUT" "$tree")
if unshare -m --propagation private true 2>/dev/null; then
  echo "(Debian's folders covered by empty mounts in a private mount namespace)"
  unshare -m --propagation private bash -euo pipefail -c '
    for dir in "${@:2:$1}"; do [ -d "$dir" ] && mount -t tmpfs -o ro,size=4k tmpfs "$dir"; done
    if [ -n "$(find /usr/include/boost /usr/include/eigen3 -mindepth 1 2>/dev/null | head -1)" ]; then
      echo "Debian'"'"'s headers still visible"; exit 1
    fi
    shift $(( $1 + 1 )); "$@"' _ "${#HIDDEN[@]}" "${HIDDEN[@]}" "${build[@]}"
else
  echo "(no mount namespace here: CMAKE_IGNORE_PATH hides Debian's CMake configs)"
  # CMAKE_IGNORE_PATH takes the folders that hold the config files themselves.
  ignore=$( (find "${HIDDEN[@]}" -maxdepth 1 -type d 2>/dev/null || true) | paste -sd ";")
  "${build[@]}" -C "cmake.define.CMAKE_IGNORE_PATH=$ignore"
fi
wheel=$(ls "$OUT"/trustcost-*.whl)
"$SDIST_VENV/bin/twine" check --strict "$wheel"

echo "== which headers the build used"
builddir=$(ls -d "$tree"/build/wheel/*/)
cache=$builddir/CMakeCache.txt
grep -q "^Eigen3_DIR:PATH=.*cmeel.prefix/share/eigen3/cmake" "$cache" || { grep "^Eigen3_DIR" "$cache"; echo "Eigen not from cmeel-eigen"; exit 1; }
grep -q "^Boost_DIR:PATH=Boost_DIR-NOTFOUND" "$cache" || { grep "^Boost_DIR" "$cache"; echo "Boost found on the system"; exit 1; }
deps=$("$BUILD_VENV/bin/ninja" -C "$builddir" -t deps)
if grep -E "/usr(/local)?/include/(eigen3|boost)/" <<<"$deps"; then
  echo "the build compiled Debian's headers (above)"; exit 1
fi
eigen_headers=$(grep -c "cmeel.prefix/include/eigen3/Eigen/" <<<"$deps" || true)
boost_headers=$(grep -c "boost_headers/include/boost/" <<<"$deps" || true)
[ "$eigen_headers" -gt 0 ] && [ "$boost_headers" -gt 0 ] || { echo "no Eigen or Boost header recorded"; exit 1; }
echo "Eigen from cmeel-eigen ($eigen_headers header uses), Boost from boost-headers ($boost_headers), none from /usr/include"

echo "== install in a fresh venv and smoke-test"
smoke=$WORK/sdist-smoke-$tag
rm -rf "$smoke" && "$python" -m venv "$smoke"
"$smoke/bin/pip" install -q "$wheel"
(cd "$WORK" && "$smoke/bin/python" -X faulthandler "$ROOT/scripts/smoke_test.py")
echo "== sdist check passed in $((SECONDS - start)) s"
