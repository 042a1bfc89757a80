"""The documentation: the scenario reference agrees with the code, the guides' code runs, the
published-values page names real tests, and the Sphinx site builds with warnings as errors."""

from __future__ import annotations

import dataclasses
import inspect
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import trustcost as tc
from trustcost.lcc.elements import ELEMENT_TYPES
from trustcost.lcc.io import STUDY_KEYS, element_from_dict, tomllib  # tomli before Python 3.11
from trustcost.stats import distributions

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
REFERENCE = (DOCS / "scenario.md").read_text(encoding="utf-8")
UNIFORM = {"distribution": "Uniform", "low": 0.5, "high": 1.5}


def _sections(text: str) -> dict[str, list[dict]]:
    """Heading -> rows of the first table under it (key, unit, default, uncertain)."""
    out, heading = {}, None
    for line in text.splitlines():
        title = re.match(r"#+ (.*)", line)
        if title:
            heading = title.group(1).strip()
            continue
        row = re.match(r"\| `([a-z0-9_]+)` \| ([^|]*) \| ([^|]*) \| (yes|no) \| ([^|]*) \|$", line)
        if row and heading:
            out.setdefault(heading, []).append(dict(zip(("key", "unit", "default", "uncertain", "meaning"),
                                                        (g.strip() for g in row.groups()))))
    return out


SECTIONS = _sections(REFERENCE)
COMMON = {"type", "name", "category", "nominal"}


def _rows(heading: str) -> dict[str, dict]:
    assert heading in SECTIONS, f"docs/scenario.md has no table under {heading!r}"
    return {row["key"]: row for row in SECTIONS[heading]}


def _check_default(cls, field: dataclasses.Field, cell: str, where: str) -> None:
    if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
        assert cell == "required", f"{where}.{field.name} is required in the code, documented {cell!r}"
        return
    default = field.default
    if field.name == "category":
        assert cell == "the kind's category", where
        return
    if default is None:
        assert cell.startswith("none"), f"{where}.{field.name}: default None documented as {cell!r}"
        return
    literal = re.fullmatch(r"`(.*)`", cell)
    assert literal, f"{where}.{field.name}: default {default!r} documented as {cell!r}"
    documented = tomllib.loads(f"x = {literal.group(1)}")["x"]
    expected = list(default) if isinstance(default, tuple) else default
    assert documented == expected, f"{where}.{field.name}: default {default!r}, documented {documented!r}"


def test_every_element_kind_and_key_is_documented():
    common = _rows("Cost elements `[[offers.costs]]`")
    assert set(common) == COMMON
    for kind, cls in ELEMENT_TYPES.items():
        rows = _rows(f"`{kind}`")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        assert set(rows) | COMMON == set(fields) | {"type"}, f"{kind}: documented keys differ from the code"
        for name, row in rows.items():
            _check_default(cls, fields[name], row["default"], kind)
        assert f'Default category `"{cls.default_category}"`' in REFERENCE.split(f"### `{kind}`")[1].split("###")[0]
    for name in ("category", "nominal"):
        _check_default(None, dataclasses.fields(tc.OneTime)[[f.name for f in dataclasses.fields(tc.OneTime)].index(name)],
                       common[name]["default"], "element")


MINIMAL = {
    "one_time": {"amount": 10.0}, "recurring": {"amount": 10.0}, "periodic": {"amount": 10.0, "every": 2},
    "usage_based": {"units_per_year": 10.0, "cost_per_unit": 1.0},
    "failures": {"life": {"distribution": "Weibull", "shape": 2.0, "scale": 3.0}, "cost_per_failure": 5.0,
                 "downtime_hours": 2.0, "downtime_cost_per_hour": 100.0, "preventive_interval": 2.0,
                 "preventive_cost": 1.0},
    "residual": {"value": 3.0}, "disposal": {"amount": 2.0},
}


@pytest.mark.parametrize("kind", sorted(ELEMENT_TYPES))
def test_uncertain_column_is_true(kind):
    # "yes": the key takes a distribution and the simulation draws it; "no": a distribution is refused.
    for key, row in _rows(f"`{kind}`").items():
        if key in ("life", "schedule"):
            continue
        data = dict(MINIMAL[kind], type=kind, name="x", **{key: UNIFORM})
        if row["uncertain"] == "yes":
            study = tc.Study([tc.Offer("o", [element_from_dict(data)])], horizon=5, discount_rate=0.03)
            assert tc.simulate(study, 50, seed=1).inputs.shape[1] >= 1, f"{kind}.{key}"
        else:
            with pytest.raises((TypeError, ValueError)):
                element = element_from_dict(data)
                tc.Study([tc.Offer("o", [element])], horizon=5, discount_rate=0.03).evaluate()


def test_study_offer_supplier_and_trust_tables_match_the_code():
    study = _rows("`[study]`")
    assert set(study) == STUDY_KEYS
    fields = {f.name: f for f in dataclasses.fields(tc.Study)}
    for key, row in study.items():
        _check_default(tc.Study, fields[key], row["default"], "study")
    assert set(_rows("`[[offers]]`")) == {f.name for f in dataclasses.fields(tc.Offer)}
    for heading, cls in (("`[offers.supplier]`", tc.Supplier), ("`[offers.trust_profile]`", tc.TrustProfile),
                         ("`[offers.trust_profile.interaction]`", tc.TransactionCostModel)):
        rows = _rows(heading)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        assert set(rows) == set(fields), heading
        for key, row in rows.items():
            _check_default(cls, fields[key], row["default"], heading)


def test_every_distribution_family_and_parameter_is_documented():
    table = {m.group(1): m.group(2) for m in re.finditer(r"\| `(\w+)` \| ([^|]+) \| `\{ distribution", REFERENCE)}
    assert set(table) == set(distributions._FAMILIES)
    for family, cls in distributions._FAMILIES.items():
        parameters = [p for p in inspect.signature(cls).parameters]
        for parameter in parameters:
            assert f"`{parameter}`" in table[family], f"{family}: parameter {parameter} undocumented"
    # Every example in the table builds its distribution.
    for example in re.findall(r"`(\{ distribution = [^`]*\})`", REFERENCE.split("## Distributions")[1]):
        spec = tomllib.loads(f"x = {example}")["x"]
        distributions.as_distribution(spec, "example")


def test_complete_example_loads_evaluates_and_simulates(tmp_path):
    example = re.search(r"## A complete example\n\n```toml\n(.*?)```", REFERENCE, re.S).group(1)
    path = tmp_path / "example.toml"
    path.write_text(example, encoding="utf-8")
    study = tc.load_study(path)
    kinds = {type(e) for o in study.offers for e in o.costs}
    assert kinds == set(ELEMENT_TYPES.values())  # the example shows every element kind
    assert study.currency == "EUR" and all(o.trust_profile for o in study.offers)  # equal terms
    result = study.evaluate()
    assert set(result.ranking) == {"Standard", "Premium"}
    assert tc.simulate(study, 200, seed=1).inputs.shape[1] == 3  # the three uncertain inputs


def test_load_study_docstring_examples():
    import doctest

    from trustcost.lcc import io

    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = [t for t in finder.find(io.load_study, "load_study", globs={}) if t.examples]
    assert tests
    for test in tests:
        runner.run(test)
    assert runner.failures == 0


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("page", sorted(p.name for p in (DOCS / "guide").glob("*.md")))
def test_guide_code_runs(page, monkeypatch, tmp_path):
    # Every code block of a guide page, in order, in one namespace: the guides show real calls.
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in _python_blocks(DOCS / "guide" / page):
        exec(compile(block, f"{page}", "exec"), namespace)
    plt.close("all")


def test_published_values_page_names_real_tests():
    page = (DOCS / "published_values.md").read_text(encoding="utf-8")
    python_tests = re.findall(r"`(tests/python/test_\w+\.py)::(test_\w+)`", page)
    assert len(python_tests) >= 15
    for file, name in python_tests:
        assert re.search(rf"^def {name}\(", (ROOT / file).read_text(encoding="utf-8"), re.M), f"{file}::{name}"
    for file, case in re.findall(r"`(tests/cpp/test_\w+\.cpp)` \"([^\"]+)\"", page):
        assert f'TEST_CASE("{case}"' in (ROOT / file).read_text(encoding="utf-8"), f"{file}: {case}"


def test_readme_shows_the_report_and_the_docs_build():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--report" in readme and "python docs/build.py" in readme and "trustcost[plot]" in readme
    assert "trustcost cashflows" in readme
    assert re.search(r"customer_lifetime_value\([^)]*freq=", readme), "the CLV call must say its time unit"


def test_package_metadata():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == tc.__version__
    assert "MIT" in (ROOT / "LICENSE").read_text(encoding="utf-8") and project["license"]["text"] == "MIT"
    assert project["authors"] and project["classifiers"] and project["keywords"]
    assert "License :: OSI Approved :: MIT License" in project["classifiers"]
    docs = project["optional-dependencies"]["docs"]
    assert all(requirement in project["optional-dependencies"]["test"] for requirement in docs)


def test_every_extra_is_in_the_readme_and_getting_started_tables():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    started = (DOCS / "getting_started.md").read_text(encoding="utf-8")
    for extra in extras:
        assert f"| `trustcost[{extra}]` |" in readme, f"README's extras table lacks [{extra}]"
        assert f"| `pip install trustcost[{extra}]` |" in started, f"getting_started's extras table lacks [{extra}]"
    # The notebooks run with the [notebooks] extra alone (issue 20: nothing provided nbconvert/ipykernel).
    assert {"nbconvert", "ipykernel"} <= {re.split(r"[<>=\[]", r)[0] for r in extras["notebooks"]}


def test_docs_build_uses_the_installed_package():
    # `python docs/build.py --requirements` lists the [docs] extra's tools for pip, so the site builds
    # without `pip install .[docs]`, which rebuilt the C++ extension; the build never runs pip or cmake.
    done = subprocess.run([sys.executable, str(DOCS / "build.py"), "--requirements"], capture_output=True, text=True)
    docs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["docs"]
    assert done.returncode == 0 and done.stdout.split() == docs
    source = (DOCS / "build.py").read_text(encoding="utf-8")
    commands = re.findall(r"subprocess\.run\(\[([^]]*)\]", source)
    assert len(commands) == 2 and all("sphinx" in c or "import trustcost" in c for c in commands), commands
    assert "furo" in (DOCS / "conf.py").read_text(encoding="utf-8")


def test_datasets_after_a_plain_import():
    done = subprocess.run([sys.executable, "-c", "import trustcost as tc; print(tc.datasets.load_three_vendors().horizon)"],
                          capture_output=True, text=True, env={"PYTHONPATH": str(Path(tc.__file__).parents[1])})
    assert done.returncode == 0 and done.stdout.strip() == "12", done.stderr


def test_sphinx_site_builds_without_warnings(tmp_path):
    # The documentation build of the test command: sphinx-build -W --keep-going on the staged
    # sources, the notebooks executed once (outputs cached by their code in build/docs).
    sys.path.insert(0, str(DOCS))
    try:
        from build import build
    finally:
        sys.path.remove(str(DOCS))
    start = time.perf_counter()
    done = build(tmp_path / "html")
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stdout + done.stderr
    html = tmp_path / "html"
    for page in ("index.html", "scenario.html", "cli.html", "published_values.html", "api/index.html",
                 "api/trustcost.lcc.html", "guide/lcc.html", "notebooks/01_offer_comparison.html"):
        assert (html / page).is_file(), page
    notebook = (html / "notebooks" / "01_offer_comparison.html").read_text(encoding="utf-8")
    assert "<img" in notebook and "656,309" in notebook  # rendered with outputs: charts and tables
    uncertainty = (html / "notebooks" / "02_uncertainty.html").read_text(encoding="utf-8")
    assert "life.mtbf" in uncertainty  # the uncertain failure rate, ranked among Cobalt's own drivers
    api = (html / "api" / "trustcost.lcc.html").read_text(encoding="utf-8")
    assert "load_study" in api and "Raises" in api
    assert seconds < 240, f"the docs build took {seconds:.0f} s"


def test_notebook_01_leaves_nothing_behind(tmp_path):
    # It once saved notebooks/four_vendors.toml into the repository: run it where it lives (a
    # copy of the folder) and check that the folder holds the same files afterwards.
    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path / "notebooks"
    folder.mkdir()
    source = ROOT / "notebooks" / "01_offer_comparison.ipynb"
    (folder / source.name).write_bytes(source.read_bytes())
    before = sorted(p.name for p in folder.iterdir())
    notebook = nbformat.read(folder / source.name, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    assert sorted(p.name for p in folder.iterdir()) == before


def _code_cells(name: str) -> list[str]:
    import nbformat

    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_notebook_legends_sit_beside_their_charts():
    # Notebook 03 once drew a legend over its bars: every legend a notebook places itself is outside.
    for notebook in ("01_offer_comparison.ipynb", "02_uncertainty.ipynb", "03_trust_and_sourcing.ipynb"):
        for source in _code_cells(notebook):
            for call in re.findall(r"\.legend\(([^)]*)\)", source):
                assert "bbox_to_anchor" in call, f"{notebook}: legend({call}) may cover the plot"


def test_notebook_02_has_an_uncertain_failure_rate_and_explains_importance():
    text = "\n".join(_code_cells("02_uncertainty.ipynb"))
    assert re.search(r"tc\.Exponential\(mtbf=tc\.\w+\(", text)  # the uncertain failure rate it promises
    assert "independent.importance" in text  # each offer's own drivers, without pairing


def test_wheel_and_install_builds_use_separate_folders():
    build_dir = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["scikit-build"]["build-dir"]
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    install_dir = re.search(r"-C build-dir=\"?([^\"\s]+)", setup).group(1)
    assert "{wheel_tag}" in build_dir and "{wheel_tag}" in install_dir and build_dir != install_dir
    assert not install_dir.startswith(build_dir.split("{")[0]) and not build_dir.startswith(install_dir.split("{")[0])
    assert re.search(r"debian_packages=\([^)]*\bchromium\b", setup)  # the browser of test_report.py
