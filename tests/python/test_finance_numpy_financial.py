"""numpy-financial's own test cases, re-expressed as trustcost tests.

Source: numpy/numpy-financial, ``tests/test_financial.py`` (and the older
``numpy_financial/tests/test_financial.py``): the flows, arguments and expected values below are
that suite's, most of them computed there with Google Sheets' functions. The Decimal variants are
left out: trustcost computes in float64 (a listed difference). Where trustcost deliberately
differs, the test says so and checks trustcost's documented behaviour instead.
"""

from __future__ import annotations

import numpy as np
import pytest

import trustcost as tc


# --- when= --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "func, args",
    [
        (tc.rate, (10, 20, -3500, 10000)),
        (tc.pv, (0.07, 20, 12000, 0)),
        (tc.fv, (0.075, 20, -2000, 0)),
        (tc.pmt, (0.08 / 12, 5 * 12, 15000.0, 0)),
        (tc.nper, (0.075, -2000, 0, 100000.0)),
    ],
)
def test_when_names_and_numbers_agree(func, args):
    assert func(*args, 1) == func(*args, "begin")
    assert func(*args) == func(*args, "end") == func(*args, 0)


@pytest.mark.parametrize(
    "func, args",
    [(tc.ppmt, (0.1 / 12, 1, 60, 55000, 0)), (tc.ipmt, (0.1 / 12, 1, 24, 2000, 0))],
)
def test_when_names_and_numbers_agree_per_payment(func, args):
    assert func(*args, 1) == func(*args, "begin")
    assert func(*args) == func(*args, "end") == func(*args, 0)


# --- pv, rate, npv, pmt ------------------------------------------------------------------------


def test_pv():
    assert tc.pv(0.07, 20, 12000, 0) == pytest.approx(-127128.17, abs=0.005)


def test_rate():
    assert tc.rate(10, 0, -3500, 10000) == pytest.approx(0.1107, abs=5e-5)


@pytest.mark.parametrize("when", [0, 1, "end", "begin"])
def test_rate_with_infeasible_solution_is_nan(when):
    # pmt and pv of the same sign: no loan is repaid by further withdrawals.
    with pytest.warns(tc.NoSolutionWarning, match="do not change sign: no rate makes their value zero"):
        assert np.isnan(tc.rate(12.0, 400.0, 10000.0, 5000.0, when=when))


def test_rate_gh48_only_infeasible_elements_are_nan():
    expected = [-0.39920185, -0.02305873, -0.41818459, 0.26513414, np.nan]
    pv = [-593.06, -4725.38, -662.05, -428.78, -13.65]
    fv = [214.07, 4509.97, 224.11, 686.29, -329.67]
    with pytest.warns(tc.NoSolutionWarning, match=r"rate: 1 of 5 element\(s\) have no solution \(NaN\); the first is "
                                                  r"element 4 \(nper=2.0, pmt=0.0, pv=-13.65, fv=-329.67, when=0.0\)"):
        np.testing.assert_allclose(tc.rate(2, 0, pv, fv), expected, rtol=1e-7)


def test_rate_maximum_iterations_exception():
    with pytest.raises(tc.IterationsExceededError):
        tc.rate(12.0, 400.0, 10000.0, 5000.0, raise_exceptions=True)
    pv = [-593.06, -4725.38, -662.05, -428.78, -13.65]
    fv = [214.07, 4509.97, 224.11, 686.29, -329.67]
    with pytest.raises(tc.IterationsExceededError):
        tc.rate(2, 0, pv, fv, raise_exceptions=True)


def test_npv():
    assert tc.npv(0.05, [-15000, 1500, 2500, 3500, 4500, 6000]) == pytest.approx(122.894854950942692, rel=1e-13)


def test_npv_broadcast():
    cashflows = [[-15000, 1500, 2500, 3500, 4500, 6000]] * 4
    np.testing.assert_allclose(tc.npv(0.05, cashflows), [122.8948549] * 4, rtol=1e-7)


def test_npv_several_rates_give_rates_by_series():
    # numpy-financial's npv docstring: K rates x M series.
    out = tc.npv([0.00, 0.05, 0.10], [[-4_000, 500, 800], [-5_000, 600, 900]])
    np.testing.assert_allclose(out, [[-2700.0, -3500.0], [-2798.19, -3612.24], [-2884.3, -3710.74]], atol=0.005)


def test_pmt():
    assert tc.pmt(0.08 / 12, 5 * 12, 15000) == pytest.approx(-304.145914, rel=1e-7)
    assert tc.pmt(0.0, 5 * 12, 15000) == pytest.approx(-250.0)
    res = tc.pmt([[0.0, 0.8], [0.3, 0.8]], [12, 3], [2000, 20000])
    np.testing.assert_allclose(res, [[-166.66667, -19311.258], [-626.90814, -19311.258]], rtol=1e-7)


# --- mirr ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, finance_rate, reinvest_rate, expected, places",
    [
        ([-4500, -800, 800, 800, 600, 600, 800, 800, 700, 3000], 0.08, 0.055, 0.0666, 4),
        ([-120000, 39000, 30000, 21000, 37000, 46000], 0.10, 0.12, 0.126094, 6),
        ([100, 200, -50, 300, -200], 0.05, 0.06, 0.3428, 4),
    ],
)
def test_mirr(values, finance_rate, reinvest_rate, expected, places):
    assert tc.mirr(values, finance_rate, reinvest_rate) == pytest.approx(expected, abs=1.5 * 10.0**-places)


def test_mirr_decimal_reference_values_in_float():
    # The Decimal test's 27-digit values, met to float precision.
    assert tc.mirr([-4500, -800, 800, 800, 600, 600, 800, 800, 700, 3000], 0.08, 0.055) == pytest.approx(
        0.066597175031553548874239618, rel=1e-13)
    assert tc.mirr([-120000, 39000, 30000, 21000, 37000, 46000], 0.10, 0.12) == pytest.approx(
        0.126094130365905145828421880, rel=1e-13)
    assert tc.mirr([100, 200, -50, 300, -200], 0.05, 0.06) == pytest.approx(0.342823387842176663647819868, rel=1e-13)


def test_mirr_of_one_sign_is_nan_or_raises():
    values = [39000, 30000, 21000, 37000, 46000]
    with pytest.warns(tc.NoSolutionWarning, match="mirr: .*the flows do not change sign"):
        assert np.isnan(tc.mirr(values, 0.10, 0.12))
    with pytest.raises(tc.NoRealSolutionError):
        tc.mirr(values, 0.10, 0.12, raise_exceptions=True)


def test_mirr_docstring_grid_and_example():
    values = [[-4500, -800, 800, 800, 600], [-120000, 39000, 30000, 21000, 37000], [100, 200, -50, 300, -200]]
    expected = [
        [-0.1784449, -0.17328716, -0.1684366],
        [0.04627293, 0.05437856, 0.06252201],
        [0.35712458, 0.40628857, 0.44435295],
    ]
    np.testing.assert_allclose(tc.mirr(values, [0.05, 0.08, 0.10], [0.08, 0.10, 0.12]), expected, rtol=1e-7)
    assert tc.mirr([-100, 50, -60, 70], 0.10, 0.12) == pytest.approx(-0.03909366594356467, rel=1e-13)


# --- nper ---------------------------------------------------------------------------------------


def test_nper_basic_values():
    np.testing.assert_allclose(tc.nper([0, 0.075], -2000, 0, 100000), [50, 21.544944], rtol=1e-5)


def test_nper_gh_18():
    assert tc.nper(0.1, 0, -500, 1500) == pytest.approx(11.52670461, rel=1e-9)


def test_nper_infinite_payments():
    assert tc.nper(0, -0.0, 1000) == np.inf


def test_nper_no_interest():
    assert tc.nper(0, -100, 1000) == 10


def test_nper_broadcast():
    np.testing.assert_allclose(tc.nper(0.075, -2000, 0, 100000.0, [0, 1]), [21.5449442, 20.76156441], atol=5e-5)


# --- ppmt ---------------------------------------------------------------------------------------


def test_ppmt():
    assert tc.ppmt(0.1 / 12, 1, 60, 55000) == pytest.approx(-710.25, rel=1e-4)
    assert tc.ppmt(0.1 / 12, 1, 60, 55000) == pytest.approx(-710.2541257864217612489830917, rel=1e-13)


def test_ppmt_special_rate():
    # numpy-financial compares round(x, 8) for equality; the same value to float precision here.
    assert tc.ppmt(0.23 / 12, 1, 60, 10000000000) == pytest.approx(-90238044.232277036, rel=1e-13)


@pytest.mark.parametrize("when", [1, "begin"])
def test_ppmt_when_is_begin(when):
    assert tc.ppmt(0.1 / 12, 1, 60, 55000, 0, when) == pytest.approx(-1158.929712, rel=1e-9)


@pytest.mark.parametrize("when", [None, 0, "end"])
def test_ppmt_when_is_end(when):
    args = (0.1 / 12, 1, 60, 55000, 0)
    result = tc.ppmt(*args) if when is None else tc.ppmt(*args, when)
    assert result == pytest.approx(-710.254126, rel=1e-9)


def test_ppmt_decimal_when_values_in_float():
    assert tc.ppmt(0.08 / 12, 1, 60, 15000.0, 0, "begin") == pytest.approx(-302.131703, abs=5e-6)
    assert tc.ppmt(0.08 / 12, 1, 60, 15000.0, 0, "end") == pytest.approx(-204.145914, abs=5e-6)


def test_ppmt_invalid_per_is_nan():
    with pytest.warns(tc.NoSolutionWarning, match="ppmt: .*per < 1: there is no payment before the first period"):
        assert np.isnan(tc.ppmt(0.1 / 12, 0, 60, 15000))


@pytest.mark.parametrize(
    "when, desired",
    [
        (None, [-75.62318601, -76.25337923, -76.88882405, -77.52956425]),
        ([0, 1, "end", "begin"], [-75.62318601, -75.62318601, -76.88882405, -76.88882405]),
    ],
)
def test_ppmt_broadcast(when, desired):
    args = (0.1 / 12, np.arange(1, 5), 24, 2000, 0)
    result = tc.ppmt(*args) if when is None else tc.ppmt(*args, when)
    np.testing.assert_allclose(result, desired, rtol=1e-5)


def test_ppmt_older_broadcast_with_per_zero():
    with pytest.warns(tc.NoSolutionWarning, match=r"ppmt: 1 of 5 element\(s\) .* element 0 \(rate=.*, per=0.0"):
        result = tc.ppmt(0.1 / 12, list(range(5)), 24, 2000, 0, [0, 0, 1, "end", "begin"])
    np.testing.assert_allclose(result, [np.nan, -75.62318601, -75.62318601, -76.88882405, -76.88882405], rtol=1e-7)


# --- ipmt ---------------------------------------------------------------------------------------


def test_ipmt():
    assert tc.ipmt(0.1 / 12, 1, 24, 2000) == pytest.approx(-16.666667, rel=1e-6)
    assert tc.ipmt(0.1 / 12, 1, 24, 2000) == pytest.approx(-16.66666666666666666666666667, rel=1e-14)


@pytest.mark.parametrize("when", [1, "begin"])
def test_ipmt_when_is_begin(when):
    assert tc.ipmt(0.1 / 12, 1, 24, 2000, 0, when) == 0


@pytest.mark.parametrize("when", [None, 0, "end"])
def test_ipmt_when_is_end(when):
    result = tc.ipmt(0.1 / 12, 1, 24, 2000) if when is None else tc.ipmt(0.1 / 12, 1, 24, 2000, 0, when)
    assert result == pytest.approx(-16.666667, rel=1e-6)


@pytest.mark.parametrize("per, desired", [(0, np.nan), (1, 0), (2, -594.107158), (3, -592.971592)])
def test_ipmt_gh_17(per, desired):
    if np.isnan(desired):
        with pytest.warns(tc.NoSolutionWarning, match="per < 1"):
            assert np.isnan(tc.ipmt(0.001988079518355057, per, 360, 300000, when="begin"))
        return
    assert tc.ipmt(0.001988079518355057, per, 360, 300000, when="begin") == pytest.approx(desired, rel=1e-6)


def test_ipmt_broadcasting():
    desired = [np.nan, -16.66666667, -16.03647345, -15.40102862, -14.76028842]
    with pytest.warns(tc.NoSolutionWarning, match=r"ipmt: 1 of 5 element\(s\)"):
        result = tc.ipmt(0.1 / 12, np.arange(5), 24, 2000)
    np.testing.assert_allclose(result, desired, rtol=1e-6)


def test_ipmt_0d_inputs_give_a_scalar():
    args = (0.1 / 12, 1, 24, 2000)
    assert np.isscalar(tc.ipmt(*args))
    assert np.isscalar(tc.ipmt(np.array(args[0]), *args[1:]))


# --- fv -----------------------------------------------------------------------------------------


def test_fv():
    assert tc.fv(0.075, 20, -2000, 0, 0) == pytest.approx(86609.362673042924, rel=1e-10)


@pytest.mark.parametrize("when", [1, "begin"])
def test_fv_when_is_begin(when):
    assert tc.fv(0.075, 20, -2000, 0, when) == pytest.approx(93105.064874, rel=1e-10)


@pytest.mark.parametrize("when", [None, 0, "end"])
def test_fv_when_is_end(when):
    args = (0.075, 20, -2000, 0)
    result = tc.fv(*args) if when is None else tc.fv(*args, when)
    assert result == pytest.approx(86609.362673, rel=1e-10)


def test_fv_broadcast():
    result = tc.fv([[0.1], [0.2]], 5, 100, 0, [0, 1])
    np.testing.assert_allclose(result, [[-610.51, -671.561], [-744.16, -892.992]], rtol=1e-10)


def test_fv_some_rates_zero():
    np.testing.assert_allclose(tc.fv([0, 0.1], 5, 100, 0), [-500, -610.51], rtol=1e-10)


# --- irr ----------------------------------------------------------------------------------------


def test_npv_irr_congruence():
    cashflows = np.array([-40000, 5000, 8000, 12000, 30000])
    assert abs(tc.npv(tc.irr(cashflows), cashflows)) < 1e-10


@pytest.mark.parametrize(
    "v, desired",
    [
        ([-150000, 15000, 25000, 35000, 45000, 60000], 0.0524),
        ([-100, 0, 0, 74], -0.0955),
        ([-100, 39, 59, 55, 20], 0.28095),
        ([-100, 100, 0, -7], -0.0833),
        ([-100, 100, 0, 7], 0.06206),
        ([-5, 10.5, 1, -8, 1], 0.0886),
    ],
)
def test_irr_basic_values(v, desired):
    assert tc.irr(v) == pytest.approx(desired, abs=5e-5)  # numpy-financial checks 2 decimals; its values have 4-5


def test_irr_documented_rows():
    np.testing.assert_allclose(tc.irr([[-100, 0, 0, 74], [-100, 100, 0, 7]]), [-0.0955, 0.06206], atol=5e-5)


def test_irr_trailing_zeros():
    assert tc.irr([-5, 10.5, 1, -8, 1, 0, 0, 0]) == pytest.approx(0.0886, abs=5e-5)


@pytest.mark.parametrize("v", [(1, 2, 3), (-1, -2, -3)])
def test_irr_numpy_gh_6744_no_solution_is_nan(v):
    with pytest.warns(tc.NoSolutionWarning, match="irr: .*the flows do not change sign: no rate makes the NPV zero"):
        assert np.isnan(tc.irr(v))


def test_irr_gh_15_tiny_flows():
    v = [
        -3000.0, 2.3926932267015667e-07, 4.1672087103345505e-16, 5.3965110036378706e-25,
        5.1962551071806174e-34, 3.7202955645436402e-43, 1.9804961711632469e-52, 7.8393517651814181e-62,
        2.3072565113911438e-71, 5.0491839233308912e-81, 8.2159177668499263e-91, 9.9403244366963527e-101,
        8.942410813633967e-111, 5.9816122646481191e-121, 2.9750309031844241e-131, 1.1002067043497954e-141,
        3.0252876563518021e-152, 6.1854121948207909e-163, 9.4032980015353301e-174, 1.0629218520017728e-184,
        8.9337141847171845e-196, 5.5830607698467935e-207, 2.5943122036622652e-218, 8.9635842466507006e-230,
        2.3027710094332358e-241, 4.3987510596745562e-253, 6.2476630372575209e-265, 6.598046841695288e-277,
        5.1811095266842017e-289, 3.0250999925830644e-301, 1.3133070599585015e-313,
    ]
    result = tc.irr(v)
    assert np.isfinite(result)
    assert result == pytest.approx(-0.9999999990596069, rel=1e-9)


def test_irr_gh_39():
    cashflows = np.array([
        -217500.0, -217500.0, 108466.80462450592, 101129.96439328062, 93793.12416205535, 86456.28393083003,
        79119.44369960476, 71782.60346837944, 64445.76323715414, 57108.92300592884, 49772.08277470355,
        42435.24254347826, 35098.40231225296, 27761.56208102766, 20424.721849802358, 13087.88161857707,
        5751.041387351768, -1585.7988438735192, -8922.639075098821, -16259.479306324123, -23596.31953754941,
        -30933.159768774713, -38270.0, -45606.8402312253, -52943.680462450604, -60280.520693675906,
        -67617.36092490121])
    assert tc.irr(cashflows) == pytest.approx(0.12, abs=1.5e-7)


def test_irr_gh_44():
    # "true" value from Google Sheets.
    cf = [-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, 4789.91, -1]
    assert tc.irr(cf) == pytest.approx(1.00426, abs=1.5e-4)


def test_irr_no_real_solution_exception():
    with pytest.raises(tc.NoRealSolutionError):
        tc.irr(np.array([40000, 5000, 8000, 12000, 30000]), raise_exceptions=True)


def test_irr_maximum_iterations_exception():
    with pytest.raises(tc.IterationsExceededError):
        tc.irr(np.array([-40000, 5000, 8000, 12000, 30000]), maxiter=1, raise_exceptions=True)


def test_irr_selection_logic_is_the_users_choice():
    flows = [-5, 10.5, 1, -8, 1]  # rates -0.870, 0.0886, 0.7096
    assert tc.irr(flows, selection_logic=np.max) == pytest.approx(0.70955953, rel=1e-7)
    assert tc.irr(flows, selection_logic=np.min) == pytest.approx(-0.87020125, rel=1e-7)
    assert tc.irr(flows) == pytest.approx(0.0886, abs=5e-5)  # the default rule
