"""Recency-frequency-monetary summaries of transaction logs.

One C++ pass over the log (:func:`trustcost._core.rfm_summary`, and
:func:`trustcost._core.calibration_and_holdout` for the holdout table) checks the rows, turns the
datetime64 stamps of any unit into period numbers, leaves out rows after the end and folds each
customer's purchases into running sums; Python parses string dates, factorizes ids that are not
small integers, and wraps the C++ table in a DataFrame without copying it.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_array, broadcast_rows, check_flag
from .units import time_unit

__all__ = ["period_numbers", "periods_to_index", "rfm_summary", "summary_arrays", "summary_columns",
           "summary_data_from_transaction_data"]


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _label(index: pd.Index, row: int) -> str:
    """The index label of a row as the user wrote it (20, not np.int64(20))."""
    label = index[row]
    return repr(label.item() if isinstance(label, np.generic) else label)


def _parse_dates(column: pd.Series, name: str, datetime_format: str | None) -> pd.Series:
    """Naive datetimes (wall-clock time), or ValueError naming the column and the first bad row."""
    if column.isna().any():
        row = _first_bad(column.isna().to_numpy())
        raise ValueError(f"{name} has a missing date at row {row} (index {_label(column.index, row)})")
    numbers = pd.api.types.is_numeric_dtype(column.dtype) or (
        column.dtype == object
        and pd.api.types.infer_dtype(column, skipna=True) in ("integer", "floating", "mixed-integer-float", "decimal")
    )
    if numbers:
        if datetime_format is not None and pd.api.types.is_integer_dtype(column.dtype):
            # Dates written as numbers in a stated format (CDNOW's 19970101 with "%Y%m%d").
            return _parse_dates(column.astype(str), name, datetime_format)
        # pandas would read them as nanoseconds since 1970: every purchase on the same day.
        raise ValueError(
            f"{name} holds numbers, not dates; pass dates or date strings. For numbers that spell dates "
            f"(20240131) pass datetime_format='%Y%m%d'; for day counts convert first, e.g. "
            f"pd.Timestamp('2024-01-01') + pd.to_timedelta(df[{name!r}], unit='D')"
        )
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        # The local calendar date (and hour) where the purchase happened, as in trustcost.finance.
        return column.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(column.dtype):
        return column
    parsed = None
    # Without a format pandas guesses one from the first row; "mixed" then guesses row by row.
    for fmt in (datetime_format,) if datetime_format else (None, "mixed"):
        try:
            parsed = pd.to_datetime(column, format=fmt)
            break
        except (ValueError, TypeError, OverflowError):
            continue
    if parsed is not None and pd.api.types.is_datetime64_any_dtype(parsed.dtype):
        return _parse_dates(parsed, name, datetime_format)
    # Error path only: find the first row that does not parse or changes time zone.
    zone = None
    for row, value in enumerate(column):
        try:
            stamp = pd.Timestamp(pd.to_datetime(value, format=datetime_format))
        except (ValueError, TypeError, OverflowError) as exc:
            raise ValueError(f"{name} has an unparseable date {value!r} at row {row} (index {_label(column.index, row)}): {exc}") from None
        if row == 0:
            zone = stamp.tz
        elif str(stamp.tz) != str(zone):
            raise ValueError(
                f"{name} mixes time zones: row 0 is {zone}, row {row} (index {_label(column.index, row)}) is {stamp.tz}; "
                "convert to one zone first"
            )
    raise ValueError(f"{name} could not be parsed as dates")


#: The C++ period of each canonical time unit (see :func:`trustcost.relationship.units.time_unit`).
_PERIOD = {"h": _core.PeriodUnit.hour, "D": _core.PeriodUnit.day, "W": _core.PeriodUnit.week,
           "M": _core.PeriodUnit.month, "Q": _core.PeriodUnit.quarter, "Y": _core.PeriodUnit.year}


def _period_numbers(dates: pd.Series, freq: str, name: str = "date") -> np.ndarray:
    """Integer period numbers whose differences count whole periods of ``freq`` (canonical unit)."""
    return _core.period_numbers(_stamps(dates), _PERIOD[freq], name)


def _stamps(dates: pd.Series) -> np.ndarray:
    """The datetime64 values of parsed dates, in the column's own unit (no conversion pass)."""
    stamps = dates.to_numpy()
    return stamps if stamps.dtype.kind == "M" else dates.to_numpy(dtype="datetime64[ns]")


def _log_stamps(column: pd.Series, name: str, datetime_format: str | None) -> np.ndarray:
    """datetime64 values of a log's date column, read in place when it holds naive datetimes;
    missing dates are left for the C++ pass, which names the first (see :func:`_row_error`)."""
    if pd.api.types.is_datetime64_dtype(column.dtype):
        return _stamps(column)
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return _stamps(column.dt.tz_localize(None))
    return _stamps(_parse_dates(column, name, datetime_format))


def _row_error(error: ValueError, index: pd.Index) -> ValueError:
    """The C++ error about row ``n`` with the row's index label added, as the Python checks say it."""
    found = re.search(r" at row (\d+)$", str(error))
    if found is None or int(found.group(1)) >= len(index):
        return error
    return ValueError(f"{error} (index {_label(index, int(found.group(1)))})")


def period_numbers(values, name: str, freq: str = "D", datetime_format: str | None = None) -> np.ndarray:
    """Integer period numbers of dates (a column, list or scalar) in the time unit ``freq``.

    Differences count whole periods; :func:`periods_to_index` turns numbers back into pandas periods.
    Numbers are refused as dates (they would be read as nanoseconds since 1970).
    """
    if isinstance(values, pd.Series):
        column = values
    elif isinstance(values, (list, tuple, np.ndarray, pd.Index)):
        column = pd.Series(values)
    else:
        column = pd.Series([values])
    return _period_numbers(_parse_dates(column, name, datetime_format), time_unit(freq), name)


def periods_to_index(numbers, freq: str) -> pd.PeriodIndex:
    """Pandas periods of the period numbers made by :func:`period_numbers`."""
    unit = time_unit(freq)
    ordinals = np.asarray(numbers, dtype=np.int64) + (1 if unit == "W" else 0)  # pandas counts weeks from 1969-12-22
    return pd.PeriodIndex.from_ordinals(ordinals, freq=unit)


def _customer_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index, bool]:
    """Integer codes of the customer ids for the C++ reduction.

    Non-negative integer ids that are not much sparser than the rows are their own codes (no
    hashing at all); anything else is factorized in order of appearance (sorting 10 million ids
    costs more than sorting the customers afterwards).
    """
    values = ids.to_numpy()
    if np.issubdtype(values.dtype, np.integer) and values.size:
        low, high = int(values.min()), int(values.max())
        if low >= 0 and high < 2 * values.size + 1024:
            return values.astype(np.int64, copy=False), pd.RangeIndex(high + 1), True
    codes, uniques = pd.factorize(ids, sort=False)
    return codes.astype(np.int64, copy=False), pd.Index(uniques), False


def _checked_codes(ids: pd.Series, name: str) -> tuple[np.ndarray, pd.Index, bool]:
    """:func:`_customer_codes`, refusing missing ids (numpy integer columns have none)."""
    if not (isinstance(ids.dtype, np.dtype) and ids.dtype.kind in "iu") and ids.isna().any():
        row = _first_bad(ids.isna().to_numpy())
        raise ValueError(f"{name} has a missing customer id at row {row} (index {_label(ids.index, row)})")
    return _customer_codes(ids)


def _one_period(value, name: str, unit: str, datetime_format: str | None) -> int:
    """The period number of one date (an argument such as observation_period_end)."""
    if isinstance(value, (datetime.datetime, np.datetime64)) and not pd.isna(value):
        # Already a date: no Series to build and parse (a third of a fast summary's Python time).
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize(None) if stamp.tz is not None else stamp  # wall clock, as for columns
        return int(_core.period_numbers(np.array([stamp.asm8]), _PERIOD[unit], name)[0])
    return int(_period_numbers(_parse_dates(pd.Series([value]), name, datetime_format), unit, name)[0])


def _summary_call(function, transactions: pd.DataFrame, customer_id_col: str, datetime_col: str,
                  monetary_value_col: str | None, datetime_format: str | None, unit: str, **window):
    """Codes, stamps and values of a log handed to a C++ summary ``function``; returns its
    (columns, customers) table, the customers' index (ids, sorted) and the rest of what it returns."""
    ids = transactions[customer_id_col]
    codes, uniques, dense = _checked_codes(ids, customer_id_col)
    stamps = _log_stamps(transactions[datetime_col], datetime_col, datetime_format)
    values = None
    if monetary_value_col is not None:
        values = as_float_array(transactions[monetary_value_col], monetary_value_col, ndim=(1,), allow_empty=True)
    # Factorized codes are in order of appearance: C++ writes the customers in order of their ids.
    order = None if dense else np.argsort(uniques, kind="stable")
    try:
        table, kept, *rest = function(codes, stamps, values, len(uniques), _PERIOD[unit], order=order,
                                      customer_name=customer_id_col, date_name=datetime_col,
                                      value_name=monetary_value_col or "value", **window)
    except ValueError as error:
        raise _row_error(error, ids.index) from None
    except OverflowError as error:  # recency or T over a tiny freq_multiplier
        raise OverflowError(f"freq_multiplier {window.get('time_scale')!r} is too small: {error}") from None
    index = pd.Index(kept, name=customer_id_col, copy=False) if dense else pd.Index(
        uniques.take(kept), name=customer_id_col)
    return table, index, rest


def _frame(table: np.ndarray, index: pd.Index, columns: list[str]) -> pd.DataFrame:
    """A frame over the C++ (columns, customers) table: its transpose is one pandas block, no copy."""
    return pd.DataFrame(table.T, index=index, columns=columns, copy=False)


def rfm_summary(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: str | None = None,
    freq: str = "D",
    observation_period_end=None,
    datetime_format: str | None = None,
    freq_multiplier: float = 1,
    include_first_transaction: bool = False,
) -> pd.DataFrame:
    """Frequency, recency, age and mean spend per customer from a transaction log.

    Same output as ``lifetimes.utils.summary_data_from_transaction_data``: transactions in the
    same period (``freq``) are merged; ``frequency`` counts the periods with purchases after the
    first; ``recency`` is the time from the first to the last purchase period and ``T`` from the
    first purchase period to ``observation_period_end``, in periods; ``monetary_value`` is the
    mean of the repeat periods' summed values (0 for customers without repeats).

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction.
    customer_id_col, datetime_col : str
        Column names of the customer id and the transaction time (datetimes or parseable strings).
    monetary_value_col : str, optional
        Column of transaction values; adds ``monetary_value`` to the result.
    freq : str
        Period length: "h" (or "H"), "D", "W", "M", "Q" or "Y" (see
        :mod:`trustcost.relationship.units`).
    observation_period_end : date-like, optional
        End of the observation window; default the last transaction. Later transactions are
        excluded and counted in ``result.attrs["excluded"]``.
    datetime_format : str, optional
        ``strptime`` format for string dates.
    freq_multiplier : float
        ``recency`` and ``T`` are divided by it: with ``freq="h"`` and ``freq_multiplier=24``
        they are in days, exact to the hour (lifetimes' argument of the same name). Purchases are
        still merged per ``freq`` period.
    include_first_transaction : bool
        Count the first period too in ``frequency`` and ``monetary_value`` (lifetimes' argument);
        leave False for the repeat-purchase models, which count repeat purchases only.

    Dates must be dates (datetimes or strings); numbers are refused rather than read as
    nanoseconds since 1970. Time-zone-aware dates count on their local calendar (the wall clock
    where the purchase happened).

    Returns
    -------
    DataFrame indexed by customer id (sorted), float columns ``frequency``, ``recency``, ``T``
    [, ``monetary_value``].

    References
    ----------
    Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2).
    """
    _check_log(transactions, customer_id_col, datetime_col, monetary_value_col)
    unit = time_unit(freq)
    multiplier = _check_multiplier(freq_multiplier)
    include_first_transaction = check_flag(include_first_transaction, "include_first_transaction")
    end = None if observation_period_end is None else _one_period(
        observation_period_end, "observation_period_end", unit, datetime_format)
    # One C++ pass: checks, dates to periods, rows after the end excluded, per-customer sums.
    table, index, (_, excluded) = _summary_call(
        _core.rfm_summary, transactions, customer_id_col, datetime_col, monetary_value_col, datetime_format, unit,
        end=end, include_first=bool(include_first_transaction), time_scale=multiplier)
    if len(index) == 0:
        raise ValueError(f"transactions has no rows on or before observation_period_end {observation_period_end!r}")
    columns = ["frequency", "recency", "T"] + (["monetary_value"] if monetary_value_col is not None else [])
    result = _frame(table, index, columns)
    result.attrs["excluded"] = {"rows": excluded, "reason": "after observation_period_end"} if excluded else {}
    return result


def summary_data_from_transaction_data(transactions, customer_id_col, datetime_col, monetary_value_col=None,
                                       datetime_format=None, observation_period_end=None, freq="D",
                                       freq_multiplier=1, include_first_transaction=False) -> pd.DataFrame:
    """lifetimes' name and argument order for :func:`rfm_summary` (same result)."""
    return rfm_summary(transactions, customer_id_col, datetime_col, monetary_value_col=monetary_value_col, freq=freq,
                       observation_period_end=observation_period_end, datetime_format=datetime_format,
                       freq_multiplier=freq_multiplier, include_first_transaction=include_first_transaction)


def _check_log(transactions, customer_id_col, datetime_col, monetary_value_col) -> None:
    """A DataFrame with the named columns (monetary_value_col may be None), or an error naming the argument."""
    if not isinstance(transactions, pd.DataFrame):
        raise TypeError(f"transactions must be a pandas DataFrame, got {type(transactions).__name__}")
    for label, col in (("customer_id_col", customer_id_col), ("datetime_col", datetime_col),
                       ("monetary_value_col", monetary_value_col)):
        if col is None and label == "monetary_value_col":
            continue
        try:
            present = col is not None and col in transactions.columns
        except TypeError:  # unhashable: a list, an array, a Series
            raise TypeError(f"{label} must be a column name, got {type(col).__name__}") from None
        if not present:
            raise ValueError(f"{label} {col!r} is not a column of transactions; columns are {list(transactions.columns)}")


def _check_multiplier(value) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"freq_multiplier must be a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:  # a Python int beyond the float range
        number = float("inf")
    if not (np.isfinite(number) and number > 0):
        raise ValueError(f"freq_multiplier must be finite and > 0, got {value!r}")
    return number


def summary_columns(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index | None]:
    """Float arrays of a customer summary (and the index, if a pandas Series came in), not yet
    checked against the row rule: for callers whose C++ function checks the rows itself."""
    index = frequency.index if isinstance(frequency, pd.Series) else None
    arrays = [as_float_array(v, n, ndim=(0, 1)) for v, n in ((frequency, "frequency"), (recency, "recency"), (T, "T"))]
    if not (arrays[0].shape == arrays[1].shape == arrays[2].shape and arrays[0].ndim == 1):
        arrays = broadcast_rows(arrays, ["frequency", "recency", "T"])
    return arrays[0], arrays[1], arrays[2], index


def summary_arrays(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index | None]:
    """Checked float arrays of a customer summary (and the index, if a pandas Series came in).

    Raises ValueError naming the column and first bad row: negative or fractional frequency,
    negative recency or T, recency > T, recency > 0 with frequency 0, NaN.
    """
    x, t_x, age, index = summary_columns(frequency, recency, T)
    _core.check_summary(x, t_x, age)
    return x, t_x, age, index


def parse_dates(column: pd.Series, name: str, datetime_format: str | None = None) -> pd.Series:
    """Naive datetimes (wall-clock time) of a column of dates or date strings, as :func:`rfm_summary`
    reads them; ValueError naming the column ``name`` and the first bad row (numbers are refused)."""
    return _parse_dates(column, name, datetime_format)
