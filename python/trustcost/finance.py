"""Time value of money: discounting, NIST Handbook 135 factors and cash-flow measures.

Conventions follow numpy-financial: in a cash-flow series ``values[0]`` is the flow at time 0
and ``values[t]`` the flow of period ``t``. A 1-D series gives a float; a 2-D array (one row per
series) gives one value per row, computed in C++ with the GIL released and rows split over
threads (see :func:`trustcost.set_num_threads`); results do not depend on the thread count.

References
----------
S. K. Fuller and S. R. Petersen, *Life-Cycle Costing Manual for the Federal Energy Management
Program*, NIST Handbook 135 (1995), chapters 4 and 6; ASTM E917 *Standard Practice for
Measuring Life-Cycle Costs of Buildings and Building Systems*; ASTM E1057 (AIRR); Department of
Defense, *Economic Analysis Handbook*, MIL-HDBK-1003/13A (mid-year factors). The annuity functions
(pv, fv, pmt, nper, rate, ipmt, ppmt), mirr, npv and irr follow numpy-financial's names, argument
order, sign convention and broadcasting; where trustcost deliberately differs the docstring says so.

Masked arrays (``numpy.ma``) are refused with a TypeError rather than read without their masks:
pass ``x.compressed()`` (drop masked flows) or ``x.filled(0.0)`` (masked flows count as zero).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from . import _core
from ._dates import as_days
from ._errors import IterationsExceededError, NoRealSolutionError, NoSolutionWarning, NumericalWarning
from ._validation import as_float, as_float_array, check_choice, check_flag, check_int, reject_masked

__all__ = [
    "discount_factors",
    "real_rate",
    "nominal_rate",
    "spv",
    "upv",
    "crf",
    "eac",
    "pv",
    "fv",
    "pmt",
    "nper",
    "rate",
    "ipmt",
    "ppmt",
    "npv",
    "irr",
    "irr_all",
    "mirr",
    "xnpv",
    "xirr",
    "xirr_all",
    "payback",
    "cumipmt",
    "cumprinc",
    "nfv",
    "xnfv",
    "xfv",
    "year_fraction",
    "net_savings",
    "sir",
    "airr",
]

TIMINGS = ("end", "mid", "begin")
DAY_COUNTS = ("act/365f", "act/360", "30/360", "30e/360", "30/360 sia", "act/act isda")
MAX_PERIODS = 10**9
"""The most factors :func:`discount_factors` makes (8 GB of float64)."""
_WHEN = {"end": 0.0, "begin": 1.0, 0: 0.0, 1: 1.0}


def _flag(value, name: str) -> bool:
    """check_flag, with the common case (a plain bool) returned at once."""
    return value if value is False or value is True else check_flag(value, name)


def _max_iter(maxiter) -> int:
    """check_int within [1, 1000000], with the common case (a plain int in range) returned at once."""
    if type(maxiter) is int and 1 <= maxiter <= 1_000_000:
        return maxiter
    return check_int(maxiter, "maxiter", 1, 1_000_000)


def _guess(guess) -> float:
    return np.nan if guess is None else _real(guess, "guess")


def _real(value, name: str) -> float:
    """as_float, with the per-call cost of a plain finite float kept to two checks (xirr and xnpv
    are called once per schedule in loops)."""
    if type(value) is float and math.isfinite(value):
        return value
    return as_float(value, name)


def _scalar_or_array(result):
    """Vectorised factors return 0-d arrays for scalar input: give a float there."""
    result = np.asarray(result)
    return float(result) if result.ndim == 0 else result


def _refuse_bool(value, name):
    """Booleans are not amounts, rates or periods (True would silently count as 1)."""
    if isinstance(value, (bool, np.bool_)) or getattr(value, "dtype", None) == np.bool_:
        raise TypeError(f"{name} must be a number, got a boolean {value!r}")


def _numeric(value, name):
    reject_masked(value, name)
    _refuse_bool(value, name)
    return as_float_array(value, name, ndim=(0, 1, 2))


def _any_ndim(value, name):
    reject_masked(value, name)
    _refuse_bool(value, name)
    return as_float_array(value, name, ndim=_ANY_NDIM)


def _refuse_nonfinite(array: np.ndarray, name: str) -> None:
    bad = ~np.isfinite(array)
    if bad.any():
        where = np.argwhere(bad)[0]
        raise ValueError(f"{name}[{', '.join(map(str, where))}] must be finite, got {array[tuple(where)]}")


def _per_row(values, name):
    """Series as a 2-D batch, and how to shape results back (float, array, or pandas Series)."""
    reject_masked(values, name)
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
    periods = check_int(periods, "periods", 0)
    if periods > MAX_PERIODS:  # instead of std::bad_alloc or pybind11's signature dump
        raise ValueError(f"periods must be <= {MAX_PERIODS:,} (one factor per period is held in memory), got {periods}")
    check_choice(timing, "timing", TIMINGS)
    return _core.discount_factors(as_float(rate, "rate"), periods, timing, _flag(continuous, "continuous"))


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
    ``sum_{t=1..n} ((1 + e) / (1 + d)) ** t`` with end-of-year timing. With ``timing="mid"`` each
    year's amount is escalated *and* discounted to the middle of its year,
    ``sum_t ((1 + e) / (1 + d)) ** (t - 0.5)``, the convention of the mid-year UPV* table of
    MIL-HDBK-1003/13A (d = 10%, e = 7%, 25 years: 18.049); ``"begin"`` moves both to the start
    of the year, ``sum_t ((1 + e) / (1 + d)) ** (t - 1)``. (The exact mid-year sum for the table's
    case is 18.04796; the table's last printed digit is one higher.) Without escalation these are the
    end-of-year factor times ``(1 + d) ** 0.5`` and ``(1 + d)`` (NIST Handbook 135 §4.3).

    Examples
    --------
    >>> round(upv(0.10, 10), 4)   # P/A, 10%, 10 years
    6.1446
    >>> round(upv(0.10, 25, escalation=0.07, timing="mid"), 4)   # the table prints 18.049
    18.048
    """
    check_choice(timing, "timing", TIMINGS)
    names = ("rate", "n", "escalation")
    arrays = [_numeric(v, k) for k, v in zip(names, (rate, n, escalation))]
    return _factor("upv", names, arrays, _core.upv(*arrays, timing))


def crf(rate, n):
    """Capital recovery factor ``d (1 + d)^n / ((1 + d)^n - 1)``, ``1 / n`` at ``d = 0`` (NIST's UCR)."""
    arrays = _numeric(rate, "rate"), _numeric(n, "n")
    return _factor("crf", ("rate", "n"), arrays, _core.crf(*arrays))


def eac(present_value, rate, n):
    """Equivalent annual cost (or value): ``present_value * crf(rate, n)``."""
    names = ("present_value", "rate", "n")
    arrays = [_numeric(v, k) for k, v in zip(names, (present_value, rate, n))]
    return _factor("eac", names, arrays, _core.eac(*arrays))


# --- annuities (numpy-financial's functions) -------------------------------------------------


def _when_array(when) -> np.ndarray:
    """``when`` as 0.0 (end) / 1.0 (begin), elementwise for array input."""
    reject_masked(when, "when")
    if isinstance(when, (str, int, np.integer)) and not isinstance(when, bool):  # the common scalar case
        key = int(when) if isinstance(when, np.integer) else when
        if key in _WHEN:
            return np.array(_WHEN[key])
    items = np.asarray(when, dtype=object)
    flat = items.reshape(-1)
    out = np.empty(flat.shape, dtype=np.float64)
    for i, w in enumerate(flat):
        key = w.item() if isinstance(w, np.generic) else w
        if isinstance(key, bool) or not isinstance(key, (str, int, float)) or key not in _WHEN or (isinstance(key, float) and key not in (0.0, 1.0)):
            raise ValueError(f"when must be 'end', 'begin', 0 or 1, got {w!r}")
        out[i] = _WHEN[key]
    return out.reshape(items.shape)


_ANY_NDIM = tuple(range(33))  # numpy's limit on dimensions


def _broadcast(names, values):
    """Arguments converted and broadcast together as numpy ufuncs do (any number of dimensions):
    flat arrays (a size-1 one stands for all elements and is not copied out) and the result's shape."""
    arrays = [_any_ndim(v, n) if n != "when" else _when_array(v) for n, v in zip(names, values)]
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(names, arrays))
        raise ValueError(f"arguments cannot be broadcast together: {shapes}") from None
    flat = []
    for a in arrays:
        if a.size != 1 and a.shape != shape:
            a = np.broadcast_to(a, shape)
        flat.append(np.ascontiguousarray(a, dtype=np.float64).reshape(-1))
    return flat, shape


def _shaped(flat, shape):
    return float(flat[0]) if shape == () else flat.reshape(shape)


def _annuity(kind, names, values):
    flat, shape = _broadcast(names, values)
    out = _core.annuity(kind, flat)
    if not np.isfinite(out).all():  # one pass; the rest runs only where an element is not finite
        none = np.zeros(out.shape, dtype=bool)
        if kind == "nper":  # NaN: no number of periods; inf: a zero payment never gets there (its answer)
            none = np.isnan(out)
            out_of_range = np.zeros(out.shape, dtype=bool)
        else:
            if kind in ("ipmt", "ppmt"):  # NaN before the first payment (numpy-financial's answer)
                none = np.isnan(out) & np.broadcast_to(flat[1] < 1, out.shape)
            out_of_range = ~np.isfinite(out) & ~none
        _refuse_overflow(out_of_range, kind, names, flat)
        _warn_no_solution(none, kind, names, flat, _ANNUITY_REASONS[kind])
    return _shaped(out, shape)


def _element(names, flat, i):
    """The arguments of element ``i`` of a broadcast call, as ``name=value`` text."""
    return ", ".join(f"{n}={float(a[i if a.size > 1 else 0])!r}" for n, a in zip(names, flat))


def _refuse_overflow(out_of_range, what, names, flat):
    """The project's overflow policy: a result beyond float64 from finite input raises
    OverflowError naming the element and its arguments rather than returning inf (a NaN from
    finite input is inf - inf or inf / inf)."""
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise OverflowError(f"{what}: the result at element {i} ({_element(names, flat, i)}) overflows float64")


def _warn_no_solution(none, what, names, flat, reason, stacklevel=4):
    """The no-solution policy (README, Conventions): elements without a solution stay NaN, as in
    numpy-financial, and one NoSolutionWarning says how many, which is first, and why. ``names``
    and ``flat`` are the broadcast arguments (``reason`` takes element i's values), or for series
    functions the argument's name and None (``reason`` takes the row number)."""
    if none.any():
        i = int(np.argmax(none))
        if flat is None:
            where, why = (names(i) if callable(names) else f"{names} row {i}"), reason(i)
        else:
            where = f"element {i} ({_element(names, flat, i)})"
            why = reason(*(float(a[i if a.size > 1 else 0]) for a in flat))
        warnings.warn(f"{what}: {int(np.count_nonzero(none))} of {none.size} element(s) have no solution "
                      f"(NaN); the first is {where}: {why}", NoSolutionWarning, stacklevel=stacklevel)


def _nper_reason(rate, pmt, pv, fv, when):
    if rate == 0.0:  # -(fv + pv) / pmt is 0 / 0
        return "no number of periods reaches fv: with no payment and no interest the balance stays pv = -fv for ever"
    if pmt == 0.0:
        return ("no number of periods reaches fv: with no payment pv only compounds, so fv = -pv (1 + rate)**nper "
                "must have the opposite sign to pv")
    z = pmt * (1.0 + rate * when) / rate  # the balance at which the payment pays exactly the interest
    if rate > 0.0 and (pv + z) * pv > 0.0 and z * pv < 0.0:
        return "no number of periods reaches fv: the payment does not cover the interest, so the balance only grows"
    return (f"no number of periods reaches fv: (1 + rate)**nper would have to be (pmt (1 + rate when) / rate - fv) / "
            f"(pv + pmt (1 + rate when) / rate) = {(z - fv) / (pv + z):.6g}, which is not positive")


def _before_first_payment(*_):
    return "per < 1: there is no payment before the first period"


_ANNUITY_REASONS = {"nper": _nper_reason, "ipmt": _before_first_payment, "ppmt": _before_first_payment}


def _factor(what, names, arrays, out):
    """A vectorised factor under the overflow policy, as a float for scalar input."""
    out = np.asarray(out)
    _refuse_overflow(~np.isfinite(out.reshape(-1)), what, names,
                     [np.broadcast_to(a, out.shape).reshape(-1) for a in arrays])
    return _scalar_or_array(out)


def fv(rate, nper, pmt, pv, when="end"):
    """Future value of a present amount and a level payment stream (numpy-financial's ``fv``).

    Solves ``fv + pv (1 + rate)^nper + pmt (1 + rate*when) / rate ((1 + rate)^nper - 1) = 0``
    (``fv + pv + pmt * nper = 0`` at ``rate = 0``). Money paid out is negative.

    Parameters
    ----------
    rate, nper, pmt, pv : array_like
        Rate per period (> -1), number of periods, payment per period, present value. All
        arguments broadcast together like numpy ufuncs; scalars give a float.
    when : {'end', 'begin', 0, 1} or array_like of them
        Payments at the end (0) or beginning (1) of each period.

    Notes
    -----
    Deliberate difference from numpy-financial: non-finite input, ``rate <= -1`` or another
    ``when`` raise ValueError naming the argument and element instead of giving NaN; Decimal
    input is computed in float64.

    Examples
    --------
    >>> round(fv(0.075, 20, -2000, 0), 6)   # numpy-financial's test value (Google Sheets FV)
    86609.362673
    """
    return _annuity("fv", ("rate", "nper", "pmt", "pv", "when"), (rate, nper, pmt, pv, when))


def pv(rate, nper, pmt, fv=0.0, when="end"):
    """Present value of a level payment stream and a final amount (numpy-financial's ``pv``).

    Same equation and arguments as :func:`fv`, solved for ``pv``.

    Examples
    --------
    >>> round(pv(0.07, 20, 12000), 2)   # numpy-financial's test value
    -127128.17
    """
    return _annuity("pv", ("rate", "nper", "pmt", "fv", "when"), (rate, nper, pmt, fv, when))


def pmt(rate, nper, pv, fv=0.0, when="end"):
    """Level payment per period that pays off ``pv`` down to ``fv`` (numpy-financial's ``pmt``).

    Examples
    --------
    >>> round(pmt(0.08 / 12, 5 * 12, 15000), 6)   # a 5-year loan of 15,000 at 8% a year
    -304.145914
    """
    return _annuity("pmt", ("rate", "nper", "pv", "fv", "when"), (rate, nper, pv, fv, when))


def nper(rate, pmt, pv, fv=0.0, when="end"):
    """Number of periods to go from ``pv`` to ``fv`` with payment ``pmt`` (numpy-financial's ``nper``).

    ``inf`` where a zero payment never gets there at a zero rate; NaN where no number of periods
    does (the equation's logarithm has no real value: the payment does not cover the interest,
    say), with a :class:`~trustcost.NoSolutionWarning` giving the count, the first element and why.

    Examples
    --------
    >>> round(nper(0.075, -2000, 0, 100000), 4)   # Google Sheets NPER, numpy-financial's test
    21.5449
    """
    return _annuity("nper", ("rate", "pmt", "pv", "fv", "when"), (rate, pmt, pv, fv, when))


def ipmt(rate, per, nper, pv, fv=0.0, when="end"):
    """Interest part of payment number ``per`` (1-based) of a level annuity (numpy-financial's ``ipmt``).

    NaN for ``per < 1`` (no payment before the first period; numpy-financial's answer), with a
    :class:`~trustcost.NoSolutionWarning`; with ``when='begin'`` the first payment carries no interest.

    Examples
    --------
    >>> round(ipmt(0.1 / 12, 1, 24, 2000), 6)   # Google Sheets IPMT, numpy-financial's test
    -16.666667
    """
    return _annuity("ipmt", ("rate", "per", "nper", "pv", "fv", "when"), (rate, per, nper, pv, fv, when))


def ppmt(rate, per, nper, pv, fv=0.0, when="end"):
    """Principal part of payment number ``per``: ``pmt - ipmt`` (numpy-financial's ``ppmt``).

    Examples
    --------
    >>> round(ppmt(0.1 / 12, 1, 60, 55000), 2)   # numpy-financial's test value
    -710.25
    """
    return _annuity("ppmt", ("rate", "per", "nper", "pv", "fv", "when"), (rate, per, nper, pv, fv, when))


def rate(nper, pmt, pv, fv, when="end", guess=None, tol=None, maxiter=100, *, raise_exceptions=False):
    """Rate per period of a level annuity (numpy-financial's ``rate``).

    Newton's method from ``guess`` on the equation of :func:`fv`, as numpy-financial: it stops
    when a step is below ``tol`` within ``maxiter`` steps. Deliberate difference: the result must
    also be a rate > -1 that solves the equation to 1e-9 relative to its terms (numpy-financial
    accepts any small step, and where the equation is steep Newton creeps with small steps far
    from a root). Where Newton finds no root, a scan of ``log(1 + rate)`` from ``1 + rate =
    2.3e-16`` to ``1.8e308`` brackets one. Elements without a rate (flows that do not change
    sign, or a value that keeps one sign at every rate) are NaN with a
    :class:`~trustcost.NoSolutionWarning` giving the count, the first element and the reason, or
    raise :class:`IterationsExceededError` with ``raise_exceptions=True``. A rate that exists but
    lies beyond float64 (above 1.8e308, or so close to -1 that it rounds to -1) raises
    OverflowError naming the element's arguments.

    Parameters
    ----------
    nper, pmt, pv, fv : array_like
        Broadcast together like numpy ufuncs; ``nper > 0`` (numpy-financial gives NaN otherwise).
    when : {'end', 'begin', 0, 1} or array_like of them
    guess : float, default 0.1
    tol : float, default 1e-6
    maxiter : int, default 100

    Examples
    --------
    >>> round(rate(10, 0, -3500, 10000), 4)   # numpy-financial's test value
    0.1107
    """
    g = 0.1 if guess is None else as_float(guess, "guess")
    t = 1e-6 if tol is None else as_float(tol, "tol")
    flat, shape = _broadcast(("nper", "pmt", "pv", "fv", "when"), (nper, pmt, pv, fv, when))
    if (flat[0] <= 0).any():  # no rate compounds over no periods (numpy-financial: NaN)
        i = int(np.flatnonzero(flat[0] <= 0)[0])
        raise ValueError(f"nper must be > 0, got {flat[0][i]!r} at element {i}")
    out, converged = _core.rate(flat, g, t, _max_iter(maxiter))
    raise_exceptions = _flag(raise_exceptions, "raise_exceptions")
    if not converged.all():
        _explain_rate(flat, converged == 0, maxiter, raise_exceptions)
    return _shaped(out, shape)


_RATE_NAMES = ("nper", "pmt", "pv", "fv", "when")


def _explain_rate(flat, unsolved, maxiter, raise_exceptions):
    """Why elements of :func:`rate` have no rate: an OverflowError where a rate exists beyond what
    float64 holds, else the no-solution warning (or IterationsExceededError when asked to raise).

    The flows are pv + pmt when at 0, pmt each period and fv + pmt (1 - when) at the end. In
    x = 1 + rate their value g = fv + pv x^n + pmt (1 + (x - 1) when) (x^n - 1) / (x - 1) takes
    the sign of the last flow as rate -> -1 and of the first as rate -> inf (of pmt, then fv,
    where that is 0). With at most two sign changes in the flows, limits of opposite signs mean
    exactly one rate, which the solver's scan (1 + rate from 2.3e-16 to 1.8e308) finds unless it
    lies beyond them; the sign of g at rate 0 tells on which side."""
    index = np.flatnonzero(unsolved)
    n, p, pv, fv, w = (np.broadcast_to(a, unsolved.shape)[index] for a in flat)
    first, last = pv + p * w, fv + p * (1.0 - w)  # the flows at 0 and at the end (pmt between)
    near_minus_one = np.sign(last)
    at_infinity = np.sign(np.where(first != 0.0, first, np.where(p != 0.0, p, fv)))
    with np.errstate(over="ignore", invalid="ignore"):
        at_zero = np.sign(fv + pv + p * n)
    exists = near_minus_one * at_infinity < 0
    if exists.any():
        k = int(np.argmax(exists))
        where = ("closer to -1 than float64 resolves (1 + rate < 2.3e-16, so rate rounds to -1)"
                 if at_zero[k] == at_infinity[k] else "beyond the largest float64 (1.8e308)")
        raise OverflowError(f"rate: the rate of element {index[k]} ({_element(_RATE_NAMES, flat, index[k])}) "
                            f"is {where}: no float64 rate solves it")
    positive = (first > 0) | (p > 0) | (last > 0)
    negative = (first < 0) | (p < 0) | (last < 0)

    def reason(*_):
        if not (positive[0] and negative[0]):
            return ("the flows (pv + pmt when at the start, pmt each period, fv + pmt (1 - when) at the end) do not "
                    "change sign: no rate makes their value zero")
        return ("no rate makes the value of the flows zero: it keeps one sign near rate -1 and at large rates, and "
                "a scan of 1 + rate from 2.3e-16 to 1.8e308 finds no sign change")

    if raise_exceptions:
        raise IterationsExceededError(
            f"rate: no rate for {index.size} of {unsolved.size} element(s) (Newton's method within {maxiter} "
            f"iterations, then a bracket scan); the first is element {index[0]} "
            f"({_element(_RATE_NAMES, flat, index[0])}): {reason()}")
    _warn_no_solution(unsolved, "rate", _RATE_NAMES, flat, reason)


# --- cash-flow series ---------------------------------------------------------------------------


def npv(rate, values, timing: str = "end", *, pairwise: bool = False):
    """Net present value of cash-flow series, ``sum_t values[t] / (1 + rate) ** t``.

    Parameters
    ----------
    rate : float or array_like
        Discount rate per period, > -1. A scalar, or a 1-D array of K rates: every series is then
        discounted at every rate and the result has shape ``(K, M)`` for M series (``(K,)`` for
        one series), as numpy-financial's ``npv``.
    values : array_like or pandas.DataFrame
        One series (1-D) or one series per row (2-D). ``values[0]`` is at time 0.
    timing : {"end", "mid", "begin"}
        Where the flows of periods ``t >= 1`` fall inside their period (``values[0]`` stays at 0).
    pairwise : bool
        Discount row ``i`` at ``rate[i]`` only (one rate per row, or one for all): result ``(M,)``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        For a scalar rate: a float for 1-D input, one value per row otherwise (a Series indexed
        like a DataFrame). For K rates: ``(K,)`` or ``(K, M)`` (a DataFrame with the rates as
        index and the rows as columns for DataFrame input).

    Examples
    --------
    numpy-financial's documented examples:

    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)
    3065.22
    >>> npv([0.0, 0.05, 0.10], [[-4_000, 500, 800], [-5_000, 600, 900]]).round(2)
    array([[-2700.  , -3500.  ],
           [-2798.19, -3612.24],
           [-2884.3 , -3710.74]])
    """
    check_choice(timing, "timing", TIMINGS)
    pairwise = _flag(pairwise, "pairwise")
    batch, shape = _per_row(values, "values")
    reject_masked(rate, "rate")
    rates = as_float_array(rate, "rate", ndim=(0, 1))
    if pairwise or rates.ndim == 0:
        return shape(_core.npv(batch, rates.reshape(-1), timing, True))
    grid = _core.npv(batch, rates, timing, False)  # (K, M)
    if np.ndim(values) == 1 and not isinstance(values, pd.DataFrame):
        return grid[:, 0]
    if isinstance(values, pd.DataFrame):
        return pd.DataFrame(grid, index=pd.Index(rates, name="rate"), columns=values.index)
    return grid


def _raise_for(status, what: str, maxiter: int, labels=None) -> None:
    status = np.asarray(status)
    if (status == 1).any():
        rows = np.flatnonzero(status == 1)
        if labels is not None:
            rows = labels[rows]
        raise NoRealSolutionError(f"{what}: no real rate of return for series {rows[:10].tolist()} "
                                  f"(no rate > -1 makes the NPV zero; flows of one sign have none)")
    if (status == 2).any():
        rows = np.flatnonzero(status == 2)
        if labels is not None:
            rows = labels[rows]
        raise IterationsExceededError(f"{what}: a root solve reached maxiter={maxiter} (or the root isolation "
                                      f"its work budget) for series {rows[:10].tolist()}")


def _select(rates: np.ndarray, selection_logic):
    if rates.size == 0:
        return np.nan
    if rates.size == 1:
        return float(rates[0])
    return float(selection_logic(rates))


def irr(values, *, guess=None, maxiter: int = 100, raise_exceptions: bool = False, selection_logic=None):
    """Internal rate of return: the rate > -1 at which ``npv(rate, values) == 0``.

    Every rate of a series is found first, without eigenvalues: with ``x = 1 / (1 + r)`` the NPV
    is a polynomial in ``x``; its real roots in ``(0, 1]`` (rates >= 0) and those of the reversed
    polynomial in ``1 + r`` (rates in (-1, 0)) are isolated by Descartes' rule of signs with
    Vincent–Collins–Akritas bisection (Collins & Akritas 1976), then each isolating bracket is
    solved by safeguarded Newton–bisection steps whose convergence is checked; a returned rate is
    always a root to working precision. Flows that never change sign have no rate (NaN, with a
    :class:`~trustcost.NoSolutionWarning` naming the first such series and the reason; a
    NumericalWarning for a solve that reached ``maxiter``). With one sign change the rate is unique.

    Where there are several rates, the plausible one is reported: numpy-financial's default
    choice (its ``_irr_default_selection``: where rates of both signs exist the non-negative ones
    are kept, then the one smallest in magnitude) is made among the rates in (-99%, +1000%) where
    there are any, among all of them otherwise (numpy-financial's rule alone can report a rate of
    1e259 a year beside one of -1.8%). :func:`irr_all` lists them all; ``guess`` and
    ``selection_logic`` choose otherwise.

    Parameters
    ----------
    values : array_like or pandas.DataFrame
        One series (1-D) or one per row (2-D); ``values[0]`` at time 0.
    guess : float, optional
        Choose the rate nearest to ``guess`` instead (the root a Newton solver started at
        ``guess`` usually finds, as in pyxirr and Excel).
    maxiter : int
        Iteration cap of each root solve; a solve that reaches it gives NaN (and no other rate of
        that series is returned, since the choice could be wrong). So does a series whose roots
        could not be isolated within the work budget (about 4e9 operations; only pathological
        clusters of roots in thousands of periods get there).
    raise_exceptions : bool
        Raise :class:`NoRealSolutionError` / :class:`IterationsExceededError` instead of NaN.
    selection_logic : callable, optional
        Called with the 1-D array of a series' rates (ascending) when it has more than one;
        returns the rate to report (numpy-financial's argument of the same name).

    Notes
    -----
    Deliberate differences from numpy-financial: no ``tol`` (roots are solved to working
    precision); ``guess`` picks among the exact roots rather than starting an iteration;
    non-finite flows raise ValueError naming the element.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)   # numpy-financial's documented example
    0.28095
    >>> irr_all([-100, 230, -132])               # an overhaul year: two rates
    array([0.1, 0.2])
    >>> round(irr([-100, 230, -132]), 10)        # both >= 0: the smaller one
    0.1
    """
    batch, shape = _per_row(values, "values")
    iters = _max_iter(maxiter)
    raise_exceptions = _flag(raise_exceptions, "raise_exceptions")
    if selection_logic is None or guess is not None:
        if selection_logic is not None:
            raise ValueError("give guess or selection_logic, not both")
        out, status = _core.irr(batch, iters, _guess(guess))
    else:
        if not callable(selection_logic):
            raise TypeError(f"selection_logic must be callable, got {type(selection_logic).__name__}")
        out, status = np.empty(batch.shape[0]), np.zeros(batch.shape[0], dtype=np.uint8)
        for i, row in enumerate(batch):
            rates, converged = _core.irr_all(row, iters)
            status[i] = 0 if converged and rates.size else (2 if not converged else 1)
            out[i] = _select(rates, selection_logic) if status[i] == 0 else np.nan
    if raise_exceptions:
        _raise_for(status, "irr", iters)
    elif status.any():
        _warn_unsolved_series(status, lambda i: batch[i], "irr", iters)
    return shape(out)


def _label(value):
    """A group label as the user wrote it: numpy scalars as Python ones (31, not np.int64(31))."""
    return value.item() if isinstance(value, np.generic) else value


def _warn_unsolved_series(status, flows, what, maxiter, where="values"):
    """NaN results of irr and xirr: the no-solution warning for series without a rate (status 1),
    a NumericalWarning for series whose solve reached maxiter (status 2). ``flows(i)`` gives series
    i's flows; ``where`` names the series argument, or is a function naming series i (a group)."""
    status = np.asarray(status)

    def reason(i):
        values = flows(i)
        if not ((values > 0).any() and (values < 0).any()):
            return "the flows do not change sign: no rate makes the NPV zero"
        # With no root in (-1, inf) the NPV keeps one sign there: its sign at rate 0.
        return f"no rate > -1 makes the NPV zero: it is {'positive' if values.sum() > 0 else 'negative'} at every rate"

    _warn_no_solution(status == 1, what, where, None, reason)
    if (status == 2).any():
        i = int(np.argmax(status == 2))
        first = where(i) if callable(where) else f"series {i}"
        warnings.warn(f"{what}: {int(np.count_nonzero(status == 2))} series gave NaN because a root solve reached "
                      f"maxiter={maxiter}; the first is {first} (raise maxiter)", NumericalWarning, stacklevel=3)


def irr_all(values, *, maxiter: int = 100) -> np.ndarray:
    """Every rate > -1 at which the NPV of one series is zero, ascending; an empty array if none.

    Found as in :func:`irr` (Descartes/VCA isolation, then a checked bracketed solve): each entry
    is a root to working precision, the list is deterministic and never holds NaN. A solve that
    reaches ``maxiter`` raises :class:`IterationsExceededError` (the list would be incomplete).

    Examples
    --------
    >>> irr_all([-5, 10.5, 1, -8, 1]).round(4)   # numpy-financial's test flows: three rates
    array([-0.8702,  0.0886,  0.7096])
    """
    reject_masked(values, "values")
    rates, converged = _core.irr_all(as_float_array(values, "values", ndim=(1,)), _max_iter(maxiter))
    if not converged:
        raise IterationsExceededError(f"irr_all: a root solve reached maxiter={maxiter}")
    return rates


def mirr(values, finance_rate, reinvest_rate, *, raise_exceptions: bool = False):
    """Modified internal rate of return (numpy-financial's ``mirr``; NIST Handbook 135 §6.6).

    ``(PV of positive flows at reinvest_rate / -PV of negative flows at finance_rate) ** (1 / (n - 1))
    * (1 + reinvest_rate) - 1`` for ``n`` flows: gains compounded to the end at the reinvestment
    rate against costs financed at the finance rate.

    Parameters
    ----------
    values : array_like
        One series (1-D) or one per row (2-D, M rows).
    finance_rate, reinvest_rate : float or 1-D array_like of K rates (the same K)
        A 1-D pair gives one column per pair: shape ``(M, K)`` (``(K,)`` for one series).
    raise_exceptions : bool
        Raise :class:`NoRealSolutionError` for a series with flows of one sign instead of NaN
        (which comes with a :class:`~trustcost.NoSolutionWarning`).

    Examples
    --------
    >>> round(mirr([-120000, 39000, 30000, 21000, 37000, 46000], 0.10, 0.12), 6)   # numpy-financial's test
    0.126094
    """
    reject_masked(values, "values")
    raise_exceptions = _flag(raise_exceptions, "raise_exceptions")
    array = as_float_array(values, "values")
    f, r = (_numeric(x, n) for x, n in ((finance_rate, "finance_rate"), (reinvest_rate, "reinvest_rate")))
    if f.ndim > 1 or r.ndim > 1:
        raise ValueError(f"finance_rate and reinvest_rate must be scalars or 1-D, got {f.ndim}-D and {r.ndim}-D")
    if f.shape != r.shape:
        raise ValueError(f"finance_rate and reinvest_rate must have the same shape, got {f.shape} and {r.shape}")
    out, ok = _core.mirr(np.atleast_2d(array), f.reshape(-1), r.reshape(-1))
    if not ok.all():
        rows = np.flatnonzero(~ok.all(axis=1).astype(bool))
        if raise_exceptions:
            raise NoRealSolutionError(f"mirr: series {rows[:10].tolist()} have flows of one sign only")
        _warn_no_solution(~ok.all(axis=1).astype(bool), "mirr", "values", None,
                          lambda _: "the flows do not change sign: mirr needs both costs and gains", stacklevel=3)
    if array.ndim == 1:
        out = out[0]
    if f.ndim == 0:
        out = out[..., 0]
    return float(out) if np.ndim(out) == 0 else out


# --- dated flows --------------------------------------------------------------------------------

_DAYS_HINT = "to give day numbers instead, pass them as days=[...] (whole days from any origin)"


_DAY = np.dtype("datetime64[D]")


def _looks_like_dates(values) -> bool:
    """True when ``values`` reads as dates (the arguments given in pyxirr's order)."""
    try:
        as_days(values, "amounts")
    except (TypeError, ValueError):
        return False
    return True


def _flow_days(amounts, dates, days):
    """Amounts and their day numbers (dates xor days), validated and of one length."""
    if (type(amounts) is np.ndarray and amounts.dtype == np.float64 and amounts.ndim == 1 and days is None
            and type(dates) is np.ndarray and dates.dtype == _DAY and dates.ndim == 1):
        # The common form, checked once here and in C++ (lengths, finiteness, NaT): no conversion.
        return amounts, dates.view(np.int64)
    reject_masked(amounts, "amounts")
    try:
        a = as_float_array(amounts, "amounts", ndim=(1,))
    except TypeError:
        if _looks_like_dates(amounts):
            raise TypeError("amounts come first and dates second: xirr(amounts, dates) as Excel's XIRR "
                            "(pyxirr's xirr(dates, amounts) order is the other way round)") from None
        raise
    if (dates is None) == (days is None):
        raise TypeError("give the flows' dates (dates=...) or their day numbers (days=...), exactly one of them")
    if days is not None:
        reject_masked(days, "days")
        d = as_float_array(days, "days", ndim=(1,))
        if not np.all(np.isfinite(d)) or not np.all(d == np.round(d)):
            bad = int(np.flatnonzero(~(np.isfinite(d) & (d == np.round(d))))[0])
            raise ValueError(f"days[{bad}] must be a whole number of days, got {d[bad]}")
        d = d.astype(np.int64)
    else:
        d = as_days(dates, "dates", _DAYS_HINT)
    if d.size != a.size:
        raise ValueError(f"dates must have one date per amount ({a.size}), got {d.size}")
    return a, d


def _groups(by, size: int):
    """Group labels as (the order that puts each group's flows together, keeping their order, or
    None where they already are; the groups' offsets in it; the labels in first-seen order)."""
    if isinstance(by, (str, bytes)) or np.ndim(by) == 0 and not isinstance(by, (list, tuple)):
        raise TypeError(f"by must be one group label per flow (a sequence), got {type(by).__name__} {by!r}")
    name = getattr(by, "name", None)
    keys = by if isinstance(by, (pd.Series, pd.Index, np.ndarray)) else pd.Series(list(by), dtype=object)
    if np.ndim(keys) != 1:
        raise ValueError(f"by must be 1-D, got shape {np.shape(keys)}")
    if len(keys) != size:
        raise ValueError(f"by must have one label per amount ({size}), got {len(keys)}")
    together = _contiguous_groups(keys)
    if together is not None:
        return None, together[0], pd.Index(together[1], name=name)
    codes, labels = pd.factorize(keys, sort=False)
    if (codes < 0).any():
        raise ValueError(f"by[{int(np.flatnonzero(codes < 0)[0])}] is missing (None or NaN): every flow needs a group")
    order = np.argsort(codes, kind="stable")
    offsets = np.zeros(len(labels) + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=len(labels)), out=offsets[1:])
    return order, offsets, pd.Index(labels, name=name)


def _contiguous_groups(keys):
    """(offsets, labels in first-seen order) for integer or boolean labels whose groups each lie
    in one run of rows (a transactions table sorted by fund), else None. The same groups, order
    and labels as pd.factorize, without hashing every label (which cost twice the C++ work)."""
    values = np.asarray(keys) if isinstance(keys, (pd.Series, pd.Index)) else keys
    if values.dtype.kind not in "iub" or values.size == 0:
        return None
    starts = np.flatnonzero(values[1:] != values[:-1]) + 1
    firsts = values[np.concatenate(([0], starts))]
    if not (firsts[1:] > firsts[:-1]).all():  # ids in increasing order need no further check
        ordered = np.sort(firsts)  # (np.unique hashes: slower than this sort)
        if (ordered[1:] == ordered[:-1]).any():  # a label in two runs: its flows are not together
            return None
    offsets = np.empty(firsts.size + 1, dtype=np.int64)
    offsets[0], offsets[1:-1], offsets[-1] = 0, starts, values.size
    return offsets, firsts


def _from_data(data, **columns):
    """With ``data`` (a DataFrame), string arguments name its columns (seaborn's ``data=`` habit)."""
    if data is None:
        return columns.values()
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    out = []
    for name, value in columns.items():
        if isinstance(value, str):
            if value not in data.columns:
                raise ValueError(f"{name}={value!r} is not a column of data; its columns are {list(data.columns)}")
            value = data[value]
        out.append(value)
    return out


def _grouped_flows(amounts, dates, days, by):
    a, d = _flow_days(amounts, dates, days)
    order, offsets, labels = _groups(by, a.size)
    if not np.isfinite(a).all():
        i = int(np.flatnonzero(~np.isfinite(a))[0])
        position = i if order is None else int(np.flatnonzero(order == i)[0])
        group = int(np.searchsorted(offsets, position, side="right")) - 1
        raise ValueError(f"amounts[{i}] (group {labels[group]!r}) must be finite, got {a[i]}")
    return (a, d, offsets, labels) if order is None else (a[order], d[order], offsets, labels)


def xnpv(rate: float, amounts, dates=None, *, days=None, by=None, data=None, day_count: str = "act/365f"):
    """Net present value of dated flows, discounted to the earliest date (as Excel's XNPV).

    Parameters
    ----------
    rate : float
        Annual discount rate, > -1.
    amounts : array_like
        The flows.
    dates : array_like of dates
        numpy ``datetime64``, pandas Timestamps/DatetimeIndex, ``datetime.date``/``datetime`` or
        ISO strings, one per amount, in any order (the flows are sorted by date; same-day flows
        add up). Numbers are refused: they are not dates. Time-zone-aware values count on their
        local calendar date; times of day are dropped.
    days : array_like of int, keyword-only
        Instead of ``dates``: whole day numbers from any origin (e.g. ``[0, 365]``).
    by : array_like of hashable labels, keyword-only
        One group label per flow (a fund, a customer, a project): every group is a schedule of
        its own, all computed in one C++ call with the GIL released and groups split over
        threads. Returns a pandas Series indexed by the labels in first-seen order; each value
        is exactly (bit for bit) the call on that group's flows alone.
    data : pandas.DataFrame, keyword-only
        A transactions table: ``amounts``, ``dates``, ``days`` and ``by`` given as strings name
        its columns, e.g. ``xirr("amount", "date", by="fund", data=transactions)``.
    day_count : {"act/365f", "act/360", "30/360", "30e/360", "30/360 sia", "act/act isda"}
        Year fraction between two dates: actual days / 365 (Excel, pyxirr's default), actual /
        360, the 30/360 US bond basis (ISDA 2006 §4.16(f)), the 30E/360 Eurobond basis
        (§4.16(g)), 30/360 SIA (the end of February counts as the 30th) or Actual/Actual ISDA
        (§4.16(b): days in leap years / 366, the others / 365). See :func:`year_fraction`.

    Examples
    --------
    >>> round(xnpv(0.05, [-1000, 1100], days=[0, 365]), 6)
    47.619048
    >>> xnpv(0.05, [-1000, 1100, -500, 520], days=[0, 365, 0, 365], by=["a", "a", "b", "b"]).round(4)
    a    47.6190
    b    -4.7619
    dtype: float64
    """
    if (by is None and data is None and days is None and type(rate) is float and type(day_count) is str
            and type(amounts) is np.ndarray and type(dates) is np.ndarray):
        # One schedule as float64 and datetime64[D] arrays, the form of a loop over funds: checked
        # and computed in one C++ call (None when the arrays are in another form).
        value = _core.xnpv_plain(rate, amounts, dates, day_count)
        if value is not None:
            return value
    check_choice(day_count, "day_count", DAY_COUNTS)
    if data is not None:
        amounts, dates, days, by = _from_data(data, amounts=amounts, dates=dates, days=days, by=by)
    if by is not None:
        a, d, offsets, labels = _grouped_flows(amounts, dates, days, by)
        return pd.Series(_core.xnpv_groups(_real(rate, "rate"), a, d, offsets, day_count), index=labels)
    a, d = _flow_days(amounts, dates, days)
    return _core.xnpv(_real(rate, "rate"), a, d, day_count)


def xirr(amounts, dates=None, *, days=None, by=None, data=None, guess=None, day_count: str = "act/365f",
         maxiter: int = 100, raise_exceptions: bool = False):
    """Annual rate at which :func:`xnpv` is zero.

    All rates are found first: in ``s = log(1 + r)`` the NPV of dated flows is an exponential sum
    over the whole real line. Laguerre's rule of signs (the sign changes of the partial sums of the
    flows discounted at a pivot rate) bounds the number of roots above and below each pivot; a
    side left with one root has exactly one, solved by Halley's method on ``log(P / N)`` (P and
    N the present values of the inflows and of the outflows: nearly linear in ``s``) from the
    pivot, kept inside the bracket its signs give and stopped within an ulp. Schedules with
    several rates are isolated between a ladder of pivots, by those bounds and, where a pair of
    complex roots near the axis keeps them too high, by interval bounds on each piece; failing
    both, the roots of the sum without its first term (after multiplying by ``exp(t_k s)`` and
    differentiating) separate its roots (Rolle), level by level. For dates a whole number of
    365-day years apart the flows are irr's polynomial and the roots are irr's. The rate is then
    chosen as in :func:`irr` (the plausible root: numpy-financial's rule among the rates in
    (-99%, +1000%) where there are any), or nearest ``guess``; so ``irr`` and ``xirr`` agree on
    yearly flows. A rate is returned only when it is a root: where ``1 + r`` would round to 0
    (r below about -1 + 4e-16) or discounting overflows (r above about e^700), there is none.

    Most schedules take the first path: where the partial sums of the flows from the first
    date, and those from the last, each change sign at most once, there is at most one rate above
    0 and one below, each solved directly (a few evaluations of the flows' exponentials).

    Parameters
    ----------
    amounts, dates, days, by, data, day_count
        As :func:`xnpv` (dates in any order; they are sorted). With ``by``, one rate per group
        (a pandas Series indexed by group, first-seen order; NaN for a group without a rate,
        or an exception for it with ``raise_exceptions``).
    guess : float, optional
        Choose the rate nearest to it (pyxirr and Excel start Newton's method there).
    maxiter : int
        Iteration cap of each root solve.
    raise_exceptions : bool
        Raise :class:`NoRealSolutionError` / :class:`IterationsExceededError` instead of NaN.
        Without it, a NaN comes with a :class:`~trustcost.NoSolutionWarning` naming the first
        schedule (or group) without a rate and why.

    Examples
    --------
    >>> round(xirr([-100, 230, -132], days=[0, 365, 730]), 10)   # as irr on yearly flows
    0.1
    """
    iters = _max_iter(maxiter)
    if (by is None and data is None and days is None and guess is None and raise_exceptions is False
            and type(day_count) is str and type(amounts) is np.ndarray and type(dates) is np.ndarray):
        # As in xnpv: one schedule in the common form, in one C++ call (None for other forms).
        solved = _core.xirr_plain(amounts, dates, day_count, iters)
        if solved is not None:
            value, status = solved
            if status:
                _warn_unsolved_series([status], lambda _: amounts, "xirr", iters, where=lambda _: "the schedule")
            return value
    check_choice(day_count, "day_count", DAY_COUNTS)
    if data is not None:
        amounts, dates, days, by = _from_data(data, amounts=amounts, dates=dates, days=days, by=by)
    if by is not None:
        a, d, offsets, labels = _grouped_flows(amounts, dates, days, by)
        rates, status = _core.xirr_groups(a, d, offsets, day_count, iters, _guess(guess))
        if _flag(raise_exceptions, "raise_exceptions"):
            _raise_for(status, "xirr", iters, labels)
        elif status.any():
            _warn_unsolved_series(status, lambda g: a[offsets[g]:offsets[g + 1]], "xirr", iters,
                                  where=lambda g: f"group {_label(labels[g])!r}")
        return pd.Series(rates, index=labels)
    a, d = _flow_days(amounts, dates, days)
    value, status = _core.xirr(a, d, day_count, iters, _guess(guess))
    if _flag(raise_exceptions, "raise_exceptions"):
        _raise_for([status], "xirr", iters)
    elif status:
        _warn_unsolved_series([status], lambda _: a, "xirr", iters, where=lambda _: "the schedule")
    return value


def xirr_all(amounts, dates=None, *, days=None, day_count: str = "act/365f", maxiter: int = 100) -> np.ndarray:
    """Every annual rate at which :func:`xnpv` is zero, ascending (see :func:`xirr`)."""
    check_choice(day_count, "day_count", DAY_COUNTS)
    a, d = _flow_days(amounts, dates, days)
    rates, converged = _core.xirr_all(a, d, day_count, _max_iter(maxiter))
    if not converged:
        raise IterationsExceededError(f"xirr_all: a root solve reached maxiter={maxiter}")
    return rates


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
    _refuse_nonfinite(batch if np.ndim(values) != 1 else batch[0], "values")  # NaN would read as "never pays back"
    r = None if rate is None else as_float(rate, "rate")
    return shape(_core.payback(batch, r, _flag(fractional, "fractional")))


def _finite_series(value, name: str) -> np.ndarray:
    """One series or one per row, refused under the caller's own name (npv would call it "values")."""
    reject_masked(value, name)
    array = as_float_array(value, name)
    _refuse_nonfinite(array, name)
    return array


def _present_values(savings, investment, rate, timing):
    s, i = _finite_series(savings, "savings").shape, _finite_series(investment, "investment").shape
    if s != i:
        raise ValueError(f"savings and investment must have the same shape, got {s} and {i}")
    return npv(rate, savings, timing, pairwise=True), npv(rate, investment, timing, pairwise=True)


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


_SIR_NAMES = ("pv_savings", "pv_investment")


def _sir_reason(pv_savings, pv_investment):
    if pv_savings == 0.0 and pv_investment == 0.0:
        return "no savings and no additional investment: the ratio is 0 / 0"
    if pv_savings < 0.0 and pv_investment <= 0.0:
        return ("the alternative costs no more to buy but more to run: it is dominated, and the ratio has no "
                "meaning; compare it the other way round")
    return "negative savings against an additional investment: no return makes up a loss"  # airr: SIR < 0


def _ratios(savings, investment, rate, timing):
    """The SIR of each series, with the present values its no-solution warning names."""
    pv_savings, pv_investment = _present_values(savings, investment, rate, timing)
    return _core.sir(pv_savings, pv_investment), [np.ravel(pv_savings), np.ravel(pv_investment)]


def sir(savings, investment, rate, timing: str = "end"):
    """Savings-to-investment ratio ``PV(savings) / PV(investment)`` (NIST Handbook 135 §6.3).

    Conventions for the cases the ratio does not cover: with no additional investment
    (``PV(investment) <= 0``) and positive savings the alternative dominates and the SIR is
    ``inf``; with no savings and lower investment likewise ``inf``; with neither, or with both
    negative (the alternative is cheaper to buy but costs more to run: compare the other way
    round), it is NaN, with a :class:`~trustcost.NoSolutionWarning` naming the first such series
    and why.
    """
    ratio, flat = _ratios(savings, investment, rate, timing)
    _warn_no_solution(np.ravel(np.isnan(ratio)), "sir", _SIR_NAMES, flat, _sir_reason, stacklevel=3)
    return _scalar_or_array(ratio)


def airr(savings, investment, rate, reinvestment_rate=None, timing: str = "end"):
    """Adjusted internal rate of return ``(1 + r) * SIR ** (1 / N) - 1`` (NIST Handbook 135 eq. 6.9).

    ``N`` is the study period (number of periods after time 0) and ``r`` the reinvestment rate,
    by NIST's convention the discount rate when not given. ``inf`` where the SIR is infinite;
    NaN where it is undefined or negative, with a :class:`~trustcost.NoSolutionWarning` naming
    the first such series and why.
    """
    ratio, flat = _ratios(savings, investment, rate, timing)
    periods = as_float_array(savings, "savings").shape[-1] - 1
    if periods < 1:
        raise ValueError(f"savings must span at least one period after time 0, got {periods + 1} values")
    reinvest = _numeric(rate, "rate") if reinvestment_rate is None else _numeric(reinvestment_rate, "reinvestment_rate")
    out = _core.airr(ratio, reinvest, float(periods))
    _warn_no_solution(np.ravel(np.isnan(out)), "airr", _SIR_NAMES, flat, _sir_reason, stacklevel=3)
    return _scalar_or_array(out)


# --- pyxirr's further functions --------------------------------------------------------------


def _period(value, name: str, nper: float) -> int:
    period = check_int(value, name, 1)
    if period > nper:
        raise ValueError(f"{name} must be <= nper ({nper}), got {period}")
    return period


def _cumulative(part, rate, nper, pv, start_period, end_period, when):
    rate, nper, pv = as_float(rate, "rate"), as_float(nper, "nper"), as_float(pv, "pv")
    start = _period(start_period, "start_period", nper)
    end = _period(end_period, "end_period", nper)
    if start > end:
        raise ValueError(f"start_period must be <= end_period, got {start} > {end}")
    return float(np.sum(part(rate, np.arange(start, end + 1, dtype=float), nper, pv, 0.0, when)))


def cumipmt(rate, nper, pv, start_period, end_period, when="end") -> float:
    """Interest paid on a loan from payment ``start_period`` to ``end_period`` (both included, 1-based):
    the sum of :func:`ipmt` over them (Excel's CUMIPMT, pyxirr's ``cumipmt``).

    Examples
    --------
    >>> round(cumipmt(0.09 / 12, 30 * 12, 125_000, 13, 24), 5)   # Microsoft's CUMIPMT example
    -11135.23213
    """
    return _cumulative(ipmt, rate, nper, pv, start_period, end_period, when)


def cumprinc(rate, nper, pv, start_period, end_period, when="end") -> float:
    """Principal repaid from payment ``start_period`` to ``end_period`` (both included): the sum
    of :func:`ppmt` over them (Excel's CUMPRINC, pyxirr's ``cumprinc``).

    Examples
    --------
    >>> round(cumprinc(0.09 / 12, 30 * 12, 125_000, 13, 24), 5)   # Microsoft's CUMPRINC example
    -934.10712
    """
    return _cumulative(ppmt, rate, nper, pv, start_period, end_period, when)


def nfv(rate, nper, amounts) -> float:
    """Net future value (pyxirr's ``nfv``): the flows, at the ends of periods ``1..len(amounts)``
    as in Excel's NPV, valued at the end of period ``nper``: ``npv(rate, amounts) * (1 + rate) ** (nper - 1)``
    with :func:`npv`'s convention (``amounts[0]`` at time 0).

    Examples
    --------
    >>> round(nfv(0.01, 12, [-1000, 200, 300, 400]), 6)
    -133.495658
    """
    rate, nper = as_float(rate, "rate"), as_float(nper, "nper")
    return npv(rate, as_float_array(amounts, "amounts", ndim=(1,))) * (1.0 + rate) ** (nper - 1.0)


def year_fraction(start, ends, day_count: str = "act/365f"):
    """Years from the date ``start`` to each of ``ends`` (a date or a sequence) under ``day_count``
    (see :func:`xnpv`); negative before ``start``.

    Examples
    --------
    >>> import datetime as dt
    >>> round(year_fraction(dt.date(2020, 2, 29), dt.date(2021, 2, 28), "act/act isda"), 6)   # 307/366 + 58/365
    0.997702
    """
    check_choice(day_count, "day_count", DAY_COUNTS)
    one = np.ndim(ends) == 0 or isinstance(ends, str)
    origin = int(as_days([start], "start")[0])
    out = _core.year_fractions(origin, as_days([ends] if one else ends, "ends"), day_count)
    return float(out[0]) if one else out


def xnfv(rate, amounts, dates=None, *, days=None, day_count: str = "act/365f") -> float:
    """Net future value of dated flows at their last date (pyxirr's ``xnfv``): :func:`xnpv`
    compounded from the earliest date to the latest, ``xnpv * (1 + rate) ** T``.

    Examples
    --------
    >>> round(xnfv(0.05, [-1000, 1100], days=[0, 365]), 6)
    50.0
    """
    check_choice(day_count, "day_count", DAY_COUNTS)
    a, d = _flow_days(amounts, dates, days)
    span = _core.year_fractions(int(d.min()), np.array([d.max()], dtype=np.int64), day_count)[0]
    return float(_core.xnpv(as_float(rate, "rate"), a, d, day_count) * (1.0 + as_float(rate, "rate")) ** float(span))


def xfv(start_date, cash_flow_date, end_date, cash_flow_rate, end_rate, cash_flow, day_count: str = "act/365f"):
    """Future value at ``end_date`` of a flow on ``cash_flow_date`` (pyxirr's ``xfv``): the flow is
    discounted to ``start_date`` at ``cash_flow_rate`` and compounded from there to ``end_date``
    at ``end_rate``, ``cash_flow * (1 + end_rate) ** T(start, end) / (1 + cash_flow_rate) ** T(start, flow)``.

    Examples
    --------
    >>> import datetime as dt
    >>> round(xfv(dt.date(2020, 1, 1), dt.date(2020, 6, 1), dt.date(2021, 1, 1), 0.02, 0.03, 1000), 6)
    1021.623687
    """
    check_choice(day_count, "day_count", DAY_COUNTS)
    flow_years, end_years = year_fraction(start_date, [cash_flow_date, end_date], day_count)
    for value, name in ((cash_flow_rate, "cash_flow_rate"), (end_rate, "end_rate")):
        if as_float(value, name) <= -1:
            raise ValueError(f"{name} must be > -1, got {value}")
    growth = (1.0 + float(end_rate)) ** end_years / (1.0 + float(cash_flow_rate)) ** flow_years
    return float(as_float(cash_flow, "cash_flow") * growth)
