"""Sphinx configuration of the trustcost documentation (built by docs/build.py).

Why Sphinx (and not MkDocs + mkdocstrings): the docstrings are numpydoc, which Sphinx's numpydoc
extension renders natively (Parameters, Returns, See Also, References); autodoc imports the
compiled module, so the API reference is the package as users get it; myst-nb renders the
notebooks with their outputs and executes them in the same build; and `-W --keep-going` turns
every broken docstring, cross-reference or notebook error into a failure listing all of them.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from pathlib import Path

import trustcost

HERE = Path(__file__).resolve().parent

project = "trustcost"
author = "trustcost developers"
copyright = "2026, trustcost developers"
release = version = trustcost.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "README.md", "**/.ipynb_checkpoints", "build.py"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 4

# Notebooks: executed once per build (their stored copies have no outputs), with a cache keyed on
# their code so a rebuild reuses outputs; a cell error fails the build.
nb_execution_mode = os.environ.get("TRUSTCOST_DOCS_EXECUTE", "cache")
nb_execution_cache_path = os.environ.get("TRUSTCOST_DOCS_CACHE", str(HERE / "_build" / ".jupyter_cache"))
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc Parameters sections say it in words
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# Furo: a wide content column, so code lines with their trailing comments are not cut (Alabaster's
# fixed 940 px column cut them), and wide tables scroll inside their own box.
html_theme = "furo"
html_title = f"trustcost {release}"
html_static_path = ["_static"]
html_css_files = ["trustcost.css"]
suppress_warnings = ["mystnb.unknown_mime_type"]

# ----------------------------------------------------------------------------- API pages
# One page per public module of the package, found at build time: a module another team adds
# (trustcost.distributed, a new model family) appears without editing the docs. Optional extras
# that are not installed are listed instead of failing the build.

SKIP = {"trustcost.cli"}  # the command line has its own page


def _public_modules() -> list[str]:
    names = [f"trustcost.{m.name}" for m in pkgutil.iter_modules(trustcost.__path__) if not m.name.startswith("_")]
    return sorted(n for n in names if n not in SKIP)


def _reexported(name: str) -> list[str]:
    """Public names of module ``name`` defined in another top-level package (e.g. the Weibull that
    trustcost.lcc takes from trustcost.stats)."""
    module = importlib.import_module(name)
    home = ".".join(name.split(".")[:2])
    out = []
    for member in getattr(module, "__all__", []):
        origin = getattr(getattr(module, member, None), "__module__", None)
        if isinstance(origin, str) and origin.startswith("trustcost") and not (origin == home or origin.startswith(home + ".")):
            out.append(member)
    return out


def _write_api_pages() -> None:
    folder = HERE / "api"
    folder.mkdir(exist_ok=True)
    found, missing = [], []
    for name in _public_modules():
        try:
            importlib.import_module(name)
        except ImportError as exc:  # an optional extra (e.g. dask for trustcost.distributed)
            missing.append((name, str(exc)))
            continue
        found.append(name)
        title = f"``{name}``"
        options = "   :members:\n"
        foreign = _reexported(name)
        if foreign:  # documented on the page of the package that defines them
            options += f"   :exclude-members: {', '.join(foreign)}\n"
        (folder / f"{name}.rst").write_text(f"{title}\n{'=' * len(title)}\n\n.. automodule:: {name}\n{options}",
                                            encoding="utf-8")
    lines = ["API reference", "=============", "",
             "Every public module of the package, from its docstrings. The top-level ``trustcost``",
             "namespace re-exports the names most analyses need (``tc.Study``, ``tc.simulate``...).", "",
             ".. toctree::", "   :maxdepth: 1", ""]
    lines += [f"   {name}" for name in found]
    lines += ["", "Top level", "---------", "",
              ".. autofunction:: trustcost.set_num_threads", ".. autofunction:: trustcost.get_num_threads",
              ".. autofunction:: trustcost.set_simd", ".. autofunction:: trustcost.get_simd",
              ".. autoclass:: trustcost.NumericalWarning", ".. autoclass:: trustcost.NoSolutionWarning",
              ".. autoclass:: trustcost.RelationshipWarning",
              ".. autoclass:: trustcost.TrustcostWarning",
              ".. autoclass:: trustcost.ConvergenceError"]
    if missing:
        lines += ["", "Not in this build (optional extras not installed):", ""]
        lines += [f"- ``{name}``: {reason}" for name, reason in missing]
    (folder / "index.rst").write_text("\n".join(lines) + "\n", encoding="utf-8")


_write_api_pages()
