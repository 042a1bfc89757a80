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

from ..relationship import rfm as _rfm

__all__ = ["read_transactions", "rfm_summary"]

_ROW = "__trustcost_row"  # global position of a transaction, restored after the shuffle
_ROWS_PER_PARTITION = 1 << 40


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


def _last_date(dates: pd.Series, name: str, datetime_format: str | None):
    return _rfm._parse_dates(dates, name, datetime_format).max() if len(dates) else None


def _prepare(part: pd.DataFrame, customer_id_col: str, datetime_col: str, datetime_format: str | None,
             freq: str, end_period: int, partition_info=None) -> pd.DataFrame:
    """Dates parsed (so the shuffle moves 8-byte stamps, not strings), rows after the end dropped,
    and each row's global position recorded (the shuffle does not keep row order)."""
    number = partition_info["number"] if partition_info else 0
    out = part.copy()
    if len(out):
        out[datetime_col] = _rfm._parse_dates(out[datetime_col], datetime_col, datetime_format).astype("datetime64[ns]")
    else:
        out[datetime_col] = out[datetime_col].astype("datetime64[ns]")
    out[_ROW] = np.int64(number) * _ROWS_PER_PARTITION + np.arange(len(out), dtype=np.int64)
    if len(out):
        out = out[_rfm._period_numbers(out[datetime_col], freq) <= end_period]
    return out


def _empty_summary(ids: pd.Series, customer_id_col: str, monetary: bool) -> pd.DataFrame:
    names = ("frequency", "recency", "T", "monetary_value") if monetary else ("frequency", "recency", "T")
    return pd.DataFrame({c: np.array([], dtype=np.float64) for c in names},
                        index=pd.Index(ids.iloc[:0], name=customer_id_col))


def _summarise(part: pd.DataFrame, customer_id_col: str, datetime_col: str, monetary_value_col: str | None,
               freq: str, end: pd.Timestamp) -> pd.DataFrame:
    """The single-machine summary of one partition's customers, rows in their original order."""
    if not len(part):
        return _empty_summary(part[customer_id_col], customer_id_col, monetary_value_col is not None)
    # Same-period values are summed in row order: restore it, so sums match the single run bit for bit.
    part = part.sort_values(_ROW, kind="stable")
    result = _rfm.rfm_summary(part, customer_id_col, datetime_col, monetary_value_col, freq=freq,
                              observation_period_end=end)
    result.attrs = {}
    return result


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
) -> dd.DataFrame:
    """Frequency, recency, age and mean spend per customer of a distributed transaction log.

    The same values as :func:`trustcost.relationship.rfm_summary` on the whole log, row for row
    and bit for bit (``result.compute().sort_index()`` equals the single-machine frame): the
    transactions are shuffled by customer so that every customer's rows meet in one partition
    (Dask's shuffle, which spills to disk when a worker's memory fills), put back in their original
    order, and each partition is summarised by the single-machine function with the observation
    end of the whole log.

    Parameters
    ----------
    transactions : dask.dataframe.DataFrame
        One row per transaction, any partitioning (e.g. from :func:`read_transactions`).
    customer_id_col, datetime_col, monetary_value_col, freq, observation_period_end, datetime_format
        As in :func:`trustcost.relationship.rfm_summary`. String dates are parsed partition by
        partition; give ``datetime_format`` (or store datetimes) so that every partition reads
        them the same way. Rows after ``observation_period_end`` are dropped before the shuffle.
    npartitions : int, optional
        Partitions of the summary (default: as many as the log).
    shuffle_method : str, optional
        Dask's shuffle method (``"p2p"`` on a distributed cluster by default, ``"tasks"``, ``"disk"``).

    Returns
    -------
    dask.dataframe.DataFrame indexed by customer id (each partition sorted; partitions hold
    disjoint customers in hash order), float columns ``frequency``, ``recency``, ``T``
    [, ``monetary_value``]. The default observation end (the last transaction) is computed
    eagerly: one pass over the date column, one timestamp back to the client.
    """
    if not isinstance(transactions, dd.DataFrame):
        raise TypeError(f"transactions must be a dask DataFrame, got {type(transactions).__name__}")
    for label, col in (("customer_id_col", customer_id_col), ("datetime_col", datetime_col),
                       ("monetary_value_col", monetary_value_col)):
        if col is not None and col not in transactions.columns:
            raise ValueError(f"{label} {col!r} is not a column of transactions; columns are {list(transactions.columns)}")
    columns = [c for c in (customer_id_col, datetime_col, monetary_value_col) if c is not None]
    log = transactions[columns]

    if observation_period_end is None:
        parts = log[datetime_col].to_delayed()
        ends = [dask.delayed(_last_date)(p, datetime_col, datetime_format) for p in parts]
        found = [e for e in dask.compute(*ends) if e is not None]
        if not found:
            raise ValueError("transactions has no rows")
        end = max(found)
    else:
        end = _rfm._parse_dates(pd.Series([observation_period_end]), "observation_period_end", datetime_format).iloc[0]
    end_period = int(_rfm._period_numbers(pd.Series([end]), freq)[0])

    prepared_meta = log._meta.copy()
    prepared_meta[datetime_col] = prepared_meta[datetime_col].astype("datetime64[ns]")
    prepared_meta[_ROW] = np.array([], dtype=np.int64)
    prepared = log.map_partitions(_prepare, customer_id_col, datetime_col, datetime_format, freq, end_period,
                                  meta=prepared_meta)
    grouped = prepared.shuffle(on=customer_id_col, npartitions=npartitions, shuffle_method=shuffle_method)

    meta = _empty_summary(log._meta[customer_id_col], customer_id_col, monetary_value_col is not None)
    return grouped.map_partitions(_summarise, customer_id_col, datetime_col, monetary_value_col, freq, end, meta=meta)
