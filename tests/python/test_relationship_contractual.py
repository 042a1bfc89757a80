"""Shifted-beta-geometric renewals (Fader & Hardie 2007) and DERL (Fader & Hardie 2010): the
published cohort estimates, a scipy fit of the same likelihood, DERL against the direct
discounted sum of survival probabilities, and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special

import trustcost as tc

# Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1),
# Table 1: customers still active at the start of years 0-7 of two cohorts.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


@pytest.fixture(scope="module")
def regular():
    return tc.ShiftedBetaGeometric().fit(REGULAR)


def _given(alpha, beta):
    m = tc.ShiftedBetaGeometric()
    m.params_ = pd.Series([alpha, beta], index=["alpha", "beta"])
    return m


def test_reproduces_fader_hardie_2007(regular):
    # Fader & Hardie (2007): regular alpha = 0.704, beta = 1.182; high end alpha = 0.668, beta = 3.806.
    assert list(regular.params_.index) == ["alpha", "beta"]
    assert regular.params_.round(3).tolist() == [0.704, 1.182]
    assert tc.ShiftedBetaGeometric().fit(HIGH_END).params_.round(3).tolist() == [0.668, 3.806]
    assert (regular.standard_errors_ > 0).all() and regular.n_customers_ == 1000


def _neg_log_likelihood(log_params, counts):
    a, b = np.exp(log_params)
    counts = np.asarray(counts, float)
    t = np.arange(1, counts.size)
    churn = special.betaln(a + 1, b + t - 1) - special.betaln(a, b)
    return -(np.dot(-np.diff(counts), churn) + counts[-1] * (special.betaln(a, b + t[-1]) - special.betaln(a, b)))


def test_matches_scipy_fit_of_same_likelihood(regular):
    best = optimize.minimize(_neg_log_likelihood, [0.0, 0.0], args=(REGULAR,), method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000})
    np.testing.assert_allclose(regular.params_.to_numpy(), np.exp(best.x), rtol=1e-5)
    assert regular.log_likelihood_ == pytest.approx(-best.fun, rel=1e-10)


def test_cohorts_with_padding_equal_the_pooled_likelihood():
    young = [1000, 640, 470, 390, np.nan, np.nan, np.nan, np.nan]
    both = tc.ShiftedBetaGeometric().fit(pd.DataFrame([REGULAR, young]))
    pooled = lambda lp: _neg_log_likelihood(lp, REGULAR) + _neg_log_likelihood(lp, young[:4])
    best = optimize.minimize(pooled, [0.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12})
    np.testing.assert_allclose(both.params_.to_numpy(), np.exp(best.x), rtol=1e-5)
    assert both.n_customers_ == 2000


def test_curves(regular):
    a, b = regular.params_.to_numpy()
    t = np.arange(0, 13)
    survival = regular.survival(t)
    assert survival[0] == 1.0 and (np.diff(survival) < 0).all()
    # S(t) = prod_{k<=t} r(k) and P(T = t) = S(t-1) - S(t).
    np.testing.assert_allclose(survival[1:], np.cumprod(regular.retention(t[1:])), rtol=1e-12)
    np.testing.assert_allclose(regular.churn(t[1:]), -np.diff(survival), rtol=1e-10)
    assert (np.diff(regular.retention(t[1:])) > 0).all()  # retention rises with tenure
    assert regular.retention(1) == pytest.approx(b / (a + b), rel=1e-14)


def _direct_derl(model, n, d):
    terms = int(60 / d) + 1000  # the survival tail decays like t^-alpha: the discount ends the sum
    survival = model.survival(np.arange(n, n + terms + 2))
    return float(np.sum(survival[1:-1] / survival[0] * np.exp(-np.arange(terms) * np.log1p(d))))


@pytest.mark.parametrize("n", [0, 1, 4, 10])
# Monthly rates too: below 0.01 the DERL's 2F1 near z = 1 is the connection formula in 1 - z.
@pytest.mark.parametrize("d", [0.0001, 0.001, 0.008, 0.05, 0.10, 0.25])
def test_derl_equals_discounted_sum_of_survival(regular, n, d):
    assert regular.residual_lifetime(n, d) == pytest.approx(_direct_derl(regular, n, d), rel=1e-10)


def test_del_and_value_identities(regular):
    d = 0.10
    # DEL = 1 + DERL(0)/(1 + d): the first payment now, the rest as a customer with no renewals.
    assert regular.expected_lifetime(d) == pytest.approx(1 + regular.residual_lifetime(0, d) / (1 + d), rel=1e-12)
    assert regular.lifetime_value(500.0, d) == pytest.approx(500.0 * regular.expected_lifetime(d), rel=1e-14)
    assert regular.residual_value(4, 12_000, d) == pytest.approx(12_000 * regular.residual_lifetime(4, d), rel=1e-14)
    base = pd.Series({0: 120, 1: 85, 2: 60, 3: 41, 4: 30})
    by_hand = sum(c * regular.residual_value(n, 12_000, d) for n, c in base.items())
    assert regular.contract_base_value(base, margin=12_000, discount_rate=d) == pytest.approx(by_hand, rel=1e-12)
    assert regular.contract_base_value([120, 85, 60, 41, 30], 12_000, d) == pytest.approx(by_hand, rel=1e-12)


def test_homogeneous_limit_is_geometric():
    # Large alpha, beta with fixed mean: everyone churns with theta = alpha/(alpha + beta), and
    # DERL -> (1 - theta) / (1 - (1 - theta)/(1 + d)).
    theta, d = 0.2, 0.1
    model = _given(theta * 1e7, (1 - theta) * 1e7)
    expected = (1 - theta) / (1 - (1 - theta) / (1 + d))
    assert model.residual_lifetime([0, 5], d) == pytest.approx([expected, expected], rel=1e-5)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 10), st.floats(0.1, 10), st.floats(0.0001, 0.5))  # below 0.01: the 2F1 near z = 1
def test_derl_rises_with_renewals(alpha, beta, d):
    derl = _given(alpha, beta).residual_lifetime(np.arange(0, 12), d)
    assert (np.diff(derl) > 0).all()
    # Bounded by the lifetime of a customer who never churns.
    assert (derl < (1 + d) / d).all()


@pytest.mark.parametrize(
    "survivors, message",
    [
        ([1000, 1000, 1000, 1000], "no customer was lost"),
        ([1000, 0, 0], "every customer left at the first renewal"),
        ([1000, 600], "at least two renewal periods"),
        ([1000, 600, 700], "must not increase"),
        ([0, 0, 0], "more than 0 at period 0"),
        ([[1000, np.nan, 500]], "NaN only after"),
        # was silently cut to [1000, 631, 468] (issue 18): one cohort has no padding
        (pd.Series([1000, 631, 468, None], dtype="Float64"), "survivors of one cohort must be numbers"),
    ],
)
def test_bad_or_degenerate_counts_are_named(survivors, message):
    with pytest.raises(ValueError, match=message):
        tc.ShiftedBetaGeometric().fit(survivors)


def test_constant_retention_is_named():
    # Exactly geometric survivors: every customer alike, nothing for beta heterogeneity to fit.
    with pytest.raises(tc.ConvergenceError, match="no heterogeneity"):
        tc.ShiftedBetaGeometric().fit([1000 * 0.5**t for t in range(8)])


def test_bad_arguments_raise(regular):
    with pytest.raises(ValueError, match=r"discount_rate must be >= 0.0001"):
        regular.residual_lifetime(2, 0.0)
    with pytest.raises(ValueError, match="renewals must be whole numbers"):
        regular.residual_lifetime(1.5, 0.1)
    with pytest.raises(ValueError, match="t must be whole numbers >= 1"):
        regular.retention(0)
    with pytest.raises(TypeError, match="margin must be a real number"):
        regular.residual_value(1, "a lot", 0.1)


# ----------------------------------------------------------------------------- retention elasticity

def test_retention_elasticity_without_heterogeneity_is_the_textbook_formula():
    # Fader & Hardie (2010): with one retention rate r for everybody the elasticity of residual
    # value is (1 + d)/(1 + d - r). alpha, beta -> infinity at fixed mean churn 0.2 is that case.
    model = tc.ShiftedBetaGeometric.from_params(alpha=2e6, beta=8e6)
    got = model.retention_elasticity([0, 3, 10], discount_rate=0.1)
    np.testing.assert_allclose(got, 1.1 / (1.1 - 0.8), rtol=1e-5)


@pytest.mark.parametrize("d", [0.1, 0.005])  # 0.005: its 2F1 near z = 1 by the connection formula
def test_retention_elasticity_matches_the_direct_series_and_grows_with_tenure(d):
    from scipy.special import betaln
    a, b = 0.704, 1.182  # FH (2007) "regular" cohort
    model = tc.ShiftedBetaGeometric.from_params(alpha=a, beta=b)
    got = model.retention_elasticity(np.arange(6), discount_rate=d)
    t = np.arange(1, int(60 / d) + 4000)
    want = []
    for n in range(6):  # posterior theta ~ Beta(a, b + n): E[(1 - theta)^t] = B(a, b + n + t)/B(a, b + n)
        u = np.exp(betaln(a, b + n + t) - betaln(a, b + n) - (t - 1) * np.log1p(d))
        want.append(np.dot(t, u) / u.sum())
    np.testing.assert_allclose(got, want, rtol=1e-10)
    assert (np.diff(got) > 0).all()
    # Heterogeneity makes it larger than the aggregate-retention formula with the cohort's r(1).
    r1 = float(model.retention(1))
    assert got[0] > (1 + d) / (1 + d - r1)


# ----------------------------------------------------------------------------- beta-discrete-Weibull

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


def test_bdw_with_c_one_is_the_sbg():
    bdw = tc.BetaDiscreteWeibull.from_params(alpha=0.704, beta=1.182, c=1.0)
    sbg = tc.ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)
    t = np.arange(0, 12)
    np.testing.assert_allclose(bdw.survival(t), sbg.survival(t), rtol=1e-13)
    np.testing.assert_allclose(bdw.retention(t[1:]), sbg.retention(t[1:]), rtol=1e-13)
    np.testing.assert_allclose(bdw.churn(t[1:]), sbg.churn(t[1:]), rtol=1e-12)


def test_bdw_curves_and_likelihood_match_the_beta_function_forms():
    from scipy.special import betaln
    a, b, c = 0.5, 0.8, 1.3
    model = tc.BetaDiscreteWeibull.from_params(alpha=a, beta=b, c=c)
    t = np.arange(0.0, 10)
    # FHLDS (2018): S(t) = B(alpha, beta + t^c)/B(alpha, beta).
    survival = np.exp(betaln(a, b + t ** c) - betaln(a, b))
    np.testing.assert_allclose(model.survival(t), survival, rtol=1e-13)
    np.testing.assert_allclose(model.churn(t[1:]), survival[:-1] - survival[1:], rtol=1e-11)
    np.testing.assert_allclose(model.retention(t[1:]), survival[1:] / survival[:-1], rtol=1e-12)
    lost = np.array([1.0, 1, 0, 1, 0])
    period = np.array([1.0, 4, 4, 7, 0])
    S = dict(zip(t, survival))
    want = [np.log(S[p - 1] - S[p]) if gone else np.log(S[p]) for p, gone in zip(period, lost)]
    np.testing.assert_allclose(model.individual_log_likelihood(period, lost), want, rtol=1e-11)


def test_bdw_fits_at_least_as_well_as_the_sbg_it_nests():
    bdw = tc.BetaDiscreteWeibull().fit(REGULAR)
    sbg = tc.ShiftedBetaGeometric().fit(REGULAR)
    assert bdw.log_likelihood_ >= sbg.log_likelihood_ - 1e-9
    # The maximum: a likelihood-ratio statistic below chi2(1)'s 95% point says the regular cohort
    # shows no strong duration dependence beyond the sorting sBG already describes.
    assert 2 * (bdw.log_likelihood_ - sbg.log_likelihood_) < 3.84
    periods = np.array([1, 2, 3, 4, 5, 6, 7, 7.0])
    lost = np.array([1, 1, 1, 1, 1, 1, 1, 0.0])
    customers = np.array([369, 163, 86, 56, 37, 27, 21, 241.0])
    assert float(np.dot(customers, bdw.individual_log_likelihood(periods, lost))) == pytest.approx(
        bdw.log_likelihood_, rel=1e-12)
    with pytest.raises(ValueError, match="no customer was lost"):
        tc.BetaDiscreteWeibull().fit([100, 100, 100])


@pytest.mark.parametrize("a, b, c", [(1.0, 1.0, 1.0), (0.8, 2.0, 0.7), (2.0, 3.0, 1.8)])
def test_bdw_churn_over_fifty_periods_at_pymc_marketings_parameters(a, b, c):
    # The parameter sets pymc-marketing checks its BdW pmf at (tests/clv/models/test_beta_discrete_weibull.py),
    # over periods 1..49, against the Beta-function form of FHLDS (2018) computed here with scipy.
    from scipy.special import betaln
    model = tc.BetaDiscreteWeibull.from_params(alpha=a, beta=b, c=c)
    t = np.arange(1.0, 50.0)
    survival = lambda s: np.exp(betaln(a, b + s ** c) - betaln(a, b))  # noqa: E731
    churn = np.asarray(model.churn(t))
    np.testing.assert_allclose(churn, survival(t - 1) - survival(t), rtol=1e-10, atol=1e-15)
    assert churn.sum() == pytest.approx(1.0 - survival(49.0), rel=1e-12)  # a distribution on 1, 2, ...
