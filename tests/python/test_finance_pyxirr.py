"""pyxirr's behaviours as a specification, re-expressed (values from pyxirr's test suite and its
documentation, Microsoft's Excel documentation, or computed here by hand; the source is named).

Deliberate differences (README, "Finance: differences from numpy-financial"): ipmt/ppmt past
nper extrapolate as numpy-financial does (pyxirr gives None); two-digit years are refused, as pyxirr does.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import trustcost as tc
from trustcost import finance as fin

RATE, PERIODS, PAYMENT, PV = 0.05, 10.0, -50_000.0, 100_000.0


@pytest.mark.parametrize("args, when, expected", [
    # pyxirr tests/test_periodic.rs: fv at 5%/12 over 120 months, -100 a month and -100 now.
    ((0.05 / 12, 120, -100, -100), "end", 15692.9288943357),
    ((0.05 / 12, 120, -100, -100), "begin", 15757.6298441047),
    ((0.0, 120, -100, -100), "end", 12100.0),
])
def test_fv(args, when, expected):
    assert tc.fv(*args, when=when) == pytest.approx(expected, rel=1e-10)


def test_fv_and_pv_broadcast_a_2d_rate():
    rates = np.array([[0.05 / 12, 0.06 / 12], [0.07 / 12, 0.0]])
    np.testing.assert_allclose(tc.fv(rates, 120, -100, -100),
                               [[15692.928894335748, 16569.874354049032], [17509.446881023265, 12100.0]], rtol=1e-12)
    np.testing.assert_allclose(tc.pv(rates, 120, -100),
                               [[9428.135032823473, 9007.345332716726], [8612.635414137785, 12000.0]], rtol=1e-12)
    np.testing.assert_allclose(tc.fv([0.05 / 12, 0.06 / 12], [60, 120], -100, [-100, -150]),
                               [6928.944151934635, 16660.844190750646], rtol=1e-12)


@pytest.mark.parametrize("args, when, expected", [
    ((0.05 / 12, 120, -100, 15692.93), "end", -100.0006713162),
    ((0.05 / 12, 120, -100, 15692.93), "begin", -60.71677534615),
    ((0.0, 120, -100, 15692.93), "end", -3692.93),
    ((0.05 / 12, 120, -100), "end", 9428.1350328234),
])
def test_pv(args, when, expected):
    assert tc.pv(*args, when=when) == pytest.approx(expected, rel=1e-10)


def test_pmt_vectorised_and_ipmt_ppmt_values():
    rates = np.array([[0.075 / 12, 0.01 / 12], [0.0, 0.5 / 12]])
    np.testing.assert_allclose(tc.pmt(rates, 180, 200_000),
                               [[-1854.0247200054619, -1196.9890290366611], [-1111.111111111111, -8338.702667524864]],
                               rtol=1e-12)
    assert tc.ipmt(RATE, 2, PERIODS, PAYMENT) == pytest.approx(2301.238562586, rel=1e-10)
    assert tc.ipmt(RATE, 2, PERIODS, PAYMENT, when="begin") == pytest.approx(2191.6557738917, rel=1e-10)
    assert tc.ipmt(RATE, 2, PERIODS, PAYMENT, 110_000, when="begin") == pytest.approx(2608.108309425, rel=1e-10)
    assert tc.ipmt(RATE, 1, PERIODS, PAYMENT) == pytest.approx(-PAYMENT * RATE, rel=1e-12)
    with pytest.warns(tc.NoSolutionWarning, match="per < 1: there is no payment before the first period"):
        assert np.isnan(tc.ipmt(RATE, 0, PERIODS, PAYMENT))
    assert tc.ppmt(RATE, 2, PERIODS, PAYMENT) == pytest.approx(4173.9901856864, rel=1e-10)
    np.testing.assert_allclose(tc.ppmt(0.1 / 12, np.arange(1, 6), 24, 2000),
                               [-75.62318600836664, -76.25337922510303, -76.88882405197889, -77.52956425241204,
                                -78.17564395451548], rtol=1e-12)


def test_ipmt_schedule_and_the_difference_past_nper():
    expected = [-171.66666666666666, -157.89337457350777, -144.0255058746426, -130.06241114404526,
                -116.00343649629737, -101.84792355596869, -87.59520942678299, -73.2446266605768,
                -58.79550322604296, -44.24716247725825, -29.598923121998908, -14.850099189833006]
    np.testing.assert_allclose(tc.ipmt(0.0824 / 12, np.arange(1, 13), 12, 25_000), expected, rtol=1e-12)
    # Deliberate difference: pyxirr gives None at per = 13 > nper; numpy-financial and trustcost
    # extrapolate (the balance is then overpaid and the "interest" is positive).
    assert np.isfinite(tc.ipmt(0.0824 / 12, 13, 12, 25_000))


def test_npv_examples():
    values = [-40_000.0, 5_000.0, 8_000.0, 12_000.0, 30_000.0]
    assert tc.npv(0.08, values) == pytest.approx(3065.222668179, rel=1e-11)
    assert tc.npv(0.0, values) == pytest.approx(15_000.0)


def test_cumipmt_and_cumprinc_microsoft_examples():
    # Microsoft's CUMIPMT and CUMPRINC pages: 9% a year, 30 years, 125,000; year 2 and month 1.
    assert fin.cumipmt(0.09 / 12, 360, 125_000, 13, 24) == pytest.approx(-11135.23213, abs=5e-6)
    assert fin.cumipmt(0.09 / 12, 360, 125_000, 1, 1) == pytest.approx(-937.5, rel=1e-12)
    assert fin.cumprinc(0.09 / 12, 360, 125_000, 13, 24) == pytest.approx(-934.1071234, abs=5e-7)
    assert fin.cumprinc(0.09 / 12, 360, 125_000, 1, 1) == pytest.approx(-68.27827118, abs=5e-8)
    # Interest and principal of all payments add up to the payments; the principal to the loan.
    total = fin.cumipmt(0.01, 24, 1000, 1, 24) + fin.cumprinc(0.01, 24, 1000, 1, 24)
    assert total == pytest.approx(24 * tc.pmt(0.01, 24, 1000), rel=1e-12)
    assert fin.cumprinc(0.01, 24, 1000, 1, 24, when="begin") == pytest.approx(-1000.0, rel=1e-12)
    with pytest.raises(ValueError, match="start_period must be <= end_period"):
        fin.cumipmt(0.01, 24, 1000, 5, 4)
    with pytest.raises(ValueError, match="end_period must be <= nper"):
        fin.cumipmt(0.01, 24, 1000, 1, 25)


def test_nfv_xnfv_xfv():
    # nfv: the flows at the ends of periods 1..4 (Excel's NPV) valued at the end of period 12.
    flows = [-1000.0, 200.0, 300.0, 400.0]
    by_hand = sum(a * 1.01 ** (12 - (k + 1)) for k, a in enumerate(flows))
    assert fin.nfv(0.01, 12, flows) == pytest.approx(by_hand, rel=1e-12)
    # xnfv: xnpv compounded to the last date.
    dates = [dt.date(2020, 1, 1), dt.date(2020, 6, 1), dt.date(2021, 3, 1)]
    amounts = [-1000.0, 500.0, 600.0]
    span = (dates[-1] - dates[0]).days / 365
    assert fin.xnfv(0.05, amounts, dates) == pytest.approx(tc.xnpv(0.05, amounts, dates) * 1.05 ** span, rel=1e-12)
    # xfv: discounted to the start at the flow's rate, compounded to the end at the end rate.
    s, c, e = dt.date(2020, 1, 1), dt.date(2020, 6, 1), dt.date(2021, 1, 1)
    by_hand = 1000 * 1.03 ** ((e - s).days / 365) / 1.02 ** ((c - s).days / 365)
    assert fin.xfv(s, c, e, 0.02, 0.03, 1000) == pytest.approx(by_hand, rel=1e-12)


@pytest.mark.parametrize("start, end, day_count, expected", [
    # ISDA 2006 4.16(b): 2020 is a leap year: 307 days of it, then 58 of 2021.
    ((2020, 2, 29), (2021, 2, 28), "act/act isda", 307 / 366 + 58 / 365),
    ((2019, 12, 31), (2021, 1, 31), "act/act isda", 1 / 365 + 1 + 30 / 365),
    ((2020, 1, 31), (2020, 3, 31), "act/act isda", 60 / 366),
    # 30E/360: day 31 becomes 30 at both ends; the end of February stays.
    ((2020, 2, 29), (2021, 2, 28), "30e/360", 359 / 360),
    ((2020, 1, 31), (2020, 3, 31), "30e/360", 60 / 360),
    # 30/360 SIA: the end of February counts as the 30th at the start, and at the end too when both are.
    ((2020, 2, 29), (2021, 2, 28), "30/360 sia", 1.0),
    ((2020, 2, 29), (2020, 3, 31), "30/360 sia", 30 / 360),
    ((2019, 12, 31), (2021, 1, 31), "30/360 sia", 390 / 360),
    # The US bond basis (ISDA 4.16(f)): 31 at the end stays unless the start is the 30th/31st.
    ((2020, 1, 15), (2020, 3, 31), "30/360", 76 / 360),
])
def test_day_counts(start, end, day_count, expected):
    assert fin.year_fraction(dt.date(*start), dt.date(*end), day_count) == pytest.approx(expected, rel=1e-14)


def test_day_counts_reach_xirr():
    # One year under 30E/360 from 2020-01-31 to 2021-01-31: the rate is the plain ratio.
    assert tc.xirr([-100, 110], [dt.date(2020, 1, 31), dt.date(2021, 1, 31)], day_count="30e/360") == pytest.approx(0.1)
    assert tc.xirr([-100, 110], [dt.date(2020, 1, 1), dt.date(2021, 1, 1)], day_count="act/act isda") == pytest.approx(0.1)


def test_xirr_documented_example_and_string_dates():
    # pyxirr's README example: 2020-01-01 -1000, 2021-01-01 750, 2022-01-01 500; a root of
    # xnpv, and pyxirr's own answer where pyxirr is installed (the bench extra).
    dates = ["2020-01-01", "2021-01-01", "2022-01-01"]
    rate = tc.xirr([-1000, 750, 500], dates)
    assert abs(tc.xnpv(rate, [-1000, 750, 500], dates)) < 1e-9
    try:
        import pyxirr
    except ImportError:
        pass
    else:
        assert rate == pytest.approx(pyxirr.xirr(dates, [-1000, 750, 500]), rel=1e-9)
    with pytest.raises(ValueError, match="four-digit year"):
        tc.xirr([-1000, 1200], ["1/1/20", "1/1/21"])
