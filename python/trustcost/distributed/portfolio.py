"""Many studies (a portfolio of offers, or scenarios) evaluated as the partitions of a Dask bag."""

from __future__ import annotations

import math

import dask.bag as db

from .._validation import check_count, check_int
from ..uncertainty import simulate as _simulate
from .guard import DEFAULT_STALL_TIMEOUT, compute
from .memory import check_workers, pieces_that_fit, worker_memory
from .montecarlo import COPIES, footprint

__all__ = ["evaluate_studies"]


def _evaluate(study, paths, seed, options):
    return study.evaluate() if paths is None else _simulate(study, paths, seed, progress=False, **options)


def _check_studies_fit(step: str, studies: list, paths: int, seed: int, npartitions: int, options: dict) -> None:
    """WorkerMemoryError unless the largest partition of Monte Carlo results fits a worker thread.

    Each study's footprint is measured on the client (two small runs), once per shape of study
    (number of offers and horizon), which is what sets the size of its result.
    """
    workers = worker_memory()
    if not workers:
        return
    measured, sizes = {}, []
    for study in studies:
        shape = (len(study.offers), study.horizon)
        if shape not in measured:
            fixed, per_path = footprint(study, seed, **options)
            measured[shape] = COPIES * (fixed + per_path * paths)
        sizes.append(measured[shape])
    per_partition = math.ceil(len(studies) / npartitions)  # dask.bag.from_sequence's partition size
    largest = max(sum(sizes[k:k + per_partition]) for k in range(0, len(sizes), per_partition))
    pieces_that_fit(step, workers, largest, 0.0, 1, least=1, most=1, piece_name="bag partitions (the largest)",
                    advice=", fewer paths, more npartitions, or trustcost.distributed.simulate for a large study")


def evaluate_studies(studies, *, paths: int | None = None, seed: int = 0, npartitions: int | None = None,
                     progress=None, stall_timeout: float = DEFAULT_STALL_TIMEOUT, **options) -> list:
    """Evaluate many studies (a portfolio of offers, or scenarios) as the partitions of a Dask bag.

    Parameters
    ----------
    studies : sequence of Study
    paths : int, optional
        None: each study's :meth:`~trustcost.Study.evaluate` (expected values). Otherwise each
        study's Monte Carlo :func:`trustcost.simulate` with ``paths`` and ``seed`` (one task per
        study; split a single large study with :func:`simulate` instead). Before the first task
        the results' memory is measured on the client and checked against every worker
        (WorkerMemoryError when the largest partition would not fit).
    npartitions : int, optional
        Partitions of the bag (default one study per partition; at most one per study).
    progress, stall_timeout
        Progress report and stall guard, as in :func:`trustcost.distributed.compute`.
    **options
        Passed to :func:`trustcost.simulate`.

    Returns
    -------
    list of LccResult or SimulationResult, in the order of ``studies``: each equal to the
    single-machine result of its study.
    """
    studies = list(studies)
    if not studies:
        raise ValueError("studies must not be empty")
    # at most one partition per study
    npartitions = len(studies) if npartitions is None else check_int(npartitions, "npartitions", 1, len(studies))
    if paths is not None:
        paths = check_count(paths, "paths")
    step = "trustcost.distributed.evaluate_studies"
    if paths is None:
        check_workers(step)
    else:
        _check_studies_fit(step, studies, paths, seed, npartitions, options)
    bag = db.from_sequence(studies, npartitions=npartitions)
    return compute(bag.map(_evaluate, paths, seed, options), step=step, progress=progress,
                   stall_timeout=stall_timeout)[0]
