"""How results show themselves: the measures' definitions and units, readable numbers, and the one
result protocol (``summary``, ``to_frame()``, ``_repr_html_``, ``_repr_pretty_``, ``plot_*``).

Every result class mixes in :class:`ResultDisplay`, so Jupyter, IPython, the CLI and the HTML
report print the same tables with the same units: money with thousands separators and whole
units, shares as percentages, years to one decimal.
"""

from __future__ import annotations

import html
import math

import pandas as pd

# Kinds of column, each with its unit label and its format.
MONEY, MONEY_PER_YEAR, SHARE, RATE, YEARS, RATIO, COUNT, TRUST, NUMBER = (
    "money", "money/year", "share", "rate", "years", "ratio", "count", "trust", "number")

MEASURES: dict[str, tuple[str, str]] = {
    "rank": (COUNT, "position by present value, 1 = the cheapest to own"),
    "lifetime_rank": (COUNT, "position by lifetime cost without the relationship lines"),
    "present_value": (MONEY, "life-cycle cost (LCC): expected present value of every cost over the study, "
                             "discounted at the real rate to year 0, in real money of year 0"),
    "lifetime_cost": (MONEY, "present value without the relationship lines (the plain LCC)"),
    "relationship_cost": (MONEY, "present value of the relationship lines (transaction, procurement, "
                                 "inspection, disputes, minus information sharing)"),
    "eac": (MONEY_PER_YEAR, "equivalent annual cost: the constant yearly amount over the horizon with the "
                            "same present value (present_value x capital recovery factor)"),
    "above_best": (MONEY, "present value minus the lowest present value among the offers"),
    "net_savings": (MONEY, "NS (ASTM E1074): present value of the operational savings against the baseline "
                           "minus the present value of the additional investment; > 0 means cheaper to own"),
    "sir": (RATIO, "savings-to-investment ratio (ASTM E964): present value of savings / present value of "
                   "additional investment; > 1 means the extra investment pays for itself"),
    "airr": (RATE, "adjusted internal rate of return (ASTM E1057), a fraction per year (0.05 = 5%): the return "
                   "on the additional investment with savings reinvested at the discount rate; beats the "
                   "discount rate when sir > 1"),
    "discounted_payback": (YEARS, "years until the cumulative discounted net savings turn non-negative "
                                  "(interpolated within the year; empty or '-': not within the horizon)"),
    "expected_lcc": (MONEY, "present value with every uncertain input at its mean (Study.evaluate)"),
    "mean": (MONEY, "mean present value over the simulated lives"),
    "std_error": (MONEY, "standard error of that mean (Monte Carlo error)"),
    "std": (MONEY, "standard deviation of the present value over the simulated lives"),
    "p5": (MONEY, "5th percentile of the present value: 5% of simulated lives cost less"),
    "p25": (MONEY, "25th percentile of the present value"),
    "p50": (MONEY, "median present value"),
    "p75": (MONEY, "75th percentile of the present value"),
    "p95": (MONEY, "95th percentile of the present value: 5% of simulated lives cost more"),
    "probability_cheapest": (SHARE, "share of simulated lives on which the offer costs the least"),
    "pv_<category>": (MONEY, "present value of one cost category"),
}
"""Every measure the tables print: its kind of unit and its definition (``--explain``)."""

_EXTRA_KINDS = {
    "cost_rate": MONEY_PER_YEAR, "failure_only_cost_rate": MONEY_PER_YEAR, "interval": YEARS, "saving": SHARE,
    "kept_share": SHARE, "promises": COUNT, "kept": COUNT, "broken": COUNT, "mean_trust": TRUST,
    "start": TRUST, "end": TRUST, "min": TRUST, "max": TRUST, "break_even_year": YEARS, "best": NUMBER,
    "probability_partnership_cheaper": SHARE, "probability_break_even_within_horizon": SHARE, "draws": COUNT,
    "probability_cheaper": SHARE,
}


def column_kind(name, overrides: dict | None = None) -> str:
    """The kind of unit of a column, by name (anything not named is money)."""
    name = str(name)
    if overrides and name in overrides:
        return overrides[name]
    if name in MEASURES:
        return MEASURES[name][0]
    if name in _EXTRA_KINDS:
        return _EXTRA_KINDS[name]
    if name.startswith(("probability", "share")):
        return SHARE
    if name.startswith("break_even_year_p"):
        return YEARS
    return MONEY


def unit_label(kind: str, currency: str | None, percent: bool = False) -> str:
    """``"EUR"``, ``"EUR/year"``, ``"fraction/year"``, ``"years"``...; "" where no unit applies.
    ``percent``: shares and rates as printed for reading (``"%"``, ``"%/year"``)."""
    money = currency or "money"
    share = "%" if percent else "fraction"
    return {MONEY: money, MONEY_PER_YEAR: f"{money}/year", SHARE: share, RATE: f"{share}/year",
            YEARS: "years", RATIO: "ratio"}.get(kind, "")


def with_unit(name, kind: str, currency: str | None, percent: bool = False) -> str:
    """A column header with its unit: ``"present_value [EUR]"``."""
    unit = unit_label(kind, currency, percent)
    return f"{name} [{unit}]" if unit else str(name)


def format_value(value, kind: str) -> str:
    """One number for reading: money in whole units with thousands separators, shares as percent."""
    if value is None or isinstance(value, str) or isinstance(value, bool):
        return "" if value is None else str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return "-"
    if math.isinf(x):
        return "never" if kind == YEARS else ("inf" if x > 0 else "-inf")
    if kind in (MONEY, MONEY_PER_YEAR):
        return f"{x:,.0f}" if abs(x) >= 100 or x == 0 else f"{x:,.2f}"
    if kind in (SHARE, RATE):
        return f"{x:.1%}"
    if kind == YEARS:
        return f"{x:.1f}"
    if kind == RATIO:
        return f"{x:.2f}"
    if kind == COUNT:
        return f"{x:,.0f}"
    if kind == TRUST:
        return f"{x:.3f}"
    return f"{x:,.4g}"


def readable(frame: pd.DataFrame, currency: str | None = None, overrides: dict | None = None,
             units_in_header: bool = True) -> pd.DataFrame:
    """``frame`` as strings for reading, with the unit of each column in its header."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        kind = column_kind(column, overrides)
        header = with_unit(column, kind, currency, percent=True) if units_in_header else column
        out[header] = [format_value(v, kind) for v in frame[column]]
    return out


def frame_html(frame: pd.DataFrame, currency: str | None = None, overrides: dict | None = None) -> str:
    """An HTML table with readable numbers and units in the headers."""
    return readable(frame, currency, overrides).to_html(escape=True, classes="trustcost-table")


def frame_text(frame: pd.DataFrame, currency: str | None = None, overrides: dict | None = None) -> str:
    return readable(frame, currency, overrides).to_string()


class ResultDisplay:
    """The result protocol. A result class defines ``summary`` (a DataFrame), ``to_frame()`` (its
    main data as one tidy DataFrame), ``_headline()`` and, where some columns are not money,
    ``_column_kinds``; this mixin gives it ``_repr_html_`` and ``_repr_pretty_``."""

    _column_kinds: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # IPython prefers a __repr__ found earlier in the MRO over an inherited _repr_pretty_.
        if "_repr_pretty_" not in cls.__dict__:
            cls._repr_pretty_ = ResultDisplay._repr_pretty_

    @property
    def currency(self) -> str | None:
        return None

    def _headline(self) -> str:  # one line saying what the result is
        return type(self).__name__

    def _tables(self) -> list[tuple[str, pd.DataFrame]]:
        """Captioned tables shown in Jupyter and text reprs (default: the summary)."""
        return [("", self.summary)]

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(self._headline())}</b></p>"]
        for caption, table in self._tables():
            if caption:
                parts.append(f"<p>{html.escape(caption)}</p>")
            parts.append(frame_html(table, self.currency, self._column_kinds))
        return "\n".join(parts)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        if cycle:
            printer.text(f"{type(self).__name__}(...)")
            return
        parts = [self._headline()]
        for caption, table in self._tables():
            parts.append(f"\n{caption}" if caption else "")
            parts.append(frame_text(table, self.currency, self._column_kinds))
        printer.text("\n".join(p for p in parts if p != ""))


__all__ = ["MEASURES", "ResultDisplay", "column_kind", "unit_label", "with_unit", "format_value", "readable",
           "frame_html", "frame_text"]
