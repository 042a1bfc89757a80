# Eigen 3.4 and Boost (>= 1.74, headers only) for trustcost_core.
#
# First the system's packages (find_package in CONFIG mode: Debian's libeigen3-dev and
# libboost-dev). Where they are missing, the Python packages of the build environment:
# cmeel-eigen (Eigen's own CMake config under site-packages/cmeel.prefix) and boost-headers
# (boost_headers.get_include(); no CMake config, so an imported target is made here).
# The configure log says which was used ("trustcost: Eigen3 from ...", "trustcost: Boost from ...");
# scripts/sdist_check.sh reads it.

find_package(Eigen3 3.4 QUIET NO_MODULE)
find_package(Boost 1.74 QUIET CONFIG)

if(NOT Eigen3_FOUND OR NOT Boost_FOUND)
  # scikit-build-core passes the interpreter of the build; a plain CMake run takes PATH's.
  # (Not find_package(Python) here: pybind11 would then skip its own search for Python's
  # development files.)
  if(Python_EXECUTABLE)
    set(TRUSTCOST_PYTHON "${Python_EXECUTABLE}")
  else()
    find_program(TRUSTCOST_PYTHON NAMES python3 python REQUIRED)
  endif()
endif()

# Runs a line of Python in the build's interpreter; <out> is empty when it fails.
function(_trustcost_python_path out code)
  execute_process(COMMAND "${TRUSTCOST_PYTHON}" -c "${code}"
    OUTPUT_VARIABLE value RESULT_VARIABLE status ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT status EQUAL 0)
    set(value "")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

if(Eigen3_FOUND)
  message(STATUS "trustcost: Eigen3 ${Eigen3_VERSION} from the system (${Eigen3_DIR})")
else()
  _trustcost_python_path(_eigen_prefix
    "import importlib.metadata as m; print(m.distribution('cmeel-eigen').locate_file('cmeel.prefix'))")
  if(_eigen_prefix)
    find_package(Eigen3 3.4 NO_MODULE PATHS "${_eigen_prefix}" NO_DEFAULT_PATH)
  endif()
  if(NOT Eigen3_FOUND)
    message(FATAL_ERROR "Eigen 3.4 not found: install Debian's libeigen3-dev, or build with pip "
                        "(pyproject.toml's build requirements bring cmeel-eigen).")
  endif()
  message(STATUS "trustcost: Eigen3 ${Eigen3_VERSION} from the Python package cmeel-eigen (${Eigen3_DIR})")
endif()

if(Boost_FOUND)
  message(STATUS "trustcost: Boost ${Boost_VERSION} from the system (${Boost_DIR})")
else()
  _trustcost_python_path(_boost_include "import boost_headers; print(boost_headers.get_include())")
  if(NOT _boost_include OR NOT EXISTS "${_boost_include}/boost/version.hpp")
    message(FATAL_ERROR "Boost >= 1.74 not found: install Debian's libboost-dev, or build with pip "
                        "(pyproject.toml's build requirements bring boost-headers).")
  endif()
  file(STRINGS "${_boost_include}/boost/version.hpp" _boost_line REGEX "^#define BOOST_VERSION [0-9]+")
  string(REGEX REPLACE "^#define BOOST_VERSION ([0-9]+).*" "\\1" _boost_number "${_boost_line}")
  math(EXPR _boost_major "${_boost_number} / 100000")
  math(EXPR _boost_minor "${_boost_number} / 100 % 1000")
  set(Boost_VERSION "${_boost_major}.${_boost_minor}")
  if(Boost_VERSION VERSION_LESS 1.74)
    message(FATAL_ERROR "boost-headers gives Boost ${Boost_VERSION}; trustcost needs >= 1.74")
  endif()
  add_library(Boost::headers INTERFACE IMPORTED)
  target_include_directories(Boost::headers SYSTEM INTERFACE "${_boost_include}")
  message(STATUS "trustcost: Boost ${Boost_VERSION} from the Python package boost-headers (${_boost_include})")
endif()
