"""Monte Carlo across workers: ranges of paths, and many studies as partitions.

Every path of :func:`trustcost.simulate` is a pure function of ``(seed, path number)`` (counter-
based streams), and ``first_path`` runs any range of paths on its own. Each worker runs one range;
:func:`trustcost.uncertainty.merge` joins the ranges on the client: the per-path present values
(paths x offers doubles) are concatenated in path order, so the mean, standard error and
percentiles are computed from the very array a single run produces, and the engine's per-category
sums are merged exactly by the engine. A distributed run with seed s is therefore bit-identical
to ``tc.simulate(study, paths, s)`` on one machine. The client holds ``8 * paths * offers`` bytes
of present values, as a single run does.

Before the first task, two small runs on the client measure the bytes of a range's result per
path; the ranges are cut so that one per worker thread fits beside the worker's baseline (see
:mod:`trustcost.distributed.memory`), or WorkerMemoryError says what limit would do.
"""

from __future__ import annotations

import pickle

import dask

from .._validation import check_count
from ..uncertainty import merge
from ..uncertainty import simulate as _simulate
from .guard import DEFAULT_STALL_TIMEOUT, compute
from .memory import current_client, pieces_that_fit, worker_memory

__all__ = ["path_ranges", "simulate"]

MAX_RANGES = 100_000  # each range is a task
# A range's result is held twice while it is serialised for the client.
COPIES = 2.0
SAMPLE_PATHS = (16, 80)


def footprint(study, seed: int = 0, **options) -> tuple[float, float]:
    """``(fixed, per_path)`` bytes of one Monte Carlo result, measured on the client from the
    serialised size of two small runs (what a worker holds and sends back)."""
    small, large = (len(pickle.dumps(_simulate(study, n, seed, progress=False, **options))) for n in SAMPLE_PATHS)
    per_path = max(large - small, 0) / (SAMPLE_PATHS[1] - SAMPLE_PATHS[0])
    return max(small - SAMPLE_PATHS[0] * per_path, 0.0), per_path


def path_ranges(paths: int, ranges: int) -> list[tuple[int, int]]:
    """``ranges`` adjacent ``(first_path, paths)`` pieces covering ``0 .. paths - 1`` (sizes differ by at most one)."""
    paths = check_count(paths, "paths")
    ranges = check_count(ranges, "ranges", MAX_RANGES)  # each range is a task
    edges = [paths * k // min(ranges, paths) for k in range(min(ranges, paths) + 1)]
    return [(int(a), int(b - a)) for a, b in zip(edges[:-1], edges[1:])]


def _default_ranges() -> int:
    """Two ranges per worker thread of the current client (so a slow worker does not hold up the end)."""
    client = current_client()
    if client is None:  # Dask's local scheduler
        return 8
    return max(2 * sum(client.nthreads().values()), 1)


def simulate(study, paths: int = 10_000, seed: int = 0, *, ranges: int | None = None, progress=None,
             stall_timeout: float = DEFAULT_STALL_TIMEOUT, **options):
    """:func:`trustcost.simulate` with its paths split into ranges over the Dask workers.

    Parameters
    ----------
    study : Study
        Shipped once to the workers (studies pickle).
    paths, seed
        As in :func:`trustcost.simulate`; the result is bit-identical to the single-machine run
        with the same ``paths`` and ``seed`` (present values, means, standard errors, percentiles,
        category means, sampled inputs).
    ranges : int, optional
        Number of path ranges (tasks); default two per worker thread of the current client, more
        if a range would not fit a worker's memory (a given number is checked, never changed).
    progress, stall_timeout
        Progress report and stall guard, as in :func:`trustcost.distributed.compute`.
    **options
        ``paired``, ``keep_years``, ``importance_paths`` as in :func:`trustcost.simulate`.

    Returns
    -------
    SimulationResult
    """
    if "first_path" in options:
        raise TypeError("first_path is set per range by trustcost.distributed.simulate")
    step = "trustcost.distributed.simulate"
    path_ranges(paths, ranges if ranges is not None else 1)  # the counts checked before any measurement
    workers = worker_memory()
    if workers:
        fixed, per_path = footprint(study, seed, **options)
        ranges = pieces_that_fit(step, workers, COPIES * per_path * paths, COPIES * fixed, ranges,
                                 least=min(_default_ranges(), paths), most=min(paths, MAX_RANGES),
                                 piece_name="path ranges", advice=" or pass more ranges")
    pieces = path_ranges(paths, ranges if ranges is not None else _default_ranges())
    shipped = dask.delayed(study, pure=True)  # one copy in the graph, not one per range
    parts = [dask.delayed(_simulate, pure=True)(shipped, n, seed, first_path=first, progress=False, **options)
             for first, n in pieces]
    return merge(compute(*parts, step=step, progress=progress, stall_timeout=stall_timeout))
