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

import re

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_array
from ._fitted import FittedModel, check_weights, rows, shaped
from .models import ParetoNBD

__all__ = ["BetaGeoCovariates", "ParetoNBDCovariates"]


class _CovariateModel(FittedModel):
    """Shared fitter of the covariate models: plain maximum likelihood (``penalizer`` must stay 0)."""

    _base: tuple[str, ...] = ()
    _kinds: tuple[str, ...] = ()  # coefficient blocks, one coefficient per covariate each

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls._engine is not None:
            cls._base = tuple(cls._engine.parameters)
            cls._kinds = tuple(cls._engine.coefficient_blocks)
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

    def fit(self, frequency, recency, T, covariates, weights=None, index=None):
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
        (x, t_x, age), _, _ = rows([(frequency, "frequency"), (recency, "recency"), (T, "T")])
        z, names = _covariate_matrix(covariates, x.size, None)
        w = check_weights(weights, x.size)
        # Identifiability (repeat purchases, covariates that vary) is the engine's rule.
        self._param_names = self._names(names)
        try:
            result = self._engine.fit(x, t_x, age, z, np.ones(x.size) if w is None else w, self._options)
        except ValueError as exc:  # the engine numbers the covariate columns: name them
            raise ValueError(re.sub(r"(covariate column|column) (\d+)",
                                    lambda m: f"{m.group(1)} {names[int(m.group(2))]!r}", str(exc))) from None
        self._store(result, x.size if w is None else w.sum())
        self._index(index, x.size)
        return self

    def _predict(self, function, frequency, recency, T, covariates, leading=()):
        flat, index, _ = rows([(frequency, "frequency"), (recency, "recency"), (T, "T")], list(leading))
        z, _ = _covariate_matrix(covariates, flat[-1].size, self._covariates())
        return shaped(function(self._params(), z, *flat), self._ids(index), (flat[-1].size,))

    def individual_log_likelihood(self, frequency, recency, T, covariates):
        """Each customer's log-likelihood at the model's parameters (their sum over the fitted
        customers is ``log_likelihood_``)."""
        return self._predict(self._engine.individual_log_likelihood, frequency, recency, T, covariates)

    def p_alive(self, frequency, recency, T, covariates):
        """P(alive | x, t_x, T) with each customer's own parameters."""
        return self._predict(self._engine.p_alive, frequency, recency, T, covariates)

    def expected_purchases(self, t, frequency, recency, T, covariates):
        """E[purchases in the next ``t`` | history] with each customer's own parameters."""
        return self._predict(self._engine.expected_purchases, frequency, recency, T, covariates, [(t, "t")])

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
    if not np.isfinite(z).all():  # (a NaN or inf covariate gives a customer no parameters at all)
        row, column = (int(k) for k in np.argwhere(~np.isfinite(z))[0])
        label = names[column] if names is not None else f"x{column}"
        raise ValueError(f"covariates must be finite, got {z[row, column]} at row {row} of column {label!r}")
    if z.shape[0] != n:
        raise ValueError(f"covariates must have one row per customer ({n}), got {z.shape[0]}")
    if names is None:
        names = [f"x{k}" for k in range(z.shape[1])] if expected is None else list(expected)
    if expected is not None and z.shape[1] != len(expected):
        raise ValueError(f"covariates must have {len(expected)} columns ({expected}), got {z.shape[1]}")
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

    _engine = _core.bgnbd_covariates


class ParetoNBDCovariates(_CovariateModel):
    """Pareto/NBD with covariates: parameters ``r, alpha, s, beta`` and, per covariate ``k``,
    ``purchase[k]`` (alpha_i = alpha exp(-purchase . z_i): positive raises the purchase rate)
    and ``dropout[k]`` (beta_i = beta exp(-dropout . z_i): positive raises the dropout rate).
    At most 14 covariates.
    """

    _engine = _core.pareto_nbd_covariates
    _runaway_upward = ParetoNBD._runaway_upward
