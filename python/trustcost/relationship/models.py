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
from .rfm import summary_arrays, summary_columns

__all__ = ["BetaGeo", "ParetoNBD"]


class _CountModel(FittedModel):
    _prefix = ""
    #: The model's scorer in C++ (relationship/scoring.hpp).
    _scoring: _core.CountModel

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
        # The extent of the data, for the default size of the matrices below.
        self.max_frequency_, self.max_T_ = float(ux.max()), float(uT.max())
        return self

    def p_alive(self, frequency, recency, T):
        """Probability that each customer is still active at ``T`` given their history."""
        x, t_x, age, index = summary_columns(frequency, recency, T)
        shape = np.broadcast_shapes(*(np.shape(v) for v in (frequency, recency, T)))
        # C++ checks the rows, then scores them with the GIL released (relationship/scoring.hpp).
        return shaped(_core.score_p_alive(self._scoring, self._params(), x, t_x, age), index, shape)

    def expected_purchases(self, t, frequency, recency, T):
        """Expected repeat purchases in the next ``t`` periods of each customer, given history."""
        t_arr = _horizon(t)
        x, t_x, age, index = summary_columns(frequency, recency, T)
        shape = np.broadcast_shapes(np.shape(t_arr), *(np.shape(v) for v in (frequency, recency, T)))
        if t_arr.size != 1 and t_arr.shape != x.shape:
            t_arr, x, t_x, age = (np.ascontiguousarray(a.ravel()) for a in np.broadcast_arrays(t_arr, x, t_x, age))
        # Once per distinct (t, frequency, T) for the costly part, P(alive) per customer.
        out = _core.score_expected_purchases(self._scoring, self._params(), t_arr.ravel(), x, t_x, age)
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


    def conditional_probability_of_n_purchases(self, n, t, frequency, recency, T):
        """P(n purchases in the next ``t`` periods | frequency, recency, T) of each customer.

        A customer alive at T has the posterior purchase (and dropout) distribution of the model
        given their history, so the future count is the model's P(X(t) = n) with updated
        parameters, weighted by P(alive); a customer who has dropped out buys nothing. Computed in
        C++ (log space); ``n``, ``t`` and the history broadcast against each other.
        """
        n_arr = as_float_array(n, "n", ndim=(0, 1))
        if not (np.isfinite(n_arr) & (n_arr >= 0) & (n_arr == np.floor(n_arr))).all():
            raise ValueError(f"n must be whole numbers >= 0, got {n!r}")
        t_arr = _horizon(t)
        x, t_x, age, index = summary_arrays(frequency, recency, T)
        shape = np.broadcast_shapes(np.shape(n_arr), np.shape(t_arr), *(np.shape(v) for v in (frequency, recency, T)))
        arrays = (np.ascontiguousarray(a.ravel()) for a in np.broadcast_arrays(n_arr, t_arr, x, t_x, age))
        out = getattr(_core, f"{self._prefix}_conditional_probability_of_n_purchases")(self._params(), *arrays)
        return shaped(out, index, shape)

    def p_alive_matrix(self, max_frequency=None, max_recency=None, T=None) -> pd.DataFrame:
        """P(alive) of a customer observed for ``T`` periods, by recency (rows) and frequency (columns).

        Defaults: frequencies 0..max frequency of the fitted data, recencies 0..T, and T the
        longest observation of the fitted data. A customer without repeat purchases has recency 0
        by definition, so the frequency-0 column holds P(alive | 0, 0, T) on every row.
        """
        x, t_x, T_value = self._grid(max_frequency, max_recency, T)
        values = self.p_alive(x.ravel(), np.where(x.ravel() > 0, t_x.ravel(), 0.0), np.full(x.size, T_value))
        return pd.DataFrame(np.asarray(values).reshape(x.shape), index=pd.Index(t_x[:, 0], name="recency"),
                            columns=pd.Index(x[0], name="frequency"))

    def expected_purchases_matrix(self, t=1.0, max_frequency=None, max_recency=None, T=None) -> pd.DataFrame:
        """Expected purchases in the next ``t`` periods by recency (rows) and frequency (columns),
        for customers observed ``T`` periods (defaults as in :meth:`p_alive_matrix`)."""
        x, t_x, T_value = self._grid(max_frequency, max_recency, T)
        values = self.expected_purchases(t, x.ravel(), np.where(x.ravel() > 0, t_x.ravel(), 0.0), np.full(x.size, T_value))
        return pd.DataFrame(np.asarray(values).reshape(x.shape), index=pd.Index(t_x[:, 0], name="recency"),
                            columns=pd.Index(x[0], name="frequency"))

    def _grid(self, max_frequency, max_recency, T):
        self._check_fitted()
        fitted = "max_frequency_" in self.__dict__
        if (max_frequency is None or T is None) and not fitted:
            raise ValueError("give max_frequency and T: the model was not fitted, so the data's extent is unknown")
        T_value = float(self.max_T_ if T is None else T)
        top_x = int(self.max_frequency_ if max_frequency is None else max_frequency)
        top_r = int(np.floor(T_value) if max_recency is None else max_recency)
        for name, value in (("T", T_value), ("max_frequency", top_x), ("max_recency", top_r)):
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be finite and >= 0, got {value}")
        if top_r > T_value:
            raise ValueError(f"max_recency must be <= T ({T_value}), got {top_r}")
        if (top_x + 1) * (top_r + 1) > 10_000_000:
            raise ValueError(f"the matrix would have {(top_x + 1) * (top_r + 1)} cells; give smaller max_frequency/max_recency")
        x, t_x = np.meshgrid(np.arange(top_x + 1, dtype=float), np.arange(top_r + 1, dtype=float))
        return x, t_x, T_value

    # ---- lifetimes' names (aliases; the same computations) ----
    def conditional_expected_number_of_purchases_up_to_time(self, t, frequency, recency, T):
        """lifetimes' name for :meth:`expected_purchases`."""
        return self.expected_purchases(t, frequency, recency, T)

    def expected_number_of_purchases_up_to_time(self, t):
        """lifetimes' name for :meth:`expected_purchases_population`."""
        return self.expected_purchases_population(t)

    def conditional_probability_alive(self, frequency, recency, T):
        """lifetimes' name for :meth:`p_alive`."""
        return self.p_alive(frequency, recency, T)

    def probability_of_n_purchases_up_to_time(self, t, n):
        """lifetimes' name for :meth:`probability_of_n_purchases`."""
        return self.probability_of_n_purchases(t, n)

    def conditional_probability_of_n_purchases_up_to_time(self, n, t, frequency, recency, T):
        """lifetimes' name for :meth:`conditional_probability_of_n_purchases`."""
        return self.conditional_probability_of_n_purchases(n, t, frequency, recency, T)

    def conditional_probability_alive_matrix(self, max_frequency=None, max_recency=None) -> np.ndarray:
        """lifetimes' form of :meth:`p_alive_matrix`: a numpy array ``Z[recency][frequency]``."""
        return self.p_alive_matrix(max_frequency, max_recency).to_numpy()


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
    _runaway = dict.fromkeys(("a", "b"), "The data show too little dropout (repeat buyers keep buying until the end of "
                             "their observation) to estimate the dropout probability; observe customers for longer.")
    _runaway.update(dict.fromkeys(("r", "alpha"), "The data show too little variation in purchase rates across "
                                  "customers to estimate their spread; more customers (or a longer period) are needed."))
    _prefix = "bgnbd"
    _scoring = _core.CountModel.bgnbd

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
    _runaway = dict.fromkeys(("s", "beta"), "The data show too little dropout (customers keep buying until the end of "
                             "their observation) to estimate the dropout rates; observe customers for longer.")
    _runaway.update(dict.fromkeys(("r", "alpha"), "The data show too little variation in purchase rates across "
                                  "customers to estimate their spread; more customers (or a longer period) are needed."))
    _prefix = "pareto_nbd"
    _scoring = _core.CountModel.pareto_nbd
