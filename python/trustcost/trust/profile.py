"""A trust profile an :class:`trustcost.Offer` can carry: the trust-adjusted total cost.

With a :class:`TrustProfile`, :meth:`trustcost.Study.evaluate` adds the relationship lines —
``transaction``, ``procurement``, ``inspection``, ``disputes`` and ``information_sharing`` — per
year and in present value next to the offer's lifetime-cost categories, computed in the same
batched C++ evaluation (item kind ``Trust`` of ``trustcost::lcc::evaluate``, with the offers'
trust paths passed as one offers x years array).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

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
                             f"({horizon + 1} values), got shape {tau.shape}")
        return tau


__all__ = ["TrustProfile", "RELATIONSHIP_CATEGORIES"]
