"""BG/NBD and Pareto/NBD with time-invariant covariates, by maximum likelihood.

A customer's segment, contract size or channel moves her purchase rate and dropout: customer i
with covariates z_i (one row of numbers) has

    alpha_i = alpha * exp(-purchase . z_i)     (a positive ``purchase[k]`` raises the purchase rate)

and for dropout, in BG/NBD (Fader, Hardie & Lee 2005)

    a_i = a * exp(a_k . z_i),  b_i = b * exp(b_k . z_i)   (dropout probability ~ Beta(a_i, b_i))

or in Pareto/NBD (Schmittlein, Morrison & Colombo 1987)

    beta_i = beta * exp(-dropout . z_i)        (a positive ``dropout[k]`` shortens lifetimes)

This is the parameterisation of R's CLVTools for static covariates; Python had it only by
Bayesian sampling (pymc-marketing). Likelihoods and analytic gradients run in C++; standard
errors of every coefficient come from the Hessian at the estimate.

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting Your Customers the Easy Way: An
Alternative to the Pareto/NBD Model", Marketing Science 24(2), 275-284.
P. Bachmann, M. Meierer and J. Naef, "CLVTools: Probabilistic Customer Lifetime Value Modeling",
R package (the BG/NBD with static covariates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_array
from ._fitted import FittedModel, check_weights, shaped
from .rfm import summary_arrays

__all__ = ["BetaGeoCovariates", "ParetoNBDCovariates"]


class _CovariateModel(FittedModel):
    """Shared fitter of the covariate models: plain maximum likelihood (``penalizer`` must stay 0)."""

    _base: tuple[str, ...] = ()
    _kinds: tuple[str, ...] = ()  # coefficient blocks, one coefficient per covariate each
    _prefix = ""
    _advice = "Check for covariates that separate buyers from non-buyers perfectly; try centring or scaling them."

    @classmethod
    def _names(cls, covariates: list[str]) -> tuple[str, ...]:
        return cls._base + tuple(f"{kind}[{c}]" for kind in cls._kinds for c in covariates)

    def _named(self, values) -> pd.Series:
        """Parameters by name: the model's four (> 0) and finite coefficients, one per block and covariate."""
        if not isinstance(values, (pd.Series, dict)):
            raise TypeError(f"params must be a pandas Series or dict, got {type(values).__name__}")
        mapping = dict(values.items())
        covariates = [k[len("purchase["):-1] for k in mapping if str(k).startswith("purchase[") and str(k).endswith("]")]
        names = self._names(covariates)
        if set(mapping) != set(names):
            raise ValueError(f"{self._label} params must be named {', '.join(names)}; got {', '.join(map(str, mapping))}")
        out = pd.Series([float(mapping[n]) for n in names], index=list(names), name="estimate")
        bad = ~np.isfinite(out.to_numpy()) | (np.arange(out.size) < 4) & ~(out.to_numpy() > 0)
        if bad.any():
            name = out.index[int(np.flatnonzero(bad)[0])]
            raise ValueError(f"{self._label} parameter {name} must be finite{' and > 0' if name in self._base else ''}, got {out[name]}")
        self._param_names = names
        self.covariate_names_ = covariates
        return out

    def fit(self, frequency, recency, T, covariates, weights=None):
        """Maximum-likelihood fit.

        Parameters
        ----------
        frequency, recency, T : array-like
            Customer summary as for :class:`BetaGeo` and :class:`ParetoNBD`.
        covariates : DataFrame, Series or array, one row per customer
            Numeric, time-invariant covariates (e.g. a 0/1 segment flag, log contract size);
            centred or scaled values help the optimiser. At most 9 columns (BG/NBD) or 14 (Pareto/NBD).
        weights : array-like, optional
            Non-negative weight per customer.

        Returns ``self``; ValueError when the data cannot identify the model (no repeat
        purchases, a constant covariate) and :class:`trustcost.ConvergenceError` when the
        optimiser fails.
        """
        x, t_x, age, _ = summary_arrays(frequency, recency, T)
        z, names = _covariate_matrix(covariates, x.size, None)
        w = check_weights(weights, x.size)
        present = np.ones(x.size, dtype=bool) if w is None else w > 0
        if not (x[present] > 0).any():
            raise ValueError("frequency is 0 for every customer: without repeat purchases the purchase rate and "
                             "dropout are not identified")
        constant = [n for n, col in zip(names, z[present].T) if (col == col[0]).all()]
        if constant:
            raise ValueError(f"covariate {constant[0]!r} is constant: its effect cannot be told apart from "
                             f"{', '.join(self._base[1:])}")
        self._param_names = self._names(names)
        fit = getattr(_core, f"{self._prefix}_fit")
        result = fit(x, t_x, age, z, np.ones(x.size) if w is None else w, self.penalizer, self.max_iterations)
        self._store(result, x.size if w is None else w.sum())
        return self

    def p_alive(self, frequency, recency, T, covariates):
        """P(alive | x, t_x, T) with each customer's own parameters."""
        x, t_x, age, index = summary_arrays(frequency, recency, T)
        z, _ = _covariate_matrix(covariates, x.size, self._covariates())
        return shaped(getattr(_core, f"{self._prefix}_p_alive")(self._params(), z, x, t_x, age), index, (x.size,))

    def expected_purchases(self, t, frequency, recency, T, covariates):
        """E[purchases in the next ``t`` | history] with each customer's own parameters."""
        x, t_x, age, index = summary_arrays(frequency, recency, T)
        z, _ = _covariate_matrix(covariates, x.size, self._covariates())
        t_arr = np.broadcast_to(as_float_array(t, "t", ndim=(0, 1)), x.shape)
        if not (np.isfinite(t_arr) & (t_arr >= 0)).all():
            raise ValueError(f"t must be finite and >= 0, got {t_arr[~(np.isfinite(t_arr) & (t_arr >= 0))][0]}")
        expected = getattr(_core, f"{self._prefix}_expected_purchases")
        out = expected(self._params(), z, np.ascontiguousarray(t_arr), x, t_x, age)
        return shaped(out, index, (x.size,))

    def _covariates(self) -> list[str]:
        self._check_fitted()
        return self.covariate_names_


def _covariate_matrix(covariates, n: int, expected: list[str] | None) -> tuple[np.ndarray, list[str]]:
    """An n x q float matrix and the covariate names (DataFrame columns, a Series' name, or x0, x1...)."""
    if isinstance(covariates, pd.DataFrame):
        if expected is not None:
            missing = [c for c in expected if c not in covariates.columns]
            if missing:
                raise ValueError(f"covariates must have the fitted columns {expected}; missing {missing}")
            covariates = covariates[expected]
        names = [str(c) for c in covariates.columns]
    elif isinstance(covariates, pd.Series):
        names = [str(covariates.name) if covariates.name is not None else "x0"]
    else:
        names = None
    z = as_float_array(covariates, "covariates", ndim=(1, 2))
    z = z.reshape(-1, 1) if z.ndim == 1 else z
    if z.shape[0] != n:
        raise ValueError(f"covariates must have one row per customer ({n}), got {z.shape[0]}")
    if names is None:
        names = [f"x{k}" for k in range(z.shape[1])] if expected is None else list(expected)
    if expected is not None and z.shape[1] != len(expected):
        raise ValueError(f"covariates must have {len(expected)} columns ({expected}), got {z.shape[1]}")
    if not np.isfinite(z).all():
        row, col = (int(v[0]) for v in np.nonzero(~np.isfinite(z)))
        raise ValueError(f"covariates must be finite, got {z[row, col]} at row {row}, column {names[col]!r}")
    return np.ascontiguousarray(z), names


class BetaGeoCovariates(_CovariateModel):
    """BG/NBD with covariates: parameters ``r, alpha, a, b`` and, per covariate ``k``, the
    coefficients ``purchase[k]`` (on the purchase rate), ``a[k]`` and ``b[k]`` (on the dropout
    probability's beta distribution; ``a[k] > 0`` or ``b[k] < 0`` means covariate k raises
    dropout). At most 9 covariates.

    Examples
    --------
    >>> model = BetaGeoCovariates().fit(summary["frequency"], summary["recency"], summary["T"],
    ...                                 covariates=summary[["large_account"]])
    >>> model.summary.loc["purchase[large_account]"]   # effect on the log purchase rate, with its s.e.
    >>> model.p_alive(summary["frequency"], summary["recency"], summary["T"], summary[["large_account"]])
    """

    _base = ("r", "alpha", "a", "b")
    _kinds = ("purchase", "a", "b")
    _label = "BG/NBD with covariates"
    _prefix = "bgnbd_covariates"


class ParetoNBDCovariates(_CovariateModel):
    """Pareto/NBD with covariates: parameters ``r, alpha, s, beta`` and, per covariate ``k``,
    ``purchase[k]`` (alpha_i = alpha exp(-purchase . z_i): positive raises the purchase rate)
    and ``dropout[k]`` (beta_i = beta exp(-dropout . z_i): positive raises the dropout rate).
    At most 14 covariates.
    """

    _base = ("r", "alpha", "s", "beta")
    _kinds = ("purchase", "dropout")
    _label = "Pareto/NBD with covariates"
    _prefix = "pareto_nbd_covariates"
