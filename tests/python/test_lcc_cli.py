"""The ``trustcost compare`` command and ``python -m trustcost`` defaults."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from trustcost import cli, datasets


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_default_is_the_three_vendor_comparison():
    # `python -m trustcost` with no arguments: the README's main command.
    done = subprocess.run([sys.executable, "-m", "trustcost"], capture_output=True, text=True, check=True)
    for name in ("Atlas", "Borealis", "Cobalt", "present_value", "net_savings", "downtime", "supplier_risk",
                 "Monte Carlo", "probability_cheapest"):
        assert name in done.stdout
    assert done.stdout == run(*cli.DEFAULT_JOB)[1]


def test_csv_matches_the_api():
    code, out, _ = run("compare", "--format", "csv")
    assert code == 0
    table = pd.read_csv(io.StringIO(out), index_col="offer")
    result = datasets.load_three_vendors().evaluate()
    pd.testing.assert_series_equal(table["present_value"], result.present_value.loc[table.index], check_names=False)
    assert table.loc["Cobalt", "net_savings"] != table.loc["Cobalt", "net_savings"]  # NaN for the baseline


def test_json_and_baseline(tmp_path):
    code, out, _ = run("compare", str(datasets.three_vendors_path()), "--format", "json", "--baseline", "Atlas")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"Atlas", "Borealis", "Cobalt"}
    assert data["Atlas"]["net_savings"] is None
    assert data["Cobalt"]["net_savings"] < 0  # Cobalt costs more to own than Atlas


def test_chart_is_written(tmp_path):
    chart = tmp_path / "lcc.png"
    code, out, _ = run("compare", "--chart", str(chart))
    assert code == 0 and chart.stat().st_size > 1000
    assert "chart written" in out


def test_errors_exit_2_with_the_file_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(datasets.three_vendors_path().read_text().replace("horizon = 12", "horizon = 12\nhorizn = 3"))
    code, _, err = run("compare", str(bad))
    assert code == 2
    assert "bad.toml: study: unknown key(s) ['horizn']" in err
    code, _, err = run("compare", "--baseline", "Nobody")
    assert code == 2 and "baseline must be one of" in err
    code, _, err = run("compare", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err


def test_cashflows_still_works():
    code, out, _ = run("cashflows")
    assert code == 0 and "high_efficiency" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_formats_run(fmt):
    assert run("compare", "--format", fmt)[0] == 0


def test_compare_can_simulate(capsys):
    from trustcost.cli import main

    assert main(["compare", "--simulate", "2000", "--seed", "3", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "probability_cheapest" in out
    assert main(["compare", "--simulate", "-5"]) == 2
    assert "--simulate must be >= 0 paths, got -5" in capsys.readouterr().err
