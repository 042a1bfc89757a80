"""Many studies (a portfolio of offers, or scenarios) evaluated as the partitions of a Dask bag."""

from __future__ import annotations

import dask.bag as db

from ..uncertainty import simulate as _simulate

__all__ = ["evaluate_studies"]


def _evaluate(study, paths, seed, options):
    return study.evaluate() if paths is None else _simulate(study, paths, seed, progress=False, **options)


def evaluate_studies(studies, *, paths: int | None = None, seed: int = 0, npartitions: int | None = None,
                     **options) -> list:
    """Evaluate many studies (a portfolio of offers, or scenarios) as the partitions of a Dask bag.

    Parameters
    ----------
    studies : sequence of Study
    paths : int, optional
        None: each study's :meth:`~trustcost.Study.evaluate` (expected values). Otherwise each
        study's Monte Carlo :func:`trustcost.simulate` with ``paths`` and ``seed`` (one task per
        study; split a single large study with :func:`simulate` instead).
    npartitions : int, optional
        Partitions of the bag (default one study per partition).
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
    bag = db.from_sequence(studies, npartitions=npartitions or len(studies))
    return bag.map(_evaluate, paths, seed, options).compute()
