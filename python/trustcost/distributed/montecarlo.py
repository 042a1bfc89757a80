"""Monte Carlo across workers: ranges of paths, and many studies as partitions.

Every path of :func:`trustcost.simulate` is a pure function of ``(seed, path number)`` (counter-
based streams), and ``first_path`` runs any range of paths on its own. Each worker runs one range;
:func:`trustcost.uncertainty.merge` joins the ranges on the client: the per-path present values
(paths x offers doubles) are concatenated in path order, so the mean, standard error and
percentiles are computed from the very array a single run produces, and the engine's per-category
sums are merged exactly by the engine. A distributed run with seed s is therefore bit-identical
to ``tc.simulate(study, paths, s)`` on one machine. The client holds ``8 * paths * offers`` bytes
of present values, as a single run does.
"""

from __future__ import annotations

import dask
import numpy as np
from distributed import get_client

from ..uncertainty import merge
from ..uncertainty import simulate as _simulate

__all__ = ["path_ranges", "simulate"]


def path_ranges(paths: int, ranges: int) -> list[tuple[int, int]]:
    """``ranges`` adjacent ``(first_path, paths)`` pieces covering ``0 .. paths - 1`` (sizes differ by at most one)."""
    if isinstance(paths, bool) or not isinstance(paths, (int, np.integer)) or paths <= 0:
        raise ValueError(f"paths must be a whole number > 0, got {paths!r}")
    if isinstance(ranges, bool) or not isinstance(ranges, (int, np.integer)) or ranges <= 0:
        raise ValueError(f"ranges must be a whole number > 0, got {ranges!r}")
    edges = [paths * k // min(ranges, paths) for k in range(min(ranges, paths) + 1)]
    return [(int(a), int(b - a)) for a, b in zip(edges[:-1], edges[1:])]


def _default_ranges() -> int:
    """Two ranges per worker thread of the current client (so a slow worker does not hold up the end)."""
    try:
        threads = sum(get_client().nthreads().values())
    except ValueError:  # no client: Dask's local scheduler
        return 8
    return max(2 * threads, 1)


def simulate(study, paths: int = 10_000, seed: int = 0, *, ranges: int | None = None, **options):
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
        Number of path ranges (tasks); default two per worker thread of the current client.
    **options
        ``paired``, ``keep_years``, ``importance_paths`` as in :func:`trustcost.simulate`.

    Returns
    -------
    SimulationResult
    """
    if "first_path" in options or "progress" in options:
        raise TypeError("first_path and progress are set per range by trustcost.distributed.simulate")
    pieces = path_ranges(paths, ranges if ranges is not None else _default_ranges())
    shipped = dask.delayed(study, pure=True)  # one copy in the graph, not one per range
    parts = [dask.delayed(_simulate, pure=True)(shipped, n, seed, first_path=first, progress=False, **options)
             for first, n in pieces]
    return merge(dask.compute(*parts))
