# Sourced by the build scripts (setup, test, sanitize, packaging): ccache for every C++ build when
# it is installed. Paths under the repository are hashed relative to it (CCACHE_BASEDIR) and the
# working folder is not hashed, so a fresh clone in any folder reuses the objects of another.
# Expects ROOT (the repository root).
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT} CCACHE_NOHASHDIR=1
fi
