"""The trustcost command (also python -m trustcost): compare offers by lifetime cost of ownership.

Every run writes one parseable document: a table for reading, one JSON object, or one CSV table
(choose it with --section, or write every table with --output-dir). Amounts are in the scenario's
currency (its study.currency key; "money" when it states none), real money of year 0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from . import _plotting, datasets
from ._display import MEASURES, column_kind, readable, unit_label, with_unit
from ._errors import TrustcostWarning
from ._validation import as_rate
from ._version import __version__
from .html_report import report
from .lcc import OneTime, Offer, Residual, Study, load_study
from .uncertainty import simulate

SIMULATION_COLUMNS = ["mean", "std_error", "p5", "p50", "p95", "probability_cheapest"]
SECTIONS = ("summary", "by_category", "simulation", "definitions")


# ----------------------------------------------------------------------------- tables


def cashflow_study(frame: pd.DataFrame, base: str, rate: float, currency: str | None = None,
                   allow_rates_above_100_percent: bool = False) -> Study:
    """Options given as yearly cash flows (columns year, option, investment, operating) as a
    :class:`Study`: one offer per option, each year's investment an ``acquisition`` payment (a
    negative one a ``residual`` credit) and its operating cost an ``operation`` payment. The
    measures are then the study's own (:meth:`LccResult.compare`), not a second copy of them."""
    missing = [c for c in ("year", "option", "investment", "operating") if c not in frame.columns]
    if missing:
        raise ValueError(f"cash flows need the columns year, option, investment, operating; missing {missing}, "
                         f"got {list(frame.columns)}")
    for column in ("year", "investment", "operating"):
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            raise ValueError(f"cash-flow column {column!r} must be numeric, got {frame[column].dtype} "
                             f"(first values {frame[column].head(3).tolist()})")
        if frame[column].isna().any():
            row = int(np.flatnonzero(frame[column].isna().to_numpy())[0])
            raise ValueError(f"cash-flow column {column!r} is missing a value in row {row}")
    repeated = frame.duplicated(["year", "option"])
    if repeated.any():
        row = frame[repeated].iloc[0]
        raise ValueError(f"cash flows give option {row['option']!r} year {row['year']} more than once")
    wide = frame.pivot(index="year", columns="option", values=["investment", "operating"]).sort_index()
    years = wide.index.to_numpy()
    if not np.array_equal(years, np.arange(len(years))):
        raise ValueError(f"year must run 0, 1, 2, ... without gaps, got {years.tolist()}")
    options = list(wide["investment"].columns)
    if base not in options:
        raise ValueError(f"base must be one of {sorted(options)}, got {base!r}")
    offers = []
    for option in options:
        costs = []
        for year, investment, operating in zip(years, wide["investment"][option], wide["operating"][option]):
            year = int(year)
            if operating < 0:
                raise ValueError(f"operating of {option!r} in year {year} must be >= 0 (a cost), got {operating}")
            if investment < 0:  # a credit: resale, trade-in
                costs.append(Residual(f"investment year {year}", value=-investment, year=year))
            elif investment > 0 or year == 0:
                costs.append(OneTime(f"investment year {year}", investment, year=year))
            if operating > 0:
                costs.append(OneTime(f"operating year {year}", operating, year=year, category="operation"))
        offers.append(Offer(str(option), costs))
    return Study(offers, horizon=len(years) - 1, discount_rate=rate, baseline=str(base), currency=currency,
                 allow_rates_above_100_percent=allow_rates_above_100_percent)


def cashflow_comparison(frame: pd.DataFrame, base: str, rate: float, allow_rates_above_100_percent: bool = False
                        ) -> pd.DataFrame:
    """Compare every option's cost streams with ``base``: PV, EAC and the NIST measures (NS, SIR,
    AIRR, discounted payback), computed by :meth:`LccResult.compare`."""
    result = cashflow_study(frame, base, rate, allow_rates_above_100_percent=allow_rates_above_100_percent).evaluate()
    table = pd.DataFrame({"present_value": result.present_value, "eac": result.eac})
    return table.join(result.compare(base)).rename_axis("option")


def offer_comparison(result, baseline: str | None = None) -> pd.DataFrame:
    """One row per offer, cheapest first: rank, LCC, EAC, the NIST measures against ``baseline``
    (blank for the baseline itself) and the present value of every cost category."""
    return result.summary.join(result.compare(baseline)).join(result.by_category.add_prefix("pv_"))


def definitions(columns) -> pd.DataFrame:
    """Unit and definition of each measure among ``columns`` (category columns as one row)."""
    rows, seen = {}, set()
    for column in columns:
        key = "pv_<category>" if str(column).startswith("pv_") else str(column)
        if key in MEASURES and key not in seen:
            seen.add(key)
            rows[key] = MEASURES[key]
    return pd.DataFrame.from_dict(rows, orient="index", columns=["kind", "definition"]).rename_axis("measure")


# ----------------------------------------------------------------------------- writers


def _money_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns if column_kind(c).startswith("money") and pd.api.types.is_numeric_dtype(frame[c])]


def _for_machines(frame: pd.DataFrame) -> pd.DataFrame:
    """Money to the cent (no float noise such as 656308.9999999); other measures unrounded."""
    out = frame.copy()
    for column in _money_columns(out):
        out[column] = out[column].astype(float).round(2)
    return out


def _json_table(frame: pd.DataFrame) -> dict:
    def clean(value):
        if isinstance(value, (np.integer,)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            return None if math.isnan(value) else float(value) if math.isfinite(value) else str(value)
        return value

    frame = _for_machines(frame)
    return {str(row): {str(c): clean(v) for c, v in zip(frame.columns, values)}
            for row, values in zip(frame.index, frame.itertuples(index=False))}


def _units(columns, currency) -> dict:
    return {str(c): unit_label(column_kind(c), currency) for c in columns}


def _write_csv(frame: pd.DataFrame, currency, out) -> None:
    """One CSV table, the unit of each column in its header (``present_value [EUR]``)."""
    frame = _for_machines(frame)
    frame.columns = [with_unit(c, column_kind(c), currency) for c in frame.columns]
    out.write(frame.to_csv())


def _write_table(frame: pd.DataFrame, currency, units_in_header: bool = True) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(readable(frame, currency, units_in_header=units_in_header).to_string())


def _write_definitions(columns, currency) -> None:
    print("\nMeasures")
    for measure, (kind, text) in definitions(columns).iterrows():
        unit = unit_label(kind, currency, percent=True)  # as the table above shows them
        print(f"  {measure}{f' [{unit}]' if unit else ''}: {text}")


def _emit(tables: dict, meta: dict, args, currency) -> None:
    """Write ``tables`` (name -> DataFrame, None when absent) in the format asked for."""
    present = {name: t for name, t in tables.items() if t is not None}
    columns = [c for t in present.values() for c in t.columns]
    if args.format == "json":
        doc = dict(meta)
        doc["units"] = {name: _units(t.columns, currency) for name, t in present.items()}
        doc |= {name: (None if t is None else _json_table(t)) for name, t in tables.items()}
        doc["definitions"] = {m: {"unit": unit_label(k, currency), "definition": d}
                              for m, (k, d) in definitions(columns).iterrows()}
        sys.stdout.write(json.dumps(doc, indent=2, allow_nan=False) + "\n")
        return
    present["definitions"] = definitions(columns)
    if args.output_dir:
        folder = Path(args.output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in present.items():
            with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as out:
                if name == "definitions":
                    out.write(table.to_csv())
                else:
                    _write_csv(table, currency, out)
            print(folder / f"{name}.csv")
        return
    section = args.section or "summary"
    if present.get(section) is None:
        raise ValueError(f"--section {section} is empty: run with --simulate PATHS to get the simulation")
    if section == "definitions":
        sys.stdout.write(present[section].to_csv())
    else:
        _write_csv(present[section], currency, sys.stdout)


# ----------------------------------------------------------------------------- commands


def _cashflows(args) -> int:
    as_rate(args.rate, "--rate")  # named as the user wrote it (the study would say discount_rate)
    if args.file:
        _check_file(args.file, "cash-flow file")
    if args.file:
        try:
            frame = pd.read_csv(args.file)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise ValueError(f"{Path(args.file).name}: not a readable UTF-8 CSV of cash flows: {exc}") from None
    else:
        frame = datasets.load_example_cashflows()
    table = cashflow_comparison(frame, args.base, args.rate, args.allow_rates_above_100_percent)
    meta = {"file": Path(args.file).name if args.file else "example_cashflows.csv", "currency": args.currency,
            "discount_rate": args.rate, "base": args.base}
    if args.format == "table":
        print(f"Cash-flow comparison ({meta['file']}): real discount rate {args.rate:.1%}, amounts in "
              f"{args.currency or 'money'}; savings measured against {args.base!r}\n")
        _write_table(table, args.currency)
        _footer(args, [table], args.currency)
    else:
        _emit({"summary": table}, meta, args, args.currency)
    return 0


def _check_file(path: str, what: str) -> None:
    """A readable error for a path that is not there (instead of a raw errno)."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{what} not found: {path}")
    if p.is_dir():
        raise ValueError(f"{what} is a folder, not a file: {path}")


def _compare(args) -> int:
    if args.simulate < 0:
        raise ValueError(f"--simulate must be >= 0 paths, got {args.simulate}")
    if args.chart or args.report:
        _plotting.pyplot()  # fail before any output when matplotlib is missing
    if args.scenario:
        _check_file(args.scenario, "scenario file")
    path = Path(args.scenario) if args.scenario else datasets.three_vendors_path()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TrustcostWarning)
        study = load_study(path)
        result = study.evaluate()
    for warning in caught:  # said as the command's own words, not as a Python source line
        if issubclass(warning.category, TrustcostWarning):
            print(f"trustcost: warning: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    baseline = args.baseline or study.baseline or result.ranking[0]
    comparison = offer_comparison(result, args.baseline)
    summary = comparison[[c for c in comparison.columns if not c.startswith("pv_")]]
    by_category = result.by_category.loc[result.ranking]
    currency = study.currency
    if args.format == "table":  # printed before the simulation runs, so there is something to read meanwhile
        print(_heading(path, study, baseline) + "\n")
        _write_table(summary, currency)
        print(f"\nPresent value by cost category [{currency or 'money'}]\n")
        _write_table(by_category.T, currency, units_in_header=False)
        sys.stdout.flush()
    simulated = simulation = None
    if args.simulate:
        # Breakdowns and supplier defaults drawn as events, uncertain inputs sampled.
        simulated = simulate(study, args.simulate, seed=args.seed, progress="auto" if args.format == "table" else False)
        simulation = simulated.summary[SIMULATION_COLUMNS]
    if args.format == "table":
        if simulation is not None:
            print(f"\nMonte Carlo: {args.simulate:,} simulated lives, seed {args.seed}\n")
            _write_table(simulation, currency)
        _footer(args, [summary, *([] if simulation is None else [simulation])], currency)
    else:
        meta = {"scenario": path.name, "currency": currency, "horizon": study.horizon,
                "discount_rate": study.discount_rate, "timing": study.timing, "inflation": study.inflation,
                "baseline": baseline, "paths": args.simulate, "seed": args.seed if args.simulate else None}
        _emit({"summary": summary, "by_category": by_category, "simulation": simulation}, meta, args, currency)
    if args.chart:
        figure = _plotting.figure((8, 4.5))
        result.plot_breakdown(ax=figure.add_subplot())
        figure.savefig(args.chart, bbox_inches="tight", dpi=120)
        _note(args, f"chart written to {args.chart}")
    if args.report:
        report(result, args.report, simulation=simulated, baseline=args.baseline, source=path)
        _note(args, f"report written to {args.report}")
    return 0


def _heading(path: Path, study, baseline: str) -> str:
    return (f"Lifetime cost of ownership ({path.name}): {study.horizon} years, real discount rate "
            f"{study.discount_rate:.1%}, amounts in {study.currency or 'money'} (real money of year 0); "
            f"savings measured against {baseline!r}")


def _footer(args, tables, currency) -> None:
    """Notes on the tables printed, computed from them: only columns shown, examples from their values."""
    columns = [c for t in tables for c in t.columns]
    if args.explain:
        _write_definitions(columns, currency)
        return
    print("\n" + footer_text(tables))


def footer_text(tables) -> str:
    """How to read the columns of ``tables`` that need it, with an example from a shown value."""
    notes = []
    for table in tables:
        if "rank" in table.columns and len(table):
            first = table.index[table["rank"] == table["rank"].min()][0]
            notes.append(f"rank 1 ({first}) has the lowest present value")
        if "airr" in table.columns:
            shown = table["airr"].dropna()
            shown = shown[np.isfinite(shown.to_numpy(float))]
            if len(shown):
                x = float(shown.iloc[0])
                notes.append(f"airr is a rate per year ({x:.1%} = {x:.3f})")
        if "airr" in table.columns and table["airr"].isna().sum() > 1:  # more than the baseline's row
            notes.append("sir and airr '-' beside the baseline: no ratio (the offer costs no more to buy but more "
                         "to run, or for airr more on both counts)")
        if "discounted_payback" in table.columns:
            notes.append("discounted_payback is in years ('-': the baseline itself, or no payback within the horizon)")
        if "probability_cheapest" in table.columns:
            notes.append("probability_cheapest is the share of simulated lives in which the offer is cheapest")
    return "; ".join(dict.fromkeys(notes)) + (". " if notes else "") + "Add --explain to define every measure."


def _note(args, text: str) -> None:
    """Side messages go to stdout in table mode and to stderr otherwise (stdout stays one document)."""
    print(text if args.format == "table" else f"trustcost: {text}",
          file=sys.stdout if args.format == "table" else sys.stderr)


# ----------------------------------------------------------------------------- parser


# The README's main job: the bundled three-vendor comparison, expected values and 100,000 simulated lives.
DEFAULT_JOB = ["compare", "--simulate", "100000", "--seed", "1"]

EPILOG = """examples:
  trustcost compare scenario.toml                      table for reading
  trustcost compare scenario.toml --format json        one JSON object: summary, by_category, simulation
  trustcost compare scenario.toml --format csv --section by_category
  trustcost compare scenario.toml --simulate 20000 --format csv --output-dir results/
  trustcost compare scenario.toml --report report.html --simulate 20000
  trustcost cashflows flows.csv --base standard --rate 0.03

With no arguments: trustcost compare --simulate 100000 --seed 1 on the bundled three-vendor scenario."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trustcost", description=__doc__, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"trustcost {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{compare,cashflows}")

    def output_options(sub):
        sub.add_argument("--format", choices=("table", "csv", "json"), default="table",
                         help="table for reading (default), one JSON object, or one CSV table")
        sub.add_argument("--section", choices=SECTIONS,
                         help="with --format csv: the table to write (default summary)")
        sub.add_argument("--output-dir", metavar="DIR", help="with --format csv: write every table to DIR/<name>.csv")
        sub.add_argument("--explain", action="store_true", help="define every measure printed (eac, sir, airr...)")

    compare = commands.add_parser("compare", help="lifetime cost of ownership of competing offers from a scenario file",
                                  description="Lifetime cost of ownership of the offers in a scenario file (.toml "
                                              "or .json; see the scenario reference in the documentation).")
    compare.add_argument("scenario", nargs="?", help="scenario .toml or .json (default: bundled three_vendors.toml)")
    compare.add_argument("--baseline", help="offer the others are measured against (default: the scenario's)")
    output_options(compare)
    compare.add_argument("--chart", metavar="FILE", help="write a stacked bar chart of discounted cost by category "
                                                         "(.png, .svg, .pdf; needs matplotlib)")
    compare.add_argument("--report", metavar="FILE", help="write a self-contained HTML report (needs matplotlib)")
    compare.add_argument("--simulate", type=int, default=0, metavar="PATHS",
                         help="also simulate this many lives (Monte Carlo: percentiles, chance of being cheapest)")
    compare.add_argument("--seed", type=int, default=0, help="seed of the simulation (default 0)")
    compare.set_defaults(run=_compare)

    cash = commands.add_parser("cashflows", help="compare investment cash-flow streams (NPV, EAC, NS, SIR, AIRR, payback)",
                               description="Compare options given as yearly cash flows: a CSV with columns year, "
                                           "option, investment, operating (costs, real money).")
    cash.add_argument("file", nargs="?", help="CSV with year, option, investment, operating (default: bundled example)")
    cash.add_argument("--base", default="standard", help="option the others are measured against (default standard)")
    cash.add_argument("--rate", type=float, default=0.03, help="real discount rate per year as a fraction (default 0.03)")
    cash.add_argument("--allow-rates-above-100-percent", action="store_true",
                      help="accept a --rate above 1 (100%%); without it, 5 is refused as a likely 5%%")
    cash.add_argument("--currency", help="currency label of the amounts (default: money)")
    output_options(cash)
    cash.set_defaults(run=_cashflows)
    return parser


def _check_output_options(parser, args) -> None:
    if args.format != "csv" and (args.section or args.output_dir):
        parser.error("--section and --output-dir go with --format csv")
    if args.output_dir and Path(args.output_dir).exists() and not Path(args.output_dir).is_dir():
        parser.error(f"--output-dir must be a folder, got the file {args.output_dir}")
    if args.section and args.output_dir:
        parser.error("choose one of --section and --output-dir")
    if args.format == "csv" and not (args.section or args.output_dir) and getattr(args, "simulate", 0):
        parser.error("--format csv writes one table: choose it with --section "
                     f"({', '.join(SECTIONS)}) or write them all with --output-dir DIR")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv if argv is not None else sys.argv[1:] or DEFAULT_JOB)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    _check_output_options(parser, args)
    try:
        code = args.run(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader stopped (``| head``): nothing more to say; keep the exit flush quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("trustcost: interrupted", file=sys.stderr)
        return 130
    except ImportError as exc:
        print(f"trustcost: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OverflowError, OSError) as exc:  # (OverflowError: the overflow policy)
        print(f"trustcost: error: {exc}", file=sys.stderr)
        return 2
