"""trustcost.finance against numpy-financial, pyxirr, published values and properties."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
import pyxirr

import trustcost as tc
from no_solution import solved  # noqa: E402  (beside this file)


@pytest.fixture
def rng():
    return np.random.default_rng(20261126)


def conventional_series(rng, rows=1000, periods=15):
    """An investment at t=0 followed by positive returns: exactly one IRR."""
    values = rng.uniform(10, 400, size=(rows, periods))
    values[:, 0] = -rng.uniform(500, 3000, size=rows)
    return values


# --- published values -------------------------------------------------------------------------


def test_numpy_financial_documented_examples():
    # numpy-financial docstrings (npv and irr Examples sections).
    assert tc.npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]) == pytest.approx(3065.22, abs=0.005)
    assert tc.irr([-100, 39, 59, 55, 20]) == pytest.approx(0.28095, abs=5e-6)
    assert tc.irr([-100, 0, 0, 74]) == pytest.approx(-0.0955, abs=5e-5)
    assert tc.irr([-100, 100, 0, -7]) == pytest.approx(-0.0833, abs=5e-5)
    assert tc.irr([-100, 100, 0, 7]) == pytest.approx(0.06206, abs=5e-6)
    assert tc.irr([-5, 10.5, 1, -8, 1]) == pytest.approx(0.0886, abs=5e-5)


def test_compound_interest_tables():
    # Four-digit table values (e.g. Newnan et al., Engineering Economic Analysis, Appendix C;
    # the same factors NIST Handbook 135 calls SPV, UPV and UCR).
    assert tc.spv(0.10, 10) == pytest.approx(0.3855, abs=5e-5)
    assert tc.upv(0.10, 10) == pytest.approx(6.1446, abs=5e-5)
    assert tc.crf(0.10, 10) == pytest.approx(0.16275, abs=5e-6)
    assert tc.upv(0.03, 25) == pytest.approx(17.4131, abs=5e-5)
    assert tc.crf(0.07, 20) == pytest.approx(0.09439, abs=5e-6)


def test_upv_star_and_mid_year_match_the_astm_e917_formulas():
    # ASTM E917 / NIST Handbook 135: UPV* = (1+e)/(d-e) * [1 - ((1+e)/(1+d))^n] at end of year.
    # Mid-year: each amount escalated and discounted to the middle of its year; without
    # escalation that is the end-of-year factor times (1+d)^0.5 (NIST Handbook 135 §4.3).
    d, e, n = 0.03, 0.02, 20
    closed_form = (1 + e) / (d - e) * (1 - ((1 + e) / (1 + d)) ** n)
    assert tc.upv(d, n, escalation=e) == pytest.approx(closed_form, rel=1e-13)
    mid = sum((1 + e) ** (t - 0.5) / (1 + d) ** (t - 0.5) for t in range(1, n + 1))
    assert tc.upv(d, n, escalation=e, timing="mid") == pytest.approx(mid, rel=1e-13)
    begin = sum((1 + e) ** (t - 1) / (1 + d) ** (t - 1) for t in range(1, n + 1))
    assert tc.upv(d, n, escalation=e, timing="begin") == pytest.approx(begin, rel=1e-13)
    assert tc.upv(0.03, 10, timing="mid") == pytest.approx(tc.upv(0.03, 10) * 1.03**0.5, rel=1e-14)


def test_upv_star_mid_year_matches_mil_hdbk_1003_13a():
    # MIL-HDBK-1003/13A, Economic Analysis Handbook, mid-year UPV* table: d = 10%, e = 7%,
    # 25 years gives 18.049. The exact sum of ((1.07/1.10)^(t - 0.5)) is 18.04796; the table's
    # last printed digit is one above that rounding, so the check allows 1.5e-3.
    assert tc.upv(0.10, 25, escalation=0.07, timing="mid") == pytest.approx(18.049, abs=1.5e-3)
    # The end-of-year convention is unchanged (it escalates and discounts at year end).
    q = 1.07 / 1.10
    assert tc.upv(0.10, 25, escalation=0.07) == pytest.approx(q * (1 - q**25) / (1 - q), rel=1e-13)


def test_excel_xirr_and_xnpv_examples():
    # Microsoft's XIRR and XNPV documentation examples.
    amounts = [-10_000, 2_750, 4_250, 3_250, 2_750]
    dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    assert tc.xirr(amounts, dates) == pytest.approx(0.373362535, abs=1e-8)  # Excel iterates to ~1e-8
    assert tc.xnpv(0.09, amounts, dates) == pytest.approx(2086.65, abs=0.005)
    # pandas Timestamps and datetime.date give the same answer.
    assert tc.xirr(amounts, pd.to_datetime(dates)) == tc.xirr(amounts, [dt.date.fromisoformat(d) for d in dates])


# --- cross-checks on many random series ---------------------------------------------------------


def test_npv_matches_numpy_financial_on_1000_series(rng):
    values = rng.normal(0, 1000, size=(1000, 25))
    rates = rng.uniform(-0.5, 0.5, size=1000)
    expected = np.array([npf.npv(r, v) for r, v in zip(rates, values)])
    np.testing.assert_allclose(tc.npv(rates, values, pairwise=True), expected, rtol=1e-11, atol=1e-8)
    np.testing.assert_allclose(tc.npv(0.07, values), [npf.npv(0.07, v) for v in values], rtol=1e-11, atol=1e-8)


def test_irr_matches_numpy_financial_on_1000_series(rng):
    values = conventional_series(rng)
    expected = np.array([npf.irr(v) for v in values])
    np.testing.assert_allclose(tc.irr(values), expected, rtol=1e-9, atol=1e-12)


def _reference_choice(values):
    """numpy-financial's current irr, re-expressed: real roots from numpy.roots (eigenvalues,
    an independent method), rates >= -1, then its default selection (non-negative rates kept
    when both signs occur, then the smallest in magnitude), made among the rates in
    (-99%, +1000%) where there are any (trustcost's deliberate difference: the plausible root)."""
    g = np.roots(values)  # roots in 1 + r
    rates = np.real(g[np.isreal(g)]) - 1
    rates = rates[rates > -1]
    if rates.size == 0:
        return np.nan
    inside = rates[(rates > -0.99) & (rates < 10.0)]
    rates = inside if inside.size else rates
    if (rates < 0).any() and (rates >= 0).any():
        rates = rates[rates >= 0]
    return rates[np.argmin(np.abs(rates))]


def test_irr_matches_numpy_financial_selection_with_several_sign_changes(rng):
    values = rng.normal(0, 100, size=(1000, 8))
    with pytest.warns(tc.NoSolutionWarning, match=r"irr: \d+ of 1000 element\(s\) have no solution"):
        ours = tc.irr(values)
    theirs = np.array([_reference_choice(v) for v in values])
    both = np.isfinite(theirs)
    assert both.sum() > 500
    np.testing.assert_allclose(ours[both], theirs[both], rtol=1e-7, atol=1e-9)
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))


def test_xirr_matches_pyxirr(rng):
    start = np.datetime64("2020-01-01")
    for _ in range(200):
        n = rng.integers(3, 12)
        days = np.sort(rng.choice(2000, size=n, replace=False))
        dates = start + days.astype("timedelta64[D]")
        amounts = rng.uniform(50, 500, size=n)
        amounts[0] = -rng.uniform(500, 3000)
        assert tc.xirr(amounts, dates) == pytest.approx(pyxirr.xirr(dates, amounts), rel=1e-7, abs=1e-10)


# --- properties ---------------------------------------------------------------------------------


def test_npv_is_linear_in_values(rng):
    a, b = rng.normal(size=(2, 30))
    assert tc.npv(0.05, 3 * a + 2 * b) == pytest.approx(3 * tc.npv(0.05, a) + 2 * tc.npv(0.05, b), rel=1e-12)


def test_npv_of_positive_flows_falls_as_the_rate_rises(rng):
    flows = rng.uniform(1, 10, size=20)
    values = [tc.npv(r, flows) for r in np.linspace(-0.5, 1.0, 40)]
    assert np.all(np.diff(values) < 0)


def test_irr_is_a_root_of_npv(rng):
    values = conventional_series(rng, rows=300)
    rates = tc.irr(values)
    np.testing.assert_allclose(tc.npv(rates, values, pairwise=True), 0, atol=1e-7)


def test_irr_all_contains_irr_and_all_are_roots():
    values = [-5, 10.5, 1, -8, 1]
    roots = tc.irr_all(values)
    assert len(roots) == 3
    assert tc.irr(values) in roots
    for r in roots:
        assert abs(tc.npv(r, values)) < 1e-10


def test_irr_without_sign_change_is_nan_not_an_error():
    with pytest.warns(tc.NoSolutionWarning, match=r"irr: 1 of 2 element\(s\) have no solution \(NaN\); the first is values row 0: the flows do not change sign"):
        out = tc.irr([[100, 20, 30], [-100, 60, 60]])
    assert np.isnan(out[0]) and out[1] == pytest.approx(npf.irr([-100, 60, 60]))


def test_eac_and_crf_spread_a_present_value():
    pv = 10_000.0
    assert tc.eac(pv, 0.05, 10) * tc.upv(0.05, 10) == pytest.approx(pv, rel=1e-13)


def test_discount_factors_and_rates():
    np.testing.assert_allclose(tc.discount_factors(0.1, 3), 1.1 ** -np.arange(1, 4))
    np.testing.assert_allclose(tc.discount_factors(0.1, 2, timing="begin"), [1, 1 / 1.1])
    np.testing.assert_allclose(tc.discount_factors(0.1, 2, continuous=True), np.exp(-0.1 * np.arange(1, 3)))
    assert tc.real_rate(tc.nominal_rate(0.03, 0.02), 0.02) == pytest.approx(0.03, rel=1e-14)
    np.testing.assert_allclose(tc.spv([0.1, 0.2], 2), [1 / 1.21, 1 / 1.44])


def test_npv_timing_mid_moves_flows_half_a_period_earlier():
    values = [-100, 50, 70]
    assert tc.npv(0.1, values, timing="mid") == pytest.approx(-100 + 50 / 1.1**0.5 + 70 / 1.1**1.5)


def test_dataframe_in_series_out():
    frame = pd.DataFrame([[-100, 60, 60], [-100, 30, 90]], index=["a", "b"])
    result = tc.npv(0.1, frame)
    assert isinstance(result, pd.Series) and list(result.index) == ["a", "b"]
    assert isinstance(tc.irr(frame), pd.Series)


def test_payback():
    assert tc.payback([-100, 30, 40, 50]) == 3
    assert tc.payback([-100, 30, 40, 50], fractional=True) == pytest.approx(2.6)
    assert np.isnan(tc.payback([-100, 10, 10]))
    discounted = tc.payback([-100, 60, 60], rate=0.1)
    assert discounted == 2


def test_nist_measures():
    savings = [0, 30, 30, 30, 30, 30]
    investment = [100, 0, 0, 0, 0, 0]
    pv_savings = 30 * tc.upv(0.03, 5)
    assert tc.net_savings(savings, investment, 0.03) == pytest.approx(pv_savings - 100)
    assert tc.sir(savings, investment, 0.03) == pytest.approx(pv_savings / 100)
    # NIST Handbook 135 eq. 6.9 with the discount rate as reinvestment rate.
    assert tc.airr(savings, investment, 0.03) == pytest.approx(1.03 * (pv_savings / 100) ** (1 / 5) - 1)
    # AIRR equals the reinvestment rate exactly where SIR = 1.
    even = [0, 100 * tc.crf(0.03, 5)] + [100 * tc.crf(0.03, 5)] * 4
    assert tc.airr(even, investment, 0.03) == pytest.approx(0.03, abs=1e-12)
    assert tc.sir(savings, [0] * 6, 0.03) == np.inf


def test_sir_and_airr_without_meaning_warn_why():
    # NIST Handbook 135 defines the SIR for an alternative that costs more to buy; one that costs
    # no more to buy and more to run is dominated (no ratio), as are 0 / 0 and, for the AIRR,
    # negative savings against an investment. NaN with a NoSolutionWarning, and a warning only then.
    from no_solution import solved

    dominated, no_change = ([0, -10, -10], [-100, 0, 0]), ([0, 0, 0], [0, 0, 0])
    loss = ([0, -10, -10], [100, 0, 0])
    for savings, investment in (dominated, no_change):
        with pytest.warns(tc.NoSolutionWarning, match=r"^sir: 1 of 1 element\(s\) have no solution \(NaN\); the first is "
                                                       r"element 0 \(pv_savings=.*, pv_investment=.*\): "):
            assert np.isnan(tc.sir(savings, investment, 0.03))
    with pytest.warns(tc.NoSolutionWarning, match=r"^airr: .*negative savings against an additional investment"):
        assert np.isnan(tc.airr(*loss, 0.03))
    assert solved(lambda: tc.sir(*loss, 0.03)) < 0  # a negative ratio is an answer
    with pytest.warns(tc.NoSolutionWarning, match=r"sir: 2 of 3 element\(s\) .* element 0 .* it is dominated"):
        rows = tc.sir([dominated[0], [0, 5, 5], no_change[0]], [dominated[1], [10, 0, 0], no_change[1]], 0.03)
    assert np.isnan(rows[[0, 2]]).all() and rows[1] > 0
    assert solved(lambda: tc.airr([0, 30, 30], [50, 0, 0], 0.03)) > 0.03


def test_results_do_not_depend_on_thread_count(rng):
    values = conventional_series(rng, rows=20_000, periods=30)
    before = tc.get_num_threads()
    try:
        tc.set_num_threads(1)
        one = (tc.npv(0.05, values), tc.irr(values))
        tc.set_num_threads(2)
        two = (tc.npv(0.05, values), tc.irr(values))
    finally:
        tc.set_num_threads(before)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: tc.npv(0.1, [1, np.nan, 2]), ValueError, r"values\[0, 1\] must be finite, got nan"),
        (lambda: tc.npv(0.1, [[1, 2], [3, np.inf]]), ValueError, r"values\[1, 1\] must be finite, got inf"),
        (lambda: tc.irr([[1, 2], [3, -np.inf]]), ValueError, r"values\[1, 1\] must be finite"),
        (lambda: tc.npv(-1.0, [1, 2]), ValueError, "rate must be > -1, got -1"),
        (lambda: tc.npv(np.nan, [1, 2]), ValueError, "rate must be finite"),
        (lambda: tc.npv(0.1, []), ValueError, "values must not be empty"),
        (lambda: tc.npv(0.1, [[1, 2], [3]]), ValueError, "values must be rectangular"),
        (lambda: tc.npv(0.1, ["a", "b"]), TypeError, "values must be numeric"),
        (lambda: tc.npv(0.1, "abc"), TypeError, "values must be numeric"),
        (lambda: tc.npv(0.1, np.zeros((2, 2, 2))), ValueError, "values must be 1-D or 2-D"),
        (lambda: tc.npv([0.1, 0.2, 0.3], [[1, 2], [3, 4]], pairwise=True), ValueError, r"one value per row \(2\), got 3"),
        (lambda: tc.npv(0.1, [1, 2], pairwise="yes"), TypeError, "pairwise must be True or False"),
        (lambda: tc.payback([-1, 2], fractional="no"), TypeError, "fractional must be True or False, got str 'no'"),
        (lambda: tc.discount_factors(0.05, 2, continuous=1), TypeError, "continuous must be True or False"),
        (lambda: tc.npv(0.1, np.ma.masked_array([1.0, 2.0], mask=[0, 1])), TypeError, "masked array"),
        (lambda: tc.irr(np.ma.masked_array([-1.0, 2.0], mask=[0, 1])), TypeError, "masked array"),
        (lambda: tc.pmt(np.ma.masked_array([0.1]), 10, 100), TypeError, "rate is a masked array"),
        (lambda: tc.xnpv(0.05, [-1000, 1100], [0, 365]), TypeError, "numbers would be read as nanoseconds.*days="),
        (lambda: tc.xirr([-1000, 1100], np.array([0.0, 365.0])), TypeError, "dates must be dates, got numbers"),
        (lambda: tc.xirr([-1000, 1100], pd.Series([0, 365])), TypeError, r"dates\[0\] is a number"),
        (lambda: tc.xirr([-1000, 1100], ["2020-01-01", 5]), TypeError, r"dates\[1\] is a number"),
        (lambda: tc.xirr([-1000, 1100], days=[0, 0.5]), ValueError, r"days\[1\] must be a whole number"),
        (lambda: tc.xirr([-1000, 1100], ["2020-01-01", "2021-01-01"], days=[0, 1]), TypeError, "exactly one"),
        (lambda: tc.xirr([-1000, 1100], ["2020-01-01", "2021-01-01"], day_count="act/365"), ValueError, "day_count"),
        (lambda: tc.npv(0.1, [1, 2], timing="middle"), ValueError, "timing must be one of"),
        (lambda: tc.upv(0.05, 10, escalation=-1.0), ValueError, "escalation must be > -1"),
        (lambda: tc.crf(0.05, 0), ValueError, "n must be > 0"),
        (lambda: tc.spv(0.05, -1), ValueError, "n must be >= 0"),
        (lambda: tc.discount_factors(0.05, -2), ValueError, "periods must be >= 0"),
        (lambda: tc.discount_factors(0.05, 2.5), TypeError, "periods must be an integer"),
        (lambda: tc.payback([1, 2], rate="x"), TypeError, "rate must be a real number"),
        (lambda: tc.xirr([-1, 2], ["2020-01-01"]), ValueError, r"one date per amount \(2\), got 1"),
        (lambda: tc.xirr([-1, 2], ["2020-01-01", "not a date"]), ValueError, r"dates\[1\] = .not a date. has no four-digit year"),
        (lambda: tc.xirr([-1, 2], ["2020-01-01", "2021-13-45"]), ValueError, r"dates\[1\] could not be read"),
        (lambda: tc.xirr([-1, 2], ["2020-01-01", None]), ValueError, r"dates\[1\] is missing"),
        (lambda: tc.net_savings([0, 1, 2], [1, 0], 0.03), ValueError, "same shape"),
        (lambda: tc.set_num_threads(0), ValueError, "n must be >= 1, got 0"),
    ],
)
def test_bad_input_raises_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _npv_in_child(queue):
    values = np.random.default_rng(1).normal(size=(20_000, 12))
    queue.put(float(tc.npv(0.05, values).sum()))


def test_a_forked_child_can_use_threads_after_the_parent_did():
    # The thread pool is kept between calls, and fork() copies none of its threads: the child
    # forgets the parent's pool and builds its own.
    import multiprocessing

    tc.set_num_threads(2)
    values = np.random.default_rng(1).normal(size=(20_000, 12))
    expected = float(tc.npv(0.05, values).sum())
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_npv_in_child, args=(queue,))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0, "the child hung or failed"
    assert queue.get(timeout=5) == expected


# --- dated flows: dates are dates ----------------------------------------------------------------


def test_numbers_are_not_dates_but_days_are_accepted():
    # Issue 11: [0, 365] used to be read as nanoseconds since 1970 (NPV 100.0).
    with pytest.raises(TypeError, match="days="):
        tc.xnpv(0.05, [-1000, 1100], [0, 365])
    assert tc.xnpv(0.05, [-1000, 1100], days=[0, 365]) == pytest.approx(-1000 + 1100 / 1.05, rel=1e-14)
    assert tc.xirr([-1000, 1100], days=[0, 365]) == pytest.approx(0.10, rel=1e-12)


def test_tz_aware_dates_keep_their_local_calendar_date():
    # 00:30 at +02:00 on 1 March is still 29 February in UTC: the local date must be used.
    naive = pd.to_datetime(["2024-03-01", "2025-03-01"])
    aware = pd.to_datetime(["2024-03-01 00:30", "2025-03-01 00:30"]).tz_localize("Europe/Berlin")
    amounts = [-1000, 1100]
    assert tc.xnpv(0.05, amounts, aware) == tc.xnpv(0.05, amounts, naive)
    assert tc.xirr(amounts, list(aware)) == tc.xirr(amounts, naive)  # Timestamps one by one
    mixed_zones = [dt.datetime(2024, 3, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                   dt.datetime(2025, 3, 1, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))]
    assert tc.xirr(amounts, mixed_zones) == tc.xirr(amounts, naive)


def test_dates_in_any_order_and_same_day_flows():
    amounts = [-10_000, 2_750, 4_250, 3_250, 2_750]
    dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    order = [3, 0, 4, 2, 1]
    assert tc.xirr([amounts[i] for i in order], [dates[i] for i in order]) == tc.xirr(amounts, dates)
    # Two flows on one day count as their sum.
    split = tc.xirr([-6_000, -4_000] + amounts[1:], [dates[0]] + dates)
    assert split == pytest.approx(tc.xirr(amounts, dates), rel=1e-14)


def test_xirr_agrees_with_irr_on_yearly_flows_with_two_rates():
    # Issue 10: [-100, 230, -132] gave NaN from xirr and 0.10 from irr.
    flows = [-100, 230, -132]
    assert tc.xirr(flows, days=[0, 365, 730]) == pytest.approx(tc.irr(flows), rel=1e-12)
    np.testing.assert_allclose(tc.xirr_all(flows, days=[0, 365, 730]), [0.1, 0.2], rtol=1e-12)
    # Leading and trailing zero flows change nothing.
    assert tc.xirr([0, 0] + flows + [0], days=[-50, -10, 0, 365, 730, 900]) == pytest.approx(0.1, rel=1e-12)


def test_xirr_extreme_rates_are_roots_or_nan():
    # 1 + r = 1e-20 cannot be told from 0 in double precision: no rate, not -1.0.
    with pytest.warns(tc.NoSolutionWarning, match="the schedule: no rate > -1 makes the NPV zero"):
        assert np.isnan(tc.xirr([-1e20, 1.0], days=[0, 365]))
    with pytest.raises(tc.NoRealSolutionError):
        tc.xirr([-1e20, 1.0], days=[0, 365], raise_exceptions=True)
    r = tc.xirr([-1.0, 1e9], days=[0, 365])
    assert r == pytest.approx(1e9 - 1, rel=1e-12)
    assert tc.xnpv(r, [-1.0, 1e9], days=[0, 365]) == pytest.approx(0.0, abs=1e-9)


def test_direct_core_call_with_mismatched_lengths_raises():
    with pytest.raises(ValueError, match="4 amounts and 1 dates"):
        tc._core.xnpv(0.05, np.array([-100.0, 10, 20, 90]), np.array([0], dtype=np.int64), "act/365f")
    with pytest.raises(ValueError, match="4 amounts and 1 dates"):
        tc._core.xirr(np.array([-100.0, 10, 20, 90]), np.array([0], dtype=np.int64), "act/365f", 100, np.nan)


def test_day_counts():
    amounts = [-1000, 1100]
    # 2019-01-31 -> 2020-01-31: 365 actual days, one 30/360 year.
    dates = ["2019-01-31", "2020-01-31"]
    assert tc.xirr(amounts, dates, day_count="30/360") == pytest.approx(0.1, rel=1e-12)
    assert tc.xirr(amounts, dates, day_count="act/360") == pytest.approx(1.1 ** (360 / 365) - 1, rel=1e-12)


def test_xirr_matches_pyxirr_with_several_sign_changes(rng):
    start = np.datetime64("2020-01-01")
    checked = 0
    for _ in range(100):
        n = rng.integers(4, 10)
        days = np.sort(rng.choice(3000, size=n, replace=False))
        amounts = rng.normal(100, 80, size=n)
        amounts[0] = -abs(amounts[0]) * 3
        dates = start + days.astype("timedelta64[D]")
        theirs = pyxirr.xirr(dates, amounts, silent=True)
        ours = solved(lambda: tc.xirr(amounts, dates, guess=0.1))
        if theirs is None or not np.isfinite(ours):
            continue
        # pyxirr's Newton from 0.1 finds some root; nearest-to-guess usually picks the same one,
        # and wherever both differ ours must still be a root of xnpv.
        assert abs(tc.xnpv(ours, amounts, dates)) <= 1e-8 * np.abs(amounts).sum()
        checked += abs(ours - theirs) <= 1e-7 * max(1, abs(theirs))
    assert checked > 50


def test_flags_must_be_bools():
    with pytest.raises(TypeError, match="raise_exceptions must be True or False"):
        tc.irr([-1, 2], raise_exceptions="yes")
    with pytest.raises(TypeError, match="raise_exceptions must be True or False"):
        tc.mirr([-1, 2], 0.1, 0.1, raise_exceptions=1)
    assert tc.payback([-100, 30, 40, 50], fractional=np.bool_(True)) == pytest.approx(2.6)


def test_when_values_are_checked():
    with pytest.raises(ValueError, match="when must be 'end', 'begin', 0 or 1, got 'start'"):
        tc.pmt(0.05, 10, 100, when="start")
    with pytest.raises(ValueError, match="when must be"):
        tc.pmt(0.05, 10, 100, when=2)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        tc.pmt([0.05, 0.06], [10, 11, 12], 100)


def test_npv_of_a_dataframe_at_several_rates_is_a_frame_of_rates_by_rows():
    frame = pd.DataFrame([[-100, 60, 60], [-100, 30, 90]], index=["a", "b"])
    grid = tc.npv([0.0, 0.1], frame)
    assert isinstance(grid, pd.DataFrame) and list(grid.columns) == ["a", "b"] and list(grid.index) == [0.0, 0.1]
    assert grid.loc[0.1, "b"] == pytest.approx(-100 + 30 / 1.1 + 90 / 1.21)
    np.testing.assert_allclose(tc.npv([0.05, 0.2], [-100, 60, 60]), [tc.npv(0.05, [-100, 60, 60]), tc.npv(0.2, [-100, 60, 60])])


def test_xirr_refuses_sizes_beyond_its_budget_instead_of_running_for_minutes():
    rng = np.random.default_rng(3)
    # Sign changes up to the end of 40,000 distinct dates: beyond the budget (any schedule of up
    # to 30,000 distinct dates is within it; see the 10,000-flow property test).
    amounts = rng.normal(0, 1, 40_000)
    with pytest.raises(ValueError, match="aggregate the flows"):
        tc.xirr(amounts, days=np.arange(40_000) * 3)
    # Many flows with one late sign change are fine: one level.
    assert np.isfinite(tc.xirr(np.r_[-1e6, np.full(4999, 300.0)], days=np.arange(5000)))


def test_new_batches_do_not_depend_on_thread_count(rng):
    flows = rng.normal(100, 50, size=(6_000, 24))
    flows[:, 0] = -np.abs(flows[:, 0])
    rates = rng.uniform(0.001, 0.02, 50_000)
    before = tc.get_num_threads()
    results = []
    try:
        for threads in (1, 2):
            tc.set_num_threads(threads)
            results.append((tc.irr(flows), tc.npv([0.03, 0.08], flows), tc.mirr(flows, 0.05, 0.07),
                            tc.ppmt(rates, 7, 120, 1e5), tc.rate(120, tc.pmt(rates, 120, 1e5), 1e5, 0)))
    finally:
        tc.set_num_threads(before)
    for one, two in zip(*results):
        assert np.array_equal(one, two, equal_nan=True)


def test_annuity_batch_elements_do_not_depend_on_their_neighbours(rng):
    # Long terms at negative rates take another path to (1 + rate)^nper (exp rather than
    # expm1 + 1) than the rest: each element gives the same bits alone as in the batch, and the
    # batch agrees with numpy-financial's (1 + rate) ** nper on both paths.
    rate = rng.uniform(-0.3, 0.05, 5_000)
    nper = rng.integers(1, 400, 5_000).astype(float)
    assert (nper * np.log1p(rate) < -1).any() and (nper * np.log1p(rate) > 0).any()
    for name, args in (("pv", (-100.0, 1_000.0)), ("fv", (-100.0, 1_000.0)), ("pmt", (1_000.0, 50.0))):
        ours, theirs = getattr(tc, name), getattr(npf, name)
        batch = ours(rate, nper, *args)
        alone = np.array([ours(r, n, *args) for r, n in zip(rate[:300], nper[:300])])
        assert np.array_equal(batch[:300], alone)
        np.testing.assert_allclose(batch, theirs(rate, nper, *args), rtol=1e-10)


# --- regressions: roots the isolation used to miss (hypothesis's falsifying examples) ---------


def _rates_from_numpy_roots(values):
    """Rates r > -1 from the real positive roots x = 1 / (1 + r) of sum_k values[k] x^k, by
    numpy's companion-matrix eigenvalues: an independent computation."""
    x = np.roots(np.asarray(values, dtype=float)[::-1])
    x = np.sort(x[(np.abs(x.imag) < 1e-9) & (x.real > 0)].real)
    return np.sort(1.0 / x - 1.0)


def test_irr_finds_the_root_inside_a_bracket_whose_end_is_a_root_at_r_0():
    # 1 - x - x^2 + x^4 = (x - 1)(x^3 + x^2 - 1): r = 0 and r = 0.3247...; the isolating
    # bracket (0, 1] ended on the root at x = 1 and its solve returned that end.
    values = [1, -1, -1, 0, 1]
    roots = tc.irr_all(values)
    np.testing.assert_allclose(roots, _rates_from_numpy_roots(values), rtol=1e-12, atol=1e-15)
    assert roots.size == 2 and roots[0] == 0.0
    assert tc.irr(values) == 0.0


@pytest.mark.parametrize("values", [
    [-100, -17.78, 100, 17.78],                     # (x^2 - 1)(17.78 x + 100): only r = 0
    [-358139214.22158885, -1.5275053055931775, 358139214.22158885, 1.5275053055931775],
    [-0.04, 58691345.87, -58691345.87, 0.04],        # (x - 1)(0.04 x^2 + (0.04 - 58691345.87) x + 0.04)
    [-172.36, 102158363330.15, -102158363330.15, 172.36],
])
def test_irr_finds_a_root_at_r_0_where_npv_at_0_is_only_rounding(values):
    # npv(0) is the plain sum of the flows, zero up to rounding here; the two sides of x = 1
    # (rates above and below 0) each left that root to the other, or irr returned NaN.
    expected = _rates_from_numpy_roots(values)
    assert np.abs(expected).min() < 1e-12  # the independent roots include r = 0
    roots = tc.irr_all(values)
    assert (roots == 0.0).any()
    assert roots.size == expected.size
    np.testing.assert_allclose(roots, expected, rtol=1e-6, atol=1e-12)
    assert np.isfinite(tc.irr(values))


def test_xirr_stops_where_huge_cancelling_flows_leave_only_rounding():
    # Issue 10 hypothesis example: +1e9 at day 0, -1e9 at day 2198, -1 at day 3000. The root is
    # where the 1e9 flows cancel (s = log(1 + r) ~ 1.7e-10); TOMS 748 used to chase rounding
    # noise there to maxiter and report IterationsExceeded.
    amounts, days = [-1, -1e9, 1e9], [3000, 2198, 0]
    a, b = 2198 / 365, 3000 / 365

    def stable(s):  # the same xnpv without cancellation: 1e9 (1 - e^{-a s}) - e^{-b s}
        return -1e9 * math.expm1(-a * s) - math.exp(-b * s)

    lo, hi = 0.0, 1e-6
    for _ in range(200):  # bisection on the well-conditioned form
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if stable(mid) < 0 else (lo, mid)
    expected = math.expm1(0.5 * (lo + hi))
    rate = tc.xirr(amounts, days=days)
    assert rate == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(tc.xirr_all(amounts, days=days), [expected], rtol=1e-6)


def test_irr_finds_a_root_on_a_bisection_midpoint():
    # A root at x = 1/2 (r = 1), the first midpoint of the isolation: within rounding of zero
    # there, it fell on neither half and irr gave NaN.
    values = [1340.8061904435383, -7419.127587120912, 6972.192190306399, 5005.676444322543]
    expected = _rates_from_numpy_roots(values)
    assert np.abs(expected - 1.0).min() < 1e-9
    np.testing.assert_allclose(tc.irr_all(values), expected, rtol=1e-9)
    assert tc.irr(values) == pytest.approx(1.0, rel=1e-9)


def test_issue_19_limits():
    # rate finds the root Newton from 0.1 misses (it steps below -1): 0.49078 solves
    # 100000 (1 + r)^10 - 50000 ((1 + r)^10 - 1) / r = 0.
    r = tc.rate(10, -50000, 100000, 0)
    assert r == pytest.approx(0.4907776574, rel=1e-9)
    assert tc.fv(r, 10, -50000, 100000) == pytest.approx(0.0, abs=1e-4)
    # (1 + r)^nper overflows, the payment does not: -pv * r (1 + 1/f) with f = 1e360.
    assert tc.pmt(1e6, 60, 1e5) == pytest.approx(-1e11, rel=1e-12)
    assert tc.pv(1e6, 60, -1e11) == pytest.approx(1e5, rel=1e-12)
    with pytest.raises(OverflowError, match="fv: the result at element 0"):
        tc.fv(10.0, 1000, -1, 1)
    # Flows near the top of the float range keep their rate (scaling is exact).
    assert tc.irr([-1e308, 1.5e308]) == tc.irr([-1.0, 1.5])
    # numpy broadcasting in any number of dimensions.
    rate = np.full((2, 3, 4), 0.05)
    np.testing.assert_allclose(tc.nper(rate, -100, 1000), np.full((2, 3, 4), tc.nper(0.05, -100, 1000)))
    assert tc.pmt(rate[..., None], 12, 1000).shape == (2, 3, 4, 1)
    # Two-digit years are refused, as pyxirr refuses them.
    with pytest.raises(ValueError, match="four-digit year"):
        tc.xirr([-1, 2], ["11 Jun 15", "11 Jun 16"])


def test_the_plausible_root_among_several():
    # -320 and +1,644 a day apart have a rate of (1644 / 320)^365 - 1 = 2.66e259 a year; a
    # payment of 1,300 a year later adds a root at -1.82%. numpy-financial's rule alone
    # (non-negative first) would report 2.66e259; among the roots in (-99%, +1000%) it is -1.82%.
    amounts, days = [-320.0, 1644.0, -1300.0], [0, 1, 365]
    roots = tc.xirr_all(amounts, days=days)
    assert roots.size == 2 and roots[1] == pytest.approx((1644 / 320) ** 365 - 1, rel=1e-9)
    assert tc.xirr(amounts, days=days) == roots[0] == pytest.approx(-0.018188198, rel=1e-7)
    assert tc.xirr(amounts, days=days, guess=2e259) == roots[1]  # guess still picks the nearest


def test_xirr_in_pyxirrs_argument_order_says_amounts_come_first():
    # issue 20: pyxirr takes (dates, amounts); ours is Excel's (amounts, dates).
    dates = [dt.date(2020, 1, 1), dt.date(2021, 1, 1)]
    with pytest.raises(TypeError, match="amounts come first"):
        tc.xirr(dates, [-100.0, 110.0])
    with pytest.raises(TypeError, match="amounts come first"):
        tc.xnpv(0.1, dates, [-100.0, 110.0])


# --- issue 18: the generated sweep's finance cases (one reproducer per class of fix) --------------


@pytest.mark.parametrize("fn", [tc.net_savings, tc.sir, tc.airr])
def test_savings_measures_name_the_argument_the_user_passed(fn):
    good = np.array([0.0, 30.0, 30.0, 30.0])
    investment = np.array([50.0, 0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"^savings must be 1-D or 2-D, got 0-D"):
        fn(30.0, investment, 0.05)
    with pytest.raises(ValueError, match=r"^investment\[2\] must be finite, got nan"):
        fn(good, np.array([50.0, 0.0, np.nan, 0.0]), 0.05)
    with pytest.raises(TypeError, match=r"^savings is a masked array"):
        fn(np.ma.masked_array(good), investment, 0.05)
    # The valid call is unchanged: PV of 30 a year for 3 years at 5% is 81.6974 (30 * upv).
    assert tc.net_savings(good, investment, 0.05) == pytest.approx(30 * tc.upv(0.05, 3) - 50, rel=1e-12)


def test_factors_that_overflow_raise_naming_the_arguments():
    # The true values are beyond float64: crf ~ 1 / (n ln 1.05) with n = 5e-324; eac ~ 1000 * 1e308.
    with pytest.raises(OverflowError, match=r"crf: .*n=5e-324"):
        tc.crf(0.05, 5e-324)
    with pytest.raises(OverflowError, match=r"eac: .*rate=1e\+308"):
        tc.eac(1000.0, 1e308, 10)
    with pytest.raises(OverflowError, match=r"upv: .*escalation=1e\+308"):
        tc.upv(0.05, 10, 1e308)
    with pytest.raises(OverflowError, match=r"ipmt: .*nper=1e\+308"):
        tc.ipmt(0.05, 2, 1e308, 1000.0)
    # ipmt's NaN before the first payment stays numpy-financial's answer, not an overflow.
    with pytest.warns(tc.NoSolutionWarning, match="per < 1: there is no payment before the first period"):
        assert np.isnan(tc.ipmt(0.05, 0, 10, 1000.0))


def test_booleans_and_unhashable_when_are_refused_by_name():
    with pytest.raises(TypeError, match=r"^nper must be a number, got a boolean False"):
        tc.pv(0.05, False, -100.0)
    with pytest.raises(TypeError, match=r"^rate must be a number, got a boolean"):
        tc.crf(np.array([True, False]), 10)
    with pytest.raises(ValueError, match=r"^when must be 'end', 'begin', 0 or 1, got \{'a': 1\}"):
        tc.pmt(0.05, 10, 1000.0, when={"a": 1})


def test_payback_refuses_nan_and_discount_factors_huge_sizes():
    # A NaN flow would otherwise read as "never pays back" (NaN).
    with pytest.raises(ValueError, match=r"^values\[2\] must be finite, got nan"):
        tc.payback([-100.0, 30.0, np.nan, 80.0])
    with pytest.raises(ValueError, match=r"^values\[1, 0\] must be finite"):
        tc.payback(np.array([[-100.0, 120.0], [np.nan, 1.0]]))
    assert tc.payback([-100.0, 30.0, 40.0, 50.0]) == 3.0
    for periods in (2**62, 10**12, 2**64):  # was std::bad_alloc or pybind11's signature dump
        with pytest.raises(ValueError, match=r"^periods must be <= 1,000,000,000"):
            tc.discount_factors(0.05, periods)


def test_nper_neither_overflows_pmt_over_rate_nor_loses_a_tiny_rate():
    # At a rate of 5e-324 the loan is paid as at rate 0: 500 / 100 = 5 periods (was NaN).
    assert tc.nper(5e-324, -100.0, 500.0) == 5.0
    # A payment of 1e308 pays 500 off at once: log1p(0.05 * 500 / 1e308) / log(1.05) periods
    # (the textbook pmt / rate overflowed to NaN).
    assert tc.nper(0.05, -1e308, 500.0) == pytest.approx(0.05 * 5e-306 / math.log1p(0.05), rel=1e-12)
    # Unchanged elsewhere: numpy-financial's value, and NaN where no number of periods gets there.
    assert tc.nper(0.05, -100.0, 500.0) == pytest.approx(npf.nper(0.05, -100.0, 500.0), rel=1e-13)
    with pytest.warns(tc.NoSolutionWarning, match="the payment does not cover the interest"):
        assert np.isnan(tc.nper(0.05, -0.5, 500.0))  # the interest (25) exceeds the payment
    with pytest.warns(tc.NoSolutionWarning, match="the payment does not cover the interest"):
        assert np.isnan(tc.nper(1e30, -100.0, 500.0))  # likewise (pv * rate does not round it to 0)
    # Near ratio = 1 the logarithm is a series in ratio - 1: log(1e7 / 9999500) / log1p(1e-5)
    # = 5.000150004750176257 (mpmath, 40 digits); numpy-financial's log(ratio) gives 5.0001500047269.
    assert tc.nper(1e-5, -100.0, 500.0) == pytest.approx(5.000150004750176257, rel=1e-14)
    assert tc.nper(np.array([1e-5]), -100.0, 500.0)[0] == tc.nper(1e-5, -100.0, 500.0)  # batch = scalar


def test_rate_refuses_no_periods_by_name():
    for periods in (0, -1, -0.5, np.array([10.0, 0.0])):  # numpy-financial gives NaN
        with pytest.raises(ValueError, match=r"^nper must be > 0, got"):
            tc.rate(periods, -100.0, 700.0, 0.0)
    assert tc.rate(10, 0, -3500, 10000) == pytest.approx(0.1107, abs=1e-4)  # numpy-financial's test value


def test_rate_of_a_long_annuity_where_the_growth_overflows():
    # 700 now against 100 a period for nper periods: 700 = 100 (1 - (1 + r)^-nper) / r, whose root
    # tends to the perpetuity's 100 / 700 = 1/7 as nper grows; at nper = 1e4 the two agree to
    # (8/7)^-10000 ~ 1e-580, and (1 + r)^nper overflows (it was NaN).
    for periods in (1e4, 1e12):
        assert tc.rate(periods, -100.0, 700.0, 0.0) == pytest.approx(1 / 7, rel=1e-14)
    # Rates beyond e^20 per period: 700 = 1e12 (1 - (1 + r)^-10) / r gives r = 1e12 / 700 to
    # (1 + r)^-10 ~ 1e-93; 700 (1 + r)^10 = 1e308 + ... gives r = (1e308 / 700)^(1/10) to ~1e-28.
    assert tc.rate(10, -1e12, 700.0, 0.0) == pytest.approx(1e12 / 700, rel=1e-14)
    assert tc.rate(10, -100.0, 700.0, -1e308) == pytest.approx((1e308 / 700) ** 0.1, rel=1e-13)
    # A short one is unchanged: the annuity equation holds at the rate found.
    r = tc.rate(10, -100.0, 700.0, 0.0)
    assert tc.pv(r, 10, -100.0) == pytest.approx(700.0, rel=1e-10)


# --- the no-solution policy (README, Conventions; issue 18) ---------------------------------------


def test_rate_finds_a_root_beyond_e_to_the_700():
    # 700 (1 + r)^10 = 1e308 ((1 + r)^10 - 1) / r: r = 1e308 / 700 (1 - (1 + r)^-10) = 1e308 / 700
    # to double precision (the bracket stopped at log(1 + r) = 700, below this root's 702.6).
    assert tc.rate(10, -1e308, 700.0, 0.0) == pytest.approx(1e308 / 700, rel=1e-12)
    # And near -1: 1e10 in, 1 back a period later: 1 + r = 1e-10 (below the first scan's e^-10).
    assert tc.rate(1, 0.0, 1e10, -1.0) == pytest.approx(1e-10 - 1, abs=1e-16)
    assert tc.rate(3, 0.0, 1e10, -1.0) == pytest.approx(1e-10 ** (1 / 3) - 1, rel=1e-12)


@pytest.mark.parametrize("args, where", [
    ((10, -1e308, 1e-10, 0.0), "beyond the largest float64"),  # r = 1e318
    ((1e-300, -100.0, 700.0, 0.0), "closer to -1 than float64 resolves"),  # log(1 + r) = -1e300
    ((10, -100.0, 1e308, 0.0), "closer to -1 than float64 resolves"),  # 1 + r = 2.5e-31
])
def test_a_rate_beyond_float64_is_an_overflow_error_naming_the_element(args, where):
    with pytest.raises(OverflowError, match=rf"rate: the rate of element 0 \(nper=.*\) is {where}"):
        tc.rate(*args)


def test_rate_without_a_root_warns_with_the_reason():
    # One sign: 700 received and 1.5 a period received: no rate makes the value zero.
    with pytest.warns(tc.NoSolutionWarning, match=r"rate: 1 of 2 element\(s\) have no solution \(NaN\); the first is "
                                                  r"element 1 \(nper=10.0, pmt=1.5, pv=700.0.*do not change sign"):
        out = tc.rate(10, [-100.0, 1.5], 700.0, 0.0)
    assert np.isnan(out[1]) and out[0] == pytest.approx(npf.rate(10, -100.0, 700.0, 0.0), rel=1e-10)
    # Two sign changes and a value positive at every rate (700 in, 100 out a period, 1e12 back).
    with pytest.warns(tc.NoSolutionWarning, match="keeps one sign near rate -1 and at large rates"):
        assert np.isnan(tc.rate(10, -100.0, 700.0, 1e12))
    with pytest.raises(tc.IterationsExceededError, match=r"element 0 \(nper=10.0, pmt=0.0.*do not change sign"):
        tc.rate(10, 0.0, 700.0, 0.0, raise_exceptions=True)


@pytest.mark.parametrize("args, reason", [
    ((0.05, -100.0, 1e12), "the payment does not cover the interest"),
    ((0.05, 0.0, 500.0), "with no payment pv only compounds"),
    ((0.0, 0.0, 500.0, -500.0), "with no payment and no interest the balance stays pv = -fv"),
    ((0.05, -100.0, 500.0, -1e308), r"\(1 \+ rate\)\*\*nper would have to be .* which is not positive"),
])
def test_nper_without_a_solution_warns_with_the_reason(args, reason):
    with pytest.warns(tc.NoSolutionWarning, match=rf"^nper: 1 of 1 element\(s\) have no solution \(NaN\); the first is "
                                                  rf"element 0 \(rate=.*\): no number of periods reaches fv: {reason}"):
        assert np.isnan(tc.nper(*args))


def test_the_warning_counts_the_elements_and_names_the_first():
    with pytest.warns(tc.NoSolutionWarning, match=r"^ipmt: 2 of 6 element\(s\) .* element 0 \(rate=0.05, per=-1.0"):
        out = tc.ipmt(0.05, np.arange(-1, 5).reshape(2, 3), 10, 1000.0)
    assert out.shape == (2, 3) and np.isnan(out.ravel()[:2]).all() and np.isfinite(out.ravel()[2:]).all()


def test_no_warning_where_every_element_has_a_solution():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tc.nper([0.05, 0.0], -100.0, 500.0), tc.rate(10, -100.0, 700.0, 0.0), tc.irr([-100, 60, 60])
        tc.mirr([-100, 60, 60], 0.1, 0.1), tc.ipmt(0.05, [1, 2], 10, 1000.0)
    assert issubclass(tc.NoSolutionWarning, RuntimeWarning) and issubclass(tc.NoSolutionWarning, tc.TrustcostWarning)
