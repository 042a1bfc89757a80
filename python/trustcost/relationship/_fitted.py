"""Shared machinery of the fitted models: unique-row weighting, standard errors, summaries."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pandas as pd

from .. import _core
from .._errors import ConvergenceError, NumericalWarning
from .._validation import as_float_array, broadcast_rows


def unique_rows(columns: list[np.ndarray], weights: np.ndarray | None) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of ``columns`` and the total weight of each (count if no weights).

    The likelihood is a sum over customers, so customers with equal data contribute one term
    times their count: on CDNOW 2,357 customers shrink to about 1,000 rows. Found by a hash of
    the rows in C++, then sorted (only the distinct rows): the fit then sees the same rows in the
    same order however the customers were ordered or partitioned (trustcost.distributed).
    """
    rows, counts = _core.distinct_rows([np.ascontiguousarray(c, dtype=np.float64) for c in columns], weights)
    return list(rows), counts


def check_weights(weights, n: int) -> np.ndarray | None:
    """Weights as a 1-D float array of n values: complex, masked or multi-dimensional weights are
    refused (they would otherwise be reduced to their real part, data or flattened silently).
    Finiteness is checked here, before identical rows are merged, so the error names the
    caller's row."""
    if weights is None:
        return None
    w = as_float_array(weights, "weights", ndim=(1,), allow_empty=True)
    if w.shape != (n,):
        raise ValueError(f"weights must have {n} values, got shape {np.shape(weights)}")
    if not np.isfinite(w).all() or (w < 0).any():
        row = int(np.flatnonzero(~(np.isfinite(w) & (w >= 0)))[0])
        raise ValueError(f"weights must be finite and >= 0, got {w[row]} at row {row}")
    return w


def _implausible(data: dict[str, np.ndarray]) -> str:
    """What in the fitted columns (argument name -> values) explains a failed fit, by name: a
    per-customer count or recency with one value for every customer (a scalar broadcast to all
    rows carries no variation), or an observation time T a million times the longest recency
    (T = 1e12: wrong units). A constant T alone is a cohort observed equally long: not named."""
    notes = [f"{name} is {column[0]:.6g} for every customer" for name, column in data.items()
             if name in ("frequency", "recency") and column.size > 1 and np.all(column == column[0])]
    if "T" in data and "recency" in data:
        longest = max(1.0, float(data["recency"].max()))
        if data["T"].max() > 1e6 * longest:
            notes.append(f"T reaches {data['T'].max():.6g}, over a million times the longest recency "
                         f"({longest:.6g}): check the units of T")
    if not notes:
        return ""
    return " Implausible data: " + "; ".join(notes) + "."


def rows(history: list[tuple[object, str]], leading: list[tuple[object, str]] = ()):
    """Float arrays of the ``leading`` arguments and the ``history`` columns, broadcast together
    and flattened for the engine; with the index of the first history Series and the broadcast
    shape. Types and shapes only: the engine checks the values (the row rule has one owner, the
    C++ model contract)."""
    index = next((v.index for v, _ in history if isinstance(v, pd.Series)), None)
    arrays = [as_float_array(v, name, ndim=(0, 1), allow_bool=False) for v, name in (*leading, *history)]
    flat = broadcast_rows(arrays, [name for _, name in (*leading, *history)])
    return flat, index, np.broadcast_shapes(*(a.shape for a in arrays))


#: Format of the files written by ``save_model``: a version number that grows whenever the
#: layout changes; ``load_model`` reads versions up to this one and refuses newer files.
MODEL_FILE_FORMAT = "trustcost.relationship.model"
MODEL_FILE_VERSION = 1
#: Fitted attributes kept in a model file besides the parameters and the covariance.
_SAVED_ATTRIBUTES = ("log_likelihood_", "iterations_", "n_customers_", "n_unique_rows_", "max_frequency_", "max_T_",
                     "n_excluded_", "index_")


class FittedModel:
    """Base of the fitters: ``fit`` sets ``params_``, ``log_likelihood_``, ``standard_errors_``.

    Parameters
    ----------
    penalizer : float
        L2 penalty ``penalizer * sum(params**2)`` added to the mean negative log-likelihood, like
        lifetimes' ``penalizer_coef`` but on the parameters in the data's own time unit (lifetimes
        first rescales time so that the largest T is 10, so equal values do not give equal
        estimates). Default 0: plain maximum likelihood, as in the published estimates.
        ``penalizer_coef=`` (lifetimes' keyword) is accepted as an alias.
    max_iterations : int
        Iteration limit of the BFGS optimiser (C++, log-parameters, analytic gradient).
    """

    #: The model's engine: its submodule of the C++ core (``_core.bgnbd``, ...), which declares
    #: the parameter names and owns the checks, the likelihood and the predictions.
    _engine = None
    _param_names: tuple[str, ...] = ()
    _label = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        engine = cls.__dict__.get("_engine")
        if engine is not None and hasattr(engine, "parameters"):
            cls._param_names = tuple(engine.parameters)
            cls._label = cls.__dict__.get("_label", engine.label)

    def __init__(self, penalizer: float = 0.0, max_iterations: int = 500, *, penalizer_coef: float | None = None):
        if penalizer_coef is not None:  # lifetimes' name for the same argument
            if penalizer:
                raise TypeError("give penalizer or penalizer_coef (lifetimes' name), not both")
            penalizer = penalizer_coef
        if isinstance(penalizer, (bool, np.bool_)) or not isinstance(penalizer, (int, float, np.integer, np.floating)):
            raise TypeError(f"penalizer must be a number, got {penalizer!r}")
        # Ranges are checked by the engine's FitOptions (one set of options, validated in C++).
        self._options = _core.FitOptions(penalizer=float(penalizer), max_iterations=int(max_iterations))

    @property
    def penalizer(self) -> float:
        """L2 penalty of the fit (see the class docstring)."""
        return self._options.penalizer

    @property
    def max_iterations(self) -> int:
        """Iteration limit of the optimiser."""
        return self._options.max_iterations

    # ------------------------------------------------------------------ parameters by name
    @property
    def params_(self) -> pd.Series:
        """Parameter estimates, a Series indexed by parameter name (always in the model's order).

        May be assigned, as lifetimes users do (``model.params_ = pd.Series({...})``): any
        mapping or Series with exactly the model's parameter names, in any order. Every
        computation reads the parameters by name, never by position.
        """
        try:
            return self.__dict__["_named_params"]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no parameters yet: call fit(...) or from_params(...)") from None

    @params_.setter
    def params_(self, values) -> None:
        self.__dict__["_named_params"] = self._named(values)
        # Parameters given by hand carry no fit: drop what described the previous fit.
        for stale in ("log_likelihood_", "standard_errors_", "covariance_", "iterations_", "n_customers_"):
            self.__dict__.pop(stale, None)

    @classmethod
    def _named(cls, values) -> pd.Series:
        if isinstance(values, pd.Series):
            mapping = values.to_dict()
        elif isinstance(values, dict):
            mapping = dict(values)
        else:
            raise TypeError(
                f"params must be a pandas Series or dict keyed by {', '.join(cls._param_names)}, got {type(values).__name__}"
            )
        names = set(cls._param_names)
        missing = [n for n in cls._param_names if n not in mapping]
        extra = [k for k in mapping if k not in names]
        if missing or extra:
            raise ValueError(
                f"{cls._label} params must be named {', '.join(cls._param_names)}; "
                + (f"missing {missing}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"unknown {extra}" if extra else "")
            )
        out = pd.Series([float(mapping[n]) for n in cls._param_names], index=list(cls._param_names), name="estimate")
        bad = ~(np.isfinite(out.to_numpy()) & (out.to_numpy() > 0))
        if bad.any():
            name = out.index[int(np.flatnonzero(bad)[0])]
            raise ValueError(f"{cls._label} parameter {name} must be finite and > 0, got {out[name]}")
        return out

    @classmethod
    def from_params(cls, params=None, **named):
        """A model with given parameters, without fitting (e.g. published estimates).

        ``params`` is a Series or dict keyed by parameter name; or pass the parameters as
        keywords. Standard errors and the log-likelihood are then unknown.

        Examples
        --------
        >>> BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        """
        if params is not None and named:
            raise TypeError("pass params or keyword parameters, not both")
        model = cls()
        model.params_ = params if params is not None else named
        return model

    def _params(self) -> np.ndarray:
        """The parameters in the model's own order, read by name, for the C++ calls."""
        self._check_fitted()
        # _named keeps the model's order, so no .loc (0.2 ms a call) is needed to read it.
        return np.ascontiguousarray(self.__dict__["_named_params"].to_numpy(dtype=np.float64))

    def _store(self, result, n_customers: float, data: dict[str, np.ndarray] | None = None) -> None:
        """Keep a :class:`trustcost._core.FitResult`, or raise ConvergenceError saying why not
        (naming the column of ``data``, the fitted rows by argument name, that explains it)."""
        if not result.converged:
            self._raise_not_converged(result, data or {})
        self.params_ = pd.Series(result.params, index=list(self._param_names))
        self.log_likelihood_ = float(result.log_likelihood)
        self.iterations_ = int(result.iterations)
        self.n_customers_ = float(n_customers)
        hessian = np.asarray(result.hessian)
        try:
            covariance = np.linalg.inv(hessian)
            variances = np.diag(covariance)
            if (variances <= 0).any() or not np.isfinite(variances).all():
                raise np.linalg.LinAlgError("not positive definite")
        except np.linalg.LinAlgError:
            warnings.warn(f"{self._label}: the Hessian at the estimate is not positive definite; standard errors are NaN",
                          NumericalWarning, stacklevel=3)
            covariance = np.full_like(hessian, np.nan)
            variances = np.diag(covariance)
        self.covariance_ = pd.DataFrame(covariance, index=self.params_.index, columns=self.params_.index)
        self.standard_errors_ = pd.Series(np.sqrt(variances), index=self.params_.index, name="standard error")

    #: Appended to a convergence failure: what to try (the models override it).
    _advice = "Try rescaling time (e.g. weeks instead of days) or a small penalizer."
    #: What a parameter that runs off says about the data (name -> explanation), per model.
    _runaway: dict[str, str] = {}
    #: What a shape parameter (run-off scale 1) running off upwards says instead, where that differs.
    _runaway_upward: dict[str, str] = {}

    def _raise_not_converged(self, result, data: dict[str, np.ndarray]) -> None:
        message = result.message
        diverged = int(result.diverged)
        advice = self._advice
        if 0 <= diverged < len(self._param_names):
            name = self._param_names[diverged]
            upward = name in self._runaway_upward and result.params[diverged] > 1.0
            advice = self._runaway_upward[name] if upward else self._runaway.get(name, advice)
        for j, name in enumerate(self._param_names):  # the C++ message numbers the parameters
            message = message.replace(f"parameter {j} ", f"{name} ")
        raise ConvergenceError(
            f"{self._label} fit did not converge: {message}. Parameters reached: "
            + ", ".join(f"{k}={v:.6g}" for k, v in zip(self._param_names, result.params))
            + ". " + advice + _implausible(data)
        )

    #: Constructor options written to a model file (beyond penalizer and max_iterations).
    _saved_options: tuple[str, ...] = ()

    def save_model(self, path, save_data: bool = True, save_generate_data_method: bool = True,
                   values_to_save=None) -> None:
        """Write the model to ``path`` as JSON (lifetimes' method name; our own, versioned format).

        The file holds the class, the options, the parameters by name and what the fit found
        (log-likelihood, covariance, counts); floats are written exactly. trustcost keeps no copy
        of the data and no generator function, so lifetimes' ``save_data`` and
        ``save_generate_data_method`` have nothing to add; ``values_to_save`` (lifetimes' stand-ins
        for unpicklable attributes) has nothing to replace and must stay None.
        """
        if values_to_save is not None:
            raise ValueError("values_to_save must be None: a trustcost model file holds no data or functions to replace")
        self._check_fitted()
        fitted = {k: self.__dict__[k] for k in _SAVED_ATTRIBUTES if k in self.__dict__}
        if "index_" in fitted:
            fitted["index_"] = fitted["index_"].tolist()
        content = {
            "format": MODEL_FILE_FORMAT,
            "version": MODEL_FILE_VERSION,
            "model": type(self).__name__,
            "options": {"penalizer": self.penalizer, "max_iterations": self.max_iterations,
                        **{k: getattr(self, k) for k in self._saved_options}},
            "params": {str(k): float(v) for k, v in self.params_.items()},
            "covariance": self.covariance_.to_numpy().tolist() if "covariance_" in self.__dict__ else None,
            "fitted": fitted,
        }
        with open(os.fspath(path), "w", encoding="utf-8") as f:
            json.dump(content, f, indent=1)

    def load_model(self, path):
        """Read a file written by :meth:`save_model` into this model (lifetimes' method name);
        returns ``self``. Refuses a file of another model, of another format, or written by a newer
        trustcost (a higher format version) with a ValueError saying which."""
        with open(os.fspath(path), encoding="utf-8") as f:
            try:
                content = json.load(f)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path} is not a trustcost model file (not JSON: {exc})") from None
        if not isinstance(content, dict) or content.get("format") != MODEL_FILE_FORMAT:
            raise ValueError(f"{path} is not a trustcost model file (no format {MODEL_FILE_FORMAT!r})")
        version = content.get("version")
        if not isinstance(version, int) or version > MODEL_FILE_VERSION:
            raise ValueError(f"{path} has model file format version {version!r}, written by a newer trustcost; this "
                             f"version reads format versions up to {MODEL_FILE_VERSION}: upgrade trustcost to read it")
        if content.get("model") != type(self).__name__:
            raise ValueError(f"{path} holds a {content.get('model')} model, not a {type(self).__name__}")
        options = content["options"]
        self.__init__(**options)
        self.params_ = content["params"]
        for key, value in content["fitted"].items():
            self.__dict__[key] = pd.Index(value) if key == "index_" else value
        if content["covariance"] is not None:
            covariance = np.array(content["covariance"], dtype=np.float64)
            self.covariance_ = pd.DataFrame(covariance, index=self.params_.index, columns=self.params_.index)
            self.standard_errors_ = pd.Series(np.sqrt(np.diag(covariance)), index=self.params_.index,
                                              name="standard error")
        return self

    def _index(self, index, n: int):
        """``index=`` of fit: the customers' ids, one per row, kept as ``index_``."""
        if index is None:
            self.__dict__.pop("index_", None)
            return
        ids = pd.Index(index)
        if len(ids) != n:
            raise ValueError(f"index must have one id per customer ({n}), got {len(ids)}")
        self.index_ = ids

    def _ids(self, index):
        """The index of per-customer results: the inputs' own (a Series came in), else ``index_``."""
        return index if index is not None else self.__dict__.get("index_")

    def _check_fitted(self) -> None:
        if "_named_params" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__} is not fitted yet: call fit(...) first (or from_params(...))")

    def check_fitted(self) -> None:
        """RuntimeError unless the model is fitted (for code outside the package that takes a fitted model)."""
        self._check_fitted()

    @property
    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors and 95% Wald intervals."""
        self._check_fitted()
        se = self.__dict__.get("standard_errors_", pd.Series(np.nan, index=self.params_.index))
        return pd.DataFrame(
            {"coef": self.params_, "se(coef)": se, "lower 95% bound": self.params_ - 1.959964 * se,
             "upper 95% bound": self.params_ + 1.959964 * se}
        )

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"<{type(self).__name__}: not fitted>"
        params = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        if "log_likelihood_" not in self.__dict__:
            return f"<{type(self).__name__}: {params}; given, not fitted>"
        return f"<{type(self).__name__}: {params}; log-likelihood {self.log_likelihood_:.2f} on {self.n_customers_:g} customers>"

    def _repr_html_(self) -> str:
        if not hasattr(self, "params_"):
            return f"<p>{type(self).__name__}: not fitted</p>"
        head = (f"<p><b>{self._label}</b>: log-likelihood {self.log_likelihood_:.2f}, {self.n_customers_:g} customers</p>"
                if "log_likelihood_" in self.__dict__ else f"<p><b>{self._label}</b>: given parameters (not fitted)</p>")
        return head + self.summary.to_html(float_format=lambda v: f"{v:.4f}")


def shaped(values: np.ndarray, index: pd.Index | None, shape: tuple[int, ...]):
    """Results as a Series when a Series came in, a float for scalars, else an array."""
    if index is not None and len(index) == values.size:
        return pd.Series(values, index=index, copy=False)  # values are fresh from the engine: no copy
    if shape == ():
        return float(values[0])
    return values.reshape(shape)
