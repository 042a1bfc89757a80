"""Time value of money: discounting, NIST Handbook 135 factors and cash-flow measures.

Conventions follow numpy-financial: in a cash-flow series ``values[0]`` is the flow at time 0
and ``values[t]`` the flow of period ``t``. A 1-D series gives a float; a 2-D array (one row per
series) gives one value per row, computed in C++ with the GIL released and rows split over
threads (see :func:`trustcost.set_num_threads`); results do not depend on the thread count.

References
----------
S. K. Fuller and S. R. Petersen, *Life-Cycle Costing Manual for the Federal Energy Management
Program*, NIST Handbook 135 (1995), chapters 4 and 6; ASTM E917 *Standard Practice for
Measuring Life-Cycle Costs of Buildings and Building Systems*; ASTM E1057 (AIRR).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import _core
from ._validation import as_float, as_float_array, check_choice

__all__ = [
    "discount_factors",
    "real_rate",
    "nominal_rate",
    "spv",
    "upv",
    "crf",
    "eac",
    "npv",
    "irr",
    "irr_all",
    "xnpv",
    "xirr",
    "payback",
    "net_savings",
    "sir",
    "airr",
]

TIMINGS = ("end", "mid", "begin")


def _scalar_or_array(result):
    """Vectorised factors return 0-d arrays for scalar input: give a float there."""
    result = np.asarray(result)
    return float(result) if result.ndim == 0 else result


def _numeric(value, name):
    return as_float_array(value, name, ndim=(0, 1, 2))


def _per_row(values, name):
    """Series as a 2-D batch, and how to shape results back (float, array, or pandas Series)."""
    index = values.index if isinstance(values, pd.DataFrame) else None
    array = as_float_array(values, name)
    one = array.ndim == 1
    batch = array[np.newaxis, :] if one else array

    def shape(result):
        if one:
            return float(result[0])
        return pd.Series(result, index=index) if index is not None else result

    return batch, shape


def discount_factors(rate: float, periods: int, timing: str = "end", continuous: bool = False) -> np.ndarray:
    """Discount factors for periods ``1..periods``.

    Parameters
    ----------
    rate : float
        Discount rate per period, > -1 (any finite value when ``continuous``).
    periods : int
        Number of periods, >= 0.
    timing : {"end", "mid", "begin"}
        Where a period's flow falls: at ``t``, ``t - 0.5`` or ``t - 1`` (NIST Handbook 135 §4.3
        end-of-year and mid-year conventions).
    continuous : bool
        Treat ``rate`` as continuously compounded: factor ``exp(-rate * time)``.

    Returns
    -------
    numpy.ndarray
        ``periods`` factors, ``(1 + rate) ** -time`` each.

    Examples
    --------
    >>> discount_factors(0.1, 3)
    array([0.90909091, 0.82644628, 0.7513148 ])
    """
    if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)):
        raise TypeError(f"periods must be an integer, got {type(periods).__name__} {periods!r}")
    if periods < 0:
        raise ValueError(f"periods must be >= 0, got {periods}")
    check_choice(timing, "timing", TIMINGS)
    return _core.discount_factors(as_float(rate, "rate"), int(periods), timing, bool(continuous))


def real_rate(nominal, inflation):
    """Real rate from a nominal rate and general inflation: ``(1 + nominal) / (1 + inflation) - 1``.

    Both arguments broadcast like numpy arrays. NIST Handbook 135 eq. 4.5.
    """
    return _scalar_or_array(_core.real_rate(_numeric(nominal, "nominal"), _numeric(inflation, "inflation")))


def nominal_rate(real, inflation):
    """Nominal rate from a real rate and general inflation: ``(1 + real)(1 + inflation) - 1``."""
    return _scalar_or_array(_core.nominal_rate(_numeric(real, "real"), _numeric(inflation, "inflation")))


def spv(rate, n):
    """Single present value factor ``(1 + rate) ** -n`` (NIST Handbook 135, SPV).

    Examples
    --------
    >>> round(spv(0.10, 10), 4)   # P/F, 10%, 10 years in compound-interest tables
    0.3855
    """
    return _scalar_or_array(_core.spv(_numeric(rate, "rate"), _numeric(n, "n")))


def upv(rate, n, escalation=0.0, timing: str = "end"):
    """Uniform present value factor of 1 per period for ``n`` periods.

    With ``escalation`` the amount grows by that rate each period (NIST's UPV*):
    ``sum_{t=1..n} ((1 + e) / (1 + d)) ** t``. ``timing="mid"`` multiplies by ``(1 + d) ** 0.5``
    and ``"begin"`` by ``(1 + d)`` (NIST Handbook 135 §4.3 and table notes).

    Examples
    --------
    >>> round(upv(0.10, 10), 4)   # P/A, 10%, 10 years
    6.1446
    """
    check_choice(timing, "timing", TIMINGS)
    return _scalar_or_array(
        _core.upv(_numeric(rate, "rate"), _numeric(n, "n"), _numeric(escalation, "escalation"), timing)
    )


def crf(rate, n):
    """Capital recovery factor ``d (1 + d)^n / ((1 + d)^n - 1)``, ``1 / n`` at ``d = 0`` (NIST's UCR)."""
    return _scalar_or_array(_core.crf(_numeric(rate, "rate"), _numeric(n, "n")))


def eac(present_value, rate, n):
    """Equivalent annual cost (or value): ``present_value * crf(rate, n)``."""
    return _scalar_or_array(
        _core.eac(_numeric(present_value, "present_value"), _numeric(rate, "rate"), _numeric(n, "n"))
    )


def npv(rate, values, timing: str = "end"):
    """Net present value of cash-flow series, ``sum_t values[t] / (1 + rate) ** t``.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per period, > -1; a scalar, or one rate per row of ``values``.
    values : array_like or pandas.DataFrame
        One series (1-D) or one series per row (2-D). ``values[0]`` is at time 0.
    timing : {"end", "mid", "begin"}
        Where the flows of periods ``t >= 1`` fall inside their period (``values[0]`` stays at 0).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        A float for 1-D input; one value per row otherwise (a Series indexed like a DataFrame).

    Examples
    --------
    numpy-financial's documented example:

    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)
    3065.22
    """
    check_choice(timing, "timing", TIMINGS)
    batch, shape = _per_row(values, "values")
    rates = as_float_array(rate, "rate", ndim=(0, 1)).reshape(-1)
    return shape(_core.npv(batch, rates, timing))


def irr(values):
    """Internal rate of return: the rate at which ``npv(rate, values) == 0``.

    Each series is first checked for a root: with no sign change in its flows (Descartes' rule)
    there is none and the result is NaN for that series, never an error for the batch. With one
    sign change the root is unique and is found by TOMS 748 (Alefeld, Potra & Shi 1995, from
    Boost.Math) on a bracket, then polished by Newton steps. With several sign changes there may
    be several rates; like numpy-financial, the one closest to zero is returned. Use
    :func:`irr_all` to see all of them.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)   # numpy-financial's documented example
    0.28095
    """
    batch, shape = _per_row(values, "values")
    return shape(_core.irr(batch))


def irr_all(values) -> np.ndarray:
    """Every rate > -1 at which the NPV of one series is zero, ascending.

    Roots of the NPV polynomial in ``1 / (1 + r)`` from the eigenvalues of its companion matrix
    (Eigen), polished by Newton steps. An empty array when there is none.
    """
    return _core.irr_all(as_float_array(values, "values", ndim=(1,)))


def _days(dates, n: int) -> np.ndarray:
    if len(dates) != n:
        raise ValueError(f"dates must have one date per amount ({n}), got {len(dates)}")
    try:
        parsed = pd.to_datetime(pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"dates could not be read as dates: {exc}") from None
    if parsed.isna().any():
        raise ValueError(f"dates[{int(np.flatnonzero(parsed.isna().to_numpy())[0])}] is missing (NaT)")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    return parsed.to_numpy().astype("datetime64[D]").astype(np.int64)


def xnpv(rate: float, amounts, dates) -> float:
    """Net present value of dated flows, Actual/365 Fixed from the first date (as Excel's XNPV).

    Parameters
    ----------
    rate : float
        Annual discount rate, > -1.
    amounts : array_like
        The flows.
    dates : array_like of dates
        numpy ``datetime64``, pandas Timestamps, ``datetime.date`` or ISO strings, one per
        amount. The first date must be the earliest; equal dates are allowed.
    """
    a = as_float_array(amounts, "amounts", ndim=(1,))
    return _core.xnpv(as_float(rate, "rate"), a, _days(dates, a.size))


def xirr(amounts, dates) -> float:
    """Annual rate at which :func:`xnpv` is zero; NaN when the flows never change sign."""
    a = as_float_array(amounts, "amounts", ndim=(1,))
    return _core.xirr(a, _days(dates, a.size))


def payback(values, rate=None, fractional: bool = False):
    """Payback period: the first period in which the cumulative flow is >= 0.

    Parameters
    ----------
    values : array_like or pandas.DataFrame
        One series or one per row; ``values[0]`` at time 0 (usually the negative investment).
    rate : float, optional
        Discount rate: gives the discounted payback period. Simple payback when omitted.
    fractional : bool
        Interpolate linearly inside the period in which the cumulative flow crosses zero.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Periods; NaN for a series that never pays back within its length.
    """
    batch, shape = _per_row(values, "values")
    r = None if rate is None else as_float(rate, "rate")
    return shape(_core.payback(batch, r, bool(fractional)))


def _present_values(savings, investment, rate, timing):
    pv_savings = npv(rate, savings, timing)
    pv_investment = npv(rate, investment, timing)
    s, i = np.shape(as_float_array(savings, "savings")), np.shape(as_float_array(investment, "investment"))
    if s != i:
        raise ValueError(f"savings and investment must have the same shape, got {s} and {i}")
    return pv_savings, pv_investment


def net_savings(savings, investment, rate, timing: str = "end"):
    """Net savings of an alternative over a base (NIST Handbook 135 §6.2): ``PV(savings) - PV(investment)``.

    Parameters
    ----------
    savings : array_like
        Operational savings of the alternative per period (base cost minus alternative cost),
        ``savings[0]`` at time 0; one series or one per row.
    investment : array_like
        Additional investment-related cost of the alternative per period (same shape).
    rate : float or array_like
        Discount rate.
    """
    pv_savings, pv_investment = _present_values(savings, investment, rate, timing)
    return pv_savings - pv_investment


def sir(savings, investment, rate, timing: str = "end"):
    """Savings-to-investment ratio ``PV(savings) / PV(investment)`` (NIST Handbook 135 §6.3).

    Conventions for the cases the ratio does not cover: with no additional investment
    (``PV(investment) <= 0``) and positive savings the alternative dominates and the SIR is
    ``inf``; with no savings and lower investment likewise ``inf``; with neither, or with both
    negative (the alternative is cheaper to buy but costs more to run: compare the other way
    round), it is NaN.
    """
    pv_savings, pv_investment = _present_values(savings, investment, rate, timing)
    return _scalar_or_array(_core.sir(pv_savings, pv_investment))


def airr(savings, investment, rate, reinvestment_rate=None, timing: str = "end"):
    """Adjusted internal rate of return ``(1 + r) * SIR ** (1 / N) - 1`` (NIST Handbook 135 eq. 6.9).

    ``N`` is the study period (number of periods after time 0) and ``r`` the reinvestment rate,
    by NIST's convention the discount rate when not given. ``inf`` where the SIR is infinite,
    NaN where it is undefined or negative.
    """
    ratio = sir(savings, investment, rate, timing)
    periods = as_float_array(savings, "savings").shape[-1] - 1
    if periods < 1:
        raise ValueError(f"savings must span at least one period after time 0, got {periods + 1} values")
    reinvest = np.asarray(rate if reinvestment_rate is None else reinvestment_rate, dtype=float)
    return _scalar_or_array(_core.airr(ratio, reinvest, float(periods)))
