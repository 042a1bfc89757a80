"""MBG/NBD (Batislam, Denizel & Filiztekin 2007) on CDNOW: BTYDplus' estimates as quoted in
lifetimes' tests, lifetimes' ModifiedBetaGeoFitter on the same data, independent scipy
computations of the same formulas, and properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special

import trustcost as tc
from trustcost import _core
from trustcost.datasets import load_cdnow_summary


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def model(cdnow):
    return tc.ModifiedBetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def lifetimes_model(cdnow):
    with warnings.catch_warnings():  # lifetimes 0.11 sets deprecated pandas options on import
        warnings.simplefilter("ignore")
        from lifetimes import ModifiedBetaGeoFitter

        fitter = ModifiedBetaGeoFitter()
        fitter.fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    return fitter


def _given(r, alpha, a, b):
    m = tc.ModifiedBetaGeo()
    m.params_ = pd.Series([r, alpha, a, b], index=["r", "alpha", "a", "b"])
    return m


def test_reproduces_btydplus_estimates(model):
    # R BTYDplus on CDNOW, as quoted by lifetimes' test_params_out_is_close_to_BTYDplus:
    # r = 0.525, alpha = 6.183, a = 0.891, b = 1.614.
    assert list(model.params_.index) == ["r", "alpha", "a", "b"]
    assert model.params_.round(3).tolist() == [0.525, 6.183, 0.891, 1.614]
    assert (model.standard_errors_ > 0).all() and model.n_customers_ == 2357


def test_matches_lifetimes(model, lifetimes_model, cdnow):
    theirs = lifetimes_model.params_[["r", "alpha", "a", "b"]].to_numpy(dtype=float)
    np.testing.assert_allclose(model.params_.to_numpy(), theirs, rtol=3e-6)  # lifetimes' optimiser tolerance
    same = _given(*theirs)
    x, t_x, T = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    np.testing.assert_allclose(same.p_alive(x, t_x, T), lifetimes_model.conditional_probability_alive(x, t_x, T), rtol=1e-12)
    np.testing.assert_allclose(same.expected_purchases(39, x, t_x, T),
                               lifetimes_model.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, T), rtol=1e-10)
    times = np.array([0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00])
    np.testing.assert_allclose(same.expected_purchases_population(times),
                               lifetimes_model.expected_number_of_purchases_up_to_time(times), rtol=1e-10)
    for n in (0, 1, 5, 11, 20):
        assert same.probability_of_n_purchases(30, n) == pytest.approx(
            lifetimes_model.probability_of_n_purchases_up_to_time(30, n), rel=1e-10)


def test_lifetimes_behaviours(model):
    # As lifetimes' tests: P(alive) < 1 without repeat purchases (unlike BG/NBD), within [0, 1].
    # (lifetimes asks p_alive(0, 1, 1); recency must be 0 without repeat purchases here.)
    assert model.p_alive(0, 0, 1) < 1.0
    grid = np.array([(i, j if i else 0, k) for i in range(0, 100, 10) for j in range(0, 100, 10) for k in range(j, 100, 10)],
                    float)
    p = model.p_alive(grid[:, 0], grid[:, 1], grid[:, 2])
    assert ((0 <= p) & (p <= 1)).all()
    # Hardie's BG/NBD sheet value 1.226 for (x, t_x, T, t) = (2, 30.43, 38.86, 39), which
    # lifetimes' test requires of MBG/NBD within 0.05.
    assert abs(model.expected_purchases(39, 2, 30.43, 38.86) - 1.226) < 0.05


def test_penalizer_shrinks(cdnow, model):
    shrunk = tc.ModifiedBetaGeo(penalizer=0.1).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert shrunk.params_.sum() < model.params_.sum()


def test_weights_equal_repeated_rows(cdnow, model):
    grouped = cdnow.groupby(["frequency", "recency", "T"]).size().reset_index(name="weights")
    weighted = tc.ModifiedBetaGeo().fit(grouped["frequency"], grouped["recency"], grouped["T"], weights=grouped["weights"])
    np.testing.assert_allclose(weighted.params_.to_numpy(), model.params_.to_numpy(), rtol=1e-7)


def test_log_likelihood_matches_scipy(model, cdnow):
    r, alpha, a, b = model.params_.to_numpy()
    x, t_x, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    # Batislam et al. (2007): L = B(a, b+x+1)/B(a,b) NB-part(T) + B(a+1, b+x)/B(a,b) NB-part(t_x).
    nb = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    alive = special.betaln(a, b + x + 1) - special.betaln(a, b) + nb - (r + x) * np.log(alpha + T)
    gone = special.betaln(a + 1, b + x) - special.betaln(a, b) + nb - (r + x) * np.log(alpha + t_x)
    assert model.log_likelihood_ == pytest.approx(np.logaddexp(alive, gone).sum(), rel=1e-12)


def test_population_expectation_by_quadrature(model):
    # E[X(t)] = E_p[(1 - p)/p (1 - (alpha/(alpha + p t))^r)] over p ~ Beta(a, b): dead at the
    # start with probability p, else a BG/NBD customer.
    r, alpha, a, b = model.params_.to_numpy()
    for t in (1.0, 20.0, 78.0):
        f = lambda p: (1 - p) / p * -np.expm1(r * np.log(alpha / (alpha + p * t))) * np.exp(
            (a - 1) * np.log(p) + (b - 1) * np.log1p(-p) - special.betaln(a, b))
        value, _ = integrate.quad(f, 0, 1, limit=200)
        assert model.expected_purchases_population(t) == pytest.approx(value, rel=1e-7)


def test_probabilities_sum_to_one_with_mean(model):
    n = np.arange(400)
    p = model.probability_of_n_purchases(30, n)
    assert p.sum() == pytest.approx(1.0, abs=1e-10)
    assert float(np.dot(n, p)) == pytest.approx(model.expected_purchases_population(30), rel=1e-8)


@pytest.mark.parametrize(
    "rows, message",
    [
        (([0, 0, 0], [0, 0, 0], [5, 9, 30]), r"MBG/NBD: no customer made a repeat purchase \(every frequency is 0\)"),
        (([3], [10], [30]), "MBG/NBD: the data hold a single customer"),
        (([3, 3], [10, 10], [30, 30]), "MBG/NBD: every customer has the same history"),
        (([1, 4], [8, 20], [8, 20]), r"MBG/NBD: every customer bought at the very end .* \(recency == T\)"),
    ],
)
def test_degenerate_data_is_named(rows, message):
    with pytest.raises(ValueError, match=message):
        tc.ModifiedBetaGeo().fit(*rows)


@pytest.mark.parametrize("history", [(0, 0.0, 38.86), (2, 30.43, 38.86), (7, 20.0, 38.0)])
def test_conditional_probabilities_sum_to_one_with_the_conditional_mean(model, history):
    # The core function behind conditional P(n): a distribution over n whose mean is the
    # conditional expectation (FHL 2005 eq. 10 form for MBG/NBD), an independent check.
    n = np.arange(300.0)
    x, t_x, T = (np.full(n.size, v) for v in history)
    p = _core.mbgnbd.conditional_probability_of_n_purchases(model.params_.to_numpy(), n, np.full(n.size, 20.0), x, t_x, T)
    assert (p >= 0).all() and p.sum() == pytest.approx(1.0, abs=1e-10)
    assert float(np.dot(n, p)) == pytest.approx(model.expected_purchases(20.0, *history), rel=1e-9)


def test_direct_core_calls_check_the_summary(model):
    p = model.params_.to_numpy()
    with pytest.raises(ValueError, match="recency"):
        _core.mbgnbd.p_alive(p, np.array([1.0]), np.array([5.0]), np.array([3.0]))  # recency > T
    with pytest.raises(ValueError, match="params must have 4 values"):
        _core.mbgnbd.p_alive(p[:3], np.array([1.0]), np.array([2.0]), np.array([3.0]))


def test_a_equal_one_is_continuous():
    # The closed forms divide by a - 1; the expectation itself is finite and smooth through a = 1.
    near = [_given(0.5, 6.0, a, 1.6) for a in (1 - 1e-3, 1.0, 1 + 1e-3)]
    for f in (lambda m: m.expected_purchases_population(30.0), lambda m: m.expected_purchases(30.0, 2, 20.0, 38.0)):
        below, at, above = (f(m) for m in near)
        assert np.isfinite(at) and min(below, above) <= at <= max(below, above)
        assert at == pytest.approx(0.5 * (below + above), rel=1e-6)


@pytest.mark.parametrize("cls, a, expected", [
    (tc.BetaGeo, 0.99999, 1.5784571905327324),
    (tc.BetaGeo, 1.00003, 1.5783499276946934),
    (tc.ModifiedBetaGeo, 0.999995, 3.0077450058240787),
    (tc.ModifiedBetaGeo, 1.000002, 3.0077143640465265),
])
def test_expected_purchases_inside_the_a_equal_one_window(cls, a, expected):
    # Within the window around a = 1 where the closed form cancels, the value at a itself (not at
    # a = 1): found by hypothesis as a P(n) mean 1e-5 away from the expectation. Reference values:
    # the closed forms (FHL 2005 eq. 10; Batislam et al. 2007) in mpmath at 40 digits, r = alpha = b = 1,
    # x = 1, t_x = 0, T = 0.5, t = 18.
    model = cls.from_params(r=1.0, alpha=1.0, a=a, b=1.0)
    assert model.expected_purchases(18.0, 1.0, 0.0, 0.5) == pytest.approx(expected, rel=1e-9)
    counts = np.arange(1000.0)
    mean = np.sum(counts * model.conditional_probability_of_n_purchases(counts, 18.0, 1.0, 0.0, 0.5))
    assert mean == pytest.approx(expected, rel=1e-9)
