"""Distributions for uncertain inputs: usable wherever a cost amount or parameter takes a number.

Draws come from counter-based uniforms (SplitMix64 on ``(seed, stream, index)``), so a sample is
reproducible from its seed whatever the thread count. Most families are drawn by inverse CDF from
one uniform, so the same ``stream`` gives comonotone draws across distributions (paired
sampling); Gamma, Beta and PERT, whose inverse CDF is an iterative solve, are drawn by
Marsaglia & Tsang's method (2000) from the same stream, which keeps equal distributions equal and
different ones strongly, not perfectly, rank-correlated. CDFs and quantiles come from Boost.Math.
"""

from __future__ import annotations

import numbers
from abc import ABC, abstractmethod

import numpy as np

from .. import _core
from .._validation import as_float, as_float_array, check_count, check_seed, too_large

__all__ = [
    "Distribution",
    "Fixed",
    "Uniform",
    "Triangular",
    "PERT",
    "Normal",
    "LogNormal",
    "Gamma",
    "Beta",
    "Weibull",
    "Empirical",
    "as_distribution",
]


class Distribution(ABC):
    """Base class: a frozen, validated distribution backed by the C++ core."""

    _impl: _core.Distribution

    @abstractmethod
    def _arguments(self) -> dict:
        """Constructor arguments that rebuild this distribution (for repr and files)."""

    @property
    def engine(self) -> _core.Distribution:
        """The distribution as the engine holds it (what a Monte Carlo plan samples)."""
        return self._impl

    @property
    def mean(self) -> float:
        """Expected value."""
        return self._impl.mean()

    @property
    def std(self) -> float:
        """Standard deviation."""
        return float(np.sqrt(self._impl.variance()))

    def quantile(self, q):
        """Value below which a share ``q`` of the distribution lies (inverse CDF)."""
        q = as_float_array(q, "q", ndim=(0, 1, 2))
        bad = ~((q >= 0) & (q <= 1))
        if bad.any():
            raise ValueError(f"q must be in [0, 1], got {q[bad].flat[0]}")
        return _scalar(self._impl.quantile(q))

    def cdf(self, x):
        """Probability that a draw is <= ``x``."""
        return _scalar(self._impl.cdf(as_float_array(x, "x", ndim=(0, 1, 2))))

    def sample(self, size: int, seed: int = 0, stream: int | str = 0) -> np.ndarray:
        """``size`` reproducible draws.

        Parameters
        ----------
        size : int
            Number of draws.
        seed : int
            Seed of the run, in ``[0, 2**64)`` (others are refused rather than wrapped, so no two
            seeds alias). Same seed, same draws, whatever the thread count.
        stream : int or str
            Independent sub-stream, an integer in ``[0, 2**64)``; a name is hashed. Two distributions sampled on the same
            stream get the same uniforms, hence comonotone draws (see the module notes for
            Gamma, Beta and PERT).
        """
        size = check_count(size, "size", MAX_SAMPLE)
        seed, stream = check_seed(seed), _stream(stream)
        try:
            return self._impl.sample(size, seed, stream)
        except MemoryError:
            raise too_large("size", size, 8.0 * size) from None

    def to_dict(self) -> dict:
        """Plain-data form, as stored in scenario files."""
        return {"distribution": type(self).__name__, **self._arguments()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._arguments().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self._arguments() == other._arguments()

    def __reduce__(self):
        # Rebuilt from its constructor arguments (validated again), so pickle, cloudpickle and
        # copy.deepcopy never need the C++ object's state.
        return _rebuild, (type(self), self._arguments())

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self)))


def _rebuild(cls, arguments: dict) -> "Distribution":
    return cls(**arguments)


def _scalar(result):
    return float(result) if np.ndim(result) == 0 else result


MAX_SAMPLE = 2**40
"""Most draws one call returns (8 TiB of float64: more than any machine holds)."""


def _stream(stream) -> int:
    """A stream number, or a name hashed to one (as the Monte Carlo names its inputs)."""
    if isinstance(stream, str):
        return _core.stream_id(stream)
    return check_seed(stream, "stream")


class Fixed(Distribution):
    """A known value (no uncertainty)."""

    def __init__(self, value: float):
        self.value = as_float(value, "value")
        self._impl = _core.Distribution.fixed(self.value)

    def _arguments(self):
        return {"value": self.value}


class Uniform(Distribution):
    """Every value in ``[low, high]`` equally likely."""

    def __init__(self, low: float, high: float):
        self.low, self.high = as_float(low, "low"), as_float(high, "high")
        self._impl = _core.Distribution.uniform(self.low, self.high)

    def _arguments(self):
        return {"low": self.low, "high": self.high}


class Triangular(Distribution):
    """Minimum, most likely and maximum: the analyst's three-point estimate."""

    def __init__(self, low: float, mode: float, high: float):
        self.low, self.mode, self.high = as_float(low, "low"), as_float(mode, "mode"), as_float(high, "high")
        self._impl = _core.Distribution.triangular(self.low, self.mode, self.high)

    def _arguments(self):
        return {"low": self.low, "mode": self.mode, "high": self.high}


class PERT(Distribution):
    """Three-point estimate with a smooth (Beta) shape; mean ``(low + lambda_ mode + high) / (lambda_ + 2)``.

    ``lambda_ = 4`` is the classic PERT (Malcolm et al. 1959); larger values concentrate the
    distribution around the mode (Vose, *Risk Analysis*, 3rd ed., modified PERT).
    """

    def __init__(self, low: float, mode: float, high: float, lambda_: float = 4.0):
        self.low, self.mode, self.high = as_float(low, "low"), as_float(mode, "mode"), as_float(high, "high")
        self.lambda_ = as_float(lambda_, "lambda_")
        self._impl = _core.Distribution.pert(self.low, self.mode, self.high, self.lambda_)

    def _arguments(self):
        return {"low": self.low, "mode": self.mode, "high": self.high, "lambda_": self.lambda_}


class Normal(Distribution):
    """Normal with mean and standard deviation, optionally truncated to ``[lower, upper]``.

    Truncation is exact (draws come from the conditional distribution, not clipped), so for
    example a cost that cannot be negative takes ``lower=0``.
    """

    def __init__(self, mean: float, sd: float, lower: float | None = None, upper: float | None = None):
        self.mu, self.sd = as_float(mean, "mean"), as_float(sd, "sd")
        self.lower = None if lower is None else as_float(lower, "lower")
        self.upper = None if upper is None else as_float(upper, "upper")
        lo = -np.inf if self.lower is None else self.lower
        hi = np.inf if self.upper is None else self.upper
        self._impl = _core.Distribution.normal(self.mu, self.sd, lo, hi)

    def _arguments(self):
        args = {"mean": self.mu, "sd": self.sd}
        if self.lower is not None:
            args["lower"] = self.lower
        if self.upper is not None:
            args["upper"] = self.upper
        return args


class LogNormal(Distribution):
    """Positive and right-skewed, as repair costs and durations are.

    Give either the ``mean`` and ``sd`` of the value itself, or its ``median`` and ``p90`` (the
    value exceeded one time in ten) — the way engineers usually state a range.
    """

    def __init__(self, mean: float | None = None, sd: float | None = None, *, median: float | None = None, p90: float | None = None):
        by_moments = mean is not None or sd is not None
        by_quantiles = median is not None or p90 is not None
        if by_moments == by_quantiles or (by_moments and (mean is None or sd is None)) or (by_quantiles and (median is None or p90 is None)):
            raise ValueError("LogNormal takes either mean and sd, or median and p90")
        if by_moments:
            self._given = {"mean": as_float(mean, "mean"), "sd": as_float(sd, "sd")}
            self._impl = _core.Distribution.lognormal(self._given["mean"], self._given["sd"])
        else:
            self._given = {"median": as_float(median, "median"), "p90": as_float(p90, "p90")}
            self._impl = _core.Distribution.lognormal_from_median_p90(self._given["median"], self._given["p90"])

    def _arguments(self):
        return dict(self._given)


class Gamma(Distribution):
    """Gamma with ``shape`` k and ``scale`` theta (mean k theta)."""

    def __init__(self, shape: float, scale: float):
        self.shape, self.scale = as_float(shape, "shape"), as_float(scale, "scale")
        self._impl = _core.Distribution.gamma(self.shape, self.scale)

    def _arguments(self):
        return {"shape": self.shape, "scale": self.scale}


class Beta(Distribution):
    """Beta(alpha, beta), rescaled to ``[low, high]`` (default ``[0, 1]``): shares and probabilities."""

    def __init__(self, alpha: float, beta: float, low: float = 0.0, high: float = 1.0):
        self.alpha, self.beta = as_float(alpha, "alpha"), as_float(beta, "beta")
        self.low, self.high = as_float(low, "low"), as_float(high, "high")
        self._impl = _core.Distribution.beta(self.alpha, self.beta, self.low, self.high)

    def _arguments(self):
        return {"alpha": self.alpha, "beta": self.beta, "low": self.low, "high": self.high}


class Weibull(Distribution):
    """Weibull with ``shape`` beta and ``scale`` eta: ``F(t) = 1 - exp(-(t / eta) ** beta)``."""

    def __init__(self, shape: float, scale: float):
        self.shape, self.scale = as_float(shape, "shape"), as_float(scale, "scale")
        self._impl = _core.Distribution.weibull(self.shape, self.scale)

    def _arguments(self):
        return {"shape": self.shape, "scale": self.scale}


class Empirical(Distribution):
    """Resamples observed values (e.g. last years' repair invoices), each equally likely."""

    def __init__(self, samples):
        self.samples = as_float_array(samples, "samples", ndim=(1,))
        self._impl = _core.Distribution.empirical(self.samples)

    def _arguments(self):
        return {"samples": self.samples.tolist()}


_FAMILIES = {cls.__name__: cls for cls in (Fixed, Uniform, Triangular, PERT, Normal, LogNormal, Gamma, Beta, Weibull, Empirical)}


def as_distribution(value, name: str = "value") -> Distribution:
    """A Distribution from a number (Fixed), a Distribution, or its dict form from a file."""
    if isinstance(value, Distribution):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return Fixed(as_float(value, name))  # an error names the field, not Fixed's "value"
    if isinstance(value, dict):
        spec = dict(value)
        family = spec.pop("distribution", None)
        if family not in _FAMILIES:
            raise ValueError(f"{name}: distribution must be one of {sorted(_FAMILIES)}, got {family!r}")
        try:
            return _FAMILIES[family](**spec)
        except TypeError as exc:
            raise ValueError(f"{name}: {family} {exc}") from None
    raise TypeError(f"{name} must be a number or a Distribution, got {type(value).__name__} {value!r}")
