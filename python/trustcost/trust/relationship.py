"""A relationship profile an :class:`trustcost.Offer` can carry: the trust-adjusted total cost.

With a :class:`Relationship`, :meth:`trustcost.Study.evaluate` adds the relationship lines —
``transaction``, ``procurement``, ``inspection``, ``disputes`` and ``information_sharing`` — per
year and in present value next to the offer's lifetime-cost categories, computed in the same
batched C++ evaluation (item kind ``Trust`` of ``trustcost::lcc::evaluate``, with the offers'
trust paths passed as one offers x years array).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .._validation import as_float
from ..lcc_elements import TRUST, Item, _item
from .cost_model import LINES, TransactionCostModel, check_trust
from .dynamics import TrustTrajectory

RELATIONSHIP_CATEGORIES = LINES
"""Cost categories the relationship lines report under, in reporting order."""


@dataclass(frozen=True)
class Relationship:
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
        spend = as_float(self.annual_spend, "relationship.annual_spend")
        if spend < 0:
            raise ValueError(f"relationship.annual_spend must be >= 0, got {spend}")
        object.__setattr__(self, "annual_spend", spend)
        escalation = as_float(self.spend_escalation, "relationship.spend_escalation")
        if escalation <= -1:
            raise ValueError(f"relationship.spend_escalation must be > -1, got {escalation}")
        object.__setattr__(self, "spend_escalation", escalation)
        model = TransactionCostModel() if self.interaction is None else self.interaction
        if not isinstance(model, TransactionCostModel):
            raise TypeError(f"relationship.interaction must be a TransactionCostModel, got {model!r}")
        object.__setattr__(self, "interaction", model)
        if not isinstance(self.trust, TrustTrajectory):
            object.__setattr__(self, "trust", check_trust(self.trust, "relationship.trust"))
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0):
                raise ValueError(f"relationship.{name} must be a whole year >= 0, got {value!r}")

    def trust_path(self, horizon: int) -> np.ndarray:
        """Trust in each study year ``0..horizon``."""
        if isinstance(self.trust, TrustTrajectory):
            yearly = self.trust.yearly(horizon)
            return yearly if yearly.ndim == 1 else yearly.mean(axis=0)
        tau = np.asarray(self.trust, dtype=np.float64)
        if tau.ndim == 0:
            return np.full(horizon + 1, float(tau))
        if tau.shape != (horizon + 1,):
            raise ValueError(f"relationship.trust must have one value per study year 0..{horizon} "
                             f"({horizon + 1} values), got shape {tau.shape}")
        return tau

    def items(self, horizon: int) -> list[Item]:
        """One engine item per relationship line (kind ``Trust``)."""
        end = horizon if self.end is None else self.end
        if self.start > horizon or end > horizon or end < self.start:
            raise ValueError(f"relationship years start = {self.start}, end = {end} must satisfy "
                             f"start <= end <= horizon = {horizon}")
        model = self.interaction
        return [
            _item(TRUST, line, amount=base * (self.annual_spend if per_spend else 1.0), start=self.start, end=end,
                  escalation=self.spend_escalation if per_spend else 0.0, shape=low, scale=high,
                  interval=model.curvature)
            for line, base, per_spend, (low, high) in model.line_specs()
        ]


__all__ = ["Relationship", "RELATIONSHIP_CATEGORIES"]
