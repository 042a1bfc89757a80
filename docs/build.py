"""Build the documentation site: ``python docs/build.py [OUTPUT_DIR]`` (default docs/_build/html).

The sources are staged in a temporary folder with the notebooks from ``notebooks/`` beside them,
so the build writes nothing into the repository; then ``sphinx-build -W --keep-going`` runs on
them: any warning (a broken docstring, a dead cross-reference, a notebook cell error) fails.
The notebooks are executed once per build; outputs are cached by their code in
``build/docs/jupyter_cache`` (TRUSTCOST_DOCS_CACHE), so an unchanged notebook is not run again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent


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
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS / "_build" / "html"
    done = build(out)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode == 0:
        print(f"documentation written to {out / 'index.html'}")
    raise SystemExit(done.returncode)
