"""The ``trustcost`` command (also ``python -m trustcost``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from . import datasets, finance
from .lcc import load_study
from .uncertainty import simulate


def cashflow_comparison(frame: pd.DataFrame, base: str, rate: float) -> pd.DataFrame:
    """Compare every option's cost streams with ``base``: PV, EAC and the NIST measures."""
    wide = frame.pivot(index="year", columns="option", values=["investment", "operating"]).sort_index()
    years = wide.index.to_numpy()
    if not np.array_equal(years, np.arange(len(years))):
        raise ValueError(f"year must run 0, 1, 2, ... without gaps, got {years.tolist()}")
    if base not in wide["investment"].columns:
        raise ValueError(f"base must be one of {sorted(wide['investment'].columns)}, got {base!r}")
    horizon = len(years) - 1
    rows = {}
    for option in wide["investment"].columns:
        investment, operating = wide["investment"][option].to_numpy(), wide["operating"][option].to_numpy()
        pv = finance.npv(rate, investment + operating)
        row = {"present_value": pv, "eac": finance.eac(pv, rate, horizon)}
        if option != base:
            savings = wide["operating"][base].to_numpy() - operating
            extra = investment - wide["investment"][base].to_numpy()
            row |= {
                "net_savings": finance.net_savings(savings, extra, rate),
                "sir": finance.sir(savings, extra, rate),
                "airr": finance.airr(savings, extra, rate),
                "discounted_payback": finance.payback(savings - extra, rate=rate, fractional=True),
            }
        rows[option] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("option")


def _cashflows(args) -> int:
    frame = pd.read_csv(args.file) if args.file else datasets.load_example_cashflows()
    table = cashflow_comparison(frame, args.base, args.rate)
    _print(table, args.format)
    return 0


def offer_comparison(result, baseline: str | None = None) -> pd.DataFrame:
    """One row per offer, cheapest first: rank, LCC, EAC, the NIST measures against ``baseline``
    (blank for the baseline itself) and the present value of every cost category."""
    return result.summary.join(result.compare(baseline)).join(result.by_category.add_prefix("pv_"))


def _compare(args) -> int:
    path = args.scenario or datasets.three_vendors_path()
    study = load_study(path)
    result = study.evaluate()
    table = offer_comparison(result, args.baseline)
    if args.format == "table":
        baseline = args.baseline or study.baseline or result.ranking[0]
        print(f"Lifetime cost of ownership ({Path(path).name}): {study.horizon} years, "
              f"real discount rate {study.discount_rate:.1%}; savings measured against {baseline!r}\n")
        _print(table[[c for c in table.columns if not c.startswith("pv_")]], "table")
        print("\nPresent value by cost category\n")
        _print(result.by_category.loc[result.ranking].T, "table")
    else:
        _print(table, args.format)
    if args.simulate < 0:
        raise ValueError(f"--simulate must be >= 0 paths, got {args.simulate}")
    if args.simulate:
        # Breakdowns and supplier defaults drawn as events, uncertain inputs sampled.
        simulated = simulate(study, args.simulate, seed=args.seed, progress="auto" if args.format == "table" else False)
        columns = ["mean", "std_error", "p5", "p50", "p95", "probability_cheapest"]
        if args.format == "table":
            print(f"\nMonte Carlo: {args.simulate:,} simulated lives, seed {args.seed}\n")
        _print(simulated.summary[columns], args.format)
    if args.chart:
        import matplotlib

        matplotlib.use("Agg")  # files only, no display needed
        ax = result.plot_breakdown()
        ax.figure.savefig(args.chart, bbox_inches="tight", dpi=120)
        if args.format == "table":
            print(f"\nchart written to {args.chart}")
    return 0


def _print(table: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(table.to_csv())
    elif fmt == "json":
        sys.stdout.write(table.to_json(orient="index", indent=2) + "\n")
    else:
        with pd.option_context("display.float_format", "{:,.2f}".format, "display.width", 120):
            print(table.to_string(na_rep="-"))


# The README's main job: the bundled three-vendor comparison, expected values and 100,000 simulated lives.
DEFAULT_JOB = ["compare", "--simulate", "100000", "--seed", "1"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trustcost", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    cash = commands.add_parser("cashflows", help="compare investment cash-flow streams (NPV, EAC, NS, SIR, AIRR, payback)")
    cash.add_argument("file", nargs="?", help="CSV with year, option, investment, operating (default: bundled example)")
    cash.add_argument("--base", default="standard", help="option the others are measured against")
    cash.add_argument("--rate", type=float, default=0.03, help="real discount rate per year (default 0.03)")
    cash.add_argument("--format", choices=("table", "csv", "json"), default="table")
    cash.set_defaults(run=_cashflows)
    compare = commands.add_parser("compare", help="lifetime cost of ownership of competing offers from a scenario file")
    compare.add_argument("scenario", nargs="?", help="scenario .toml or .json (default: bundled three_vendors.toml)")
    compare.add_argument("--baseline", help="offer the others are measured against (default: the scenario's)")
    compare.add_argument("--format", choices=("table", "csv", "json"), default="table")
    compare.add_argument("--chart", help="write a stacked bar chart of discounted cost by category (PNG, SVG, PDF)")
    compare.add_argument("--simulate", type=int, default=0, metavar="PATHS",
                         help="also simulate this many lives (Monte Carlo: percentiles, chance of being cheapest)")
    compare.add_argument("--seed", type=int, default=0, help="seed of the simulation (default 0)")
    compare.set_defaults(run=_compare)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv if argv is not None else sys.argv[1:] or DEFAULT_JOB)
    try:
        return args.run(args)
    except (ValueError, TypeError, OSError) as exc:
        print(f"trustcost: error: {exc}", file=sys.stderr)
        return 2
