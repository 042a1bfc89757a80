"""Trust as a state moved by events: kept and broken promises, complaints, contact.

The model is the beta reputation system of Jøsang & Ismail (2002) with a base rate and
forgetting. Trust is the expected value of a beta distribution over "the partner behaves
well", built from positive evidence ``r`` and negative evidence ``s``::

    tau = (r + W a) / (r + s + W)

with baseline (base rate) ``a`` and prior weight ``W`` (``W = 2, a = 1/2`` is the paper's
``E = (r + 1) / (r + s + 2)``). Each event adds evidence:

======================  ==========  =================================
event                   evidence    default weight
======================  ==========  =================================
``promise_kept``        positive    ``gain`` (1)
``promise_broken``      negative    ``gain * loss_ratio`` (3)
``complaint_resolved``  positive    ``gain`` (1)
``complaint_ignored``   negative    ``gain * loss_ratio`` (3)
``contact``             positive    ``contact_weight`` (0.1)
======================  ==========  =================================

``loss_ratio > 1`` makes trust lost faster than won — the asymmetry principle of Slovic (1993):
negative events weigh more than positive ones. From a balanced state with total weight
``N = r + s + W``, one kept promise raises trust by ``w+ (1 - tau) / (N + w+)`` and one broken
promise lowers it by ``w- tau / (N + w-)``; the loss/gain ratio tends to ``w- / w+`` as evidence
accumulates. Evidence is forgotten continuously, ``r <- r 2 ** (-dt / half_life)`` (the
forgetting factor of Jøsang & Ismail, §5, in continuous time), so a relationship left without
contact drifts back to its baseline ``a``; regular contact slows that drift.

References
----------
A. Jøsang and R. Ismail, "The Beta Reputation System", Proc. 15th Bled Electronic Commerce
Conference (2002).
P. Slovic, "Perceived risk, trust, and democracy", *Risk Analysis* 13(6), 675-682 (1993).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Mapping

import numpy as np
import pandas as pd

from .. import _core, _plotting
from .._display import ResultDisplay
from .._validation import as_float, as_float_array, check_flag, check_int, check_seed

EVENT_KINDS = tuple(name.lower() for name in _core.TrustEvent.__members__)
"""Event kinds, in the C++ engine's order (``trust::Event``, exported as ``_core.TrustEvent``)."""

_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class TrustDynamics:
    """Parameters of the beta-reputation trust state (see the module docstring).

    Parameters
    ----------
    baseline : float
        Trust with no evidence, and where trust returns without events (in [0, 1]).
    prior_weight : float
        Pseudo-evidence behind the baseline (> 0); 2 in Jøsang & Ismail (2002).
    half_life : float
        Years for evidence to lose half its weight (> 0; ``math.inf``: never forgotten).
    gain : float
        Evidence added by a kept promise or a resolved complaint (>= 0).
    loss_ratio : float
        Weight of a broken promise or an ignored complaint relative to ``gain`` (>= 0).
    contact_weight : float
        Positive evidence from one contact (a visit, a call, a review meeting), >= 0.
    weights : mapping, optional
        Per-kind evidence weights overriding the three above, e.g. ``{"complaint_ignored": 5}``.
    """

    baseline: float = 0.5
    prior_weight: float = 2.0
    half_life: float = 3.0
    gain: float = 1.0
    loss_ratio: float = 3.0
    contact_weight: float = 0.1
    weights: Mapping[str, float] | None = None

    def __post_init__(self):
        baseline = as_float(self.baseline, "baseline")
        if not 0 <= baseline <= 1:
            raise ValueError(f"baseline must be in [0, 1], got {baseline}")
        object.__setattr__(self, "baseline", baseline)
        # as_float rejects inf, which is allowed here: evidence that is never forgotten.
        forever = isinstance(self.half_life, (int, float)) and self.half_life == math.inf  # no forgetting
        half_life = math.inf if forever else as_float(self.half_life, "half_life")
        prior_weight = as_float(self.prior_weight, "prior_weight")
        for name, value in (("prior_weight", prior_weight), ("half_life", half_life)):
            if value <= 0:
                raise ValueError(f"{name} must be > 0, got {value}")
        object.__setattr__(self, "prior_weight", prior_weight)
        object.__setattr__(self, "half_life", half_life)
        for name in ("gain", "loss_ratio", "contact_weight"):
            value = as_float(getattr(self, name), name)
            if value < 0:
                raise ValueError(f"{name} must be >= 0, got {value}")
            object.__setattr__(self, name, value)
        if self.weights is not None:
            weights = dict(self.weights)
            for kind, value in weights.items():
                _kind_code(kind, "weights")
                if as_float(value, f"weights[{kind!r}]") < 0:
                    raise ValueError(f"weights[{kind!r}] must be >= 0, got {value}")
            object.__setattr__(self, "weights", weights)

    @property
    def event_weights(self) -> dict[str, float]:
        """Evidence each event kind adds (positive kinds to ``r``, negative ones to ``s``)."""
        loss = self.gain * self.loss_ratio
        weights = dict(zip(EVENT_KINDS, (self.gain, loss, self.gain, loss, self.contact_weight)))
        weights.update({k: float(v) for k, v in (self.weights or {}).items()})
        return weights

    def with_(self, **changes) -> "TrustDynamics":
        return replace(self, **changes)

    def _reputation(self) -> _core.Reputation:
        """The parameters as the engine takes them (validated again in C++)."""
        return _core.Reputation(baseline=self.baseline, prior_weight=self.prior_weight, half_life=self.half_life,
                                weights=np.array([self.event_weights[k] for k in EVENT_KINDS], dtype=np.float64))

    def start(self, trust: float | None, weight: float) -> tuple[float, float]:
        """Evidence ``(r, s)`` of total ``weight`` whose expected trust is ``trust``."""
        trust = self.baseline if trust is None else as_float(trust, "initial_trust")
        return _core.trust_start(self._reputation(), trust, as_float(weight, "initial_weight"))


def _kind_code(kind, field: str, row: int | None = None) -> int:
    try:
        return EVENT_KINDS.index(kind)
    except ValueError:
        where = f" (row {row})" if row is not None else ""
        raise ValueError(f"{field}{where}: unknown event kind {kind!r}; kinds are {', '.join(EVENT_KINDS)}") from None


def _event_times(column: pd.Series, start) -> tuple[np.ndarray, float | pd.Timestamp]:
    """Event times in years since the origin: numbers as given, datetimes since ``start`` (or
    the first event when ``start`` is numeric)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        origin = pd.Timestamp(start) if not isinstance(start, (int, float)) else column.iloc[0]
        return ((column - origin) / pd.Timedelta(days=1)).to_numpy(dtype=np.float64) / _DAYS_PER_YEAR, origin
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        raise TypeError(f"events column 'time' must be numbers (years) or datetimes, got dtype {column.dtype}")
    return column.to_numpy(dtype=np.float64), start


def _check_events(events: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a DataFrame with columns 'time' and 'kind', got {type(events).__name__}")
    missing = [c for c in ("time", "kind") if c not in events.columns]
    if missing:
        raise ValueError(f"events is missing column(s) {missing}; it has {list(events.columns)}")
    events = events.reset_index(drop=True)
    for row, kind in enumerate(events["kind"]):
        _kind_code(kind, "events column 'kind'", row)
    return events


MAX_STEPS = 10_000_000
"""Most grid steps one trajectory may have (horizon / step)."""
MAX_PATH_STEPS = 100_000_000
"""Most paths x steps one simulation may have (memory: 8 bytes per event kind per path-step)."""


def simulate_trust(events: pd.DataFrame | None = None, *, rates: Mapping[str, float] | None = None,
                   horizon: float | None = None, dynamics: TrustDynamics | None = None,
                   initial_trust: float | None = None, initial_weight: float = 4.0, start=0.0,
                   step: float = 1 / 12, paths: int = 1, expected: bool = False, seed: int = 0) -> "TrustTrajectory":
    """Trust over time from an event log or from event rates.

    Parameters
    ----------
    events : pandas.DataFrame, optional
        Event log with columns ``time`` (years as numbers, or datetimes) and ``kind`` (one of
        :data:`EVENT_KINDS`), optionally ``strength`` (>= 0, multiplies the event's weight,
        default 1). Times must not go back. Give either ``events`` or ``rates``.
    rates : mapping, optional
        Events per year of each kind, e.g. ``{"promise_kept": 10, "promise_broken": 1}``; event
        counts in each ``step`` are Poisson (seeded) or, with ``expected=True``, their means.
    horizon : float, optional
        Years to follow; default the last event (event log) — required with ``rates``.
    dynamics : TrustDynamics, optional
        Baseline, weights and forgetting (default :class:`TrustDynamics`).
    initial_trust : float, optional
        Trust at ``start`` (default the baseline), in [0, 1].
    initial_weight : float
        Evidence behind the initial trust: how firmly it is held (>= 0).
    start : float or datetime-like
        Start time; with datetime events, the date that is year 0 (default the first event).
    step : float
        Grid step in years for the trajectory (default a month).
    paths : int
        Number of random paths (``rates`` only).
    expected : bool
        With ``rates``: use expected counts instead of random ones (one deterministic path).
    seed : int
        Seed of the Poisson counts (trustcost's counter-based streams, as every random function):
        same seed, same paths, whatever the thread count; a run with more paths begins with the
        paths of a run with fewer.

    Returns
    -------
    TrustTrajectory
    """
    dynamics = TrustDynamics() if dynamics is None else dynamics
    if not isinstance(dynamics, TrustDynamics):
        raise TypeError(f"dynamics must be a TrustDynamics, got {dynamics!r}")
    if (events is None) == (rates is None):
        raise ValueError("give either events (an event log) or rates (events per year), not both or neither")
    step = as_float(step, "step")
    if step <= 0:
        raise ValueError(f"step must be > 0, got {step}")
    r0, s0 = dynamics.start(initial_trust, initial_weight)
    reputation = dynamics._reputation()
    if events is not None:
        events = _check_events(events)
        times, origin = _event_times(events["time"], start)
        t0 = 0.0 if not isinstance(origin, (int, float)) else as_float(origin, "start")
        strength = (as_float_array(events["strength"], "events column 'strength'", ndim=(1,), allow_empty=True)
                    if "strength" in events.columns else np.ones(len(events)))
        bad = np.flatnonzero(~(strength >= 0))
        if bad.size:
            raise ValueError(f"events column 'strength' (row {bad[0]}) must be >= 0, got {strength[bad[0]]}")
        order = np.flatnonzero(np.diff(np.concatenate([[t0], times])) < 0)
        if order.size:  # checked here too, to name the row in the user's frame
            row = int(order[0])
            before = t0 if row == 0 else times[row - 1]
            raise ValueError(f"events column 'time' (row {row}): events out of time order, {times[row]} after {before}")
        end = _horizon(horizon, t0, times[-1] if len(times) else t0)
        grid = _grid(t0, end, step)
        kinds = np.array([EVENT_KINDS.index(k) for k in events["kind"]], dtype=np.int32)
        after, at = _core.trust_replay(reputation, r0, s0, t0, times, kinds, strength, grid)
        log = events.assign(t=times, trust=after[:, 0], positive=after[:, 1], negative=after[:, 2])
        return TrustTrajectory(dynamics, pd.DataFrame({"trust": at}, index=pd.Index(grid, name="time")),
                               log, (r0, s0, t0), origin)
    if horizon is None:
        raise ValueError("horizon (years) is required with rates")
    t0 = as_float(start, "start")
    end = _horizon(horizon, t0, t0)
    counts = _counts(rates, end - t0, step, paths, expected, seed)
    trust = _core.trust_evolve(reputation, r0, s0, counts, step)
    grid = t0 + step * np.arange(trust.shape[1])
    columns = pd.RangeIndex(trust.shape[0], name="path")
    return TrustTrajectory(dynamics, pd.DataFrame(trust.T, index=pd.Index(grid, name="time"), columns=columns),
                           None, (r0, s0, t0), t0)


def _horizon(horizon, t0: float, last: float) -> float:
    if horizon is None:
        return max(last, t0)
    end = t0 + as_float(horizon, "horizon")
    if end <= t0:
        raise ValueError(f"horizon must be > 0 years, got {horizon}")
    return end


def _grid(t0: float, end: float, step: float) -> np.ndarray:
    if (end - t0) / step > MAX_STEPS:
        raise ValueError(f"step = {step} gives {(end - t0) / step:.3g} steps over a horizon of {end - t0} years, "
                         f"more than {MAX_STEPS:,}: a longer step or a shorter horizon")
    n = int(math.floor((end - t0) / step + 1e-9))
    grid = t0 + step * np.arange(n + 1)
    return grid if grid[-1] >= end - 1e-12 else np.append(grid, end)


def _counts(rates, years: float, step: float, paths: int, expected: bool, seed: int) -> np.ndarray:
    if not isinstance(rates, Mapping):
        raise TypeError(f"rates must be a mapping of event kind to events per year, got {rates!r}")
    rate = np.zeros(len(EVENT_KINDS))
    for kind, value in rates.items():
        code = _kind_code(kind, "rates")
        rate[code] = as_float(value, f"rates[{kind!r}]")
        if rate[code] < 0:
            raise ValueError(f"rates[{kind!r}] must be >= 0, got {value}")
    paths = check_int(paths, "paths", 1)
    expected = check_flag(expected, "expected")
    seed = check_seed(seed)
    if years / step > MAX_STEPS:
        raise ValueError(f"step = {step} gives {years / step:.3g} steps over a horizon of {years} years, more than "
                         f"{MAX_STEPS:,}: a longer step or a shorter horizon")
    steps = int(round(years / step))
    if paths * steps > MAX_PATH_STEPS:
        raise ValueError(f"paths x steps = {paths} x {steps} is more than {MAX_PATH_STEPS:,}: fewer paths or a "
                         f"longer step")
    if steps < 1 or abs(steps * step - years) > 1e-9 * max(1.0, years):
        raise ValueError(f"horizon ({years}) must be a whole number of steps ({step})")
    mean = np.broadcast_to(rate * step, (1 if expected else paths, steps, len(EVENT_KINDS)))
    if expected:
        return np.ascontiguousarray(mean)
    # Poisson counts on trustcost's counter-based streams: path k is the same whatever the thread
    # count or the number of paths.
    return _core.trust_event_counts(rate, paths, steps, step, seed)


class TrustTrajectory(ResultDisplay):
    """Trust over time, from :func:`simulate_trust`.

    Attributes
    ----------
    trust : pandas.DataFrame
        Trust on the time grid: one column (``trust``) for an event log, one per path for rates.
    events : pandas.DataFrame or None
        The event log with ``t`` (years), ``trust`` after the event and the evidence ``positive``
        and ``negative``.
    dynamics : TrustDynamics
    """

    def __init__(self, dynamics: TrustDynamics, trust: pd.DataFrame, events: pd.DataFrame | None, state, origin):
        self.dynamics, self.trust, self.events = dynamics, trust, events
        self._state, self.origin = state, origin

    @property
    def paths(self) -> int:
        return self.trust.shape[1]

    def at(self, times) -> np.ndarray:
        """Trust at the given times (years, non-decreasing; event logs only: exact between events)."""
        if self.events is None:
            raise ValueError("at() needs an event log; for rate paths read .trust on its grid")
        query = as_float_array(times, "times", ndim=(1,))
        r0, s0, t0 = self._state
        ev = self.events
        kinds = np.array([EVENT_KINDS.index(k) for k in ev["kind"]], dtype=np.int32)
        strength = ev["strength"].to_numpy(dtype=np.float64) if "strength" in ev.columns else np.ones(len(ev))
        return _core.trust_replay(self.dynamics._reputation(), r0, s0, t0, ev["t"].to_numpy(dtype=np.float64), kinds,
                                  strength, query)[1]

    def yearly(self, years: int | None = None) -> np.ndarray:
        """Mean trust in each study year: year 0 is the start, year ``y`` covers ``(y - 1, y]``.

        Drives per-year transaction costs (:func:`relationship_costs`, :class:`Relationship`).
        Returns ``years + 1`` values for an event log, ``paths x (years + 1)`` for rate paths.
        ``years`` defaults to the whole years the trajectory covers.
        """
        t0 = self._state[2]
        grid = self.trust.index.to_numpy() - t0
        span = int(math.floor(grid[-1] + 1e-9))
        if span < 1:
            raise ValueError(f"the trajectory covers {grid[-1]:g} years, less than one whole year")
        years = span if years is None else check_int(years, "years", 1, span)
        if self.events is not None:
            # Exact trust at mid-month points of every year: the mean over the year.
            months = (np.arange(12) + 0.5) / 12
            query = t0 + (np.arange(years)[:, None] + months[None, :]).ravel()
            means = self.at(query).reshape(years, 12).mean(axis=1)
            return np.concatenate([[self.trust.iloc[0, 0]], means])
        values = self.trust.to_numpy().T
        out = np.empty((values.shape[0], years + 1))
        out[:, 0] = values[:, 0]
        for y in range(1, years + 1):
            inside = (grid > y - 1 + 1e-9) & (grid <= y + 1e-9)
            out[:, y] = values[:, inside].mean(axis=1)
        return out

    @property
    def summary(self) -> pd.DataFrame:
        """Start, end, lowest, highest and mean trust (per path for rate paths)."""
        t = self.trust
        return pd.DataFrame({"start": t.iloc[0], "end": t.iloc[-1], "min": t.min(), "max": t.max(), "mean": t.mean()})

    def plot(self, ax=None, max_paths: int = 50):
        """Trust over time; events marked by kind (event log) or up to ``max_paths`` paths."""
        ax = _plotting.axes(ax)
        if self.events is not None:
            ax.plot(self.trust.index, self.trust["trust"], color="grey", linewidth=1, label="trust")
            for k, (kind, group) in enumerate(self.events.groupby("kind", sort=False)):
                ax.scatter(group["t"], group["trust"], s=18, label=kind, zorder=3, color=_plotting.series_color(k))
        else:
            t = self.trust.iloc[:, :max_paths]
            ax.plot(t.index, t.to_numpy(), color=_plotting.series_color(0),
                    alpha=max(0.05, 1 / max(1, t.shape[1]) ** 0.5), linewidth=1)
            if self.paths > 1:
                ax.plot(t.index, self.trust.mean(axis=1), color="black", linewidth=2, label="mean of paths")
        ax.axhline(self.dynamics.baseline, color="black", linestyle=":", linewidth=0.8, label="baseline")
        ax.set_ylim(0, 1)
        ax.set_xlabel("years")
        ax.set_ylabel("trust")
        ax.grid(alpha=0.3)
        _plotting.legend_outside(ax)
        return ax

    _column_kinds = {"start": "trust", "end": "trust", "min": "trust", "max": "trust", "mean": "trust"}

    def _headline(self) -> str:
        n = f"{self.paths} paths" if self.events is None else f"{len(self.events)} events"
        return f"Trust trajectory: {n} over {self.trust.index[-1] - self.trust.index[0]:.2f} years"

    def to_frame(self) -> pd.DataFrame:
        """Trust on the time grid as one tidy table: one row per time and path."""
        frame = self.trust.rename_axis(index="t", columns="path").stack().rename("trust")
        return frame.reset_index()

    def __repr__(self) -> str:
        return f"TrustTrajectory(paths={self.paths}, years={self.trust.index[-1] - self.trust.index[0]:.2f})"


__all__ = ["EVENT_KINDS", "TrustDynamics", "TrustTrajectory", "simulate_trust"]
