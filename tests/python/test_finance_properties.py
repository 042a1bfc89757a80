"""Property tests (hypothesis) for the finance functions: returned rates are roots, roots that
exist are found, and the annuity functions agree with each other."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import trustcost as tc
from no_solution import solved  # noqa: E402  (beside this file)

EPS = np.finfo(float).eps

# A flow of magnitude 1e-8 .. 1e12, either sign, or an exact zero now and then.
magnitude = st.floats(min_value=-8, max_value=12).map(lambda e: 10.0**e)
flow = st.one_of(
    st.tuples(st.sampled_from([-1.0, 1.0]), magnitude).map(lambda t: t[0] * t[1]),
    st.just(0.0),
)
flows = st.lists(flow, min_size=2, max_size=30)
# Flows with at least two sign changes: an investment, returns, an overhaul, returns.
several_changes = st.tuples(
    st.lists(magnitude, min_size=1, max_size=3),
    st.lists(magnitude, min_size=1, max_size=8),
    st.lists(magnitude, min_size=1, max_size=3),
    st.lists(magnitude, min_size=1, max_size=8),
).map(lambda p: [-x for x in p[0]] + list(p[1]) + [-x for x in p[2]] + list(p[3]))

SETTINGS = settings(max_examples=150, deadline=None)


def scaled_npv(values, rate):
    """NPV times (1 + r)^(n-1) for r < 0 (so that nothing overflows near r = -1), and the sum
    of the absolute terms at the same scale."""
    v = np.asarray(values, dtype=float)
    if rate <= -1:  # the limit r -> -1 of the scaled NPV: the last flow alone
        return v[-1], abs(v[-1])
    k = np.arange(v.size)
    log_base = math.log1p(rate)
    exponents = -k * log_base if rate >= 0 else (v.size - 1 - k) * log_base
    terms = v * np.exp(exponents)
    return terms.sum(), np.abs(terms).sum()


def is_root(values, rate, ulps=4):
    """A root to working precision: the NPV is zero to rounding at ``rate``, or changes sign
    within a few ulps of it (near r = -1 neighbouring doubles are far apart in 1 + r)."""
    value, size = scaled_npv(values, rate)
    if abs(value) <= 64 * len(values) * EPS * size:
        return True
    lo, hi = rate, rate
    for _ in range(ulps):
        lo, hi = np.nextafter(lo, -np.inf), np.nextafter(hi, np.inf)
    return scaled_npv(values, lo)[0] * scaled_npv(values, hi)[0] <= 0


def certain_sign_changes(values, lo=-0.99, hi=10.0, points=400):
    """Brackets on a grid in log(1 + r) over [lo, hi] where the NPV surely changes sign (both
    ends well above rounding noise): a root exists inside each."""
    grid = np.expm1(np.linspace(math.log1p(lo), math.log1p(hi), points))
    brackets, last = [], None
    for r in grid:
        value, size = scaled_npv(values, r)
        if abs(value) <= 1e3 * len(values) * EPS * size:
            last = None
            continue
        if last is not None and np.sign(last[1]) != np.sign(value):
            brackets.append((last[0], r))
        last = (r, value)
    return brackets


def irr_warning_iff_nan(values):
    """irr, checking the no-solution policy: a NoSolutionWarning exactly when a rate is NaN."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", tc.NoSolutionWarning)
        rate = tc.irr(values)
    warned = [w for w in caught if issubclass(w.category, tc.NoSolutionWarning)]
    assert len(warned) == int(np.isnan(rate).any()), [str(w.message) for w in caught]
    assert len(caught) == len(warned)  # no other warning
    return rate


@SETTINGS
@given(flows)
def test_irr_is_always_a_root_and_found_where_one_surely_exists(values):
    rate = irr_warning_iff_nan(values)
    if np.isfinite(rate):
        assert rate > -1
        assert is_root(values, rate)
    brackets = certain_sign_changes(values)
    if brackets:
        assert np.isfinite(rate), f"a root exists in {brackets[0]} but irr gave NaN"
        roots = tc.irr_all(values)
        for lo, hi in brackets:
            assert ((roots >= lo) & (roots <= hi)).any(), f"no root listed in {lo, hi}: {roots}"


@SETTINGS
@given(several_changes)
def test_irr_all_lists_distinct_roots_and_irr_is_one_of_them(values):
    roots = tc.irr_all(values)
    assert np.array_equal(roots, tc.irr_all(values))  # deterministic
    assert not np.isnan(roots).any()
    assert np.all(np.diff(roots) > 0)
    assert np.all(roots > -1)
    for r in roots:
        assert is_root(values, r)
    rate = tc.irr(values)
    if roots.size:
        assert rate in roots
        # The plausible root: among the roots in (-99%, +1000%) where there are any, then
        # numpy-financial's default: non-negative rates first when both signs occur, the smallest.
        inside = roots[(roots > -0.99) & (roots < 10.0)]
        keep = inside if inside.size else roots
        keep = keep[keep >= 0] if (keep >= 0).any() and (keep < 0).any() else keep
        assert rate == keep[np.argmin(np.abs(keep))]
    else:
        assert np.isnan(rate)


@SETTINGS
@given(st.lists(several_changes, min_size=1, max_size=6).map(lambda rows: [r[:6] + [0.0] * (6 - len(r[:6])) for r in rows]))
def test_batch_irr_equals_row_by_row(rows):
    batch = irr_warning_iff_nan(np.array(rows))
    assert np.array_equal(batch, np.array([irr_warning_iff_nan(r) for r in rows]), equal_nan=True)


@SETTINGS
@given(magnitude, magnitude, st.integers(min_value=1, max_value=20_000))
def test_two_flows_have_the_closed_form_rate(invest, back, days):
    log_growth = 365.0 / days * math.log(back / invest)
    assume(-20 < log_growth < 27)  # 1 + r between 2e-9 and 5e11
    expected = math.expm1(log_growth)
    rate = tc.xirr([-invest, back], days=[0, days])
    assert rate == pytest.approx(expected, rel=1e-9)
    yearly = tc.irr([-invest] + [0.0] * 2 + [back])
    assert yearly == pytest.approx((back / invest) ** (1 / 3) - 1, rel=1e-9)


@SETTINGS
@given(st.lists(st.tuples(flow, st.integers(min_value=0, max_value=3000)), min_size=2, max_size=15))
def test_xirr_is_a_root_of_xnpv_with_dates_in_any_order(pairs):
    amounts = [a for a, _ in pairs]
    days = [d for _, d in pairs]
    rate = solved(lambda: tc.xirr(amounts, days=days))
    order = np.argsort(days, kind="stable")
    assert solved(lambda: tc.xirr(list(np.array(amounts)[order]), days=list(np.array(days)[order]))) == pytest.approx(
        rate, rel=1e-12, abs=1e-15, nan_ok=True)
    if np.isfinite(rate):
        assert rate > -1
        t = (np.array(days) - min(days)) / 365.0
        base = math.log1p(rate)
        shift = t.max() * base if rate < 0 else 0.0  # times (1+r)^T near r = -1
        terms = np.array(amounts) * np.exp(-t * base + shift)
        near = [np.nextafter(rate, -np.inf), np.nextafter(rate, np.inf)]
        signs = [np.sum(np.array(amounts) * np.exp(-t * math.log1p(r) + (t.max() * math.log1p(r) if r < 0 else 0)))
                 for r in near]
        assert abs(terms.sum()) <= 1e-9 * np.abs(terms).sum() or signs[0] * signs[1] <= 0


@SETTINGS
@given(several_changes.filter(lambda v: len(v) <= 12))
def test_xirr_on_yearly_dates_agrees_with_irr(values):
    days = [365 * k for k in range(len(values))]
    assert solved(lambda: tc.xirr(values, days=days)) == pytest.approx(solved(lambda: tc.irr(values)), rel=1e-9,
                                                                     abs=1e-12, nan_ok=True)


rates = st.floats(min_value=-0.5, max_value=0.5)
periods = st.integers(min_value=1, max_value=360)
# No subnormal amounts: a tolerance relative to them underflows to zero and asks for exact bits.
amounts = st.floats(min_value=-1e7, max_value=1e7, allow_subnormal=False)


@SETTINGS
@given(rates, periods, amounts, amounts, st.sampled_from(["end", "begin"]))
def test_annuity_functions_invert_each_other(rate, n, payment, future, when):
    present = tc.pv(rate, n, payment, future, when)
    growth = (1 + rate) ** n
    scale = abs(future) + abs(payment) * n * max(1.0, growth) + abs(present) * growth
    assert abs(tc.fv(rate, n, payment, present, when) - future) <= 1e-9 * scale
    assert abs(tc.pmt(rate, n, present, future, when) - payment) <= 1e-8 * (abs(payment) + scale / n)


@SETTINGS
@given(rates, st.integers(min_value=1, max_value=120), st.floats(min_value=1, max_value=1e7), st.sampled_from(["end", "begin"]))
def test_loan_schedule_repays_the_principal(rate, n, principal, when):
    per = np.arange(1, n + 1)
    principal_parts = tc.ppmt(rate, per, n, principal, 0, when)
    interest_parts = tc.ipmt(rate, per, n, principal, 0, when)
    size = np.abs(interest_parts).max() + principal  # rounding scale: interest can dwarf the payment
    np.testing.assert_allclose(principal_parts + interest_parts, tc.pmt(rate, n, principal, 0, when),
                               rtol=1e-9, atol=1e-12 * size)
    assert abs(-principal_parts.sum() - principal) <= 1e-9 * n * size


@SETTINGS
@given(st.lists(rates, min_size=1, max_size=5), st.lists(st.lists(st.floats(-1e6, 1e6), min_size=4, max_size=4), min_size=1, max_size=5))
def test_npv_grid_is_every_rate_for_every_series(rate_list, rows):
    grid = tc.npv(rate_list, rows)
    assert grid.shape == (len(rate_list), len(rows))
    for k, r in enumerate(rate_list):
        np.testing.assert_array_equal(grid[k], tc.npv(r, rows))


def scaled_xnpv(amounts, years, rate):
    """xnpv times (1 + r)^T for r < 0 (nothing overflows near r = -1) and the absolute terms."""
    a, t = np.asarray(amounts, dtype=float), np.asarray(years, dtype=float)
    base = math.log1p(rate)
    terms = a * np.exp(-t * base + (t.max() * base if rate < 0 else 0.0))
    return terms.sum(), np.abs(terms).sum()


@SETTINGS
@given(st.lists(st.tuples(flow, st.integers(min_value=0, max_value=3000)), min_size=2, max_size=12))
def test_xirr_finds_a_rate_where_one_surely_exists(pairs):
    amounts = [a for a, _ in pairs]
    days = [d for _, d in pairs]
    years = (np.array(days) - min(days)) / 365.0
    grid = np.expm1(np.linspace(math.log1p(-0.99), math.log1p(10.0), 400))
    values = [scaled_xnpv(amounts, years, r) for r in grid]
    sure = [(r, v) for r, (v, size) in zip(grid, values) if abs(v) > 1e3 * len(amounts) * EPS * size]
    brackets = [(a[0], b[0]) for a, b in zip(sure, sure[1:]) if np.sign(a[1]) != np.sign(b[1])]
    if brackets:
        assert np.isfinite(tc.xirr(amounts, days=days))
        roots = tc.xirr_all(amounts, days=days)
        for lo, hi in brackets:
            assert ((roots >= lo) & (roots <= hi)).any(), f"no root listed in {lo, hi}: {roots}"
        for r in roots:
            value, size = scaled_xnpv(amounts, years, r)
            neighbours = [scaled_xnpv(amounts, years, x)[0] for x in (np.nextafter(r, -1), np.nextafter(r, np.inf))]
            assert abs(value) <= 1e-9 * size or neighbours[0] * neighbours[1] <= 0


def _check_dated_roots(amounts, days, roots, rate):
    """Every listed root is a root of xnpv, a sure sign change in (-99%, +1000%) holds one, and
    the chosen rate is one of them."""
    years = (np.asarray(days) - np.min(days)) / 365.0
    grid = np.expm1(np.linspace(math.log1p(-0.99), math.log1p(10.0), 400))
    values = [scaled_xnpv(amounts, years, r) for r in grid]
    sure = [(r, v) for r, (v, size) in zip(grid, values) if abs(v) > 1e3 * len(amounts) * EPS * size]
    for a, b in zip(sure, sure[1:]):
        if np.sign(a[1]) != np.sign(b[1]):
            assert ((roots >= a[0]) & (roots <= b[0])).any(), f"no root listed in {a[0], b[0]}: {roots}"
    for r in roots:
        value, size = scaled_xnpv(amounts, years, r)
        neighbours = [scaled_xnpv(amounts, years, x)[0] for x in (np.nextafter(r, -1), np.nextafter(r, np.inf))]
        assert abs(value) <= 1e-9 * size or neighbours[0] * neighbours[1] <= 0
    assert (np.isnan(rate) and roots.size == 0) or rate in roots


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(flow, st.integers(min_value=0, max_value=3000)), min_size=1, max_size=10),
                min_size=1, max_size=6))
def test_xirr_by_groups_is_each_group_alone_and_a_root(groups):
    amounts = [a for g in groups for a, _ in g]
    days = [d for g in groups for _, d in g]
    labels = [i for i, g in enumerate(groups) for _ in g]
    rates = solved(lambda: tc.xirr(amounts, days=days, by=labels))
    for i, g in enumerate(groups):
        a, d = [x for x, _ in g], [y for _, y in g]
        single = solved(lambda: tc.xirr(a, days=d))  # noqa: B023 (called at once)
        assert rates[i] == single or (np.isnan(rates[i]) and np.isnan(single))
        _check_dated_roots(a, d, tc.xirr_all(a, days=d), single)


@pytest.mark.parametrize("mean", [100.0, 15.0])
def test_xirr_of_10000_flows_on_random_days_over_27_years(mean):
    # A fund-like schedule (one rate, the fast path) and flows of nearly random sign (the partial
    # sums from the last date change sign many times: the pivot walk with its interval bounds,
    # a few milliseconds, where the Rolle recursion took seconds; rates of -99.999% and 3.5%).
    rng = np.random.default_rng(27)
    days = rng.integers(0, 27 * 365, 10_000)
    amounts = rng.normal(mean, 150.0, 10_000)
    amounts[np.argmin(days)] = -1e5
    roots = tc.xirr_all(amounts, days=days)
    rate = tc.xirr(amounts, days=days)
    assert np.isfinite(rate)
    _check_dated_roots(amounts, days, roots, rate)


def test_ctrl_c_stops_a_long_xirr():
    # The Rolle levels of a 10,000-flow schedule take seconds; they poll for signals between
    # levels, so SIGINT surfaces as KeyboardInterrupt within the solve. The schedule: flows
    # every 73 days whose NPV, in x = (1 + r)^(-73 / 365), is (x - 1)(x - x(50%)) times a pair
    # of complex roots near x(12.5%) times 1 + x + ... + x^9999 (10,000 roots on the unit
    # circle): the sign-change bounds stay high everywhere, so the pivot walk gives up.
    import os
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import os, signal, threading, time
        import numpy as np
        import trustcost as tc
        signal.signal(signal.SIGINT, signal.default_int_handler)  # background jobs start with it ignored
        pair = 1.125 ** (-73 / 365) * (1 + 0.0156j)
        planted = np.real(np.poly([1.0, 1.5 ** (-73 / 365), pair, np.conj(pair)]))
        amounts = np.convolve(planted, np.ones(10_000))[::-1]
        days = np.arange(amounts.size) * 73
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        start = time.perf_counter()
        try:
            while time.perf_counter() - start < 30:
                tc.xirr_all(amounts, days=days)
        except KeyboardInterrupt:
            print("interrupted after", time.perf_counter() - start)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(tc.__path__[0]), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", code], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("interrupted after")
    assert float(done.stdout.split()[-1]) < 2.0  # within the first solve (about 3 s), not after it


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-0.95, max_value=9.0), min_size=2, max_size=4, unique=True),
       st.sampled_from([73, 146, 219]))
def test_xirr_all_finds_every_planted_rate_of_a_dated_schedule(rates, gap):
    # Flows every `gap` days (a fraction of a year, so not irr's polynomial) whose NPV is, in
    # x = (1 + r)^(-gap / 365), a polynomial with roots planted at the given rates: all of them
    # (and nothing else) must come back, however the isolation brackets them (rates of both
    # signs, close together or far apart: the pivot walk and, failing it, the Rolle recursion).
    rates = sorted(rates)
    assume(all(b - a > 0.02 * (1 + a) for a, b in zip(rates, rates[1:])))
    x = [(1 + r) ** (-gap / 365) for r in rates]
    amounts = np.poly(x)[::-1]  # amounts[k] multiplies x**k: the flow on day k * gap
    found = tc.xirr_all(amounts, days=np.arange(len(amounts)) * gap)
    np.testing.assert_allclose(found, rates, rtol=1e-7, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=-0.9, max_value=5.0), min_size=1, max_size=3, unique=True),
       st.floats(min_value=-0.5, max_value=2.0), st.floats(min_value=1e-3, max_value=3e-2),
       st.sampled_from([73, 146, 219]))
def test_xirr_all_passes_over_a_complex_pair_near_the_axis(rates, pair_rate, width, gap):
    # A pair of complex roots close to the real axis keeps Laguerre's sign-change bounds one pair
    # too high on every half-line on either side of it, however finely they are cut: the pivot
    # walk's interval bounds on short pieces settle it, or failing them the Rolle recursion.
    # Planted as in the test above: the real rates, and nothing at the pair (x0 (1 +- i width),
    # x0 the pair's rate in x = (1 + r)^(-gap / 365)).
    rates = sorted(rates)
    assume(all(b - a > 0.05 * (1 + a) for a, b in zip(rates, rates[1:])))
    assume(all(abs(pair_rate - r) > 0.05 * (1 + r) for r in rates))
    x = [(1 + r) ** (-gap / 365) for r in rates]
    x0 = (1 + pair_rate) ** (-gap / 365)
    amounts = np.real(np.poly(x + [x0 * (1 + 1j * width), x0 * (1 - 1j * width)]))[::-1]
    found = tc.xirr_all(amounts, days=np.arange(len(amounts)) * gap)
    # The pair flattens the NPV near it, so the coefficients' rounding moves the real roots more
    # than in the test above (rates = [0, 0.5, 1], a pair at 12.5% +- 1.6%: the double
    # coefficients' root is 1.7e-9, not 0, and rounding blurs it over about 4e-8).
    np.testing.assert_allclose(found, rates, rtol=1e-6, atol=1e-7)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.floats(min_value=-500, max_value=800), st.integers(min_value=1, max_value=3650)),
                min_size=10, max_size=40),
       st.floats(min_value=100, max_value=5000))
def test_xirr_of_mixed_sign_schedules_finds_every_sure_root(pairs, investment):
    # Schedules like bench_finance's mixed portfolio (an investment, then flows of either sign
    # on random days): several sign changes, so the pivots, the interval bounds and the pieces'
    # solves all run; every root listed is a root (none at the edge of the range where 1 + r
    # rounds to 0) and every sure sign change on a grid holds one.
    amounts = [-investment] + [a for a, _ in pairs]
    days = [0] + [d for _, d in pairs]
    roots = tc.xirr_all(amounts, days=days)
    _check_dated_roots(amounts, days, roots, solved(lambda: tc.xirr(amounts, days=days)))
