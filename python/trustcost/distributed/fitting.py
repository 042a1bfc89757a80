"""Fitting repeat-purchase and spend models on a distributed customer summary.

The likelihoods depend on the data only through the distinct summary rows and how many customers
share each: (x, t_x, T) for the purchase models, (x, m-bar) for Gamma-Gamma. Each partition
reduces its customers to those counts, Dask sums the counts over partitions in a tree, and the
client fits on the small table with the fitter's own ``weights`` support. The fitters reduce
their input to lexicographically sorted unique rows, with counts, before the C++ optimiser sees
it; the counts here are sums of whole numbers (exact in float64 below 2**53), so the optimiser
receives the very arrays a single-machine fit on the whole summary receives, and returns the same
parameters bit for bit.
"""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd

from ..relationship import unique_rows
from ..relationship.value import GammaGamma
from .guard import DEFAULT_STALL_TIMEOUT, compute
from .memory import check_workers

__all__ = ["fit", "summary_counts"]

_COUNT = "count"


def _counts(part: pd.DataFrame, columns: list[str], weighted: bool) -> pd.DataFrame:
    """Distinct rows of ``columns`` (sorted) with their total count."""
    if not len(part):
        return pd.DataFrame({**{c: np.array([], dtype=np.float64) for c in columns}, _COUNT: np.array([], dtype=np.float64)})
    arrays = [part[c].to_numpy(dtype=np.float64) for c in columns]
    weights = part[_COUNT].to_numpy(dtype=np.float64) if weighted else None
    rows, counts = unique_rows(arrays, weights)
    return pd.DataFrame({**dict(zip(columns, rows)), _COUNT: counts})


def _combine(parts: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return _counts(parts, columns, weighted=True)


def summary_counts(summary: dd.DataFrame | pd.DataFrame, columns=("frequency", "recency", "T"), *,
                   split_every: int | None = None, progress=None, stall_timeout: float = DEFAULT_STALL_TIMEOUT
                   ) -> pd.DataFrame:
    """The distinct rows of ``summary[columns]`` with the number of customers on each.

    Computed partition by partition and summed across partitions by a Dask tree reduction; only
    the distinct rows reach the client. Rows are sorted lexicographically (the fitters' order).

    Parameters
    ----------
    summary : dask or pandas DataFrame
        A customer summary, e.g. from :func:`trustcost.distributed.rfm_summary`.
    columns : sequence of str
        ``("frequency", "recency", "T")`` for the purchase models, ``("frequency",
        "monetary_value")`` for Gamma-Gamma.
    split_every : int, optional
        Fan-in of the reduction tree (Dask's default if None).
    progress, stall_timeout
        Progress report and stall guard, as in :func:`trustcost.distributed.compute`.

    Returns
    -------
    pandas DataFrame with ``columns`` and ``count`` (float, whole numbers).
    """
    columns = list(columns)
    missing = [c for c in columns if c not in summary.columns]
    if missing:
        raise ValueError(f"summary must have columns {columns}; missing {missing}")
    if isinstance(summary, pd.DataFrame):
        return _counts(summary, columns, weighted=False)
    if not isinstance(summary, dd.DataFrame):
        raise TypeError(f"summary must be a dask or pandas DataFrame, got {type(summary).__name__}")
    step = "trustcost.distributed.summary_counts"
    check_workers(step)
    meta = _counts(summary._meta, columns, weighted=False)
    table = summary[columns].reduction(_counts, aggregate=_combine, combine=_combine, meta=meta, split_every=split_every,
                                       chunk_kwargs={"columns": columns, "weighted": False},
                                       combine_kwargs={"columns": columns}, aggregate_kwargs={"columns": columns})
    return compute(table, step=step, progress=progress, stall_timeout=stall_timeout)[0].reset_index(drop=True)


def fit(model, summary, columns=None, *, split_every: int | None = None, progress=None,
        stall_timeout: float = DEFAULT_STALL_TIMEOUT):
    """Fit ``model`` on a distributed customer summary; the parameters equal a single-machine fit.

    Parameters
    ----------
    model : a trustcost fitter (BetaGeo, ParetoNBD, GammaGamma, or any with ``fit(*columns, weights=)``)
        Unfitted (or to be refitted); its settings (``penalizer``, ``max_iterations``) are used as given.
    summary : dask.dataframe.DataFrame
        One row per customer.
    columns : sequence of str, optional
        The summary columns ``model.fit`` takes, in order: default ``("frequency", "recency",
        "T")``, or ``("frequency", "monetary_value")`` for Gamma-Gamma; e.g. ``("frequency",
        "recency", "n_periods")`` for a discrete-time model.
    split_every : int, optional
        Fan-in of the reduction of the counts.
    progress, stall_timeout
        Progress report and stall guard of the reduction, as in :func:`trustcost.distributed.compute`.

    Returns
    -------
    The fitted ``model`` (``model.fit`` on the distinct rows with their counts as weights): the
    same ``params_``, ``log_likelihood_``, standard errors and ``n_customers_`` as
    ``model.fit(...)`` on the whole summary in one process (bit-identical; see the module notes).
    For Gamma-Gamma, ``n_excluded_`` counts the customers without repeat purchases, as there.
    """
    if not callable(getattr(model, "fit", None)) or not hasattr(model, "_param_names"):
        raise TypeError(f"model must be a trustcost fitter (e.g. BetaGeo, ParetoNBD, GammaGamma), got {type(model).__name__}")
    spend = isinstance(model, GammaGamma)
    if columns is None:
        columns = ("frequency", "monetary_value") if spend else ("frequency", "recency", "T")
    table = summary_counts(summary, columns, split_every=split_every, progress=progress, stall_timeout=stall_timeout)
    counts = table[_COUNT].to_numpy()
    model.fit(*(table[c].to_numpy() for c in columns), weights=counts)
    if spend:
        model.n_excluded_ = int(counts[~(table[columns[0]].to_numpy() > 0)].sum())  # customers, not distinct rows
    return model
