"""Yearly relationship-cost lines of many relationships at once, and their present values.

The standalone form of the trust-adjusted cost: trust and spend paths (relationships x years)
go to one batched C++ call (``trustcost::trust::evaluate_lines``), no Python loop over years or
relationships.

How it plugs into a lifetime-cost study: every line is ``base x level(tau_y)`` with the base
escalating like a recurring cost, so a study adds one item per line to each offer that has a
relationship (amount = the line's base, low/high anchors and curvature as parameters) and
passes the offers' trust paths as one offers x years array; its evaluation then multiplies
each year's amount by ``level(tau_y)`` (``trustcost::trust::level``) beside the other cost
categories, and the study's results show the relationship lines next to the plain lifetime
cost. That is what an :class:`trustcost.Offer` with a :class:`trustcost.TrustProfile` does
(item kind ``Trust`` of ``trustcost::lcc::evaluate``); ``relationship_costs`` computes the same
numbers for relationships without an offer, and the tests check that both agree.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .. import _core, _plotting, finance
from .._display import ResultDisplay
from .._validation import as_float_array, as_rate, check_choice, check_int, check_names
from .cost_model import LINES, TransactionCostModel, check_trust


def _rows(value, name: str, shape: tuple[int, int]) -> np.ndarray:
    """Broadcast a scalar, a per-year vector or a full matrix to ``shape``."""
    array = as_float_array(value, name, ndim=(0, 1, 2))
    try:
        return np.ascontiguousarray(np.broadcast_to(array, shape), dtype=np.float64)
    except ValueError:
        raise ValueError(f"{name} must be a scalar, one value per year ({shape[1]}) or shape {shape}, "
                         f"got shape {array.shape}") from None


def _models(model, rows: int) -> np.ndarray:
    if model is None:
        model = TransactionCostModel()
    if isinstance(model, TransactionCostModel):
        return np.tile(model._engine_row(), (rows, 1))
    models = list(model)
    if len(models) != rows:
        raise ValueError(f"model must be one TransactionCostModel or one per relationship ({rows}), got {len(models)}")
    for k, m in enumerate(models):
        if not isinstance(m, TransactionCostModel):
            raise TypeError(f"model[{k}] must be a TransactionCostModel, got {m!r}")
    return np.stack([m._engine_row() for m in models])


def relationship_costs(trust, spend, *, model: TransactionCostModel | Sequence[TransactionCostModel] | None = None,
                       discount_rate: float = 0.0, timing: str = "end", first_year: int = 0,
                       names: Sequence[str] | None = None) -> "RelationshipCosts":
    """Transaction, procurement, inspection, dispute and information-sharing cost per year.

    Parameters
    ----------
    trust : array_like or pandas.DataFrame
        Trust per relationship (rows) and year (columns, ``first_year`` first), each in [0, 1];
        a 1-D array is one relationship. A DataFrame's index names the relationships.
    spend : float or array_like
        Annual spend with the supplier: scalar, one value per year, or one per cell.
    model : TransactionCostModel or sequence of them
        Coefficients (default :class:`TransactionCostModel`), one for all or one per relationship.
    discount_rate : float
        Real discount rate for the present values (> -1).
    timing : {"end", "mid", "begin"}
        Where a year's costs fall within it; year 0 is at time 0 (as :func:`trustcost.npv`).
    first_year : int
        Study year of the first column (>= 0): 1 when the columns are the service years 1..n.
    names : sequence of str, optional
        Relationship names (default the DataFrame index, else ``0, 1, ...``).

    Returns
    -------
    RelationshipCosts
    """
    if isinstance(trust, pd.DataFrame) and names is None:
        names = [str(i) for i in trust.index]
    tau = check_trust(trust)
    tau = np.atleast_2d(tau) if tau.ndim < 2 else tau
    rows, years = tau.shape
    spend = _rows(spend, "spend", tau.shape)
    if (spend < 0).any():
        r, y = np.argwhere(spend < 0)[0]
        raise ValueError(f"spend[{r}, {y}] must be >= 0, got {spend[r, y]}")
    rate = as_rate(discount_rate, "discount_rate")
    check_choice(timing, "timing", finance.TIMINGS)
    names = [str(i) for i in range(rows)] if names is None else list(check_names(names, "names"))
    if len(names) != rows:
        raise ValueError(f"names must have one name per relationship ({rows}), got {len(names)}")
    first_year = check_int(first_year, "first_year", 0, _core.MAX_HORIZON)
    lines = _core.trust_lines(_models(model, rows), np.ascontiguousarray(tau), spend)
    return RelationshipCosts(names, lines, tau, spend, rate, timing, int(first_year))


class RelationshipCosts(ResultDisplay):
    """Cost lines of relationships per year (undiscounted, real money) and in present value.

    Attributes
    ----------
    costs : pandas.DataFrame
        Index (relationship, year), one column per line of :data:`LINES` and ``total``.
    by_line : pandas.DataFrame
        Present value per relationship (rows) and line (columns), with ``total``.
    trust : pandas.DataFrame
        The trust paths used (relationships x years).
    """

    def __init__(self, names, lines: np.ndarray, trust: np.ndarray, spend: np.ndarray, rate: float, timing: str,
                 first_year: int = 0):
        rows, years, _ = lines.shape
        self.discount_rate, self.timing = rate, timing
        year_index = range(first_year, first_year + years)
        index = pd.MultiIndex.from_product([names, year_index], names=["relationship", "year"])
        self.costs = pd.DataFrame(lines.reshape(-1, len(LINES)), index=index, columns=list(LINES))
        self.costs["total"] = self.costs.sum(axis=1)
        last = first_year + years - 1
        factors = np.concatenate([[1.0], finance.discount_factors(rate, last, timing)]) if last > 0 else np.ones(1)
        factors = factors[first_year:]
        self.discount_factors = factors
        pv = np.einsum("ryl,y->rl", lines, factors)
        self.by_line = pd.DataFrame(pv, index=pd.Index(names, name="relationship"), columns=list(LINES))
        self.by_line["total"] = self.by_line.sum(axis=1)
        self.trust = pd.DataFrame(trust, index=pd.Index(names, name="relationship"),
                                  columns=pd.Index(year_index, name="year"))
        self.spend = spend

    @property
    def summary(self) -> pd.DataFrame:
        """Present value of each line and the total, with mean trust, one row per relationship."""
        table = self.by_line.copy()
        table.insert(0, "mean_trust", self.trust.mean(axis=1))
        return table

    _column_kinds = {"mean_trust": "trust"}

    def _headline(self) -> str:
        return (f"Relationship costs of {len(self.by_line)} relationships: present values at "
                f"{self.discount_rate:.2%}, real money")

    def to_frame(self) -> pd.DataFrame:
        """Every yearly cost line as one tidy table: relationship, year, the lines, total and trust."""
        trust = self.trust.stack().rename("trust")
        return self.costs.join(trust).reset_index()

    def plot_lines(self, relationship: str | None = None, ax=None):
        """Stacked yearly cost lines of one relationship (default the first): costs up, the value of
        shared information down, a diamond at each year's net cost."""
        ax = _plotting.axes(ax, figsize=(8, 4.2))
        name = relationship if relationship is not None else self.by_line.index[0]
        if name not in self.by_line.index:
            raise ValueError(f"relationship must be one of {list(self.by_line.index)}, got {name!r}")
        frame = self.costs.loc[name, list(LINES)]
        _plotting.stacked_bars(ax, frame, None, "cost", annotate=False)
        ax.set_xlabel("year")
        _plotting.money_axis(ax, None, "y", "cost", per="year")
        ax.set_title(f"Relationship costs: {name}")
        return ax

    def __repr__(self) -> str:
        return f"RelationshipCosts(relationships={len(self.by_line)}, years={self.trust.shape[1]})"


__all__ = ["relationship_costs", "RelationshipCosts"]
