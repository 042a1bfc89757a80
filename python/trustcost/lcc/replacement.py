"""When to replace: renewal function, economic life (minimum EAC) and Weibull age replacement."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import _core, _plotting
from .._display import ResultDisplay
from .._validation import as_float, as_float_array, as_rate, check_finite_result
from ..stats import Distribution
from .elements import Exponential, Weibull


def renewal_function(life: Weibull | Exponential, t) -> np.ndarray | float:
    """Expected number of failures by time ``t`` of a unit renewed at each failure, ``M(t)``.

    ``M`` solves the renewal equation ``M(t) = F(t) + int_0^t M(t - x) dF(x)`` (Cox, *Renewal
    Theory*, 1962, §4.1). For the exponential ``M(t) = t / mtbf`` exactly. For the Weibull the
    equation is solved in C++ by the Riemann-Stieltjes midpoint scheme of Xie (1989, *Microelectron.
    Reliab.* 29, 213-215) on two grids combined by Richardson extrapolation. Past a settling time
    ``M`` continues at the settled slope ``1 / mean`` (the renewal theorem): with a rising hazard
    after 40 mean lives, with a falling one (shape < 1) once the survival of one life is below
    1e-12, so the work stays bounded (at most 32,768 grid steps, about a second; a life too
    short for the span asked raises ValueError) whatever ``t``. The tests check it
    against Smith & Leadbetter's (1963) power series (to 2e-4), the asymptote
    ``t / mu + (sigma^2 / mu^2 - 1) / 2`` (Cox 1962), an 8-times finer solution (yearly failures to
    1e-3), an independent solution of the renewal-density equation (5e-4) and Monte Carlo.

    Parameters
    ----------
    life : Weibull or Exponential
    t : float or array_like
        Times >= 0, in the unit of the life's scale.
    """
    if not isinstance(life, (Weibull, Exponential)):
        raise TypeError(f"life must be Weibull(shape, scale) or Exponential(mtbf), got {life!r}")
    times = as_float_array(t, "t", ndim=(0, 1))
    scale = life.scale.mean if isinstance(life.scale, Distribution) else life.scale  # an uncertain mtbf: its mean
    out = check_finite_result(_core.renewal_function(life.shape, scale, times.reshape(-1)), "life",
                              f"the expected number of failures of {life!r}")
    return float(out[0]) if times.ndim == 0 else out


class EconomicLifeResult(ResultDisplay):
    """Equivalent annual cost of keeping an asset ``n`` years, for ``n = 1..len(operating_costs)``.

    Attributes
    ----------
    eac : pandas.Series
        EAC by age (index ``age``).
    best_age : int
        The economic (minimum-cost) life.
    min_eac : float
    """

    def __init__(self, eac: np.ndarray):
        self.eac = pd.Series(eac, index=pd.RangeIndex(1, len(eac) + 1, name="age"), name="eac")
        self.best_age = int(self.eac.idxmin())
        self.min_eac = float(self.eac.min())

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame({"eac": self.eac, "best": self.eac.index == self.best_age})

    def _headline(self) -> str:
        return f"Economic life: {self.best_age} years, equivalent annual cost {_plotting.money_text(self.min_eac)}"

    def to_frame(self) -> pd.DataFrame:
        """EAC by replacement age as a tidy table (``age``, ``eac``, ``best``)."""
        return self.summary.reset_index()

    def plot_eac(self, ax=None):
        """EAC against replacement age, the economic life marked."""
        ax = _plotting.axes(ax, figsize=(7, 3.8))
        ax.plot(self.eac.index, self.eac.to_numpy(), marker="o", color=_plotting.series_color(0), label="EAC")
        ax.axvline(self.best_age, color="grey", linestyle="--", label=f"economic life {self.best_age} years")
        ax.plot([self.best_age], [self.min_eac], **_plotting.NET_MARKER)
        ax.set_xlabel("replacement age (years)")
        low, high, clipped = _plotting.informative_limits(self.eac.to_numpy())
        ax.set_ylim(low, high)
        if clipped:
            _plotting.note(ax, "y-range clipped to the informative part; see .eac for every value")
        _plotting.money_axis(ax, None, "y", "equivalent annual cost", per="year")
        ax.grid(alpha=0.3)
        _plotting.legend_outside(ax)
        return ax

    def __repr__(self) -> str:
        return f"EconomicLifeResult(best_age={self.best_age}, min_eac={self.min_eac:.6g})"


def economic_life(price: float, operating_costs, salvage_values, rate: float) -> EconomicLifeResult:
    """Economic service life: the replacement age that minimises equivalent annual cost.

    ``EAC(n) = [price + sum_{t<=n} c_t (1+i)^-t - S_n (1+i)^-n] (A/P, i, n)``
    (Blank & Tarquin, *Engineering Economy*, ch. 11; Newnan, *Engineering Economic Analysis*,
    ch. 13).

    Parameters
    ----------
    price : float
        First cost at time 0.
    operating_costs : array_like
        ``c_1, c_2, ...``: operating and maintenance cost of each year of age.
    salvage_values : array_like
        ``S_1, S_2, ...``: market value if sold after that many years (same length).
    rate : float
        Interest rate (MARR) per year, > -1.
    """
    costs = as_float_array(operating_costs, "operating_costs", ndim=(1,))
    salvage = as_float_array(salvage_values, "salvage_values", ndim=(1,))
    rate = as_rate(rate, "rate")
    eac = _core.economic_life_eac(as_float(price, "price"), costs, salvage, rate)
    return EconomicLifeResult(check_finite_result(eac, "rate", f"the equivalent annual cost at rate {rate}"))


class ReplacementResult(ResultDisplay):
    """Optimal Weibull age-replacement policy.

    Attributes
    ----------
    interval : float
        Optimal age ``T*`` (``inf``: replace only at failure).
    cost_rate : float
        Long-run cost per unit time at ``T*``.
    failure_only_cost_rate : float
        ``failure_cost / mean life``: the cost rate without preventive replacement.
    """

    def __init__(self, shape, scale, preventive_cost, failure_cost, interval, cost_rate):
        self.shape, self.scale = shape, scale
        self.preventive_cost, self.failure_cost = preventive_cost, failure_cost
        self.interval, self.cost_rate = interval, cost_rate
        self.failure_only_cost_rate = failure_cost / Weibull(shape, scale).mean

    def cost_rate_at(self, interval) -> np.ndarray | float:
        """``C(T)`` at other intervals."""
        out = _core.age_replacement_cost_rate(self.shape, self.scale, self.preventive_cost, self.failure_cost,
                                              as_float_array(interval, "interval", ndim=(0, 1)))
        return float(out) if np.ndim(out) == 0 else out

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame({"value": {
            "interval": self.interval,
            "cost_rate": self.cost_rate,
            "failure_only_cost_rate": self.failure_only_cost_rate,
            # Both rates 0 (a free failure): nothing to save, not 0 / 0.
            "saving": 0.0 if self.cost_rate == self.failure_only_cost_rate else
            1 - self.cost_rate / self.failure_only_cost_rate,
        }})

    def _headline(self) -> str:
        when = f"at age {self.interval:.3g}" if math.isfinite(self.interval) else "only at failure"
        return f"Optimal age replacement of Weibull({self.shape:g}, {self.scale:g}): replace {when}"

    _column_kinds = {"value": "number"}

    def to_frame(self, points: int = 200) -> pd.DataFrame:
        """The cost-rate curve ``C(T)`` on a grid up to three times the optimum (or the scale)."""
        t = self._grid(points)
        return pd.DataFrame({"interval": t, "cost_rate": self.cost_rate_at(t)})

    def _grid(self, points: int = 200) -> np.ndarray:
        top = 3 * (self.interval if math.isfinite(self.interval) else self.scale)
        return np.linspace(top / points, top, points)

    def plot_cost_rate(self, ax=None):
        """``C(T)`` against ``T`` with the optimum and the failure-only level.

        ``C(T)`` grows without bound as ``T`` goes to 0 (``preventive_cost / T``); the y-range is
        cut at twice the failure-only level so the optimum stays readable, and the chart says so."""
        ax = _plotting.axes(ax, figsize=(7, 3.8))
        t = self._grid()
        rate = self.cost_rate_at(t)
        ax.plot(t, rate, color=_plotting.series_color(0), label="C(T), cost per unit time")
        ax.axhline(self.failure_only_cost_rate, color="grey", linestyle=":", label="replace at failure only")
        if math.isfinite(self.interval):
            ax.axvline(self.interval, color="grey", linestyle="--", label=f"T* = {self.interval:.3g}")
            ax.plot([self.interval], [self.cost_rate], **_plotting.NET_MARKER)
        top = 2.0 * max(self.failure_only_cost_rate, self.cost_rate)
        ax.set_ylim(0, top)
        if np.nanmax(rate) > top:
            _plotting.note(ax, f"C(T) rises to {_plotting.money_text(float(np.nanmax(rate)))} as T -> 0 "
                               f"(cut at {_plotting.money_text(top)})")
        ax.set_xlabel("replacement age T")
        _plotting.money_axis(ax, None, "y", "cost per unit time")
        ax.grid(alpha=0.3)
        _plotting.legend_outside(ax)
        return ax

    def __repr__(self) -> str:
        return f"ReplacementResult(interval={self.interval:.6g}, cost_rate={self.cost_rate:.6g})"


def optimal_replacement_interval(shape: float, scale: float, preventive_cost: float,
                                 failure_cost: float) -> ReplacementResult:
    """Age at which to replace a Weibull item preventively (or at failure, if sooner).

    Minimises the long-run cost rate ``C(T) = (cp R(T) + cf F(T)) / int_0^T R(t) dt``
    (Barlow & Proschan, *Mathematical Theory of Reliability*, 1965, ch. 4 §2). The optimum solves
    ``r(T) int_0^T R - F(T) = cp / (cf - cp)``, bracketed and solved by TOMS 748 (Boost.Math) in
    C++. For ``shape <= 1`` (no wear-out) or ``failure_cost <= preventive_cost`` no finite age beats
    replacement at failure only: ``interval`` is ``inf``.
    """
    try:
        life = Weibull(shape, scale)  # validates shape and scale
    except ValueError as exc:
        raise ValueError(f"shape = {shape!r}, scale = {scale!r}: {exc}") from None
    cp, cf = as_float(preventive_cost, "preventive_cost"), as_float(failure_cost, "failure_cost")
    interval, cost_rate = _core.optimal_age_replacement(life.shape, life.scale, cp, cf)
    return ReplacementResult(life.shape, life.scale, cp, cf, interval, cost_rate)


__all__ = ["renewal_function", "economic_life", "EconomicLifeResult", "optimal_replacement_interval",
           "ReplacementResult"]
