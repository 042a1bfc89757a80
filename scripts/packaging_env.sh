# Sourced by scripts/wheels.sh and scripts/sdist_check.sh: the settings both builds share.
# Expects ROOT (the repository root). Defines python_for and WORK, DIST.

WORK=$ROOT/build/packaging
DIST=$ROOT/dist
mkdir -p "$WORK" "$DIST"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# ccache: the C++ core compiles once for every Python (scripts/ccache_env.sh).
if ! command -v ccache >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ccache >/dev/null
fi
source "$ROOT/scripts/ccache_env.sh"
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}

python_for() {  # python_for 3.12 -> that CPython's interpreter (pyenv's newest, else PATH's), or nothing
  local found
  found=$(ls -d /root/.pyenv/versions/"$1".*/bin/python"$1" 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$found" ]; then found=$(command -v "python$1" || true); fi
  echo "$found"
}
