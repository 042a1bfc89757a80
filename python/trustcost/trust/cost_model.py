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
``inspection``            incoming lots x inspection cost per lot x share of lots inspected
``disputes``              disputes x cost per dispute
``information_sharing``   - annual spend x value of suppliers' ideas per unit of spend
========================  ============================================================

**The defaults scale with the relationship.** The three counts — interaction hours, incoming
lots and disputes — are stated per million of annual spend with the supplier
(``interaction_hours_per_million``, ``lots_per_million``, ``disputes_per_million``), so every
default line is a fixed share of the spend at a given trust: a 15,000-a-year relationship gets
1.5% of the hours of a million-a-year one. At the defaults the relationship lines come to about
4.9% of the spend at trust 0 and about 0.02% at trust 1 (where shared ideas nearly pay for the
rest). A user
who knows the absolute figures gives them instead (``interaction_hours``, ``lots_per_year``,
``disputes_per_year``: per year, whatever the spend); each count is stated one way or the other.

Calibration. Trust anchors (Dyer & Chu 2003; Dyer 1997):

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

Levels, checked against published benchmarks where they exist:

* ``procurement_cost = (0.025, 0.005)`` of spend: CAPS Research's cross-industry benchmarks put
  procurement operating expense at about 0.8% of total spend (Cross-Industry Report of Standard
  Benchmarks, as summarised by practitioners' sites), which lies between the anchors — the
  average buyer is neither the most nor the least trusted. The 0.5% at full trust is the
  level the 5x ratio is hung from.
* transaction cost per order, as a cross-check of the hours: CAPS Research reports an average
  cost of about 217 USD per purchase order (59 in industrial manufacturing, 741 in petroleum);
  APQC's 2006 benchmarks range from 36 to 507 USD by performer. The default
  ``interaction_hours_per_million = 200`` at 90 an hour is 18,000 per million of spend, i.e.
  83 orders of 12,000 at 217 each: consistent, but **illustrative** — no source states hours
  per unit of spend.
* disputes: IACCM's 2014 survey of its members found about 9% of contracts experience a
  significant claim or dispute (21% in engineering and construction, 7% in healthcare). It
  counts per contract, not per unit of spend: with contracts of about 100,000 a year, a million
  of spend is ten contracts and 9% of them about one dispute. The default
  ``disputes_per_million = (1.0, 0.125)`` — one a year per million at trust 0, an eighth of that
  at trust 1 — and the 8,000 per dispute are **illustrative**.
* inspection: cost-of-quality references count incoming inspection as an appraisal cost but
  give no general share of purchase value; ``lots_per_million = 50`` (lots of 20,000) at 150 a
  lot, every lot inspected at trust 0, is **illustrative** (0.75% of spend at trust 0).
* ``information_sharing = (0.0, 0.01)`` of spend is **illustrative**; Dyer & Chu (2003) find
  sharing rises with trust but give no money figure.

Replace the illustrative levels with the buyer's own figures where they are known.

References
----------
J. H. Dyer and W. Chu, "The role of trustworthiness in reducing transaction costs and
improving performance: empirical evidence from the United States, Japan, and Korea",
*Organization Science* 14(1), 57-68 (2003).
J. H. Dyer, "Effective interfirm collaboration: how firms minimize transaction costs and
maximize transaction value", *Strategic Management Journal* 18(7), 535-556 (1997).
CAPS Research, *Cross-Industry Report of Standard Benchmarks* (Tempe, AZ; annual), cost per
purchase order and procurement operating expense as a percent of spend.
APQC, Open Standards Benchmarking in procurement (2006), cost per purchase order.
IACCM, *Most Frequently Negotiated Terms* survey (2014), frequency of claims and disputes.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_array, check_choice

LINES = tuple(name.lower() for name in _core.TrustLine.__members__)
"""Cost lines of a relationship, in the engine's order (``trust::Line``, exported as
``_core.TrustLine``); ``information_sharing`` is a value: < 0."""

_PAIRS = ("transactional_share", "procurement_cost", "inspection_rate", "information_sharing")
_SHARES = ("transactional_share", "inspection_rate")
# Each count is stated per year (absolute) or per million of annual spend (scales): exactly one.
_COUNTS = {  # per-million field: (per-year field, is a (low, high) pair)
    "interaction_hours_per_million": ("interaction_hours", False),
    "lots_per_million": ("lots_per_year", False),
    "disputes_per_million": ("disputes_per_year", True),
}
_PARTNER = {**{k: v[0] for k, v in _COUNTS.items()}, **{v[0]: k for k, v in _COUNTS.items()}}


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


def _differs(value, default) -> bool:
    try:
        return tuple(np.atleast_1d(np.asarray(value, dtype=float))) != tuple(np.atleast_1d(np.asarray(default, dtype=float)))
    except (TypeError, ValueError):
        return True


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
    Dyer (1997), the benchmarks the levels were checked against, and which defaults are
    illustrative. Anchors are ``(low_trust, high_trust)`` pairs: the value at ``tau = 0`` and at
    ``tau = 1``.

    Each count — hours, lots, disputes — is given **either** per million of annual spend (the
    default: the line scales with the relationship) **or** per year (an absolute figure, the
    same whatever the spend): a per-year figure replaces the per-million default, and giving a
    per-year figure with a changed per-million one is an error.

    Parameters
    ----------
    interaction_hours_per_million : float
        Face-to-face hours per year the buyer's people spend with the supplier, per million of
        annual spend (illustrative 200).
    interaction_hours : float, optional
        The same as an absolute number of hours per year (instead of the per-million figure).
    hourly_cost : float
        Loaded cost of one of those hours (illustrative 90).
    transactional_share : (float, float)
        Share of that time spent negotiating and assigning blame: ``(0.47, 0.235)``, Dyer & Chu
        (2003) — 47% at the least trusted, about half as much at the most trusted.
    procurement_cost : (float, float)
        Procurement staff cost per unit of spend: ``(0.025, 0.005)`` — ratio 5 from Dyer & Chu
        (2003); CAPS Research's cross-industry average (about 0.8%) lies between the anchors.
    lots_per_million : float
        Incoming lots per year per million of annual spend (illustrative 50).
    lots_per_year : float, optional
        The same as an absolute number of lots per year.
    cost_per_lot : float
        Cost of inspecting one lot (illustrative 150).
    inspection_rate : (float, float)
        Share of lots inspected: ``(1.0, 0.0)`` — none at full trust (Dyer & Chu 2003; Dyer
        1997); inspecting every lot at zero trust is illustrative.
    disputes_per_million : (float, float)
        Disputes per year per million of annual spend (illustrative ``(1.0, 0.125)``).
    disputes_per_year : (float, float), optional
        The same as absolute disputes per year.
    cost_per_dispute : float
        Cost of one dispute: people's time, lawyers, delay (illustrative 8,000).
    information_sharing : (float, float)
        Value of suppliers' design and process ideas per unit of spend (a saving):
        illustrative ``(0.0, 0.01)``; Dyer & Chu (2003) find sharing rises with trust.
    curvature : float
        Exponent of ``tau`` in the interpolation, > 0; 1 is linear.

    Examples
    --------
    >>> import trustcost as tc
    >>> scaled = tc.TransactionCostModel()                           # scales with spend
    >>> fixed = tc.TransactionCostModel(interaction_hours=400, lots_per_year=200,
    ...                                 disputes_per_year=(4, 0.5))  # absolute, per year
    """

    interaction_hours_per_million: float | None = 200.0
    interaction_hours: float | None = None
    hourly_cost: float = 90.0
    transactional_share: tuple[float, float] = (0.47, 0.235)
    procurement_cost: tuple[float, float] = (0.025, 0.005)
    lots_per_million: float | None = 50.0
    lots_per_year: float | None = None
    cost_per_lot: float = 150.0
    inspection_rate: tuple[float, float] = (1.0, 0.0)
    disputes_per_million: tuple[float, float] | None = (1.0, 0.125)
    disputes_per_year: tuple[float, float] | None = None
    cost_per_dispute: float = 8000.0
    information_sharing: tuple[float, float] = (0.0, 0.01)
    curvature: float = 1.0

    def __post_init__(self):
        for per_million, (per_year, pair) in _COUNTS.items():
            scaled, absolute = getattr(self, per_million), getattr(self, per_year)
            default = self.__dataclass_fields__[per_million].default
            if absolute is not None:  # the per-year figure replaces the per-million default
                if scaled is not None and _differs(scaled, default):
                    raise ValueError(f"give {per_million} (scales with spend) or {per_year} (absolute), not both; "
                                     f"got {per_million}={scaled!r} and {per_year}={absolute!r}")
                object.__setattr__(self, per_million, None)
            elif scaled is None:
                raise ValueError(f"give {per_million} (scales with spend) or {per_year} (absolute); both are None")
            name = per_million if absolute is None else per_year
            value = scaled if absolute is None else absolute
            value = _anchor(value, name, share=False) if pair else _non_negative(value, name)
            object.__setattr__(self, name, value)
        for name in ("hourly_cost", "cost_per_lot", "cost_per_dispute"):
            object.__setattr__(self, name, _non_negative(getattr(self, name), name))
        for name in _PAIRS:
            object.__setattr__(self, name, _anchor(getattr(self, name), name, share=name in _SHARES))
        curvature = as_float(self.curvature, "curvature")
        if curvature <= 0:
            raise ValueError(f"curvature must be > 0, got {curvature}")
        object.__setattr__(self, "curvature", curvature)

    def with_(self, **changes) -> "TransactionCostModel":
        """A copy with some coefficients changed (validated again). Giving a count one way
        (``interaction_hours=400``) drops the other way of stating it (the per-million figure)."""
        for name in list(changes):
            partner = _PARTNER.get(name)
            if partner is not None and partner not in changes:
                changes[partner] = None
        return replace(self, **changes)

    def scales_with_spend(self, count: str) -> bool:
        """Whether ``count`` (``"interaction_hours"``, ``"lots"`` or ``"disputes"``) is stated per
        million of spend."""
        names = {"interaction_hours": "interaction_hours_per_million", "lots": "lots_per_million",
                 "disputes": "disputes_per_million"}
        check_choice(count, "count", tuple(names))
        return getattr(self, names[count]) is not None

    def _engine_row(self) -> np.ndarray:
        """The model as the C++ engine's parameter row; columns by name (``_core.TrustModelParam``),
        so the row order is the engine's alone."""
        P, B = _core.TrustModelParam, _core.TrustBasis
        row = np.zeros(_core.TRUST_MODEL_PARAMS)

        def put(columns, value):
            row[[int(c) for c in columns]] = value

        for per_million, columns, basis in (("interaction_hours_per_million", (P.HOURS,), P.HOURS_BASIS),
                                            ("lots_per_million", (P.LOTS,), P.LOTS_BASIS),
                                            ("disputes_per_million", (P.DISPUTES_LOW, P.DISPUTES_HIGH), P.DISPUTES_BASIS)):
            scaled = getattr(self, per_million)
            put(columns, getattr(self, _PARTNER[per_million]) if scaled is None else scaled)
            put((basis,), int(B.PER_YEAR if scaled is None else B.PER_MILLION_SPEND))
        put((P.HOURLY_COST, P.COST_PER_LOT, P.COST_PER_DISPUTE, P.CURVATURE),
            (self.hourly_cost, self.cost_per_lot, self.cost_per_dispute, self.curvature))
        put((P.SHARE_LOW, P.SHARE_HIGH), self.transactional_share)
        put((P.PROCUREMENT_LOW, P.PROCUREMENT_HIGH), self.procurement_cost)
        put((P.INSPECTION_LOW, P.INSPECTION_HIGH), self.inspection_rate)
        put((P.SHARING_LOW, P.SHARING_HIGH), self.information_sharing)
        return row

    def to_dict(self) -> dict:
        """The coefficients as a plain dict; each count under the one name it is stated by."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def line_terms(self, annual_spend: float) -> pd.DataFrame:
        """Per line, as the engine computes it (``trust::line_base``): the base the trust level
        multiplies at ``annual_spend``, whether it scales with spend, and its (low, high) anchors."""
        spend = _non_negative(annual_spend, "annual_spend")
        base, scales, low, high = _core.trust_line_terms(self._engine_row(), spend)
        return pd.DataFrame({"base": base, "scales_with_spend": scales, "low": low, "high": high},
                            index=pd.Index(LINES, name="line"))

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
        lines = _core.trust_lines(self._engine_row()[np.newaxis, :], tau[np.newaxis, :], np.full((1, tau.size), spend))[0]
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
