"""What a buyer-supplier relationship costs to run, as a function of trust.

Trust ``tau`` runs from 0 (the least-trusted buyer of the studies below) to 1 (the most
trusted). Every cost line is ``base x level(tau)``, and ``level`` moves from a low-trust anchor
to a high-trust anchor::

    level(tau) = low + (high - low) * tau ** curvature

``curvature = 1`` (the default) is linear interpolation between the two anchors. It is the
choice because the sources give exactly two points per line — the least- and the most-trusted
automaker — and a straight line between them adds no shape the data do not show; it keeps
every line monotone in trust and hits both anchors exactly. ``curvature < 1`` says the first
gains in trust pay off fastest, ``> 1`` that savings come only near full trust.

Lines (one value per year, in money of the relationship's spend):

========================  ============================================================
``transaction``           interaction hours x loaded hourly cost x transactional share
``procurement``           annual spend x procurement staff cost per unit of spend
``inspection``            lots per year x inspection cost per lot x share of lots inspected
``disputes``              disputes per year x cost per dispute
``information_sharing``   - annual spend x value of suppliers' ideas per unit of spend
========================  ============================================================

Calibration (Dyer & Chu 2003; Dyer 1997):

* the least-trusted automaker's people spent about 47% of their face-to-face time with
  suppliers on non-productive transactional matters (negotiating contracts, assigning blame),
  the most-trusted about half as much: ``transactional_share = (0.47, 0.235)``;
* procurement (transaction) costs were up to five times higher at the least-trusted automaker
  (the value of parts bought per procurement employee was less than a fifth of the most
  trusted's): ``procurement_cost`` has a low/high ratio of 5;
* the most-trusted buyers did not inspect suppliers' incoming materials:
  ``inspection_rate`` high anchor 0.

The 47%, "twice as much time" and "up to five times" figures were checked against the
working-paper abstract (Dyer & Chu, IMVP 1997/2002 drafts) and the Academy of Management's
2002 release on the study ("the dollar value of parts purchased per procurement employee was
less than one-fifth"); the no-inspection anchor follows the issue's reading of Dyer (1997).

Levels the sources do not give are **illustrative defaults** and should be replaced with the
user's own figures: the hours, the hourly cost, the procurement cost per unit of spend at
high trust (0.5%), lots and cost per lot, inspecting every lot at low trust, dispute counts and
cost, and the information-sharing value (0% to 1% of spend).

References
----------
J. H. Dyer and W. Chu, "The role of trustworthiness in reducing transaction costs and
improving performance: empirical evidence from the United States, Japan, and Korea",
*Organization Science* 14(1), 57-68 (2003).
J. H. Dyer, "Effective interfirm collaboration: how firms minimize transaction costs and
maximize transaction value", *Strategic Management Journal* 18(7), 535-556 (1997).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_array

LINES = tuple(name.lower() for name in _core.TrustLine.__members__)
"""Cost lines of a relationship, in the engine's order (``trust::Line``, exported as
``_core.TrustLine``); ``information_sharing`` is a value: < 0."""

# Field order of the C++ model row (cpp/include/trustcost/trust/cost_model.hpp, ModelParam).
_ANCHORS = ("transactional_share", "procurement_cost", "inspection_rate", "disputes_per_year", "information_sharing")
_SHARES = ("transactional_share", "inspection_rate")


def _anchor(value, name: str, *, share: bool) -> tuple[float, float]:
    try:
        low, high = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a (low_trust, high_trust) pair, got {value!r}") from None
    pair = (as_float(low, f"{name} low-trust anchor"), as_float(high, f"{name} high-trust anchor"))
    for side, x in zip(("low-trust", "high-trust"), pair):
        if x < 0 or (share and x > 1):
            bound = "in [0, 1]" if share else ">= 0"
            raise ValueError(f"{name} {side} anchor must be {bound}, got {x}")
    return pair


def _non_negative(value, name: str) -> float:
    value = as_float(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_trust(trust, name: str = "trust") -> np.ndarray:
    """Trust values as a float array, or ValueError naming ``name`` and the first bad value."""
    array = as_float_array(trust, name, ndim=(0, 1, 2))
    bad = ~((array >= 0) & (array <= 1))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        at = f"[{', '.join(map(str, where))}]" if where else ""
        raise ValueError(f"{name}{at} must be in [0, 1], got {array[where] if where else float(array)}")
    return array


@dataclass(frozen=True)
class TransactionCostModel:
    """Yearly cost of running one buyer-supplier relationship as a function of trust.

    See the module docstring for the functional form, the calibration to Dyer & Chu (2003) and
    Dyer (1997), and which defaults are illustrative. Anchors are ``(low_trust, high_trust)``
    pairs: the value at ``tau = 0`` and at ``tau = 1``.

    Parameters
    ----------
    interaction_hours : float
        Face-to-face hours per year the buyer's people spend with the supplier (illustrative).
    hourly_cost : float
        Loaded cost of one of those hours (illustrative).
    transactional_share : (float, float)
        Share of that time spent negotiating and assigning blame: ``(0.47, 0.235)``, Dyer & Chu
        (2003) — 47% at the least trusted, about half as much at the most trusted.
    procurement_cost : (float, float)
        Procurement staff cost per unit of spend: ``(0.025, 0.005)`` — ratio 5 from Dyer & Chu
        (2003); the 0.5% level at high trust is illustrative.
    lots_per_year : float
        Incoming lots per year (illustrative).
    cost_per_lot : float
        Cost of inspecting one lot (illustrative).
    inspection_rate : (float, float)
        Share of lots inspected: ``(1.0, 0.0)`` — none at full trust (Dyer & Chu 2003; Dyer
        1997); inspecting every lot at zero trust is illustrative.
    disputes_per_year : (float, float)
        Disputes per year (illustrative ``(4, 0.5)``).
    cost_per_dispute : float
        Cost of one dispute: people's time, lawyers, delay (illustrative).
    information_sharing : (float, float)
        Value of suppliers' design and process ideas per unit of spend (a saving):
        illustrative ``(0.0, 0.01)``; Dyer & Chu (2003) find sharing rises with trust.
    curvature : float
        Exponent of ``tau`` in the interpolation, > 0; 1 is linear.
    """

    interaction_hours: float = 400.0
    hourly_cost: float = 90.0
    transactional_share: tuple[float, float] = (0.47, 0.235)
    procurement_cost: tuple[float, float] = (0.025, 0.005)
    lots_per_year: float = 200.0
    cost_per_lot: float = 150.0
    inspection_rate: tuple[float, float] = (1.0, 0.0)
    disputes_per_year: tuple[float, float] = (4.0, 0.5)
    cost_per_dispute: float = 8000.0
    information_sharing: tuple[float, float] = (0.0, 0.01)
    curvature: float = 1.0

    def __post_init__(self):
        for name in ("interaction_hours", "hourly_cost", "lots_per_year", "cost_per_lot", "cost_per_dispute"):
            object.__setattr__(self, name, _non_negative(getattr(self, name), name))
        for name in _ANCHORS:
            object.__setattr__(self, name, _anchor(getattr(self, name), name, share=name in _SHARES))
        curvature = as_float(self.curvature, "curvature")
        if curvature <= 0:
            raise ValueError(f"curvature must be > 0, got {curvature}")
        object.__setattr__(self, "curvature", curvature)

    def with_(self, **changes) -> "TransactionCostModel":
        """A copy with some coefficients changed (validated again)."""
        return replace(self, **changes)

    def to_array(self) -> np.ndarray:
        """The model as the C++ engine's parameter row (``trust::ModelParam`` order)."""
        return np.array([
            self.interaction_hours, self.hourly_cost, *self.transactional_share, *self.procurement_cost,
            self.lots_per_year, self.cost_per_lot, *self.inspection_rate, self.cost_per_dispute,
            *self.disputes_per_year, *self.information_sharing, self.curvature,
        ], dtype=np.float64)

    def to_dict(self) -> dict:
        return asdict(self)

    def line_specs(self) -> list[tuple[str, float, bool, tuple[float, float]]]:
        """Per line: name, base amount per year (per unit of spend for spend-based lines), whether
        it scales with spend, and its (low, high) anchors — the engine's ``line_base``."""
        return [
            ("transaction", self.interaction_hours * self.hourly_cost, False, self.transactional_share),
            ("procurement", 1.0, True, self.procurement_cost),
            ("inspection", self.lots_per_year * self.cost_per_lot, False, self.inspection_rate),
            ("disputes", self.cost_per_dispute, False, self.disputes_per_year),
            ("information_sharing", -1.0, True, self.information_sharing),  # a value: negative cost
        ]

    def costs(self, trust, spend: float = 1_000_000.0) -> pd.DataFrame:
        """Yearly cost lines at each trust level, for an annual ``spend``.

        Parameters
        ----------
        trust : float or array_like
            Trust levels in [0, 1].
        spend : float
            Annual spend with the supplier (the base of ``procurement`` and ``information_sharing``).

        Returns
        -------
        pandas.DataFrame
            One row per trust level, a column per line of :data:`LINES` and ``total``.
        """
        tau = np.atleast_1d(check_trust(trust)).ravel()
        spend = _non_negative(spend, "spend")
        lines = _core.trust_lines(self.to_array()[np.newaxis, :], tau[np.newaxis, :], np.full((1, tau.size), spend))[0]
        frame = pd.DataFrame(lines, index=pd.Index(tau, name="trust"), columns=list(LINES))
        frame["total"] = frame.sum(axis=1)
        return frame

    def calibration(self) -> pd.DataFrame:
        """The published ratios next to what this model gives: a check that overrides kept them."""
        share, procurement, inspection = self.transactional_share, self.procurement_cost, self.inspection_rate
        rows = {
            "transactional share at least trust": (0.47, share[0], "Dyer & Chu 2003"),
            "transactional share, least / most trusted": (2.0, _ratio(*share), "Dyer & Chu 2003 (about half)"),
            "procurement cost, least / most trusted": (5.0, _ratio(*procurement), "Dyer & Chu 2003 (up to 5x)"),
            "inspection rate at most trust": (0.0, inspection[1], "Dyer & Chu 2003; Dyer 1997"),
        }
        return pd.DataFrame.from_dict(rows, orient="index", columns=["published", "model", "source"])

    def _repr_html_(self) -> str:
        frame = self.costs([0.0, 0.25, 0.5, 0.75, 1.0])
        return "<p><b>Transaction-cost model</b> (spend 1,000,000)</p>" + frame.to_html(float_format="{:,.0f}".format)


def _ratio(low: float, high: float) -> float:
    return low / high if high > 0 else math.inf


__all__ = ["LINES", "TransactionCostModel", "check_trust"]
