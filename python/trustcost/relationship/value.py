"""Spend per transaction (Gamma-Gamma) and customer lifetime value.

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: Using Iso-Value Curves for
Customer Base Analysis", Journal of Marketing Research 42(4), 415-430.
P. S. Fader and B. G. S. Hardie (2013), "The Gamma-Gamma Model of Monetary Value",
http://brucehardie.com/notes/025/.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_array, as_rate, broadcast_rows, check_flag, check_int
from ._fitted import FittedModel, check_weights, shaped, unique_rows
from .rfm import summary_arrays, summary_columns
from .units import PERIODS_PER_MONTH, time_unit

__all__ = ["GammaGamma", "customer_lifetime_value"]

#: Largest horizon of customer_lifetime_value, in months (a thousand years: discounting has long
#: made later months worthless, and the work grows with the horizon).
MAX_MONTHS = 12_000
#: Customer-months evaluated per batch: bounds the memory whatever the horizon.
_BATCH = 2_000_000


def _spend_columns(frequency, monetary_value):
    """Float columns of (frequency, monetary_value), broadcast, with the index of a Series: types
    and shapes only (the engine's row rule checks the values, C++ model contract)."""
    index = frequency.index if isinstance(frequency, pd.Series) else None
    x = as_float_array(frequency, "frequency", ndim=(0, 1))
    m = as_float_array(monetary_value, "monetary_value", ndim=(0, 1))
    x, m = broadcast_rows([x, m], ["frequency", "monetary_value"])
    return x, m, index


class GammaGamma(FittedModel):
    """Gamma-Gamma model of spend per transaction with parameters ``p, q, v``.

    Each transaction's value is Gamma(p, nu) around a customer's mean p/nu, with nu ~ Gamma(q, v)
    across customers; spend is assumed independent of the purchase process. Fitted on customers
    with at least one repeat purchase (the others carry no information on spend; their number is
    kept in ``n_excluded_``).
    """

    _engine = _core.gamma_gamma
    _saved_options = ("q_constraint",)

    def __init__(self, penalizer: float = 0.0, max_iterations: int = 500, *, penalizer_coef: float | None = None,
                 q_constraint: bool = True):
        """``q_constraint`` (lifetimes' option, default True here): fit with q > 1, where the mean
        spend p v/(q - 1) exists; False fits q > 0 only, as lifetimes' default does."""
        super().__init__(penalizer, max_iterations, penalizer_coef=penalizer_coef)
        self.q_constraint = check_flag(q_constraint, "q_constraint")
    _advice = "Look for extreme monetary_value entries (outliers, wrong units), or use a small penalizer."

    def fit(self, frequency, monetary_value, weights=None, q_constraint=None, index=None):
        """Maximum-likelihood fit on repeat ``frequency`` and mean repeat ``monetary_value``. Returns ``self``."""
        x, m, _ = _spend_columns(frequency, monetary_value)
        w = check_weights(weights, x.size)
        # The engine's row rule on the caller's rows (the error names the caller's row number).
        self._engine.check_rows(x, m)
        repeat = x > 0
        if not repeat.any():
            raise ValueError("frequency must be > 0 for some customers: Gamma-Gamma needs repeat purchases")
        self.n_excluded_ = int((~repeat).sum())
        # Distinct (x, m) in sorted order, as trustcost.distributed counts them: the same sums in
        # the same order, so the fits agree to the bit. The C++ likelihood works from sums
        # precomputed once per fit and one logarithm per distinct row.
        (ux, um), counts = unique_rows([x[repeat], m[repeat]], None if w is None else w[repeat])
        if q_constraint is not None:  # lifetimes passes it to fit
            self.q_constraint = check_flag(q_constraint, "q_constraint")
        fit = self._engine.fit if self.q_constraint else self._engine.fit_unconstrained
        self._store(fit(ux, um, counts, self._options), counts.sum())
        self._index(index, x.size)  # lifetimes' index=: the customers' ids for per-customer results
        return self

    def expected_average_value(self, frequency, monetary_value):
        """E[spend per transaction | x, m]: a weighted mean of the population mean p v/(q-1) and
        the customer's own mean m, weighted by p x (FHL 2005 eq. 5). Needs q > 1."""
        self._check_fitted()
        x, m, index = _spend_columns(frequency, monetary_value)
        out = self._engine.expected_average_value(self._params(), x, m)
        return shaped(out, self._ids(index), np.broadcast_shapes(np.shape(frequency), np.shape(monetary_value)))

    def individual_log_likelihood(self, frequency, monetary_value):
        """Each repeat buyer's log-likelihood of her mean spend at the model's parameters (FH 2013
        note, eq. 3); summed over the fitted customers, ``log_likelihood_``."""
        self._check_fitted()
        x, m, index = _spend_columns(frequency, monetary_value)
        out = self._engine.individual_log_likelihood(self._params(), x, m)
        return shaped(out, self._ids(index), np.broadcast_shapes(np.shape(frequency), np.shape(monetary_value)))

    def conditional_expected_average_profit(self, frequency, monetary_value):
        """lifetimes' name for :meth:`expected_average_value`."""
        return self.expected_average_value(frequency, monetary_value)

    def customer_lifetime_value(self, transaction_prediction_model, frequency, recency, T, monetary_value,
                                time: int = 12, discount_rate: float = 0.01, freq: str = "D") -> pd.Series:
        """lifetimes' form of :func:`customer_lifetime_value` (columns passed one by one)."""
        names = ["frequency", "recency", "T", "monetary_value"]
        columns = (frequency, recency, T, monetary_value)
        # Each column checked and named, and the lengths matched, before they make a frame (pandas
        # would say "All arrays must be of the same length" of any of them).
        arrays = broadcast_rows([as_float_array(v, n, ndim=(0, 1), allow_bool=False) for v, n in zip(columns, names)], names)
        index = next((v.index for v in columns if isinstance(v, pd.Series) and len(v) == arrays[0].size), None)
        summary = pd.DataFrame(dict(zip(names, arrays)), index=index)
        return customer_lifetime_value(transaction_prediction_model, self, summary, time=time,
                                       discount_rate=discount_rate, freq=freq)


def customer_lifetime_value(
    transaction_model,
    spend_model: GammaGamma,
    summary: pd.DataFrame,
    time: int = 12,
    discount_rate: float = 0.01,
    freq: str = "D",
) -> pd.Series:
    """Discounted expected value of each customer's purchases over the next ``time`` months.

    Same semantics as lifetimes' ``GammaGammaFitter.customer_lifetime_value``: for each month
    k = 1..time, the expected purchases in that month (difference of the conditional cumulative
    expectations at k and k-1 months, converted to model time units by ``freq``) times the
    Gamma-Gamma expected spend, discounted by (1 + discount_rate)^k.

    Parameters
    ----------
    transaction_model : BetaGeo or ParetoNBD
        Fitted purchase model (any object with ``expected_purchases(t, frequency, recency, T)``).
    spend_model : GammaGamma
        Fitted spend model.
    summary : DataFrame
        Columns ``frequency``, ``recency``, ``T`` (model time units) and ``monetary_value``.
    time : int
        Horizon in months.
    discount_rate : float
        Monthly discount rate, > -1.
    freq : str
        Model time unit: "h" (or "H"), "D", "W", "M", "Q" or "Y" (see
        :mod:`trustcost.relationship.units`).

    Returns
    -------
    Series of values indexed like ``summary``.
    """
    if not callable(getattr(transaction_model, "expected_purchases", None)):
        raise TypeError(f"transaction_model must be a fitted purchase model (BetaGeo, ParetoNBD...), "
                        f"got {type(transaction_model).__name__}")
    if not isinstance(spend_model, GammaGamma):
        raise TypeError(f"spend_model must be a fitted GammaGamma, got {type(spend_model).__name__}")
    if not isinstance(summary, pd.DataFrame):
        raise TypeError(f"summary must be a DataFrame with columns frequency, recency, T, monetary_value, "
                        f"got {type(summary).__name__}")
    unit = time_unit(freq)
    time = check_int(time, "time", 0, what="a whole number of months")
    if time > MAX_MONTHS:
        raise ValueError(f"time must be at most {MAX_MONTHS} months (1000 years), got {time}")
    rate = as_rate(discount_rate, "discount_rate")
    missing = [c for c in ("frequency", "recency", "T", "monetary_value") if c not in summary.columns]
    if missing:
        raise ValueError(f"summary must have columns frequency, recency, T, monetary_value; missing {missing}")
    factor = PERIODS_PER_MONTH[unit]
    scoring = getattr(transaction_model, "_scoring", None)
    if isinstance(scoring, _core.CountModel) and isinstance(spend_model, GammaGamma):
        # All months and the discounting in one C++ pass (relationship/scoring.hpp).
        x, t_x, age, _ = summary_columns(summary["frequency"], summary["recency"], summary["T"])
        money = as_float_array(summary["monetary_value"], "monetary_value", ndim=(1,), allow_empty=True)
        value = _core.score_customer_lifetime_value(scoring, transaction_model._params(), spend_model._params(), x,
                                                    t_x, age, money, int(time), factor, rate)
        return pd.Series(value, index=summary.index, name="clv")
    x, t_x, age, _ = summary_arrays(summary["frequency"], summary["recency"], summary["T"])
    spend = np.asarray(spend_model.expected_average_value(x, summary["monetary_value"].to_numpy(dtype=float)))
    months = np.arange(0, time + 1, dtype=np.float64)
    discount = (1.0 + rate) ** -months[1:]
    value = np.zeros(x.size)
    # Any other purchase model (covariates, user classes): batches of customers, each one call
    # over every month boundary, so memory stays bounded.
    step = max(1, _BATCH // months.size)
    for lo in range(0, x.size, step):
        hi = min(x.size, lo + step)
        k = hi - lo
        cumulative = np.asarray(
            transaction_model.expected_purchases(
                np.repeat(months * factor, k), np.tile(x[lo:hi], months.size), np.tile(t_x[lo:hi], months.size),
                np.tile(age[lo:hi], months.size),
            )
        ).reshape(months.size, k)
        value[lo:hi] = spend[lo:hi] * (np.diff(cumulative, axis=0) * discount[:, None]).sum(axis=0)
    return pd.Series(value, index=summary.index, name="clv")
