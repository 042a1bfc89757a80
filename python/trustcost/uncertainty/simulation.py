"""Monte Carlo lifetime cost of the offers in a :class:`~trustcost.Study`.

On every path each uncertain input (a cost-element field given as a distribution) is drawn once,
each unit's failures are drawn as events of its renewal process (Weibull or exponential lives,
with block replacement where a preventive interval is set), and each supplier's default is drawn
as an event; the path's costs are discounted as in :meth:`Study.evaluate`.

Paired sampling (common random numbers): an input's stream is named by its element and field, so
offers that share an element name (``"energy"``, ``"main drive"``) see the same uniform on each
path, and their difference is not blurred by independent noise. Different suppliers default
independently (their streams carry the offer's name). ``paired=False`` makes every offer's
streams its own. Results depend only on ``seed``: every path is a pure function of
``(seed, path)`` (SplitMix64 counters, :mod:`trustcost.stats.distributions`), so the same
seed gives bit-identical results whatever the thread count. The paths of a block run side by side
in SIMD registers (:func:`trustcost.get_simd` names the build in use); builds for different
instruction sets agree to a few ulps, and ``trustcost.set_simd("portable")`` takes the same code
path on every machine.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from .. import _core
from .._validation import SEED_LIMIT, check_count, check_flag, check_int, check_seed, too_large
from ..lcc import Study
from .results import SimulationResult

MAX_PATHS = 2**40
"""Most paths one run simulates (the per-path present values alone would fill 8 TiB per offer)."""

__all__ = ["simulate", "merge"]


class _ProgressBar:
    """tqdm bar that appears only once a run has taken ~2 s (short runs stay quiet)."""

    def __init__(self, mode, delay: float = 2.0):
        self.mode, self.delay, self.start, self.bar = mode, delay, time.perf_counter(), None

    def __call__(self, done: int, total: int) -> None:
        if callable(self.mode):
            self.mode(done, total)
            return
        if self.bar is None and (self.mode is True or time.perf_counter() - self.start > self.delay):
            try:
                import ipywidgets  # noqa: F401  (tqdm.auto needs it for a notebook widget)
                from tqdm.auto import tqdm
            except ImportError:
                from tqdm import tqdm

            self.bar = tqdm(total=total, unit="path", unit_scale=True, desc="simulating", leave=False)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _inputs(engine, paired: bool):
    """Inputs (one per offer and uncertain field), their streams, the bindings and event keys."""
    names, distributions, streams, bindings, events = [], [], [], [], []
    index: dict[tuple[str, str], int] = {}
    item = 0
    for offer, items in zip(engine.offers, engine.items):
        for it in items:
            for u in it.uncertain:
                key = (offer, u.label)
                if key not in index:
                    index[key] = len(names)
                    names.append(f"{offer}: {u.label}")
                    distributions.append(u.distribution)
                    streams.append(_core.stream_id(u.label if paired else f"{offer}/{u.label}"))
                bindings.append((item, u.param, u.effect, index[key], u.factor))
            # Suppliers are different firms: their defaults never share a stream.
            independent = not paired or it.events.endswith(".default")
            events.append(_core.stream_id(f"{offer}/{it.events}" if independent else it.events))
            item += 1
    return names, distributions, streams, bindings, events


def _tornado(engine, names, distributions, bindings) -> pd.DataFrame:
    """Expected LCC of the input's offer with that input at its 10th and 90th percentile, the
    others at their means: one batched evaluation of 2 x inputs variant offers."""
    kind, category, params, offer_start = engine.arrays
    if not names:
        return pd.DataFrame(columns=["offer", "input", "p10", "p90", "low", "high"])
    owner = np.searchsorted(offer_start, np.arange(len(kind)), side="right") - 1
    variants_kind, variants_category, variants_params, starts, trust = [], [], [], [0], []
    rows = []
    for k, (name, dist) in enumerate(zip(names, distributions)):
        mine = [b for b in bindings if b[3] == k]
        offer = owner[mine[0][0]]
        lo, hi = offer_start[offer], offer_start[offer + 1]
        for value in (dist.quantile(0.1), dist.quantile(0.9)):
            p = params[lo:hi].copy()
            for item, param, effect, _, factor in mine:
                p[item - lo, param] = _core.bound_value(effect, factor, p[item - lo, param], value)
            variants_kind.append(kind[lo:hi])
            variants_category.append(category[lo:hi])
            variants_params.append(p)
            starts.append(starts[-1] + hi - lo)
            trust.append(offer)
        rows.append({"offer": engine.offers[offer], "input": name.split(": ", 1)[1],
                     "p10": dist.quantile(0.1), "p90": dist.quantile(0.9)})
    _, pv = engine.evaluate(np.concatenate(variants_kind), np.concatenate(variants_category),
                            np.concatenate(variants_params).reshape(-1, _core.N_PARAMS),
                            np.array(starts, dtype=np.int64), trust)
    totals = pv.sum(axis=1)
    table = pd.DataFrame(rows)
    table["low"], table["high"] = totals[0::2], totals[1::2]
    return table


def simulate(study, paths: int = 10_000, seed: int = 0, *, first_path: int = 0, paired: bool = True,
             keep_years: bool = False, importance_paths: int = 100_000, progress="auto") -> SimulationResult:
    """Monte Carlo present value of every offer's lifetime cost.

    Parameters
    ----------
    study : Study
        The offers; any element field given as a distribution is sampled.
    paths : int
        Number of simulated lives (> 0).
    seed : int
        Reproduces the run exactly, whatever the thread count.
    first_path : int
        Number of the first path simulated: the run covers paths ``first_path .. first_path +
        paths - 1``, and path ``k`` is the same (bit for bit) whichever range it is simulated in.
        Runs over adjacent ranges with one seed combine with :func:`merge` into exactly the
        result of one run over their union, so a run can be split over processes or machines.
    paired : bool
        Common random numbers across offers for fields of the same element name (default), or
        independent streams for every offer.
    keep_years : bool
        Also return the paths x offers x years cost matrix (memory ``8 * paths * offers * years``
        bytes); by default only per-path present values and streaming per-category sums are kept.
        Every item is then costed year by year: the present values agree with a run without
        ``keep_years`` to rounding (about 1e-15), not bit for bit.
    importance_paths : int
        Sampled inputs are kept for the paths numbered below this, for the rank-correlation
        importance (a range starting at or beyond it keeps none).
    progress : "auto", bool or callable
        ``"auto"`` shows a tqdm bar once a run has taken more than ~2 s; ``True`` always, ``False``
        never; a callable receives ``(paths_done, paths_total)`` about every 0.1 s. Ctrl-C
        (``KeyboardInterrupt``) stops the run cleanly between blocks of paths.

    Returns
    -------
    SimulationResult
    """
    if not isinstance(study, Study):
        raise TypeError(f"study must be a Study, got {type(study).__name__} {study!r}")
    paths = check_count(paths, "paths", MAX_PATHS)
    # Paths are numbered by unsigned 64-bit counters: the run must end below 2**64.
    first_path = check_int(first_path, "first_path")
    if not 0 <= first_path <= SEED_LIMIT - 1 - paths:
        raise ValueError(f"first_path must be in [0, 2**64 - paths), got {first_path}")
    importance_paths = check_int(importance_paths, "importance_paths", 0, SEED_LIMIT - 1)
    if not (progress in ("auto", True, False) or callable(progress)) or isinstance(progress, np.ndarray):
        raise ValueError(f"progress must be 'auto', True, False or a callable, got {progress!r}")
    seed = check_seed(seed)
    paired, keep_years = check_flag(paired, "paired"), check_flag(keep_years, "keep_years")

    engine = study.engine()
    categories = engine.categories
    names, distributions, streams, bindings, events = _inputs(engine, paired)
    plan = _core.SimulationPlan(
        paths=paths, seed=seed, first_path=first_path,
        inputs=[_core.Input(distribution=d.engine, stream=k) for d, k in zip(distributions, streams)],
        bindings=[_core.Binding(item=i, param=p, effect=e, input=k, factor=f) for i, p, e, k, f in bindings],
        event_streams=events, input_paths=importance_paths, keep_years=keep_years)
    bar = _ProgressBar(progress) if progress is not False else None
    try:
        pv, sums, sampled, yearly = engine.simulate(plan, progress=bar)
    except MemoryError:
        years = len(engine.offers) * (study.horizon + 1) if keep_years else 0
        raise too_large("paths", paths, 8.0 * paths * (len(engine.offers) + years)) from None
    finally:
        if bar is not None:
            bar.close()

    offers = pd.Index(list(engine.offers), name="offer")
    return SimulationResult._from_engine(
        pv, sums, sampled, yearly, offers=offers, categories=pd.Index(categories, name="category"),
        inputs=pd.Index(names, name="input"), seed=seed,
        tornado=_tornado(engine, names, distributions, bindings),
        expected=pd.Series(engine.present_values.sum(axis=1), index=offers, name="present_value"), currency=study.currency)


def merge(results) -> SimulationResult:
    """One result from runs over adjacent ranges of paths of the same study and seed.

    Parameters
    ----------
    results : sequence of SimulationResult
        Runs of :func:`simulate` with the same study, seed and options, whose ``first_path`` and
        ``paths`` make adjacent ranges (in any order).

    Returns
    -------
    SimulationResult
        Bit for bit the result of one run over the union of the ranges: the same per-path
        values, means, standard errors and percentiles, whatever the thread counts of the parts.
    """
    if isinstance(results, SimulationResult) or not isinstance(results, (list, tuple)):
        raise TypeError(f"results must be a list of SimulationResult objects, got {type(results).__name__}")
    if not results:
        raise ValueError("results must not be empty")
    for k, r in enumerate(results):
        if not isinstance(r, SimulationResult):
            raise TypeError(f"results[{k}] must be a SimulationResult, got {type(r).__name__} {r!r}")
    parts = sorted(results, key=lambda r: r.first_path)
    first = parts[0]
    for r in parts[1:]:
        if r.seed != first.seed:
            raise ValueError(f"results must share one seed, got {first.seed} and {r.seed}")
        if r.offers != first.offers or not r.category_means.columns.equals(first.category_means.columns) \
                or not r.inputs.columns.equals(first.inputs.columns) or not r.expected.equals(first.expected):
            raise ValueError("results must come from the same study (their offers, categories, inputs or "
                             "expected values differ)")
        if (r.yearly is None) != (first.yearly is None):
            raise ValueError("results must all keep yearly costs or none (keep_years)")
    sums = _core.PathSums.merge([r._sums for r in parts])  # checks the ranges are adjacent
    return SimulationResult._from_engine(
        np.concatenate([r.present_values.to_numpy() for r in parts]), sums,
        np.concatenate([r.inputs.to_numpy() for r in parts]),
        None if first.yearly is None else np.concatenate([r.yearly for r in parts]),
        offers=first.present_values.columns, categories=first.category_means.columns, inputs=first.inputs.columns,
        seed=first.seed, tornado=first.tornado, expected=first.expected, currency=first.currency)
