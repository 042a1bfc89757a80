"""Build the documentation site: ``python docs/build.py [OUTPUT_DIR]`` (default docs/_build/html).

The sources are staged in a temporary folder with the notebooks from ``notebooks/`` beside them,
so the build writes nothing into the repository; then ``sphinx-build -W --keep-going`` runs on
them: any warning (a broken docstring, a dead cross-reference, a notebook cell error) fails.
The notebooks are executed once per build; outputs are cached by their code in
``build/docs/jupyter_cache`` (TRUSTCOST_DOCS_CACHE), so an unchanged notebook is not run again.

The build documents the trustcost it can import — the installed package (or the one on
PYTHONPATH) — and never builds the C++ extension. ``python docs/build.py --requirements``
prints the ``[docs]`` extra's tools (read from pyproject.toml), so
``pip install $(python docs/build.py --requirements)`` adds them without rebuilding trustcost
(``pip install .[docs]`` would build and reinstall the package itself).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent


def requirements() -> list[str]:
    """The ``[docs]`` extra of pyproject.toml: the tools the build needs besides trustcost."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["optional-dependencies"]["docs"])


def installed_package() -> Path:
    """Where the trustcost the build documents comes from; an error that says how to install it."""
    done = subprocess.run([sys.executable, "-c", "import trustcost, pathlib; print(pathlib.Path(trustcost.__file__).parent)"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("docs/build.py documents the installed trustcost and does not build it: install it first "
                         f"(pip install .), then the tools (pip install $(python docs/build.py --requirements))\n"
                         f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}")
    return Path(done.stdout.strip())


def build(output: Path, cache: Path | None = None) -> subprocess.CompletedProcess:
    cache = cache or ROOT / "build" / "docs" / "jupyter_cache"
    with tempfile.TemporaryDirectory(prefix="trustcost-docs-") as tmp:
        source = Path(tmp) / "docs"
        shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("_build", "api", "notebooks", "__pycache__"))
        (source / "notebooks").mkdir()
        for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
            shutil.copy2(notebook, source / "notebooks" / notebook.name)
        env = dict(os.environ, TRUSTCOST_DOCS_CACHE=str(cache))
        return subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                               "-d", str(Path(tmp) / "doctrees"), str(source), str(output)],
                              env=env, capture_output=True, text=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--requirements"]:
        print(" ".join(requirements()))  # unquoted: $(...) splits on spaces, and "<" in a word is no redirect
        raise SystemExit(0)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS / "_build" / "html"
    print(f"documenting trustcost from {installed_package()}")
    done = build(out)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode == 0:
        print(f"documentation written to {out / 'index.html'}")
    raise SystemExit(done.returncode)
