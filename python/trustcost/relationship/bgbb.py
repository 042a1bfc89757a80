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
from ._fitted import FittedModel, check_weights, rows, shaped, unique_rows

__all__ = ["BetaGeoBetaBinom"]


class BetaGeoBetaBinom(FittedModel):
    """BG/BB model (Fader, Hardie & Shang 2010) with parameters ``alpha, beta, gamma, delta``.

    Data per customer: ``frequency`` x (repeat transactions), ``recency`` t_x (the opportunity of
    the last one, 0 if none) and ``n_periods`` n (opportunities since the first transaction), all
    whole numbers, frequency <= recency <= n_periods. Likelihood eq. (5), P(alive) eq. (11), conditional
    expectation eq. (13), population expectation eq. (9), P(X(n) = x) eq. (7).

    Examples
    --------
    >>> donations = tc.datasets.load_donations()   # 11,104 donors, 6 yearly opportunities
    >>> model = BetaGeoBetaBinom().fit(donations["frequency"], donations["recency"],
    ...                                donations["periods"], weights=donations["weights"])
    >>> model.params_   # alpha 1.204, beta 0.750, gamma 0.657, delta 2.783 (FHS 2010)
    >>> model.p_alive(2, 4, 6, periods_ahead=1)   # 0.59: FHS 2010 Table 6
    """

    _engine = _core.bgbb
    _advice = ("Check that frequency and recency hold repeat transactions and customers with gaps after their last "
               "one (recency < n_periods); rows that each stand for many customers (aggregated data such as the "
               "donations) need their counts as weights.")

    def fit(self, frequency, recency, n_periods, weights=None, index=None):
        """Maximum-likelihood fit; ``weights`` are counts of identical customers (as in the
        donations data) or any non-negative weights. Returns ``self``.

        Raises ValueError when the data cannot identify the model (no repeat transactions, one
        customer history, nobody with a gap after the last transaction) and
        :class:`trustcost.ConvergenceError` when the optimiser fails.
        """
        (x, t_x, n), _, _ = self._rows(frequency, recency, n_periods)
        w = check_weights(weights, x.size)
        # The engine's row rule on the caller's rows (the error names the caller's row number).
        self._engine.check_rows(x, t_x, n)
        (ux, ut, un), counts = unique_rows([x, t_x, n], w)
        self._store(self._engine.fit(ux, ut, un, counts, self._options), counts.sum())
        self._index(index, x.size)
        self.n_unique_rows_ = int(ux.size)
        return self

    @staticmethod
    def _rows(frequency, recency, n_periods, leading=()):
        return rows([(frequency, "frequency"), (recency, "recency"), (n_periods, "n_periods")], list(leading))

    def _conditional(self, function, frequency, recency, n_periods, leading):
        flat, index, shape = self._rows(frequency, recency, n_periods, leading)
        return shaped(function(self._params(), *flat), self._ids(index), shape)

    def individual_log_likelihood(self, frequency, recency, n_periods):
        """Each customer's log-likelihood (FHS 2010 eq. 5) at the model's parameters: with the
        fitted parameters these sum to ``log_likelihood_`` over the fitted customers."""
        return self._conditional(self._engine.individual_log_likelihood, frequency, recency, n_periods, [])

    def p_alive(self, frequency, recency, n_periods, periods_ahead=0):
        """P(still active at opportunity ``n_periods + periods_ahead`` | history): eq. (11) has
        ``periods_ahead=1`` (alive in the next opportunity)."""
        return self._conditional(self._engine.p_alive, frequency, recency, n_periods,
                                 [(periods_ahead, "periods_ahead")])

    def expected_purchases(self, periods, frequency, recency, n_periods):
        """Expected transactions in the next ``periods`` opportunities given history: eq. (13)."""
        return self._conditional(self._engine.expected_purchases, frequency, recency, n_periods, [(periods, "periods")])

    def predict(self, periods, frequency, recency, n_periods):
        """Same as :meth:`expected_purchases`."""
        return self.expected_purchases(periods, frequency, recency, n_periods)

    def expected_purchases_population(self, periods):
        """Expected transactions of a new customer in her first ``periods`` opportunities: eq. (9)."""
        (arr,), _, shape = rows([], [(periods, "periods")])
        out = self._engine.expected_purchases_population(self._params(), arr)
        return shaped(out, periods.index if isinstance(periods, pd.Series) else None, shape)

    def probability_of_n_purchases(self, periods, n):
        """P(X(periods) = n): a new customer makes exactly ``n`` transactions in her first
        ``periods`` opportunities (eq. 7)."""
        (p_b, n_b), _, shape = rows([], [(periods, "periods"), (n, "n")])
        return shaped(self._engine.probability_of_n_purchases(self._params(), p_b, n_b), None, shape)

    def conditional_probability_of_n_purchases(self, n, t, frequency, recency, n_periods, **old):
        """P(X(n_periods, n_periods + t) = n | history): exactly ``n`` transactions in the next
        ``t`` opportunities. The history's posterior over (p, theta) is mixed over how many of the
        coming opportunities the customer stays alive for; sums to 1 over n and reduces to eq. (7)
        without history. Arguments ``(n, t, ...)`` as in every other model (before 0.x BG/BB took
        ``(periods, n, ...)``)."""
        if old:
            raise TypeError(f"conditional_probability_of_n_purchases takes (n, t, frequency, recency, n_periods) "
                            f"as every model does; got the keyword(s) {sorted(old)} of the old (periods, n, ...) order")
        return self._conditional(self._engine.conditional_probability_of_n_purchases, frequency, recency, n_periods,
                                 [(n, "n"), (t, "t")])

    def expected_number_of_customers(self, n_periods: int, customers: float | None = None) -> pd.Series:
        """Expected number of customers with 0..n_periods transactions in their first
        ``n_periods`` opportunities (``customers`` new customers; default the fitted total):
        the model column of FHS (2010) Figure 2."""
        count = as_float_array(n_periods, "n_periods", ndim=(0,))  # the engine checks it is whole and >= 0
        total = self.__dict__.get("n_customers_") if customers is None else float(customers)
        if total is None:
            raise ValueError("customers is required for a model that was not fitted")
        k = np.arange(max(int(count), 0) + 1, dtype=np.float64)
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
