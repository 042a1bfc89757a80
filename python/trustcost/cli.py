"""The ``trustcost`` command (also ``python -m trustcost``)."""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

from . import datasets, finance


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


def _print(table: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(table.to_csv())
    elif fmt == "json":
        sys.stdout.write(table.to_json(orient="index", indent=2) + "\n")
    else:
        with pd.option_context("display.float_format", "{:,.2f}".format, "display.width", 120):
            print(table.to_string(na_rep="-"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trustcost", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    cash = commands.add_parser("cashflows", help="compare investment cash-flow streams (NPV, EAC, NS, SIR, AIRR, payback)")
    cash.add_argument("file", nargs="?", help="CSV with year, option, investment, operating (default: bundled example)")
    cash.add_argument("--base", default="standard", help="option the others are measured against")
    cash.add_argument("--rate", type=float, default=0.03, help="real discount rate per year (default 0.03)")
    cash.add_argument("--format", choices=("table", "csv", "json"), default="table")
    cash.set_defaults(run=_cashflows)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv if argv is not None else sys.argv[1:] or ["cashflows"])
    try:
        return args.run(args)
    except (ValueError, TypeError, OSError) as exc:
        print(f"trustcost: error: {exc}", file=sys.stderr)
        return 2
