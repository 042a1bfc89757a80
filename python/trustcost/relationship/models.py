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

from functools import partial

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_array
from ._fitted import FittedModel, check_weights, rows, shaped, unique_rows

__all__ = ["BetaGeo", "ParetoNBD"]


class _CountModel(FittedModel):
    """Shared fitter of the (frequency, recency, T) models; ``_engine`` is the model's C++ submodule."""

    #: The model's scorer of whole customer bases in C++ (relationship/scoring.hpp).
    _scoring: _core.CountModel

    def fit(self, frequency, recency, T, weights=None, index=None):
        """Maximum-likelihood fit on per-customer ``frequency`` (repeat purchases), ``recency``
        (time of the last purchase since the first) and ``T`` (time since the first purchase).

        Customers with identical data are fitted as one weighted row. ``weights`` multiplies
        each customer's contribution (e.g. counts of already-aggregated rows). Returns ``self``;
        raises :class:`trustcost.ConvergenceError` when the optimiser fails. ``index`` (lifetimes'
        argument): the customers' ids, kept as ``index_``; per-customer results for arrays of the
        fitted length then come back as Series indexed by them.
        """
        (x, t_x, age), _, _ = rows([(frequency, "frequency"), (recency, "recency"), (T, "T")])
        w = check_weights(weights, x.size)
        # The engine's row rule on the caller's rows (the error names the caller's row number).
        self._engine.check_rows(x, t_x, age)
        (ux, ut, uT), counts = unique_rows([x, t_x, age], w)
        self._store(self._engine.fit(ux, ut, uT, counts, self._options), counts.sum(),
                    {"frequency": ux, "recency": ut, "T": uT})
        self._index(index, x.size)
        self.n_unique_rows_ = int(ux.size)
        # The extent of the data, for the default size of the matrices below.
        self.max_frequency_, self.max_T_ = float(ux.max()), float(uT.max())
        return self

    def _history(self, function, frequency, recency, T, leading=()):
        """``function(params, leading..., x, t_x, T)`` of the engine over broadcast rows."""
        flat, index, shape = rows([(frequency, "frequency"), (recency, "recency"), (T, "T")], list(leading))
        return shaped(function(self._params(), *flat), self._ids(index), shape)

    def individual_log_likelihood(self, frequency, recency, T):
        """Each customer's log-likelihood at the model's parameters (fitted or given): with the
        fitted parameters these sum to ``log_likelihood_`` over the fitted customers."""
        return self._history(self._engine.individual_log_likelihood, frequency, recency, T)

    def p_alive(self, frequency, recency, T):
        """Probability that each customer is still active at ``T`` given their history."""
        # Scored in C++ (relationship/scoring.hpp): the rows checked there, the GIL released.
        return self._history(partial(_core.score_p_alive, self._scoring), frequency, recency, T)

    def expected_purchases(self, t, frequency, recency, T):
        """Expected repeat purchases in the next ``t`` periods of each customer, given history."""
        # Scored in C++ (relationship/scoring.hpp): the costly E[Y | alive] once per distinct
        # (t, frequency, T), P(alive) per customer.
        score = partial(_core.score_expected_purchases, self._scoring)
        if np.ndim(t) == 0:  # one horizon for everyone: not copied per customer
            horizon = as_float_array(t, "t", ndim=(0,)).reshape(1)
            return self._history(lambda params, *flat: score(params, horizon, *flat), frequency, recency, T)
        return self._history(score, frequency, recency, T, [(t, "t")])

    def predict(self, t, frequency, recency, T):
        """Same as :meth:`expected_purchases` (lifetimes' name for it)."""
        return self.expected_purchases(t, frequency, recency, T)

    def expected_purchases_population(self, t):
        """Expected repeat purchases in ``t`` periods of a randomly chosen new customer."""
        (t_arr,), _, shape = rows([], [(t, "t")])
        out = self._engine.expected_purchases_population(self._params(), t_arr)
        return shaped(out, t.index if isinstance(t, pd.Series) else None, shape)

    def probability_of_n_purchases(self, t, n):
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in ``t``."""
        (t_b, n_b), _, shape = rows([], [(t, "t"), (n, "n")])
        return shaped(self._engine.probability_of_n_purchases(self._params(), t_b, n_b), None, shape)

    def conditional_probability_of_n_purchases(self, n, t, frequency, recency, T):
        """P(n purchases in the next ``t`` periods | frequency, recency, T) of each customer.

        A customer alive at T has the posterior purchase (and dropout) distribution of the model
        given their history, so the future count is the model's P(X(t) = n) with updated
        parameters, weighted by P(alive); a customer who has dropped out buys nothing. Computed in
        C++ (log space); ``n``, ``t`` and the history broadcast against each other.
        """
        # Scored in C++ (relationship/scoring.hpp): P(n | alive) once per distinct (n, t, frequency, T).
        score = partial(_core.score_conditional_probability_of_n_purchases, self._scoring)
        if np.ndim(n) == 0 and np.ndim(t) == 0:  # one count and horizon for everyone: not copied per customer
            k, horizon = (as_float_array(v, name, ndim=(0,)).reshape(1) for v, name in ((n, "n"), (t, "t")))
            return self._history(lambda params, *flat: score(params, k, horizon, *flat), frequency, recency, T)
        return self._history(score, frequency, recency, T, [(n, "n"), (t, "t")])

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

    _engine = _core.bgnbd
    _runaway = dict.fromkeys(("a", "b"), "The data show too little dropout (repeat buyers keep buying until the end of "
                             "their observation) to estimate the dropout probability; observe customers for longer.")
    _runaway.update(dict.fromkeys(("r", "alpha"), "The data show too little variation in purchase rates across "
                                  "customers to estimate their spread; more customers (or a longer period) are needed."))
    _scoring = _core.CountModel.bgnbd

class ParetoNBD(_CountModel):
    """Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) with parameters ``r, alpha, s, beta``.

    Purchases while active: Poisson(lambda), lambda ~ Gamma(r, alpha); lifetime exponential(mu),
    mu ~ Gamma(s, beta). Likelihood from Fader & Hardie (2005) note eq. (22)-(24), evaluated with
    Euler's transformation of 2F1 as a series of positive terms, analytic gradient included.
    P(X(t) = n) mixes the negative binomial count over the active time min(tau, t) over the
    Pareto (Lomax) lifetime tau, the integral by adaptive Gauss-Kronrod quadrature.
    """

    _engine = _core.pareto_nbd
    _runaway = dict.fromkeys(("s", "beta"), "The data show too little dropout (customers keep buying until the end of "
                             "their observation) to estimate the dropout rates; observe customers for longer.")
    _runaway.update(dict.fromkeys(("r", "alpha"), "The data show too little variation in purchase rates across "
                                  "customers to estimate their spread; more customers (or a longer period) are needed."))
    # s and beta growing together keep the mean dropout rate s / beta and shrink its spread to 0.
    _runaway_upward = {"s": "The data show no variation in dropout rates across customers (every customer seems to "
                            "drop out at the same rate s / beta), so their spread cannot be estimated; more customers "
                            "are needed, or a model with one dropout rate."}
    _scoring = _core.CountModel.pareto_nbd

    def p_alive(self, frequency, recency, T, t=0):
        """P(alive at ``T + t`` | history): at ``t = 0`` P(alive) now (Fader & Hardie 2005 note,
        eq. 18); later, alive now and surviving ``t`` more with mu ~ Gamma(s, beta + T)."""
        if np.ndim(t) == 0 and t == 0:
            return super().p_alive(frequency, recency, T)
        return self._history(self._engine.p_alive_at, frequency, recency, T, [(t, "t")])

    def conditional_probability_alive(self, frequency, recency, T, future_t=0):
        """lifetimes' name for :meth:`p_alive` (``future_t`` as ``t``)."""
        return self.p_alive(frequency, recency, T, t=future_t)
