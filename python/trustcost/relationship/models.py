"""Repeat-purchase ("buy till you die") models: BG/NBD and Pareto/NBD.

Both describe a customer who buys at a Poisson rate (gamma-distributed across customers) until
an unobserved dropout. They differ in the dropout story: BG/NBD lets a customer drop out after any
purchase with a beta-distributed probability; Pareto/NBD lets dropout happen at any moment at an
exponential rate, gamma-distributed across customers. Fitting, likelihoods (log space, analytic
gradients) and predictions run in C++.

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting Your Customers the Easy Way: An
Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284.
D. C. Schmittlein, D. G. Morrison and R. Colombo (1987), "Counting Your Customers: Who Are They
and What Will They Do Next?", Management Science 33(1), 1-24.
P. S. Fader and B. G. S. Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
Expressions", http://brucehardie.com/notes/009/.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_array
from ._fitted import FittedModel, check_weights, shaped, unique_rows
from .rfm import summary_arrays

__all__ = ["BetaGeo", "ParetoNBD"]


class _CountModel(FittedModel):
    _prefix = ""

    def fit(self, frequency, recency, T, weights=None):
        """Maximum-likelihood fit on per-customer ``frequency`` (repeat purchases), ``recency``
        (time of the last purchase since the first) and ``T`` (time since the first purchase).

        Customers with identical data are fitted as one weighted row. ``weights`` multiplies
        each customer's contribution (e.g. counts of already-aggregated rows). Returns ``self``;
        raises :class:`trustcost.ConvergenceError` when the optimiser fails.
        """
        x, t_x, age, _ = summary_arrays(frequency, recency, T)
        w = check_weights(weights, x.size)
        (ux, ut, uT), counts = unique_rows([x, t_x, age], w)
        result = getattr(_core, f"{self._prefix}_fit")(ux, ut, uT, counts, self.penalizer, self.max_iterations)
        self._store(result, counts.sum())
        self.n_unique_rows_ = int(ux.size)
        return self

    def p_alive(self, frequency, recency, T):
        """Probability that each customer is still active at ``T`` given their history."""
        x, t_x, age, index = summary_arrays(frequency, recency, T)
        shape = np.broadcast_shapes(*(np.shape(v) for v in (frequency, recency, T)))
        return shaped(getattr(_core, f"{self._prefix}_p_alive")(self._params(), x, t_x, age), index, shape)

    def expected_purchases(self, t, frequency, recency, T):
        """Expected repeat purchases in the next ``t`` periods of each customer, given history."""
        t_arr = _horizon(t)
        x, t_x, age, index = summary_arrays(frequency, recency, T)
        shape = np.broadcast_shapes(np.shape(t_arr), *(np.shape(v) for v in (frequency, recency, T)))
        t_b, x, t_x, age = (np.ascontiguousarray(a.ravel()) for a in np.broadcast_arrays(t_arr, x, t_x, age))
        out = getattr(_core, f"{self._prefix}_expected_purchases")(self._params(), t_b, x, t_x, age)
        return shaped(out, index, shape)

    def predict(self, t, frequency, recency, T):
        """Same as :meth:`expected_purchases` (lifetimes' name for it)."""
        return self.expected_purchases(t, frequency, recency, T)

    def expected_purchases_population(self, t):
        """Expected repeat purchases in ``t`` periods of a randomly chosen new customer."""
        t_arr = _horizon(t)
        out = getattr(_core, f"{self._prefix}_expected_purchases_population")(self._params(), t_arr.ravel())
        return shaped(out, t.index if isinstance(t, pd.Series) else None, t_arr.shape)

    def probability_of_n_purchases(self, t, n):
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in ``t``."""
        t_arr = _horizon(t)
        n_arr = as_float_array(n, "n", ndim=(0, 1))
        if not (np.isfinite(n_arr) & (n_arr >= 0) & (n_arr == np.floor(n_arr))).all():
            raise ValueError("n must be whole numbers >= 0")
        t_b, n_b = np.broadcast_arrays(t_arr, n_arr)
        out = getattr(_core, f"{self._prefix}_probability_of_n_purchases")(self._params(), np.ascontiguousarray(t_b.ravel()), np.ascontiguousarray(n_b.ravel()))
        return shaped(out, None, t_b.shape)


def _horizon(t) -> np.ndarray:
    """Prediction horizons: finite and >= 0, or ValueError with the first bad value."""
    t_arr = as_float_array(t, "t", ndim=(0, 1))
    bad = ~(np.isfinite(t_arr) & (t_arr >= 0))
    if bad.any():
        raise ValueError(f"t must be finite and >= 0, got {t_arr.ravel()[bad.ravel()][0]}")
    return t_arr


class BetaGeo(_CountModel):
    """BG/NBD model (Fader, Hardie & Lee 2005) with parameters ``r, alpha, a, b``.

    Purchases while active: Poisson(lambda), lambda ~ Gamma(r, alpha). After each purchase the
    customer drops out with probability p ~ Beta(a, b). Likelihood eq. (6), P(alive) from the
    2008 note "Computing P(alive) using the BG/NBD model", conditional expectation eq. (10),
    population expectation eq. (9) with Gauss's 2F1 (Boost.Math), P(X(t) = n) eq. (8).

    Examples
    --------
    >>> model = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    >>> model.params_   # CDNOW: r 0.243, alpha 4.414, a 0.793, b 2.426 (FHL 2005, Table)
    """

    _param_names = ("r", "alpha", "a", "b")
    _label = "BG/NBD"
    _prefix = "bgnbd"

class ParetoNBD(_CountModel):
    """Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) with parameters ``r, alpha, s, beta``.

    Purchases while active: Poisson(lambda), lambda ~ Gamma(r, alpha); lifetime exponential(mu),
    mu ~ Gamma(s, beta). Likelihood from Fader & Hardie (2005) note eq. (22)-(24), evaluated with
    Euler's transformation of 2F1 as a series of positive terms, analytic gradient included.
    P(X(t) = n) mixes the negative binomial count over the active time min(tau, t) over the
    Pareto (Lomax) lifetime tau, the integral by adaptive Gauss-Kronrod quadrature.
    """

    _param_names = ("r", "alpha", "s", "beta")
    _label = "Pareto/NBD"
    _prefix = "pareto_nbd"
