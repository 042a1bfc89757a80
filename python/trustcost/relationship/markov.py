"""Customer value from a recency Markov chain (Pfeifer & Carraway 2000).

References
----------
P. E. Pfeifer and R. L. Carraway (2000), "Modeling Customer Relationships as Markov Chains",
Journal of Interactive Marketing 14(2), 43-55.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_array, check_int

__all__ = ["markov_customer_value", "recency_transition_matrix"]


def recency_transition_matrix(repurchase_probabilities) -> np.ndarray:
    """Transition matrix P of the recency chain: from state i a purchase (probability p_i) leads to
    state 1, no purchase to state i+1; the last state keeps non-buyers (P&C 2000, Example 1)."""
    p = as_float_array(repurchase_probabilities, "repurchase_probabilities", ndim=(1,))
    k = p.size
    return np.asarray(_core.recency_transition_matrix(p.tolist())).reshape(k, k)


def markov_customer_value(repurchase_probabilities, reward, discount_rate: float, horizon: int | None = None) -> pd.Series:
    """Expected discounted value of a customer in each recency state.

    V = sum_{t=0}^{T} ((1 + d)^-1 P)^t R over ``horizon`` = T periods after the current one
    (P&C 2000 eq. 5); with ``horizon=None`` the infinite sum V = (I - P/(1+d))^-1 R (eq. 6),
    solved by LU decomposition in C++ (Eigen).

    Parameters
    ----------
    repurchase_probabilities : array of k probabilities
        p_i, probability that a customer in recency state i buys in the next period.
    reward : array of k numbers
        Net contribution of a period spent in each state (e.g. margin minus mailing cost in
        state 1, minus the mailing cost in states 2..k-1, 0 in the last).
    discount_rate : float
        Per period, > -1 (> 0 for the infinite horizon).
    horizon : int, optional
        Number of future periods; ``None`` for an infinite horizon.

    Returns
    -------
    Series indexed by state 1..k.
    """
    p = as_float_array(repurchase_probabilities, "repurchase_probabilities", ndim=(1,))
    r = as_float_array(reward, "reward", ndim=(1,))
    d = as_float(discount_rate, "discount_rate")
    if horizon is not None:
        # The engine counts periods in a size_t (any horizon costs O(k^3 log T), so all of it is usable).
        horizon = check_int(horizon, "horizon", 0, 2**64 - 1, what="a whole number of periods or None")
    values = _core.markov_customer_value(p.tolist(), r.tolist(), d, horizon)
    return pd.Series(values, index=pd.RangeIndex(1, p.size + 1, name="state"), name="value")
