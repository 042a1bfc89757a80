"""Dates as whole days since 1970-01-01, read the same way wherever trustcost takes dates.

Numbers are not dates: they are refused with a message saying how to pass day counts, since
numpy and pandas would read them as nanoseconds since 1970. Time-zone-aware timestamps are
reduced to their local calendar date (the wall-clock date where they were recorded), never
shifted to UTC first, so a payment dated 2024-03-01 00:30+02:00 stays on 2024-03-01.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re

import numpy as np
import pandas as pd


_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)|(?<!\d)\d{8}(?!\d)")  # 2015-06-11, 11/06/2015, 20150611


def _refuse_numbers(values, name: str, hint: str) -> None:
    for i, v in enumerate(values):
        if isinstance(v, (numbers.Number, np.number)) and not isinstance(v, (np.datetime64, np.timedelta64)):
            raise TypeError(
                f"{name}[{i}] is a number ({v!r}), not a date: numbers would be read as nanoseconds since 1970. "
                f"Pass datetime64 values, pandas Timestamps, datetime.date objects or ISO strings; {hint}"
            )


def as_days(dates, name: str = "dates", hint: str = "") -> np.ndarray:
    """``dates`` (1-D) as int64 days since 1970-01-01, local calendar dates, or raise naming ``name``."""
    if isinstance(dates, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array; pass {name}.compressed() or fill it: masks are not read")
    if isinstance(dates, (str, bytes, _dt.date, np.datetime64, pd.Timestamp)):
        raise TypeError(f"{name} must be a sequence of dates, got a single {type(dates).__name__}")
    if isinstance(dates, (pd.Series, pd.Index)):
        series = pd.Series(dates) if isinstance(dates, pd.Index) else dates
        values = series if pd.api.types.is_datetime64_any_dtype(series.dtype) else series.tolist()
    else:
        if isinstance(dates, (list, tuple)):
            _refuse_numbers(dates, name, hint)  # before numpy turns a mixed list into strings
        array = np.asarray(dates)
        if array.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
        if array.dtype.kind in "biufc":
            raise TypeError(
                f"{name} must be dates, got numbers (dtype {array.dtype}): numbers would be read as nanoseconds "
                f"since 1970. Pass datetime64 values, pandas Timestamps, datetime.date objects or ISO strings; {hint}"
            )
        if array.dtype.kind == "M":
            return _checked(array.astype("datetime64[D]"), name)
        values = list(array) if array.dtype == object else array
    if isinstance(values, pd.Series):  # a datetime64 Series, naive or tz-aware
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)  # keep the wall-clock (local) date
        return _checked(values.to_numpy().astype("datetime64[D]"), name)
    _refuse_numbers(values, name, hint)
    return _checked(np.array([_local_date(v, name, i) for i, v in enumerate(values)], dtype="datetime64[D]"), name)


def _local_date(value, name: str, i: int):
    """One date object as its local calendar date (time of day and zone dropped, not converted)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return np.datetime64("NaT")
    if isinstance(value, np.datetime64):
        return value
    if isinstance(value, (str, bytes)):
        text = value.decode() if isinstance(value, bytes) else str(value)
        if not _FOUR_DIGIT_YEAR.search(text):
            # '11 Jun 15' could be 2015 or 1915 (or the 11th of June): refused, as pyxirr does.
            raise ValueError(f"{name}[{i}] = {text!r} has no four-digit year; write dates with the full year "
                             f"(ISO 8601: '2015-06-11')")
        try:
            value = pd.Timestamp(text)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}[{i}] could not be read as a date: {exc}") from None
        if value is pd.NaT:
            return np.datetime64("NaT")
    if isinstance(value, _dt.datetime):  # also pandas Timestamp; aware or naive: its own wall clock
        return np.datetime64(value.date())
    if isinstance(value, _dt.date):
        return np.datetime64(value)
    raise TypeError(f"{name}[{i}] must be a date, got {type(value).__name__} {value!r}")


def _checked(days: np.ndarray, name: str) -> np.ndarray:
    missing = np.isnat(days)
    if missing.any():
        raise ValueError(f"{name}[{int(np.flatnonzero(missing)[0])}] is missing (NaT)")
    return days.astype(np.int64)
