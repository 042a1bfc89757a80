"""Diagnostic plots of repeat-purchase models (matplotlib).

Each function draws on ``ax`` (a new figure when omitted) and returns the Axes; nothing is shown,
so scripts and notebooks decide. The names are lifetimes' (``lifetimes.plotting``), so its users
find them; the arguments follow trustcost's models (``frequency``, ``recency``, ``T``).

References
----------
P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting Your Customers the Easy Way",
Marketing Science 24(2), figures 2-5 (period-transaction histogram, calibration vs holdout,
cumulative tracking); Fader, Hardie & Lee (2005) "RFM and CLV", JMR 42(4) (iso-value plots).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _plotting
from .._validation import check_int
from .holdout import expected_cumulative_transactions, holdout_validation
from .rfm import summary_arrays

__all__ = [
    "plot_calibration_purchases_vs_holdout_purchases",
    "plot_cumulative_transactions",
    "plot_frequency_recency_matrix",
    "plot_health_path",
    "plot_incremental_transactions",
    "plot_period_transactions",
    "plot_probability_alive_matrix",
]


#: Most bars of plot_period_transactions.
MAX_BARS = 1000


def _axes(ax, size=(6.5, 3.5)):
    """The package style (as the lifetime-cost charts): constrained layout, the package's series
    colours in order (actual, model, ...), a light grid."""
    ax = _plotting.axes(ax, figsize=size)
    ax.set_prop_cycle(color=_plotting.SERIES_COLORS)
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def _lifetimes_keywords(function: str, given: dict) -> None:
    """lifetimes' keyword names, refused with the name trustcost uses (never silently ignored)."""
    names = {"n": "max_frequency"}
    for key in given:
        if key in names:
            raise TypeError(f"{function}() takes {names[key]}, not {key} (lifetimes' name): "
                            f"{names[key]}={given[key]!r}")
    if given:
        raise TypeError(f"{function}() got an unexpected keyword argument {next(iter(given))!r}")


def plot_period_transactions(model, frequency, recency, T, max_frequency: int = 7, ax=None):
    """Customers by number of repeat purchases in the calibration period: actual vs model.

    The model's count is, for each customer, P(X(T) = n) over their own observation time T
    (:meth:`probability_of_n_purchases`), summed over customers: the expected histogram of the
    same cohort, not a simulation. The last bar gathers ``max_frequency`` and more.
    """
    x, _, age, _ = summary_arrays(frequency, recency, T)
    max_frequency = check_int(max_frequency, "max_frequency", 1, what="a whole number")
    if max_frequency > MAX_BARS:
        # The work and memory grow with bars x distinct T (10**7 bars took 24 GB); nobody reads them.
        raise ValueError(f"max_frequency must be at most {MAX_BARS} (the bars of a histogram), got {max_frequency}; "
                         "the last bar gathers every customer with max_frequency or more repeat purchases")
    counts = np.arange(max_frequency)
    # Distinct ages once each (customers share cohorts), weighted by their number.
    ages, weight = np.unique(age, return_counts=True)
    probabilities = np.asarray(model.probability_of_n_purchases(np.repeat(ages, counts.size), np.tile(counts, ages.size)))
    expected = (probabilities.reshape(ages.size, counts.size) * weight[:, None]).sum(axis=0)
    expected = np.append(expected, x.size - expected.sum())
    actual = np.bincount(np.minimum(x, max_frequency).astype(int), minlength=max_frequency + 1)
    labels = [str(n) for n in range(max_frequency)] + [f"{max_frequency}+"]
    ax = _axes(ax)
    where = np.arange(max_frequency + 1)
    ax.bar(where - 0.2, actual, width=0.4, label="actual")
    ax.bar(where + 0.2, expected, width=0.4, label="model")
    ax.set_xticks(where, labels)
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("customers")
    ax.set_title("Frequency of repeat transactions")
    _plotting.legend_outside(ax)
    return ax


def _matrix_plot(frame: pd.DataFrame, title: str, colorbar_label: str, ax):
    ax = _axes(ax, size=(6, 5))
    ax.grid(False)  # a grid over an image hides its cells
    image = ax.imshow(frame.to_numpy(), aspect="auto", origin="lower", interpolation="nearest",
                      extent=(-0.5, frame.columns[-1] + 0.5, -0.5, frame.index[-1] + 0.5))
    ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    ax.set_xlabel("repeat purchases (frequency)")
    ax.set_ylabel("time of last purchase (recency)")
    ax.set_title(title)
    return ax


def plot_frequency_recency_matrix(model, t: float = 1.0, max_frequency=None, max_recency=None, T=None, ax=None):
    """Expected purchases in the next ``t`` periods by frequency and recency (customers observed ``T``)."""
    frame = model.expected_purchases_matrix(t, max_frequency, max_recency, T)
    return _matrix_plot(frame, f"Expected purchases in the next {t:g} periods", "expected purchases", ax)


def plot_probability_alive_matrix(model, max_frequency=None, max_recency=None, T=None, ax=None):
    """P(alive) by frequency and recency for customers observed ``T`` periods."""
    frame = model.p_alive_matrix(max_frequency, max_recency, T)
    return _matrix_plot(frame, "Probability a customer is alive", "P(alive)", ax)


def plot_calibration_purchases_vs_holdout_purchases(model, calibration_holdout: pd.DataFrame, max_frequency: int = 7,
                                                    ax=None, **lifetimes_keywords):
    """Mean holdout purchases by calibration frequency, actual vs model (:func:`holdout_validation`).

    ``max_frequency`` is lifetimes' ``n`` (the last point gathers it and more); ``n=`` is refused
    with that name."""
    _lifetimes_keywords("plot_calibration_purchases_vs_holdout_purchases", lifetimes_keywords)
    ax = holdout_validation(model, calibration_holdout, max_frequency).plot(ax=_axes(ax))
    _plotting.legend_outside(ax)
    return ax


def plot_cumulative_transactions(model, transactions, datetime_col, customer_id_col, t, t_cal, datetime_format=None,
                                 freq="D", freq_multiplier=1, ax=None):
    """Cumulative repeat transactions, actual vs model, with the end of calibration ``t_cal`` marked
    (in the same units as ``t``: periods of ``freq``)."""
    frame = expected_cumulative_transactions(model, transactions, datetime_col, customer_id_col, t, datetime_format,
                                             freq, freq_multiplier)
    return _tracking(frame, t_cal / freq_multiplier, "Tracking cumulative transactions", "cumulative transactions", ax)


def plot_incremental_transactions(model, transactions, datetime_col, customer_id_col, t, t_cal, datetime_format=None,
                                  freq="D", freq_multiplier=1, ax=None):
    """Repeat transactions per model time unit, actual vs model, calibration end marked."""
    frame = expected_cumulative_transactions(model, transactions, datetime_col, customer_id_col, t, datetime_format,
                                             freq, freq_multiplier)
    frame = frame.diff().fillna(frame.iloc[:1])
    return _tracking(frame, t_cal / freq_multiplier, "Tracking incremental transactions", "transactions", ax)


def _tracking(frame: pd.DataFrame, calibration_end: float, title: str, ylabel: str, ax):
    ax = _axes(ax)
    steps = np.arange(1, len(frame) + 1)
    ax.plot(steps, frame["actual"].to_numpy(), label="actual")
    ax.plot(steps, frame["predicted"].to_numpy(), "--", label="model")
    ax.axvline(calibration_end, color="grey", linestyle=":", label="end of calibration")
    ax.set_xlabel("time since the first purchase of the cohort (model time units)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    _plotting.legend_outside(ax)
    return ax


def plot_health_path(path: pd.Series, threshold: float | None = None, time_unit: str = "months",
                     title: str | None = None, ax=None):
    """Relationship health over time (:func:`trustcost.health_path`), with the ``threshold`` the
    account is to be held at drawn and named in the legend.

    Parameters
    ----------
    path : pandas.Series
        Health in [0, 1] indexed by time, as :func:`trustcost.health_path` returns it.
    threshold : float, optional
        A level to mark (e.g. the 0.7 that :func:`trustcost.maintenance_effort` holds).
    time_unit : str
        The unit of the index, for the x label ("months", "weeks"...): the rates of the health
        model are per this unit.
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(path, pd.Series):
        raise TypeError(f"path must be the pandas Series of trustcost.health_path, got {type(path).__name__}")
    ax = _axes(ax)
    ax.plot(path.index.to_numpy(), path.to_numpy(), label="health")
    if threshold is not None:
        ax.axhline(threshold, color="grey", linestyle=":", label=f"threshold {threshold:g}")
    ax.set_xlabel(f"time ({time_unit})")
    ax.set_ylabel("relationship health (0 to 1)")
    ax.set_ylim(0, 1)
    if title:
        ax.set_title(title)
    _plotting.legend_outside(ax)
    return ax
