"""Relationship health for accounts without purchase data: erosion and maintenance effort.

Health h in [0, 1] erodes at rate delta and is restored by maintenance effort u(t) (contact
hours, engineers' visits per period), with diminishing returns as h approaches 1::

    dh/dt = -delta h + k u(t) (1 - h)

This is the Vidale-Wolfe sales-response equation (M. L. Vidale and H. B. Wolfe (1957), "An
Operations-Research Study of Sales Response to Advertising", Operations Research 5(3), 370-381)
with health in place of market share. For constant effort u it is linear: health approaches the
equilibrium h* = k u / (delta + k u) at speed delta + k u,
h(t) = h* + (h0 - h*) exp(-(delta + k u) t); with piecewise-constant effort the closed form is
chained piece by piece (in C++).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_array, check_finite_result

__all__ = ["health_path", "maintenance_effort", "maintenance_cost", "time_to_threshold"]


def health_path(initial_health: float, decay_rate: float, effect: float, effort_starts, efforts, times) -> pd.Series:
    """Health at ``times`` under piecewise-constant effort.

    ``efforts[j]`` applies from ``effort_starts[j]`` (the first must be 0) until the next start;
    the last applies for ever. ``effect`` is k, health gained per unit effort and period at h = 0.
    """
    starts, u, t = _real(effort_starts, "effort_starts", 1), _real(efforts, "efforts", 1), _real(times, "times", 1)
    out = _core.health_path(as_float(initial_health, "initial_health"), as_float(decay_rate, "decay_rate"),
                            as_float(effect, "effect"), starts, u, t)
    return pd.Series(out, index=pd.Index(t, name="time"), name="health")


def maintenance_effort(threshold, decay_rate, effect):
    """Smallest constant effort that keeps health at or above ``threshold`` for ever once there:
    u = delta theta / (k (1 - theta)), the effort whose equilibrium h* equals theta.

    Raises ValueError where no finite effort exists (``threshold`` 1, ``effect`` 0)."""
    return _scalar(_core.health_effort_to_hold(_real(threshold, "threshold"), _real(decay_rate, "decay_rate"),
                                               _real(effect, "effect")))


def time_to_threshold(initial_health, threshold, decay_rate, effect, effort=0.0):
    """Time until health moves from ``initial_health`` to ``threshold`` under constant ``effort``
    (with no effort: log(h0/theta)/delta, the time a silent account takes to decay); inf if never."""
    return _scalar(_core.health_time_to_threshold(_real(initial_health, "initial_health"), _real(threshold, "threshold"),
                                                  _real(decay_rate, "decay_rate"), _real(effect, "effect"),
                                                  _real(effort, "effort")))


def maintenance_cost(threshold, decay_rate, effect, cost_per_unit_effort, horizon, discount_rate=0.0):
    """Cost of holding health at ``threshold`` over ``horizon`` periods: the effort of
    :func:`maintenance_effort` times its unit cost, paid continuously and discounted at the
    continuous ``discount_rate`` (integral of e^{-rho t} over [0, horizon])."""
    effort = np.asarray(maintenance_effort(threshold, decay_rate, effect))
    cost = _real(cost_per_unit_effort, "cost_per_unit_effort")
    horizon = _real(horizon, "horizon")
    rho = _real(discount_rate, "discount_rate")
    for value, name in ((cost, "cost_per_unit_effort"), (horizon, "horizon")):
        if np.any(np.asarray(value) < 0):
            raise ValueError(f"{name} must be >= 0, got {value}")
    # Integral of e^{-rho t} dt over [0, H] is -expm1(-rho H)/rho, and H at rho = 0.
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        annuity = np.where(rho == 0, horizon, -np.expm1(-np.multiply(rho, horizon)) / np.where(rho == 0, 1.0, rho))
        total = effort * cost * annuity
    return _scalar(check_finite_result(total, "cost_per_unit_effort, horizon and discount_rate",
                                       "the maintenance cost"))


def _real(value, name: str, ndim: int | None = None):
    """A finite real scalar, or a 1-D array of them (the health functions broadcast like numpy);
    ``ndim=1`` asks for the array."""
    if ndim is None and np.ndim(value) == 0:
        return as_float(value, name)
    array = as_float_array(value, name, ndim=(1,), allow_bool=False)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite, got {array[~np.isfinite(array)][0]} at row "
                         f"{int(np.flatnonzero(~np.isfinite(array))[0])}")
    return array


def _scalar(result):
    result = np.asarray(result, dtype=float)
    return float(result) if result.ndim == 0 else result
