"""RFM summaries of transaction logs held in a ``dask.dataframe``.

The per-customer reduction is :func:`trustcost.relationship.rfm_summary`, run once per partition
after a shuffle has put each customer's transactions into one partition. Only the observation end
(one timestamp) comes back to the client before the summary is built; the log itself stays on the
workers.
"""

from __future__ import annotations

from pathlib import Path

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from .._validation import check_count
from ..relationship.rfm import parse_dates, period_numbers, rfm_summary as _single_rfm_summary
from ..relationship.units import time_unit
from .guard import DEFAULT_STALL_TIMEOUT, compute
from .memory import pieces_that_fit, worker_memory

__all__ = ["read_transactions", "rfm_summary"]

_ROW = "__trustcost_row"  # global position of a transaction, restored after the shuffle
_ROWS_PER_PARTITION = 1 << 40
MAX_PARTITIONS = 100_000  # beyond this the scheduler's bookkeeping costs more than the pieces save
SAMPLE_ROWS = 20_000  # rows of the first partition measured on the client
# Peak resident memory of one task per byte of its partition (pandas' deep size): the parsed and
# copied frame, the shuffle's shards, the sort, the period numbers, the codes, the C++ reduction,
# and what the allocators (glibc, Arrow's pool) keep after a task. Calibrated on
# benchmarks/bench_scale.py (5M rows, 20 blocks of 250k rows, 2 workers): worker peaks (VmHWM)
# of 323 and 334 MiB = baseline 173 MiB + P2P buffers 76 MiB + 15x the 5.7 MiB block; rounded up.
WORKING_FACTOR = 16.0


def read_transactions(path, customer_id_col: str, datetime_col: str, monetary_value_col: str | None = None, *,
                      blocksize: str | int = "64MB", **kwargs) -> dd.DataFrame:
    """Lazily read a transaction log from Parquet or CSV files, one block per partition.

    Only the named columns are read. Nothing is loaded on the client: each worker reads one block
    (about ``blocksize`` bytes of CSV, or Parquet row groups up to about that size) at a time, so
    the memory a worker needs is set by the block size, not by the size of the log.

    Parameters
    ----------
    path : str, Path or list
        A file, a directory of Parquet files, or a glob (``"logs/*.csv"``); remote URLs work as in
        :func:`dask.dataframe.read_parquet` (``s3://...`` with ``storage_options=``).
    customer_id_col, datetime_col, monetary_value_col : str
        The columns to read (dates stay as stored; :func:`rfm_summary` parses them).
    blocksize : str or int
        Target partition size.
    **kwargs
        Passed on to :func:`dask.dataframe.read_parquet` or :func:`dask.dataframe.read_csv`.
    """
    columns = [c for c in (customer_id_col, datetime_col, monetary_value_col) if c is not None]
    first = str(path[0] if isinstance(path, (list, tuple)) else path)
    suffixes = Path(first.rstrip("/*")).suffixes
    if ".csv" in suffixes or ".txt" in suffixes or ".tsv" in suffixes:
        return dd.read_csv(path, usecols=columns, blocksize=blocksize, **kwargs)
    if suffixes and suffixes[-1] not in (".parquet", ".pq") and not Path(first).is_dir():
        raise ValueError(f"path must name Parquet (.parquet, a directory) or CSV (.csv) files, got {first!r}")
    return dd.read_parquet(path, columns=columns, blocksize=blocksize, **kwargs)


def _date_range(dates: pd.Series, name: str, datetime_format: str | None, freq: str, end_period: int | None):
    """First and last date of a partition and how many of its rows fall after the observation end."""
    if not len(dates):
        return None
    parsed = parse_dates(dates, name, datetime_format)
    after = 0 if end_period is None else int((period_numbers(parsed, name, freq) > end_period).sum())
    return parsed.min(), parsed.max(), after


def _prepare(part: pd.DataFrame, customer_id_col: str, datetime_col: str, datetime_format: str | None,
             freq: str, end_period: int, partition_info=None) -> pd.DataFrame:
    """Dates parsed (so the shuffle moves 8-byte stamps, not strings), rows after the end dropped,
    and each row's global position recorded (the shuffle does not keep row order)."""
    number = partition_info["number"] if partition_info else 0
    out = part.copy()
    if len(out):
        out[datetime_col] = parse_dates(out[datetime_col], datetime_col, datetime_format).astype("datetime64[ns]")
    else:
        out[datetime_col] = out[datetime_col].astype("datetime64[ns]")
    out[_ROW] = np.int64(number) * _ROWS_PER_PARTITION + np.arange(len(out), dtype=np.int64)
    if len(out):
        out = out[period_numbers(out[datetime_col], datetime_col, freq) <= end_period]
    return out


def _empty_summary(ids: pd.Series, customer_id_col: str, monetary: bool) -> pd.DataFrame:
    names = ("frequency", "recency", "T", "monetary_value") if monetary else ("frequency", "recency", "T")
    return pd.DataFrame({c: np.array([], dtype=np.float64) for c in names},
                        index=pd.Index(ids.iloc[:0], name=customer_id_col))


def _summarise(part: pd.DataFrame, customer_id_col: str, datetime_col: str, monetary_value_col: str | None,
               freq: str, end: pd.Timestamp, excluded: dict) -> pd.DataFrame:
    """The single-machine summary of one partition's customers, rows in their original order."""
    if not len(part):
        result = _empty_summary(part[customer_id_col], customer_id_col, monetary_value_col is not None)
    else:
        # Same-period values are summed in row order: restore it, so sums match the single run bit for bit.
        part = part.sort_values(_ROW, kind="stable")
        result = _single_rfm_summary(part, customer_id_col, datetime_col, monetary_value_col, freq=freq,
                                     observation_period_end=end)
    # The whole log's exclusions (counted before the shuffle), the same on every partition so that
    # pandas keeps them when the partitions are concatenated.
    result.attrs = {"excluded": dict(excluded)}
    return result


def _check_partitions(npartitions, rows: int | None):
    if npartitions is None:
        return None
    npartitions = check_count(npartitions, "npartitions", MAX_PARTITIONS)  # each partition is a task
    # ``rows`` is estimated from the first partition: refuse only what no uneven partitioning explains.
    if rows is not None and npartitions > 4 * max(rows, 1):
        raise ValueError(f"npartitions must be <= the number of transactions (about {rows:,}), got {npartitions!r}: "
                         "a partition without rows is a task that does nothing")
    return int(npartitions)


def _plan(log: dd.DataFrame, customer_id_col: str, datetime_col: str, datetime_format: str | None, freq: str,
          npartitions, shuffle_method: str | None, step: str) -> int:
    """Summary partitions that fit the workers (or WorkerMemoryError), from the first partition measured on the client."""
    with dask.config.set(scheduler="sync"):  # on the client: no task reaches a worker before the check
        first = log.partitions[0].compute()
    rows = len(first) * log.npartitions if len(first) else None
    npartitions = _check_partitions(npartitions, rows)
    workers = worker_memory()
    if not workers or not len(first):
        return npartitions if npartitions is not None else log.npartitions
    sample = first.iloc[:SAMPLE_ROWS]
    raw_per_row = sample.memory_usage(deep=True, index=False).sum() / len(sample)
    prepared = _prepare(sample, customer_id_col, datetime_col, datetime_format, freq, np.iinfo(np.int64).max)
    shuffled_per_row = prepared.memory_usage(deep=True, index=False).sum() / len(sample)
    # A P2P shuffle (Dask's default on a cluster) buffers shards on every worker while it runs.
    p2p = shuffle_method in (None, "p2p")
    shuffled = rows * shuffled_per_row if p2p else 0.0
    advice = ", or read the log in smaller blocks (read_transactions(..., blocksize=...))"
    # Before the shuffle: each read block is parsed and split in one task (not resizable here).
    pieces_that_fit(step + " (reading and parsing a block)", workers, rows * raw_per_row * WORKING_FACTOR, 0.0,
                    log.npartitions, least=log.npartitions, most=log.npartitions, piece_name="read blocks",
                    advice=advice, shuffled=shuffled)
    return pieces_that_fit(step + " (summarising a partition)", workers, rows * shuffled_per_row * WORKING_FACTOR, 0.0,
                           npartitions, least=log.npartitions, most=min(MAX_PARTITIONS, rows),
                           piece_name="summary partitions", advice=" or pass a larger npartitions", shuffled=shuffled)


def rfm_summary(
    transactions: dd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: str | None = None,
    freq: str = "D",
    observation_period_end=None,
    datetime_format: str | None = None,
    *,
    npartitions: int | None = None,
    shuffle_method: str | None = None,
    progress=None,
    stall_timeout: float = DEFAULT_STALL_TIMEOUT,
) -> dd.DataFrame:
    """Frequency, recency, age and mean spend per customer of a distributed transaction log.

    The same values as :func:`trustcost.relationship.rfm_summary` on the whole log, row for row
    and bit for bit (``result.compute().sort_index()`` equals the single-machine frame, ``attrs``
    included): the transactions are shuffled by customer so that every customer's rows meet in
    one partition (Dask's shuffle, which spills to disk when a worker's memory fills), put back
    in their original order, and each partition is summarised by the single-machine function
    with the observation end of the whole log.

    Before any task runs, the first partition is measured on the client and every worker is
    asked for its memory limit and current memory: the summary partitions are sized so that one
    fits a worker (more partitions than the log when needed), or
    :class:`~trustcost.distributed.WorkerMemoryError` names the limit, the footprint and the
    smallest limit that works.

    Parameters
    ----------
    transactions : dask.dataframe.DataFrame
        One row per transaction, any partitioning (e.g. from :func:`read_transactions`).
    customer_id_col, datetime_col, monetary_value_col, freq, observation_period_end, datetime_format
        As in :func:`trustcost.relationship.rfm_summary`. String dates are parsed partition by
        partition; give ``datetime_format`` (or store datetimes) so that every partition reads
        them the same way. Rows after ``observation_period_end`` are dropped before the shuffle
        and counted in ``attrs["excluded"]``.
    npartitions : int, optional
        Partitions of the summary (default: as many as the log, more if a worker needs smaller
        ones; at most the number of transactions and 100,000).
    shuffle_method : str, optional
        Dask's shuffle method (``"p2p"`` on a distributed cluster by default, ``"tasks"``, ``"disk"``).
    progress : None, True or callable
        Progress of the eager pass over the dates (see :func:`trustcost.distributed.compute`).
    stall_timeout : float
        Seconds without progress before :class:`~trustcost.distributed.StalledError`.

    Returns
    -------
    dask.dataframe.DataFrame indexed by customer id (each partition sorted; partitions hold
    disjoint customers in hash order), float columns ``frequency``, ``recency``, ``T``
    [, ``monetary_value``]. One pass over the date column runs eagerly (the observation end and
    the excluded rows; one timestamp per partition back to the client). Compute the result with
    :func:`trustcost.distributed.persist` or :func:`trustcost.distributed.compute` for progress
    and the stall guard.
    """
    step = "trustcost.distributed.rfm_summary"
    if not isinstance(transactions, dd.DataFrame):
        raise TypeError(f"transactions must be a dask DataFrame, got {type(transactions).__name__}")
    for label, col in (("customer_id_col", customer_id_col), ("datetime_col", datetime_col),
                       ("monetary_value_col", monetary_value_col)):
        if col is not None and col not in transactions.columns:
            raise ValueError(f"{label} {col!r} is not a column of transactions; columns are {list(transactions.columns)}")
    freq = time_unit(freq)
    columns = [c for c in (customer_id_col, datetime_col, monetary_value_col) if c is not None]
    log = transactions[columns]
    npartitions = _plan(log, customer_id_col, datetime_col, datetime_format, freq, npartitions, shuffle_method, step)

    end_period = None
    if observation_period_end is not None:
        end = parse_dates(pd.Series([observation_period_end]), "observation_period_end", datetime_format).iloc[0]
        end_period = int(period_numbers(pd.Series([end]), "observation_period_end", freq)[0])
    ranges = [dask.delayed(_date_range)(p, datetime_col, datetime_format, freq, end_period)
              for p in log[datetime_col].to_delayed()]
    found = [r for r in compute(*ranges, step=step + " (dates)", progress=progress, stall_timeout=stall_timeout)
             if r is not None]
    if not found:
        raise ValueError("transactions has no rows")
    if end_period is None:
        end = max(r[1] for r in found)
        end_period = int(period_numbers(pd.Series([end]), datetime_col, freq)[0])
    elif int(period_numbers(pd.Series([min(r[0] for r in found)]), datetime_col, freq)[0]) > end_period:
        raise ValueError(f"transactions has no rows on or before observation_period_end {observation_period_end!r}")
    after = sum(r[2] for r in found)
    excluded = {"rows": after, "reason": "after observation_period_end"} if after else {}

    prepared_meta = log._meta.copy()
    prepared_meta[datetime_col] = prepared_meta[datetime_col].astype("datetime64[ns]")
    prepared_meta[_ROW] = np.array([], dtype=np.int64)
    prepared = log.map_partitions(_prepare, customer_id_col, datetime_col, datetime_format, freq, end_period,
                                  meta=prepared_meta)
    grouped = prepared.shuffle(on=customer_id_col, npartitions=npartitions, shuffle_method=shuffle_method)

    meta = _empty_summary(log._meta[customer_id_col], customer_id_col, monetary_value_col is not None)
    meta.attrs = {"excluded": dict(excluded)}
    return grouped.map_partitions(_summarise, customer_id_col, datetime_col, monetary_value_col, freq, end, excluded,
                                  meta=meta)
