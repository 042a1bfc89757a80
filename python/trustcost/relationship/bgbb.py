"""BG/BB: repeat transactions in discrete time (one chance per period: a yearly donation, an
annual service visit, a renewal fair).

Each customer transacts at each opportunity with probability p ~ Beta(alpha, beta) while alive,
and at the start of each opportunity becomes inactive for good with probability
theta ~ Beta(gamma, delta). Fitting (log space, analytic gradient, weights over identical rows)
and predictions run in C++.

References
----------
P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-Base Analysis in a Discrete-Time
Noncontractual Setting", Marketing Science 29(6), 1086-1108.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_array
from ._fitted import FittedModel, check_weights, shaped, unique_rows

__all__ = ["BetaGeoBetaBinom"]


def _rows(leading: list[np.ndarray], frequency, recency, n_periods):
    """``leading`` arrays and the checked history (x, t_x, n) broadcast together and flattened,
    with the index of a Series input and the broadcast shape."""
    index = next((v.index for v in (frequency, recency, n_periods) if isinstance(v, pd.Series)), None)
    history = [as_float_array(v, name, ndim=(0, 1)) for v, name in
               ((frequency, "frequency"), (recency, "recency"), (n_periods, "n_periods"))]
    arrays = np.broadcast_arrays(*leading, *history)
    flat = [np.ascontiguousarray(a.ravel()) for a in arrays]
    _core.bgbb_check_rows(*flat[-3:])
    return flat, index, arrays[0].shape


def _periods(value, name: str) -> np.ndarray:
    """Whole numbers of opportunities >= 0, or ValueError with the first bad value."""
    arr = as_float_array(value, name, ndim=(0, 1))
    bad = ~(np.isfinite(arr) & (arr >= 0) & (arr == np.floor(arr)))
    if bad.any():
        raise ValueError(f"{name} must be whole numbers >= 0, got {arr.ravel()[bad.ravel()][0]}")
    return arr


class BetaGeoBetaBinom(FittedModel):
    """BG/BB model (Fader, Hardie & Shang 2010) with parameters ``alpha, beta, gamma, delta``.

    Data per customer: ``frequency`` x (repeat transactions), ``recency`` t_x (the opportunity of
    the last one, 0 if none) and ``n_periods`` n (opportunities since the first transaction), all
    whole numbers with 0 <= x <= t_x <= n. Likelihood eq. (5), P(alive) eq. (11), conditional
    expectation eq. (13), population expectation eq. (9), P(X(n) = x) eq. (7).

    Examples
    --------
    >>> donations = tc.datasets.load_donations()   # 11,104 donors, 6 yearly opportunities
    >>> model = BetaGeoBetaBinom().fit(donations["frequency"], donations["recency"],
    ...                                donations["periods"], weights=donations["weights"])
    >>> model.params_   # alpha 1.204, beta 0.750, gamma 0.657, delta 2.783 (FHS 2010)
    >>> model.p_alive(2, 4, 6, periods_ahead=1)   # 0.59: FHS 2010 Table 6
    """

    _param_names = ("alpha", "beta", "gamma", "delta")
    _label = "BG/BB"
    _advice = "Check that the data hold repeat transactions and customers with gaps after their last one."

    def fit(self, frequency, recency, n_periods, weights=None):
        """Maximum-likelihood fit; ``weights`` are counts of identical customers (as in the
        donations data) or any non-negative weights. Returns ``self``.

        Raises ValueError when the data cannot identify the model (no repeat transactions, one
        customer history, nobody with a gap after the last transaction) and
        :class:`trustcost.ConvergenceError` when the optimiser fails.
        """
        (x, t_x, n), _, _ = _rows([], frequency, recency, n_periods)
        w = check_weights(weights, x.size)
        _check_identifiable(x, t_x, n, w)
        (ux, ut, un), counts = unique_rows([x, t_x, n], w)
        self._store(_core.bgbb_fit(ux, ut, un, counts, self.penalizer, self.max_iterations), counts.sum())
        self.n_unique_rows_ = int(ux.size)
        return self

    def p_alive(self, frequency, recency, n_periods, periods_ahead=0):
        """P(still active at opportunity ``n_periods + periods_ahead`` | history): eq. (11) has
        ``periods_ahead=1`` (alive in the next opportunity)."""
        return self._conditional(_core.bgbb_p_alive, periods_ahead, frequency, recency, n_periods, "periods_ahead")

    def expected_purchases(self, periods, frequency, recency, n_periods):
        """Expected transactions in the next ``periods`` opportunities given history: eq. (13)."""
        return self._conditional(_core.bgbb_expected_purchases, periods, frequency, recency, n_periods)

    def predict(self, periods, frequency, recency, n_periods):
        """Same as :meth:`expected_purchases`."""
        return self.expected_purchases(periods, frequency, recency, n_periods)

    def expected_purchases_population(self, periods):
        """Expected transactions of a new customer in her first ``periods`` opportunities: eq. (9)."""
        arr = _periods(periods, "periods")
        out = _core.bgbb_expected_purchases_population(self._params(), arr.ravel())
        return shaped(out, periods.index if isinstance(periods, pd.Series) else None, arr.shape)

    def probability_of_n_purchases(self, periods, n):
        """P(X(periods) = n): a new customer makes exactly ``n`` transactions in her first
        ``periods`` opportunities (eq. 7)."""
        p_b, n_b = np.broadcast_arrays(_periods(periods, "periods"), _periods(n, "n"))
        out = _core.bgbb_probability_of_n_purchases(self._params(), np.ascontiguousarray(p_b.ravel()),
                                                    np.ascontiguousarray(n_b.ravel()))
        return shaped(out, None, p_b.shape)

    def conditional_probability_of_n_purchases(self, periods, n, frequency, recency, n_periods):
        """P(X(n_periods, n_periods + periods) = n | history): exactly ``n`` transactions in the
        next ``periods`` opportunities. The history's posterior over (p, theta) is mixed over how
        many of the coming opportunities the customer stays alive for; sums to 1 over n and
        reduces to eq. (7) without history."""
        flat, index, shape = _rows([_periods(periods, "periods"), _periods(n, "n")], frequency, recency, n_periods)
        out = _core.bgbb_conditional_probability_of_n_purchases(self._params(), *flat)
        return shaped(out, index, shape)

    def expected_number_of_customers(self, n_periods: int, customers: float | None = None) -> pd.Series:
        """Expected number of customers with 0..n_periods transactions in their first
        ``n_periods`` opportunities (``customers`` new customers; default the fitted total):
        the model column of FHS (2010) Figure 2."""
        count = _periods(n_periods, "n_periods")
        if count.ndim:
            raise ValueError(f"n_periods must be one whole number, got shape {count.shape}")
        total = self.__dict__.get("n_customers_") if customers is None else float(customers)
        if total is None:
            raise ValueError("customers is required for a model that was not fitted")
        k = np.arange(int(count) + 1, dtype=np.float64)
        return pd.Series(total * self.probability_of_n_purchases(np.full(k.size, float(count)), k),
                         index=pd.Index(k.astype(int), name="frequency"), name="expected customers")

    # lifetimes' names for the same quantities (BetaGeoBetaBinomFitter).
    def conditional_probability_alive(self, m_periods_in_future, frequency, recency, n_periods):
        """lifetimes' name: :meth:`p_alive` with ``periods_ahead=m_periods_in_future``."""
        return self.p_alive(frequency, recency, n_periods, periods_ahead=m_periods_in_future)

    def conditional_expected_number_of_purchases_up_to_time(self, m_periods_in_future, frequency, recency, n_periods):
        """lifetimes' name for :meth:`expected_purchases`."""
        return self.expected_purchases(m_periods_in_future, frequency, recency, n_periods)

    def expected_number_of_transactions_in_first_n_periods(self, n: int) -> pd.DataFrame:
        """lifetimes' name for :meth:`expected_number_of_customers` (a frame with a ``model`` column)."""
        return self.expected_number_of_customers(n).rename("model").to_frame()

    def _conditional(self, function, periods, frequency, recency, n_periods, name="periods"):
        flat, index, shape = _rows([_periods(periods, name)], frequency, recency, n_periods)
        return shaped(function(self._params(), *flat), index, shape)


def _check_identifiable(x: np.ndarray, t_x: np.ndarray, n: np.ndarray, w: np.ndarray | None) -> None:
    """ValueError naming what the data lack when no interior maximum can exist."""
    present = np.ones(x.size, dtype=bool) if w is None else w > 0
    if not (x[present] > 0).any():
        raise ValueError("frequency is 0 for every customer: without repeat transactions the BG/BB "
                         "transaction and dropout probabilities are not identified")
    if all((v[present] == v[present][0]).all() for v in (x, t_x, n)):
        raise ValueError("every customer has the same history (or there is one customer): one history "
                         "cannot identify the four BG/BB parameters")
    if (t_x[present] == n[present]).all():
        raise ValueError("recency equals n_periods for every customer: nobody shows a gap after the last "
                         "transaction, so dropout (gamma, delta) is not identified")
