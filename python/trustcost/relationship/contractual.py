"""Contractual relationships: renewals of service agreements and maintenance contracts.

The shifted-beta-geometric (sBG) model: at the end of each period a customer under contract
renews with probability 1 - theta, her own constant churn probability; theta ~ Beta(alpha, beta)
across customers. Each customer's retention is constant, yet a cohort's retention rises with
tenure because the likely churners leave first. Fitted from cohort survivor counts; values the
remaining contracts by the discounted expected residual lifetime (DERL).

References
----------
P. S. Fader and B. G. S. Hardie (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1), 76-90.
P. S. Fader and B. G. S. Hardie (2010), "Customer-base valuation in a contractual setting: the
perils of ignoring heterogeneity", Marketing Science 29(1), 85-93.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_array
from ._fitted import FittedModel, rows, shaped

__all__ = ["ShiftedBetaGeometric"]


def _cohort_rows(survivors) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(period, lost flag, customers) rows from survivor counts: cohorts in rows, periods 0, 1, ...
    in columns, NaN after a cohort's last observed period."""
    counts = as_float_array(survivors, "survivors", ndim=(1, 2))
    if counts.ndim == 1 and np.isnan(counts).any():
        # NaN marks the periods a younger cohort has not reached, in a table of cohorts; one cohort
        # has no such periods, and a trailing NaN would silently drop its last counts.
        raise ValueError(f"survivors of one cohort must be numbers (NaN only pads the rows of a 2-D table of "
                         f"cohorts), got NaN at period {int(np.flatnonzero(np.isnan(counts))[0])}")
    counts = counts.reshape(1, -1) if counts.ndim == 1 else counts
    periods, lost, customers = [], [], []
    for i, row in enumerate(counts):
        known = ~np.isnan(row)
        last = int(np.flatnonzero(known)[-1]) if known.any() else -1
        if last < 0 or not known[: last + 1].all():
            raise ValueError(f"survivors of cohort {i} must be numbers from period 0 on, NaN only after the last "
                             f"observed period, got {row.tolist()}")
        alive = row[: last + 1]
        if not np.isfinite(alive).all() or (alive < 0).any() or alive[0] <= 0:
            raise ValueError(f"survivors of cohort {i} must be finite and >= 0 with more than 0 at period 0, "
                             f"got {alive.tolist()}")
        drops = -np.diff(alive)
        if (drops < 0).any():
            t = int(np.flatnonzero(drops < 0)[0]) + 1
            raise ValueError(f"survivors of cohort {i} must not increase, got {alive[t - 1]:g} then {alive[t]:g} "
                             f"at period {t}")
        periods += list(range(1, last + 1)) + [last]
        lost += [1.0] * last + [0.0]
        customers += list(drops) + [alive[-1]]
    return (np.asarray(periods, dtype=np.float64), np.asarray(lost, dtype=np.float64),
            np.asarray(customers, dtype=np.float64))


class _DurationModel(FittedModel):
    """Shared fitter of the contract-duration models (sBG, BdW): fit on survivor counts, curves by tenure."""

    def fit(self, survivors):
        """Maximum-likelihood fit on survivor counts.

        Parameters
        ----------
        survivors : sequence, 2-D array or DataFrame
            Customers still under contract at the start of periods 0, 1, 2, ... (period 0 = the
            cohort's size). One cohort as a sequence; several cohorts as rows of a 2-D array or
            DataFrame, NaN after each cohort's last observed period (younger cohorts are shorter).

        Returns ``self``. Raises ValueError when the counts cannot identify the model (no
        customer lost, all lost at the first renewal, fewer than two renewal periods) and
        :class:`trustcost.ConvergenceError` when the optimiser fails.
        """
        periods, lost, customers = _cohort_rows(survivors)
        # What the counts must show to identify the model is the engine's rule.
        self._store(self._engine.fit(periods, lost, customers, self._options), customers.sum())
        return self

    def individual_log_likelihood(self, period, lost):
        """Log-likelihood of one customer per row at the model's parameters: ``lost=1`` for a
        customer who left at renewal decision ``period`` (log P(T = period)), ``lost=0`` for one
        still under contract after ``period`` decisions (log S(period)). Over the rows the fit made
        from the survivor counts, weighted by their customers, these sum to ``log_likelihood_``."""
        flat, index, shape = rows([(period, "period"), (lost, "lost")])
        return shaped(self._engine.individual_log_likelihood(self._params(), *flat), index, shape)

    def _curve(self, function, t):
        (arr,), _, shape = rows([], [(t, "t")])
        return shaped(function(self._params(), arr), t.index if isinstance(t, pd.Series) else None, shape)

    def survival(self, t):
        """S(t): share of a new cohort still under contract after ``t`` renewal decisions
        (sBG: B(alpha, beta + t)/B(alpha, beta), FH 2007 eq. 2)."""
        return self._curve(self._engine.survival, t)

    def retention(self, t):
        """r(t) = S(t)/S(t - 1): share of those under contract in period t - 1 who renew at decision
        t >= 1 (sBG: (beta + t - 1)/(alpha + beta + t - 1), FH 2007 eq. 4)."""
        return self._curve(self._engine.retention, t)

    def churn(self, t):
        """P(T = t) = S(t - 1) - S(t): share of a new cohort lost at renewal decision t >= 1
        (sBG: B(alpha + 1, beta + t - 1)/B(alpha, beta), FH 2007 eq. 1)."""
        return self._curve(self._engine.churn, t)


def _money(value, margin):
    """The overflow policy (README, Conventions): a value beyond float64 names the margin."""
    if not np.isfinite(value).all():
        raise OverflowError(f"margin = {margin!r} makes the customer value overflow float64")
    return value


class ShiftedBetaGeometric(_DurationModel):
    """Shifted-beta-geometric renewal model (Fader & Hardie 2007) with parameters ``alpha, beta``.

    Periods are renewal periods (years for yearly contracts). ``renewals`` counts the renewals a
    customer has made: a customer in her first contract period has made 0. Money is per period:
    ``margin`` is what one contract period earns, received when the period starts (at sign-up and
    at each renewal); ``discount_rate`` is per period.

    Examples
    --------
    A service-contract base renewed yearly, fitted on the "regular" cohort of Fader & Hardie
    (2007): 1,000 customers in year 0, 631 after the first renewal, and so on.

    >>> model = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> model.params_                        # alpha 0.704, beta 1.182
    >>> model.retention([1, 2, 5])           # renewal rates rise with tenure: 0.63, 0.76, 0.88
    >>> base = pd.Series({0: 120, 1: 85, 2: 60, 3: 41, 4: 30})   # customers by renewals made
    >>> model.contract_base_value(base, margin=12_000, discount_rate=0.10)   # "the base is worth X"
    >>> model.residual_value(4, margin=12_000, discount_rate=0.10)           # "customer Y is worth Z"
    """

    _engine = _core.sbg
    _advice = ("Retention that does not rise with tenure shows no heterogeneity for the sBG to fit: "
               "a constant retention rate (geometric model) describes such data.")
    # alpha and beta run off together (their ratio fixed) when every customer churns alike.
    _runaway = {"alpha": _advice, "beta": _advice}

    def retention_elasticity(self, renewals, discount_rate: float):
        """% increase of a customer's discounted expected residual lifetime (DERL) when every
        customer's renewal probability rises by 1%, for a customer who has renewed ``renewals``
        times (Fader & Hardie 2010, eq. 8). Without heterogeneity it would be (1 + d)/(1 + d - r);
        heterogeneity makes it larger, and it grows with tenure."""
        (arr,), _, shape = rows([], [(renewals, "renewals")])
        out = self._engine.retention_elasticity(self._params(), as_float(discount_rate, "discount_rate"), arr)
        return shaped(out, renewals.index if isinstance(renewals, pd.Series) else None, shape)

    def residual_lifetime(self, renewals, discount_rate: float):
        """DERL: discounted expected number of future renewals of a customer who has renewed
        ``renewals`` times, just before her next renewal decision (the next renewal undiscounted,
        each later one discounted one more period). Fader & Hardie (2010) eq. (6):
        B(alpha, beta + n + 1)/B(alpha, beta + n) 2F1(1, beta + n + 1; alpha + beta + n + 1; 1/(1 + d)).
        Rises with ``renewals``: survivors are the loyal ones."""
        (arr,), _, shape = rows([], [(renewals, "renewals")])
        out = self._engine.residual_lifetime(self._params(), as_float(discount_rate, "discount_rate"), arr)
        return shaped(out, renewals.index if isinstance(renewals, pd.Series) else None, shape)

    def residual_value(self, renewals, margin: float, discount_rate: float):
        """Expected discounted value of a customer's remaining contract periods: ``margin`` x DERL
        (Fader & Hardie 2010), for a customer who has renewed ``renewals`` times."""
        value, lifetime = as_float(margin, "margin"), self.residual_lifetime(renewals, discount_rate)
        with np.errstate(over="ignore"):  # the overflow is refused below, naming the margin
            return _money(lifetime * value, margin)

    def expected_lifetime(self, discount_rate: float) -> float:
        """DEL: discounted expected number of contract periods of a new customer, the first one
        included: sum_t S(t)/(1 + d)^t = 2F1(1, beta; alpha + beta; 1/(1 + d)) (FH 2010 eq. 3)."""
        return float(self._engine.expected_lifetime(self._params(), as_float(discount_rate, "discount_rate")))

    def lifetime_value(self, margin: float, discount_rate: float) -> float:
        """Expected discounted value of a customer about to sign: ``margin`` x DEL."""
        return _money(as_float(margin, "margin") * self.expected_lifetime(discount_rate), margin)

    def contract_base_value(self, customers_by_renewals, margin: float, discount_rate: float) -> float:
        """Residual value of a whole contract base: sum over tenures of customers x margin x DERL.

        Parameters
        ----------
        customers_by_renewals : Series, dict or sequence
            Customers under contract by the number of renewals they have made: a Series or dict
            ``{renewals: customers}``, or a sequence whose n-th entry counts customers with n renewals.
        margin : float
            Margin per contract period.
        discount_rate : float
            Discount rate per period, >= 1e-4.
        """
        if isinstance(customers_by_renewals, dict):
            customers_by_renewals = pd.Series(customers_by_renewals, dtype=np.float64)
        if isinstance(customers_by_renewals, pd.Series):
            renewals = customers_by_renewals.index.to_numpy(dtype=np.float64)
            counts = customers_by_renewals.to_numpy(dtype=np.float64)
        else:
            counts = as_float_array(customers_by_renewals, "customers_by_renewals", ndim=(1,))
            renewals = np.arange(counts.size, dtype=np.float64)
        if not (np.isfinite(counts) & (counts >= 0)).all():
            raise ValueError(f"customers_by_renewals must be finite and >= 0, got {counts.tolist()}")
        return float(np.dot(counts, self.residual_value(renewals, margin, discount_rate)))


class BetaDiscreteWeibull(_DurationModel):
    """Beta-discrete-Weibull (BdW) contract-duration model (Fader, Hardie, Liu, Davin & Steenburgh
    2018) with parameters ``alpha, beta, c``.

    A customer with churn probability theta ~ Beta(alpha, beta) is still under contract after t
    renewal decisions with probability (1 - theta)^(t^c): S(t) = B(alpha, beta + t^c)/B(alpha, beta).
    ``c < 1``: each customer's churn hazard falls with tenure (duration dependence on top of the
    sorting of a heterogeneous cohort); ``c > 1``: it rises; ``c = 1`` is the sBG
    (:class:`ShiftedBetaGeometric`).

    Examples
    --------
    >>> model = BetaDiscreteWeibull().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> model.params_, model.retention([1, 2, 5])
    """

    _engine = _core.bdw
    _advice = ShiftedBetaGeometric._advice
