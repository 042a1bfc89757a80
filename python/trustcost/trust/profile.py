"""A trust profile an :class:`trustcost.Offer` can carry: the trust-adjusted total cost.

With a :class:`TrustProfile`, :meth:`trustcost.Study.evaluate` adds the relationship lines —
``transaction``, ``procurement``, ``inspection``, ``disputes`` and ``information_sharing`` — per
year and in present value next to the offer's lifetime-cost categories, computed in the same
batched C++ evaluation (item kind ``Trust`` of ``trustcost::lcc::evaluate``, with the offers'
trust paths passed as one offers x years array).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from .._errors import RelationshipWarning
from .._validation import as_nonnegative, as_rate, check_year
from .cost_model import LINES, TransactionCostModel, check_trust
from .dynamics import TrustTrajectory

RELATIONSHIP_CATEGORIES = LINES
"""Cost categories the relationship lines report under, in reporting order."""


@dataclass(frozen=True)
class TrustProfile:
    """How the buyer and this seller will work together after the sale.

    Parameters
    ----------
    trust : float, sequence of float or TrustTrajectory
        Trust in [0, 1]: one level for every year, one per study year ``0..horizon``, or a
        trajectory from :func:`trustcost.simulate_trust` (its yearly mean drives each year; rate
        paths are averaged over paths).
    annual_spend : float
        Yearly spend with the seller (the base of the procurement and information-sharing lines;
        the purchases themselves are the offer's cost elements).
    spend_escalation : float
        Real change of the annual spend per year (> -1).
    interaction : TransactionCostModel, optional
        The interaction profile and coefficients (hours, hourly cost, lots, disputes, anchors);
        default :class:`TransactionCostModel`.
    start, end : int
        First and last year of the relationship (default year 1 to the horizon).
    """

    trust: float | Sequence[float] | TrustTrajectory
    annual_spend: float
    spend_escalation: float = 0.0
    interaction: TransactionCostModel | None = None
    start: int = 1
    end: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "annual_spend", as_nonnegative(self.annual_spend, "trust_profile.annual_spend"))
        object.__setattr__(self, "spend_escalation", as_rate(self.spend_escalation, "trust_profile.spend_escalation"))
        model = TransactionCostModel() if self.interaction is None else self.interaction
        if not isinstance(model, TransactionCostModel):
            raise TypeError(f"trust_profile.interaction must be a TransactionCostModel, got {model!r}")
        object.__setattr__(self, "interaction", model)
        if not isinstance(self.trust, TrustTrajectory):
            object.__setattr__(self, "trust", check_trust(self.trust, "trust_profile.trust"))
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, check_year(value, f"trust_profile.{name}"))

    def trust_path(self, horizon: int) -> np.ndarray:
        """Trust in each study year ``0..horizon``."""
        if isinstance(self.trust, TrustTrajectory):
            yearly = self.trust.yearly(horizon)
            return yearly if yearly.ndim == 1 else yearly.mean(axis=0)
        tau = np.asarray(self.trust, dtype=np.float64)
        if tau.ndim == 0:
            return np.full(horizon + 1, float(tau))
        if tau.shape != (horizon + 1,):
            raise ValueError(f"trust_profile.trust must have one value per study year 0..{horizon} "
                             f"({horizon + 1} values), got {tau.size} value{'s' if tau.size != 1 else ''}")
        return tau

    def discounted_spend(self, factors: np.ndarray) -> float:
        """Present value of the spend with the seller over the relationship's years, with
        ``factors`` the discount factor of each study year ``0..horizon``."""
        return float(discounted_spends([self], factors)[0])


def _money(x: float) -> str:
    return f"{x:,.0f}"


def warn_partial_profiles(names: Sequence[str], has_profile: Sequence[bool], stacklevel: int = 2) -> None:
    """Warn when only some offers carry a trust profile: the others then carry no relationship
    cost at all, and the comparison is not on equal terms."""
    with_profile = [n for n, h in zip(names, has_profile) if h]
    without = [n for n, h in zip(names, has_profile) if not h]
    if with_profile and without:
        warnings.warn(
            f"offers {with_profile} carry a trust profile and offers {without} do not: only the first carry "
            f"relationship lines (transaction, procurement, inspection, disputes), so they are not compared on "
            f"equal terms; give every offer a trust profile (the same interaction profile, each seller's own "
            f"trust and spend)", RelationshipWarning, stacklevel=stacklevel + 1)


def discounted_spends(profiles: Sequence["TrustProfile | None"], factors: np.ndarray) -> np.ndarray:
    """:meth:`TrustProfile.discounted_spend` of many profiles at once (0 where there is none):
    one array expression over offers x years, no loop over years."""
    horizon = len(factors) - 1
    fields = np.array([(p.annual_spend, p.spend_escalation, p.start, horizon if p.end is None else p.end)
                       if p is not None else (0.0, 0.0, 0, -1) for p in profiles], dtype=float).reshape(-1, 4)
    spend, escalation, start, end = (fields[:, k:k + 1] for k in range(4))
    years = np.arange(horizon + 1)[np.newaxis, :]
    inside = (years >= start) & (years <= end)
    growth = np.where(inside, (1.0 + escalation) ** np.where(inside, years - start, 0.0), 0.0)
    return (spend * growth) @ factors


def warn_relationship_scale(names: Sequence[str], profiles: Sequence["TrustProfile | None"], by_category: pd.DataFrame,
                            lifetime_cost: pd.Series, factors: np.ndarray, stacklevel: int = 2) -> None:
    """Warn, naming the offer and its lines, when an offer's relationship cost lines (in present
    value) exceed its discounted spend with the seller, or exceed its plain lifetime cost: the
    interaction profile then says more than the purchase it serves, which a buyer cannot defend.
    The test runs over all offers as arrays; only a flagged offer's message is built."""
    costs = [c for c in RELATIONSHIP_CATEGORIES if c in by_category.columns and c != "information_sharing"]
    lines = np.clip(by_category[costs].to_numpy(), 0.0, None)
    total = lines.sum(axis=1)
    has = np.array([p is not None for p in profiles])
    spend = discounted_spends(profiles, factors)
    plain = lifetime_cost.to_numpy()

    def offer(k: int, against: float) -> str:
        order = np.argsort(-lines[k], kind="stable")
        listed = ", ".join(f"{costs[j]} {_money(lines[k, j])}" for j in order if lines[k, j] > 0)
        return f"{names[k]!r} ({_money(total[k])} against {_money(against)}: {listed})"

    def say(flagged: np.ndarray, against: np.ndarray, what: str, advice: str) -> None:
        if not flagged.size:
            return
        shown = "; ".join(offer(k, against[k]) for k in flagged[:_SHOWN])
        more = f"; and {flagged.size - _SHOWN} more" if flagged.size > _SHOWN else ""
        subject = f"offer {shown}" if flagged.size == 1 else f"{flagged.size} offers: {shown}{more}"
        warnings.warn(f"{subject}: relationship cost lines (present value) above {what}; {advice}",
                      RelationshipWarning, stacklevel=stacklevel + 2)

    # One warning per finding for the whole study (a batch of thousands of offers gives two lines).
    say(np.flatnonzero(has & (total > spend)), spend, "the discounted spend with the seller (annual_spend) they serve",
        "check the trust profile's interaction figures (counts given per year do not scale with spend)")
    say(np.flatnonzero(has & (total > plain)), plain, "the offer's lifetime cost: they dominate its trust-adjusted total",
        "check the trust profile's interaction figures and that annual_spend is the spend with this seller")


_SHOWN = 5  # offers named in one warning


__all__ = ["TrustProfile", "RELATIONSHIP_CATEGORIES", "discounted_spends", "warn_partial_profiles",
           "warn_relationship_scale"]
