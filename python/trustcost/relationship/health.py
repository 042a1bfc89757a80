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
from .._validation import as_float, as_float_array

__all__ = ["health_path", "maintenance_effort", "maintenance_cost", "time_to_threshold"]


def health_path(initial_health: float, decay_rate: float, effect: float, effort_starts, efforts, times) -> pd.Series:
    """Health at ``times`` under piecewise-constant effort.

    ``efforts[j]`` applies from ``effort_starts[j]`` (the first must be 0) until the next start;
    the last applies for ever. ``effect`` is k, health gained per unit effort and period at h = 0.
    """
    starts = as_float_array(effort_starts, "effort_starts", ndim=(1,))
    u = as_float_array(efforts, "efforts", ndim=(1,))
    t = as_float_array(times, "times", ndim=(1,))
    out = _core.health_path(as_float(initial_health, "initial_health"), as_float(decay_rate, "decay_rate"),
                            as_float(effect, "effect"), starts, u, t)
    return pd.Series(out, index=pd.Index(t, name="time"), name="health")


def maintenance_effort(threshold, decay_rate, effect):
    """Smallest constant effort that keeps health at or above ``threshold`` for ever once there:
    u = delta theta / (k (1 - theta)), the effort whose equilibrium h* equals theta."""
    return _scalar(_core.health_effort_to_hold(threshold, decay_rate, effect))


def time_to_threshold(initial_health, threshold, decay_rate, effect, effort=0.0):
    """Time until health moves from ``initial_health`` to ``threshold`` under constant ``effort``
    (with no effort: log(h0/theta)/delta, the time a silent account takes to decay); inf if never."""
    return _scalar(_core.health_time_to_threshold(initial_health, threshold, decay_rate, effect, effort))


def maintenance_cost(threshold, decay_rate, effect, cost_per_unit_effort, horizon, discount_rate=0.0):
    """Cost of holding health at ``threshold`` over ``horizon`` periods: the effort of
    :func:`maintenance_effort` times its unit cost, paid continuously and discounted at the
    continuous ``discount_rate`` (integral of e^{-rho t} over [0, horizon])."""
    effort = np.asarray(_core.health_effort_to_hold(threshold, decay_rate, effect))
    cost = np.asarray(cost_per_unit_effort, dtype=float)
    horizon = np.asarray(horizon, dtype=float)
    rho = np.asarray(discount_rate, dtype=float)
    if (cost < 0).any() or (horizon < 0).any() or not np.isfinite(rho).all():
        raise ValueError("cost_per_unit_effort and horizon must be >= 0 and discount_rate finite")
    # Integral of e^{-rho t} dt over [0, H] is -expm1(-rho H)/rho, and H at rho = 0.
    with np.errstate(invalid="ignore", divide="ignore"):
        annuity = np.where(rho == 0, horizon, -np.expm1(-rho * horizon) / np.where(rho == 0, 1.0, rho))
    return _scalar(effort * cost * annuity)


def _scalar(result):
    result = np.asarray(result, dtype=float)
    return float(result) if result.ndim == 0 else result
