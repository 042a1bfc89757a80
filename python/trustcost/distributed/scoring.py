"""Scoring a distributed customer base with fitted models shipped to the workers.

Every score of a customer depends only on that customer's row and the fitted parameters, so each
partition is scored by the single-machine functions (``map_partitions``; the fitted models travel
to the workers by pickle inside the task graph) and the rows equal the single-machine rows. The
watchlist's top k is the top k of the per-partition top k's.
"""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd

from .._validation import check_count
from ..relationship import alarms as _alarms
from ..relationship.value import customer_lifetime_value
from .guard import DEFAULT_STALL_TIMEOUT, compute
from .memory import check_workers

__all__ = ["score", "silence_watchlist"]


def _score(part: pd.DataFrame, model, spend_model, t: float, n, columns: tuple[str, ...], time: int,
           discount_rate: float, freq: str) -> pd.DataFrame:
    out = pd.DataFrame(index=part.index)
    names = ["p_alive", "expected_purchases"] + [f"probability_{k:g}_purchases" for k in n]
    names += ["clv"] if spend_model is not None else []
    if not len(part):
        for name in names:
            out[name] = np.array([], dtype=np.float64)
        return out
    history = [part[c].to_numpy(dtype=np.float64) for c in columns]
    out["p_alive"] = np.asarray(model.p_alive(*history), dtype=np.float64)
    out["expected_purchases"] = np.asarray(model.expected_purchases(t, *history), dtype=np.float64)
    for k, name in zip(n, names[2:]):
        out[name] = np.asarray(model.conditional_probability_of_n_purchases(k, t, *history), dtype=np.float64)
    if spend_model is not None:
        out["clv"] = customer_lifetime_value(model, spend_model, part, time=time, discount_rate=discount_rate,
                                             freq=freq).to_numpy()
    return out


def score(summary: dd.DataFrame, model, spend_model=None, *, t: float = 30.0, n=(), columns=("frequency", "recency", "T"),
          time: int = 12, discount_rate: float = 0.01, freq: str = "D") -> dd.DataFrame:
    """Per-customer scores of a distributed summary, partition by partition.

    Parameters
    ----------
    summary : dask.dataframe.DataFrame
        One row per customer with the history ``columns`` (and ``monetary_value`` for the value).
    model : fitted purchase model (BetaGeo, ParetoNBD, ...)
    spend_model : fitted GammaGamma, optional
        Adds ``clv`` (:func:`trustcost.relationship.customer_lifetime_value`).
    t : float
        Horizon of ``expected_purchases`` (and of the probabilities), in the summary's periods.
    n : sequence of int
        Adds ``probability_{k}_purchases``: P(exactly k purchases in the next ``t`` | history), for
        models with ``conditional_probability_of_n_purchases``.
    columns : sequence of str
        The history the model's methods take, in order.
    time, discount_rate, freq
        As in :func:`~trustcost.relationship.customer_lifetime_value` (months, monthly rate,
        model time unit).

    Returns
    -------
    dask.dataframe.DataFrame indexed like ``summary`` with ``p_alive``, ``expected_purchases``
    [, ``probability_{k}_purchases`` ...][, ``clv``]: row for row the single-machine values.
    Lazy: compute or write it (``to_parquet``), or use :func:`trustcost.distributed.persist` for
    progress and the stall guard.
    """
    if not isinstance(summary, dd.DataFrame):
        raise TypeError(f"summary must be a dask DataFrame, got {type(summary).__name__}")
    model.check_fitted()
    if spend_model is not None:
        spend_model.check_fitted()
    n = tuple(n)
    if n and not callable(getattr(model, "conditional_probability_of_n_purchases", None)):
        raise ValueError(f"n needs a model with conditional_probability_of_n_purchases; {type(model).__name__} has none")
    columns = tuple(columns)
    missing = [c for c in columns if c not in summary.columns]
    if missing:
        raise ValueError(f"summary must have columns {list(columns)}; missing {missing}")
    check_workers("trustcost.distributed.score")
    meta = _score(summary._meta, model, spend_model, t, n, columns, time, discount_rate, freq)
    return summary.map_partitions(_score, model, spend_model, t, n, columns, time, discount_rate, freq, meta=meta)


def _partition_watchlist(part: pd.DataFrame, model, spend_model, top: int, options: dict, empty: pd.DataFrame):
    if not len(part):
        return empty
    return _alarms.silence_watchlist(part, model, spend_model, top=top, **options)


def _top(parts: pd.DataFrame, top: int) -> pd.DataFrame:
    """The first ``top`` rows by value at risk, ties in customer order (the single-machine order)."""
    name = parts.index.name
    flat = parts.rename_axis("__customer").reset_index()
    flat = flat.sort_values(["value_at_risk", "__customer"], ascending=[False, True], kind="stable")
    return flat.head(top).set_index("__customer").rename_axis(name)


def silence_watchlist(summary: dd.DataFrame, model, spend_model=None, *, top: int = 100,
                      split_every: int | None = None, progress=None, stall_timeout: float = DEFAULT_STALL_TIMEOUT,
                      **options) -> pd.DataFrame:
    """The ``top`` customers of :func:`trustcost.relationship.silence_watchlist` over a distributed base.

    Each partition's watchlist keeps its own top ``top``; a Dask tree reduction merges them and
    keeps the top ``top`` again. The rows, values and order equal the single-machine
    ``silence_watchlist(summary.compute().sort_index(), ..., top=top)`` (ties in value at risk
    are ordered by customer id, as the single-machine stable sort of an id-sorted summary does).

    Parameters
    ----------
    summary : dask.dataframe.DataFrame
        Columns ``frequency``, ``recency``, ``T`` [, ``monetary_value``], indexed by customer.
    model, spend_model
        Fitted models, shipped to the workers.
    top : int
        How many customers to return (> 0).
    progress, stall_timeout
        Progress report and stall guard, as in :func:`trustcost.distributed.compute`.
    **options
        ``horizon``, ``min_silence_in_gaps``, ``min_p_alive``, ``unit`` as in the single-machine function.

    Returns
    -------
    pandas DataFrame, at most ``top`` rows (small, on the client). Unlike the single-machine
    function, ``attrs`` does not count the customers left out.
    """
    if not isinstance(summary, dd.DataFrame):
        raise TypeError(f"summary must be a dask DataFrame, got {type(summary).__name__}")
    top = check_count(top, "top")
    model.check_fitted()
    step = "trustcost.distributed.silence_watchlist"
    check_workers(step)
    # The columns of an (empty) watchlist, from the function itself: a one-customer sample.
    sample = summary._meta_nonempty.iloc[:1].copy()
    sample[["frequency", "recency", "T"]] = [[1.0, 1.0, 3.0]]
    if "monetary_value" in sample.columns:
        sample["monetary_value"] = 1.0
    empty = _alarms.silence_watchlist(sample, model, spend_model, **{**options, "min_p_alive": 0.0,
                                                                     "min_silence_in_gaps": 0.0}).iloc[:0]
    watchlist = summary.reduction(_partition_watchlist, aggregate=_top, combine=_top, meta=empty, split_every=split_every,
                                  chunk_kwargs={"model": model, "spend_model": spend_model, "top": int(top),
                                                "options": options, "empty": empty},
                                  combine_kwargs={"top": int(top)}, aggregate_kwargs={"top": int(top)})
    result = compute(watchlist, step=step, progress=progress, stall_timeout=stall_timeout)[0]
    result.attrs = {}  # a partition's exclusion counts are not the whole base's: none rather than wrong ones
    return result
