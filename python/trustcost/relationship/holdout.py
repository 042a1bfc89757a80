"""Calibration/holdout validation and cumulative tracking of repeat-purchase models.

The everyday check of a fitted model: fit on a calibration period, predict the holdout period,
compare with what customers actually did (per customer, by calibration frequency, and the
cumulative repeat transactions of the whole cohort over time).

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting Your Customers the Easy Way",
Marketing Science 24(2), 275-284, section 4 (calibration/holdout, conditional expectations).
lifetimes (``calibration_and_holdout_data``, ``expected_cumulative_transactions``) and the R
package BTYD (``pnbd.PlotTrackingCum``), whose names and table layout these follow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import check_flag, check_int
from .rfm import (_check_log, _check_multiplier, _customer_codes, _frame, _one_period, _parse_dates, _period_numbers,
                  _summary_call, periods_to_index)
from .units import time_unit

#: Lags of the cumulative-tracking curve evaluated per model call (Ctrl-C is heard between calls).
_CURVE_CHUNK = 200_000

__all__ = ["HoldoutValidation", "calibration_and_holdout_data", "expected_cumulative_transactions", "holdout_validation"]


def _periods_of(transactions: pd.DataFrame, customer_id_col: str, datetime_col: str, unit: str,
                datetime_format: str | None):
    for label, col in (("customer_id_col", customer_id_col), ("datetime_col", datetime_col)):
        if col not in transactions.columns:
            raise ValueError(f"{label} {col!r} is not a column of transactions; columns are {list(transactions.columns)}")
    return _period_numbers(_parse_dates(transactions[datetime_col], datetime_col, datetime_format), unit, datetime_col)


def calibration_and_holdout_data(
    transactions: pd.DataFrame,
    customer_id_col: str,
    datetime_col: str,
    calibration_period_end,
    observation_period_end=None,
    freq: str = "D",
    freq_multiplier: float = 1,
    datetime_format: str | None = None,
    monetary_value_col: str | None = None,
    include_first_transaction: bool = False,
) -> pd.DataFrame:
    """Per-customer summary of a calibration period and the purchases of the holdout period after it.

    Same layout as lifetimes' function of this name: ``frequency_cal``, ``recency_cal``,
    ``T_cal`` [, ``monetary_value_cal``] as :func:`rfm_summary` computes them on the transactions up
    to ``calibration_period_end`` (inclusive, by period of ``freq``), then ``frequency_holdout``
    (periods with purchases in the holdout) [, ``monetary_value_holdout``, the mean of those periods'
    summed values, 0 without], and ``duration_holdout``, the holdout length in periods divided by
    ``freq_multiplier``. Customers whose first purchase falls in the holdout are not in the table
    (the models predict customers already acquired).

    Parameters
    ----------
    calibration_period_end, observation_period_end : date-like
        Last date of the calibration period and of the whole observation (default: the last
        transaction); transactions after ``observation_period_end`` are ignored.
    freq, freq_multiplier, datetime_format, monetary_value_col, include_first_transaction
        As in :func:`rfm_summary`.

    Every row is checked as in :func:`rfm_summary` (holdout rows and those after the end too), in
    the same single C++ pass that sums both periods.
    """
    _check_log(transactions, customer_id_col, datetime_col, monetary_value_col)
    unit = time_unit(freq)
    multiplier = _check_multiplier(freq_multiplier)
    include_first_transaction = check_flag(include_first_transaction, "include_first_transaction")
    cal_end = _one_period(calibration_period_end, "calibration_period_end", unit, datetime_format)
    obs_end = None if observation_period_end is None else _one_period(
        observation_period_end, "observation_period_end", unit, datetime_format)

    def empty_holdout():
        return ValueError(
            f"observation_period_end {observation_period_end!r} must fall in a later {unit!r} period than "
            f"calibration_period_end {calibration_period_end!r}: the holdout period would be empty"
        )

    if obs_end is not None and obs_end <= cal_end:
        raise empty_holdout()
    # One C++ pass: checks, dates to periods, calibration and holdout sums per customer.
    table, index, (obs_end, after_end, first_in_holdout) = _summary_call(
        _core.calibration_and_holdout, transactions, customer_id_col, datetime_col, monetary_value_col,
        datetime_format, unit, calibration_end=cal_end, observation_end=obs_end,
        include_first=bool(include_first_transaction), time_scale=multiplier)
    if obs_end <= cal_end:  # the default end, the last transaction, is in the calibration
        raise empty_holdout()
    if len(index) == 0:
        raise ValueError(f"no transaction on or before calibration_period_end {calibration_period_end!r}")
    money = monetary_value_col is not None
    columns = (["frequency_cal", "recency_cal", "T_cal"] + (["monetary_value_cal"] if money else [])
               + ["frequency_holdout"] + (["monetary_value_holdout"] if money else []) + ["duration_holdout"])
    out = _frame(table, index, columns)
    out.attrs["excluded"] = {"customers first seen in the holdout": first_in_holdout,
                             "rows after observation_period_end": after_end}
    return out


class HoldoutValidation:
    """Holdout purchases predicted by a model next to the actual ones.

    Attributes
    ----------
    customers : DataFrame
        One row per customer: the calibration summary, ``actual`` and ``predicted`` holdout purchases.
    summary : DataFrame
        Mean actual and predicted holdout purchases by calibration frequency (capped at
        ``max_frequency``: the last row gathers everyone above), with customer counts.
    metrics : Series
        Total actual and predicted purchases, their ratio, mean absolute error and RMSE per customer.
    """

    def __init__(self, customers: pd.DataFrame, max_frequency: int):
        self.customers = customers
        group = np.minimum(customers["frequency_cal"].to_numpy(), max_frequency).astype(int)
        grouped = customers.groupby(group)
        self.summary = pd.DataFrame(
            {"customers": grouped.size(), "actual": grouped["actual"].mean(), "predicted": grouped["predicted"].mean()}
        ).rename_axis("frequency_cal")
        error = customers["predicted"] - customers["actual"]
        total_actual, total_predicted = customers["actual"].sum(), customers["predicted"].sum()
        self.metrics = pd.Series({
            "customers": float(len(customers)), "actual": total_actual, "predicted": total_predicted,
            "predicted / actual": total_predicted / total_actual if total_actual > 0 else np.nan,
            "mean absolute error": float(error.abs().mean()), "RMSE": float(np.sqrt((error ** 2).mean())),
        }, name="holdout")

    def to_frame(self) -> pd.DataFrame:
        return self.customers

    def __repr__(self) -> str:
        m = self.metrics
        return (f"<HoldoutValidation: {m['customers']:g} customers, {m['actual']:g} actual vs "
                f"{m['predicted']:.1f} predicted holdout purchases; MAE {m['mean absolute error']:.3f}>")

    def _repr_html_(self) -> str:
        return (f"<p><b>Holdout validation</b>: {self.metrics['customers']:g} customers</p>"
                + self.metrics.to_frame().to_html(float_format=lambda v: f"{v:.3f}")
                + self.summary.to_html(float_format=lambda v: f"{v:.3f}"))

    def plot(self, ax=None):
        """Mean actual and predicted holdout purchases by calibration frequency; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(self.summary.index, self.summary["actual"], "o-", label="actual")
        ax.plot(self.summary.index, self.summary["predicted"], "s--", label="model")
        labels = [str(i) for i in self.summary.index]
        labels[-1] += "+"
        ax.set_xticks(self.summary.index, labels)
        ax.set_xlabel("purchases in the calibration period")
        ax.set_ylabel("mean purchases in the holdout period")
        ax.set_title("Calibration vs holdout purchases")
        ax.legend()
        return ax


def holdout_validation(model, calibration_holdout: pd.DataFrame, max_frequency: int = 7) -> HoldoutValidation:
    """Compare a model fitted on the calibration columns with the holdout purchases.

    ``calibration_holdout`` is the table of :func:`calibration_and_holdout_data`; the model
    predicts each customer's purchases over ``duration_holdout`` from their calibration history
    (FHL 2005 eq. 10 for BG/NBD).
    """
    needed = ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]
    missing = [c for c in needed if c not in calibration_holdout.columns]
    if missing:
        raise ValueError(f"calibration_holdout must have columns {needed} (see calibration_and_holdout_data); missing {missing}")
    max_frequency = check_int(max_frequency, "max_frequency", 0, what="a whole number")
    data = calibration_holdout
    predicted = np.asarray(model.expected_purchases(
        data["duration_holdout"].to_numpy(dtype=float), data["frequency_cal"].to_numpy(dtype=float),
        data["recency_cal"].to_numpy(dtype=float), data["T_cal"].to_numpy(dtype=float)), dtype=float)
    customers = data[["frequency_cal", "recency_cal", "T_cal"]].copy()
    customers["actual"] = data["frequency_holdout"].to_numpy(dtype=float)
    customers["predicted"] = predicted
    return HoldoutValidation(customers, int(max_frequency))


def expected_cumulative_transactions(
    model,
    transactions: pd.DataFrame,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    datetime_format: str | None = None,
    freq: str = "D",
    freq_multiplier: int = 1,
    set_index_date: bool = False,
) -> pd.DataFrame:
    """Actual and model-predicted cumulative repeat transactions of the cohort, period by period.

    As lifetimes' function of this name (and BTYD's cumulative tracking): from the period of the
    first transaction, for ``t`` periods of ``freq``; every ``freq_multiplier`` periods (one model
    time unit) a row with ``actual``, the repeat transactions so far (one per customer and period,
    first purchases excluded), and ``predicted``, the sum over customers acquired so far of the
    model's E[X(time since their first purchase)] (:meth:`expected_purchases_population`). Customers
    are counted from their first purchase on, also those first seen after the calibration period.

    Returns
    -------
    DataFrame with columns ``actual`` and ``predicted``, indexed 0, 1, ... or, with
    ``set_index_date=True``, by the last period of each row.
    """
    if not isinstance(transactions, pd.DataFrame):
        raise TypeError(f"transactions must be a pandas DataFrame, got {type(transactions).__name__}")
    unit = time_unit(freq)
    t = check_int(t, "t", 1, what="a whole number")
    freq_multiplier = check_int(freq_multiplier, "freq_multiplier", 1, what="a whole number")
    if t > 10_000_000:
        raise ValueError(f"t must be at most 10,000,000 periods, got {t}")
    periods = _periods_of(transactions, customer_id_col, datetime_col, unit, datetime_format)
    if periods.size == 0:
        raise ValueError("transactions is empty")
    start = int(periods.min())
    keep = periods <= start + t
    codes, _, _ = _customer_codes(transactions[customer_id_col].iloc[np.flatnonzero(keep)])
    pairs = np.unique(np.stack([codes, periods[keep] - start]), axis=1)  # one purchase per customer and period
    first = np.ones(pairs.shape[1], dtype=bool)
    first[1:] = pairs[0, 1:] != pairs[0, :-1]  # sorted by customer, then period
    steps = np.arange(1, t // freq_multiplier + 1) * freq_multiplier  # period offsets closing each row
    # actual: repeat transactions in periods 0 .. step-1.
    repeat_offsets = np.sort(pairs[1, ~first])
    actual = np.searchsorted(repeat_offsets, steps, side="left").astype(float)
    # predicted: customers acquired at offset f contribute E[X((step - f) / multiplier)] for f < step.
    # The lags are whole periods 1..last step: E once per lag (in chunks, so Ctrl-C is heard between
    # them), then per acquisition offset a shifted copy of that curve (a convolution).
    acquired_at, acquired = np.unique(pairs[1, first], return_counts=True)
    lags = np.arange(1, int(steps[-1]) + 1 if steps.size else 1, dtype=np.float64)
    curve = np.zeros(lags.size + 1)  # curve[L] = E[X(L / multiplier)], curve[0] = 0
    for lo in range(0, lags.size, _CURVE_CHUNK):
        chunk = lags[lo:lo + _CURVE_CHUNK] / freq_multiplier
        curve[1 + lo:1 + lo + chunk.size] = np.asarray(model.expected_purchases_population(chunk), dtype=float)
    predicted = np.zeros(steps.size)
    for offset, count in zip(acquired_at.tolist(), acquired.astype(float).tolist()):
        predicted += count * curve[np.clip(steps - offset, 0, None)]
    index = periods_to_index(start + steps - 1, unit) if set_index_date else pd.RangeIndex(steps.size)
    return pd.DataFrame({"actual": actual, "predicted": predicted}, index=index)
