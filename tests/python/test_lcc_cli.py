"""The ``trustcost`` command: one parseable document per format, units, errors, pipes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

import trustcost as tc
from trustcost import cli, datasets

SRC = str(Path(tc.__file__).resolve().parents[1])


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def python(*args: str, stdin=None, **kwargs) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, **kwargs)


def test_default_is_the_three_vendor_comparison():
    # `python -m trustcost` with no arguments: the README's main command.
    done = python("-m", "trustcost", check=True)
    for name in ("Atlas", "Borealis", "Cobalt", "present_value [EUR]", "net_savings [EUR]", "downtime",
                 "supplier_risk", "Monte Carlo", "probability_cheapest [%]"):
        assert name in done.stdout
    assert done.stdout == run(*cli.DEFAULT_JOB)[1]


def test_table_rounds_money_for_reading_and_names_units():
    code, out, _ = run("compare")
    assert code == 0
    assert "amounts in EUR" in out
    assert "656,309" in out and "656308.9" not in out  # whole euros with separators, not cents
    assert "airr [%/year]" in out and "discounted_payback [years]" in out and "eac [EUR/year]" in out


def test_explain_defines_every_measure():
    code, out, _ = run("compare", "--explain")
    assert code == 0
    for measure in ("eac [EUR/year]", "sir [ratio]", "airr [%/year]", "discounted_payback [years]",
                    "net_savings [EUR]", "present_value [EUR]"):
        assert measure in out  # one unit per measure: the table's (airr [%/year]) in its definitions too
    assert "0.05 = 5%" in out  # airr is a fraction, said in words
    assert "--explain" in run("compare")[1]  # the footer points to it


def test_a_rate_typed_as_a_percent_is_refused_with_the_hint(tmp_path):
    code, _, err = run("cashflows", "--rate", "5")
    assert code == 2 and "did you mean 0.05 for 5%?" in err
    assert run("cashflows", "--rate", "5", "--allow-rates-above-100-percent")[0] == 0
    text = datasets.three_vendors_path().read_text()
    (tmp_path / "percent.toml").write_text(text.replace("discount_rate = 0.04", "discount_rate = 4"))
    code, _, err = run("compare", str(tmp_path / "percent.toml"))
    assert code == 2 and "percent.toml: study: discount_rate = 4 is 400% a year" in err
    assert "did you mean 0.04 for 4%?" in err and "allow_rates_above_100_percent = true" in err


def test_relationship_warnings_are_said_in_the_commands_words(tmp_path):
    text = datasets.three_vendors_path().read_text()
    first = text.index("[[offers.costs]]")  # a trust profile on the first offer only
    partial = text[:first] + "[offers.trust_profile]\ntrust = 0.5\nannual_spend = 40000.0\n\n" + text[first:]
    (tmp_path / "partial.toml").write_text(partial)
    code, out, err = run("compare", str(tmp_path / "partial.toml"))
    assert code == 0 and "relationship_cost" in out
    assert "trustcost: warning: offers ['Atlas'] carry a trust profile and offers ['Borealis', 'Cobalt'] do not" in err
    assert "study.py" not in err  # no Python source line


def test_footers_state_what_the_table_shows():
    code, out, _ = run("cashflows")
    assert code == 0
    table, footer = out.rsplit("\n\n", 1)
    assert "rank" not in table.split("\n")[2] and "rank" not in footer  # no rank column, no word on rank
    # The airr example is a value of the table, in its two spellings.
    shown = cli.cashflow_comparison(datasets.load_example_cashflows(), "standard", 0.03)["airr"].dropna().iloc[0]
    assert f"airr is a rate per year ({shown:.1%} = {shown:.3f})" in footer
    assert "discounted_payback is in years" in footer
    code, out, _ = run("compare")
    footer = out.rsplit("\n\n", 1)[1]
    best = datasets.load_three_vendors().evaluate().ranking[0]
    assert f"rank 1 ({best}) has the lowest present value" in footer


def test_json_is_one_document_with_every_table():
    # The old output wrote two JSON documents back to back ("Extra data" from json.loads).
    code, out, _ = run("compare", "--simulate", "2000", "--seed", "3", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert {"summary", "by_category", "simulation", "units", "definitions"} <= set(doc)
    assert doc["currency"] == "EUR" and doc["paths"] == 2000 and doc["seed"] == 3
    assert set(doc["summary"]) == set(doc["by_category"]) == set(doc["simulation"]) == {"Atlas", "Borealis", "Cobalt"}
    assert doc["units"]["summary"]["airr"] == "fraction/year"
    assert doc["units"]["summary"]["present_value"] == "EUR"
    assert doc["units"]["simulation"]["probability_cheapest"] == "fraction"
    assert abs(sum(row["probability_cheapest"] for row in doc["simulation"].values()) - 1) < 1e-12
    result = datasets.load_three_vendors().evaluate()
    for offer, row in doc["by_category"].items():
        assert sum(row.values()) == pytest.approx(result.present_value[offer], abs=0.1)
    assert json.loads(run("compare", "--format", "json")[1])["simulation"] is None


def test_a_dominated_offer_is_explained_in_the_footer():
    # Against Atlas, Borealis costs less to buy and more to run: no SIR or AIRR ('-'), said below.
    code, out, _ = run("compare", str(datasets.three_vendors_path()), "--baseline", "Atlas")
    assert code == 0 and "sir and airr '-' beside the baseline: no ratio" in out
    assert "sir and airr '-'" not in run("compare", str(datasets.three_vendors_path()))[1]  # against Cobalt all have one


def test_json_and_baseline():
    code, out, _ = run("compare", str(datasets.three_vendors_path()), "--format", "json", "--baseline", "Atlas")
    assert code == 0
    summary = json.loads(out)["summary"]
    assert summary["Atlas"]["net_savings"] is None
    assert summary["Cobalt"]["net_savings"] < 0  # Cobalt costs more to own than Atlas


def test_csv_is_one_table_with_units_in_the_header():
    code, out, _ = run("compare", "--format", "csv")
    assert code == 0
    table = pd.read_csv(io.StringIO(out), index_col="offer")
    result = datasets.load_three_vendors().evaluate()
    pd.testing.assert_series_equal(table["present_value [EUR]"], result.present_value.loc[table.index],
                                   check_names=False, rtol=1e-8)
    assert table.loc["Cobalt", "net_savings [EUR]"] != table.loc["Cobalt", "net_savings [EUR]"]  # NaN for the baseline
    assert "airr [fraction/year]" in table.columns


def test_csv_sections_and_output_dir(tmp_path):
    code, out, _ = run("compare", "--format", "csv", "--section", "by_category")
    assert code == 0
    assert pd.read_csv(io.StringIO(out), index_col="offer").columns[0] == "acquisition [EUR]"
    code, out, _ = run("compare", "--format", "csv", "--simulate", "1000", "--section", "simulation")
    assert code == 0 and "probability_cheapest [fraction]" in out.splitlines()[0]
    # Two tables with different headers never share one stream: choose one, or a folder.
    code, _, err = run("compare", "--format", "csv", "--simulate", "1000")
    assert code == 2 and "--section" in err and "--output-dir" in err
    code, out, _ = run("compare", "--format", "csv", "--simulate", "1000", "--output-dir", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["by_category.csv", "definitions.csv", "simulation.csv",
                                                          "summary.csv"]
    for path in tmp_path.iterdir():
        assert len(pd.read_csv(path)) >= 3
    code, _, err = run("compare", "--format", "csv", "--section", "simulation")
    assert code == 2 and "--simulate" in err


def test_currency_key_in_the_scenario(tmp_path):
    text = datasets.three_vendors_path().read_text().replace('currency = "EUR"', 'currency = "USD"')
    (tmp_path / "usd.toml").write_text(text)
    code, out, _ = run("compare", str(tmp_path / "usd.toml"))
    assert code == 0 and "present_value [USD]" in out and "EUR" not in out
    (tmp_path / "none.toml").write_text(text.replace('currency = "USD"', ""))
    code, out, _ = run("compare", str(tmp_path / "none.toml"), "--format", "json")
    assert json.loads(out)["currency"] is None and json.loads(out)["units"]["summary"]["eac"] == "money/year"
    assert tc.load_study(tmp_path / "usd.toml").currency == "USD"
    study = tc.load_study(tmp_path / "usd.toml")
    tc.save_study(study, tmp_path / "again.toml")
    assert tc.load_study(tmp_path / "again.toml").currency == "USD"


def test_chart_is_written(tmp_path):
    chart = tmp_path / "lcc.png"
    code, out, _ = run("compare", "--chart", str(chart))
    assert code == 0 and chart.stat().st_size > 1000
    assert "chart written" in out
    # In JSON mode the note goes to stderr, so stdout stays one document.
    code, out, err = run("compare", "--chart", str(tmp_path / "lcc.svg"), "--format", "json")
    assert code == 0 and json.loads(out) and "chart written" in err


def test_missing_matplotlib_is_a_friendly_error(tmp_path):
    # Blocks matplotlib as if it were not installed.
    script = ("import sys; sys.modules['matplotlib'] = None\n"
              "from trustcost.cli import main\n"
              f"raise SystemExit(main(['compare', '--chart', {str(tmp_path / 'x.png')!r}]))")
    done = python("-c", script)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "pip install trustcost[plot]" in done.stderr
    assert done.stdout == ""  # the check comes before any table


def test_closed_pipe_exits_quietly():
    # `python -m trustcost | head -1`: the reader goes away early.
    done = subprocess.run(f"{sys.executable} -m trustcost | head -1", shell=True, capture_output=True, text=True,
                          executable="/bin/bash", env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
                          input=None)
    assert done.stdout.startswith("Lifetime cost of ownership")
    assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr
    status = subprocess.run(f"set -o pipefail; {sys.executable} -m trustcost compare --format json | head -c 10",
                            shell=True, capture_output=True, text=True, executable="/bin/bash",
                            env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"})
    assert status.returncode == 0 and status.stderr == ""


def test_version_and_help():
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"trustcost {tc.__version__}"
    for args in (["--help"], ["compare", "--help"], ["cashflows", "--help"]):
        code, out, _ = run(*args)
        assert code == 0 and "``" not in out and out.strip()
    assert "cashflows" in run("--help")[1]


def test_errors_exit_2_with_the_file_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(datasets.three_vendors_path().read_text().replace("horizon = 12", "horizon = 12\nhorizn = 3"))
    code, _, err = run("compare", str(bad))
    assert code == 2
    assert "bad.toml: study: unknown key(s) ['horizn']" in err
    code, _, err = run("compare", "--baseline", "Nobody")
    assert code == 2 and "baseline must be one of" in err
    code, _, err = run("compare", str(tmp_path / "missing.toml"))
    assert code == 2 and err == f"trustcost: error: scenario file not found: {tmp_path / 'missing.toml'}\n"
    code, _, err = run("compare", str(tmp_path))
    assert code == 2 and "is a folder" in err and "Errno" not in err
    code, _, err = run("cashflows", str(tmp_path / "flows.csv"))
    assert code == 2 and err == f"trustcost: error: cash-flow file not found: {tmp_path / 'flows.csv'}\n"


def test_negative_costs_are_refused_in_scenarios(tmp_path):
    # A negative purchase price used to be accepted and rank its offer first.
    text = datasets.three_vendors_path().read_text()
    (tmp_path / "neg.toml").write_text(text.replace("amount = 420000.0", "amount = -8000.0"))
    code, _, err = run("compare", str(tmp_path / "neg.toml"))
    assert code == 2
    assert "neg.toml: offers[0] ('Atlas').costs[0] ('purchase price'): amount must be >= 0, got -8000.0" in err
    assert "Residual" in err and 'type = "residual"' in err
    (tmp_path / "rec.toml").write_text(text.replace("amount = 14000.0", "amount = -14000.0"))
    code, _, err = run("compare", str(tmp_path / "rec.toml"))
    assert code == 2 and "('full-service contract'): amount must be >= 0" in err


@pytest.mark.parametrize("make", [
    lambda: tc.OneTime("price", -8000),
    lambda: tc.Recurring("service", -1),
    lambda: tc.Periodic("overhaul", -25000, every=4),
    lambda: tc.Disposal("removal", -10),
    lambda: tc.UsageBased("energy", units_per_year=100, cost_per_unit=-0.1),
])
def test_negative_costs_are_refused_in_the_api(make):
    with pytest.raises(ValueError, match=r"must be >= 0.*A credit .* is a Residual element"):
        make()


@pytest.mark.parametrize("make", [
    lambda: tc.OneTime("price", tc.Normal(100, 50)),   # an uncertain cost that can turn negative
    lambda: tc.OneTime("price", tc.Uniform(-5, 10)),
])
def test_uncertain_costs_reaching_below_zero_get_the_distribution_hint(make):
    # Issue 20: a Normal price that is not truncated got the unrelated hint about Residual credits.
    with pytest.raises(ValueError, match=r"must be >= 0, but .* ranges over") as caught:
        make()
    assert "Residual" not in str(caught.value)


def test_credits_stay_credits():
    # Residual value is a credit by design: a negative cost in the result.
    study = tc.Study([tc.Offer("X", [tc.OneTime("price", 100.0), tc.Residual("resale", value=30.0, year=0)])],
                     horizon=2, discount_rate=0.0)
    assert study.evaluate().present_value["X"] == pytest.approx(70.0)
    tc.OneTime("free", 0.0)  # zero is a cost too


def test_cashflows_formats():
    code, out, _ = run("cashflows")
    assert code == 0 and "high_efficiency" in out and "airr [%/year]" in out
    code, out, _ = run("cashflows", "--format", "json", "--currency", "USD")
    doc = json.loads(out)
    assert doc["currency"] == "USD" and "high_efficiency" in doc["summary"]
    assert doc["units"]["summary"]["eac"] == "USD/year"
    code, out, _ = run("cashflows", "--format", "csv")
    assert code == 0 and "present_value [money]" in out.splitlines()[0]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_formats_run(fmt):
    assert run("compare", "--format", fmt)[0] == 0


def test_simulate_must_be_non_negative():
    code, _, err = run("compare", "--simulate", "-5")
    assert code == 2 and "--simulate must be >= 0 paths, got -5" in err
