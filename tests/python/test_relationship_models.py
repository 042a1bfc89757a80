"""BG/NBD, Pareto/NBD, Gamma-Gamma and customer value: published CDNOW estimates, independent
scipy computations of the same formulas, and lifetimes on the same data when it imports."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special

import trustcost as tc
from trustcost.datasets import load_cdnow_summary


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def bgnbd(cdnow):
    return tc.BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def pareto(cdnow):
    return tc.ParetoNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def gamma_gamma(cdnow):
    return tc.GammaGamma().fit(cdnow["frequency"], cdnow["monetary_value"])


def test_cdnow_dataset(cdnow):
    assert cdnow.shape == (2357, 4)
    assert (cdnow["frequency"] > 0).sum() == 946  # FHL (2005) "RFM and CLV": 946 repeat buyers


def test_bgnbd_reproduces_fader_hardie_lee_2005(bgnbd):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), section 4: r = 0.243, alpha = 4.414,
    # a = 0.793, b = 2.426, LL = -9582.4.
    assert bgnbd.params_.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]
    assert list(bgnbd.params_.index) == ["r", "alpha", "a", "b"]
    assert round(bgnbd.log_likelihood_, 1) == -9582.4
    assert bgnbd.n_customers_ == 2357 and bgnbd.n_unique_rows_ < 2357


def test_pareto_nbd_reproduces_fader_hardie_note(pareto):
    # Fader & Hardie (2005), "Implementing the Pareto/NBD Model Given Interval-Censored Data" /
    # "A Note on Deriving the Pareto/NBD Model": r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67, LL = -9595.0.
    assert pareto.params_.round(2).tolist() == [0.55, 10.58, 0.61, 11.67]
    assert list(pareto.params_.index) == ["r", "alpha", "s", "beta"]
    assert round(pareto.log_likelihood_, 1) == -9595.0


def test_gamma_gamma_reproduces_fader_hardie_lee_rfm_clv(gamma_gamma):
    # Fader, Hardie & Lee (2005), JMR 42(4): p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeaters.
    # The summary ships with spend rounded to cents; on it the optimum is v = 15.4477 (lifetimes'
    # documentation shows 15.45), so v is checked to within 0.01 of the paper.
    p, q, v = gamma_gamma.params_
    assert (round(p, 2), round(q, 2)) == (6.25, 3.74)
    assert abs(v - 15.44) < 0.01
    assert gamma_gamma.n_customers_ == 946 and gamma_gamma.n_excluded_ == 1411


def _bgnbd_log_likelihood(params, x, t_x, T):
    """FHL (2005) eq. (6), written independently with scipy."""
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def _pareto_log_likelihood(params, x, t_x, T):
    """Fader & Hardie (2005) note eq. (22)-(24) with scipy's hyp2f1 (no log-space tricks)."""
    r, alpha, s, beta = params
    m, b = (alpha, s + 1) if alpha >= beta else (beta, r + x)
    rsx = r + s + x
    a0 = special.hyp2f1(rsx, b, rsx + 1, abs(alpha - beta) / (m + t_x)) / (m + t_x) ** rsx - special.hyp2f1(
        rsx, b, rsx + 1, abs(alpha - beta) / (m + T)
    ) / (m + T) ** rsx
    log_c = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    return log_c + np.log(1 / ((alpha + T) ** (r + x) * (beta + T) ** s) + s / rsx * a0)


def test_log_likelihoods_match_independent_formulas(cdnow, bgnbd, pareto):
    x, t_x, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    assert bgnbd.log_likelihood_ == pytest.approx(_bgnbd_log_likelihood(bgnbd.params_, x, t_x, T).sum(), rel=1e-12)
    assert pareto.log_likelihood_ == pytest.approx(_pareto_log_likelihood(pareto.params_, x, t_x, T).sum(), rel=1e-10)


def _numeric_standard_errors(loglik, params, x, t_x, T):
    p = np.asarray(params, dtype=float)
    k = p.size
    h = np.empty((k, k))
    steps = 1e-4 * p
    for i in range(k):
        for j in range(k):
            def f(di, dj):
                q = p.copy()
                q[i] += di * steps[i]
                q[j] += dj * steps[j]
                return loglik(q, x, t_x, T).sum()
            h[i, j] = -(f(1, 1) - f(1, -1) - f(-1, 1) + f(-1, -1)) / (4 * steps[i] * steps[j])
    return np.sqrt(np.diag(np.linalg.inv(h)))


@pytest.mark.parametrize("which", ["bgnbd", "pareto"])
def test_standard_errors_match_numeric_hessian(which, cdnow, bgnbd, pareto):
    model, loglik = (bgnbd, _bgnbd_log_likelihood) if which == "bgnbd" else (pareto, _pareto_log_likelihood)
    x, t_x, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    expected = _numeric_standard_errors(loglik, model.params_, x, t_x, T)
    np.testing.assert_allclose(model.standard_errors_, expected, rtol=1e-3)
    assert list(model.summary.columns) == ["coef", "se(coef)", "lower 95% bound", "upper 95% bound"]
    assert "log-likelihood" in model._repr_html_()


def test_bgnbd_predictions_match_independent_formulas(cdnow, bgnbd):
    r, alpha, a, b = bgnbd.params_
    x, t_x, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    # P(alive), FHL (2008) note; E[Y(t)|...], FHL (2005) eq. (10); E[X(t)], eq. (9).
    odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0)
    np.testing.assert_allclose(bgnbd.p_alive(x, t_x, T), 1 / (1 + odds), rtol=1e-12)
    t = 39.0
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    expected = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp) / (1 + odds)
    np.testing.assert_allclose(bgnbd.expected_purchases(t, x, t_x, T), expected, rtol=1e-10)
    ts = np.array([0.5, 10, 39, 78, 1000])
    population = (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + ts)) ** r * special.hyp2f1(r, b, a + b - 1, ts / (alpha + ts)))
    np.testing.assert_allclose(bgnbd.expected_purchases_population(ts), population, rtol=1e-10)
    # P(X(t) = n) is a distribution over n whose mean is E[X(t)].
    n = np.arange(0, 400)
    probabilities = bgnbd.probability_of_n_purchases(39.0, n)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    assert (probabilities * n).sum() == pytest.approx(bgnbd.expected_purchases_population(39.0), rel=1e-4)


def test_pareto_predictions_match_independent_formulas(cdnow, pareto):
    r, alpha, s, beta = pareto.params_
    x, t_x, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))
    log_l = _pareto_log_likelihood(pareto.params_, x, t_x, T)
    log_alive_term = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta) - (r + x) * np.log(alpha + T) - s * np.log(beta + T)
    alive = np.exp(log_alive_term - log_l)  # note eq. (18)
    np.testing.assert_allclose(pareto.p_alive(x, t_x, T), alive, rtol=1e-9)
    t = 39.0
    expected = alive * (r + x) * (beta + T) / ((alpha + T) * (s - 1)) * (1 - ((beta + T) / (beta + T + t)) ** (s - 1))
    np.testing.assert_allclose(pareto.expected_purchases(t, x, t_x, T), expected, rtol=1e-9)
    np.testing.assert_allclose(pareto.expected_purchases_population(t), r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t)) ** (s - 1)), rtol=1e-12)
    # P(X(t) = n): a distribution whose mean is E[X(t)]; one value against scipy's quad.
    n = np.arange(0, 600)
    probabilities = pareto.probability_of_n_purchases(t, n)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    assert (probabilities * n).sum() == pytest.approx(pareto.expected_purchases_population(t), rel=1e-4)

    def count(k, tau):
        return np.exp(special.gammaln(r + k) - special.gammaln(r) - special.gammaln(k + 1)) * (alpha / (alpha + tau)) ** r * (tau / (alpha + tau)) ** k

    dropped = integrate.quad(lambda tau: s * beta**s / (beta + tau) ** (s + 1) * count(2, tau), 0, t, epsabs=1e-14, epsrel=1e-12)[0]
    assert pareto.probability_of_n_purchases(t, 2) == pytest.approx((beta / (beta + t)) ** s * count(2, t) + dropped, rel=1e-10)


def test_predictions_keep_the_index_and_broadcast(cdnow, bgnbd):
    alive = bgnbd.p_alive(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert isinstance(alive, pd.Series) and alive.index.equals(cdnow.index)
    assert isinstance(bgnbd.p_alive(2, 30.0, 38.86), float)
    curve = bgnbd.expected_purchases(np.array([1.0, 5.0, 10.0]), 2, 30.0, 38.86)
    assert curve.shape == (3,) and np.all(np.diff(curve) > 0)


def test_clv_and_spend_match_independent_computation(cdnow, bgnbd, gamma_gamma):
    p, q, v = gamma_gamma.params_
    x, m = cdnow["frequency"].to_numpy(), cdnow["monetary_value"].to_numpy()
    spend = (q - 1) / (p * x + q - 1) * p * v / (q - 1) + p * x / (p * x + q - 1) * m  # FHL (2005) JMR eq. (5)
    np.testing.assert_allclose(gamma_gamma.expected_average_value(cdnow["frequency"], cdnow["monetary_value"]), spend, rtol=1e-12)
    clv = tc.customer_lifetime_value(bgnbd, gamma_gamma, cdnow, time=12, discount_rate=0.01, freq="W")
    expected = np.zeros(len(cdnow))
    for month in range(1, 13):
        args = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
        purchases = bgnbd.expected_purchases(month * 4.345, *args) - bgnbd.expected_purchases((month - 1) * 4.345, *args)
        expected += spend * purchases.to_numpy() / 1.01**month
    np.testing.assert_allclose(clv, expected, rtol=1e-12)
    assert clv.index.equals(cdnow.index)


def test_predictions_match_lifetimes(cdnow, bgnbd, pareto, gamma_gamma, lifetimes):
    args = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_bg = lifetimes.BetaGeoFitter().fit(*args)
        theirs_gg = lifetimes.GammaGammaFitter().fit(cdnow["frequency"][cdnow["frequency"] > 0], cdnow["monetary_value"][cdnow["frequency"] > 0])
        np.testing.assert_allclose(theirs_bg.params_, bgnbd.params_, rtol=1e-4)
        np.testing.assert_allclose(theirs_gg.params_, gamma_gamma.params_, rtol=1e-4)
        theirs_pn = lifetimes.ParetoNBDFitter()
        theirs_pn.params_ = pareto.params_.copy()
        theirs_bg.params_, theirs_gg.params_ = bgnbd.params_.copy(), gamma_gamma.params_.copy()
        for ours, theirs in ((bgnbd, theirs_bg), (pareto, theirs_pn)):
            np.testing.assert_allclose(ours.p_alive(*args), theirs.conditional_probability_alive(*args), rtol=1e-10)
            np.testing.assert_allclose(
                ours.expected_purchases(10.0, *args), theirs.conditional_expected_number_of_purchases_up_to_time(10.0, *args), rtol=1e-10
            )
            ts = np.array([1.0, 10.0, 39.0, 100.0])
            np.testing.assert_allclose(ours.expected_purchases_population(ts), theirs.expected_number_of_purchases_up_to_time(ts), rtol=1e-10)
        for n in range(5):
            assert bgnbd.probability_of_n_purchases(39.0, n) == pytest.approx(theirs_bg.probability_of_n_purchases_up_to_time(39.0, n), rel=1e-10)
        theirs_clv = theirs_gg.customer_lifetime_value(theirs_bg, *args, cdnow["monetary_value"], time=12, discount_rate=0.01, freq="W")
    np.testing.assert_allclose(tc.customer_lifetime_value(bgnbd, gamma_gamma, cdnow, freq="W"), theirs_clv, rtol=1e-10)


def test_fit_on_weighted_unique_rows_equals_fit_on_all_rows(cdnow, bgnbd):
    grouped = cdnow.groupby(["frequency", "recency", "T"]).size().reset_index(name="count")
    weighted = tc.BetaGeo().fit(grouped["frequency"], grouped["recency"], grouped["T"], weights=grouped["count"])
    np.testing.assert_allclose(weighted.params_, bgnbd.params_, rtol=1e-6)
    assert weighted.log_likelihood_ == pytest.approx(bgnbd.log_likelihood_, rel=1e-12)


def _simulate_bgnbd(n, params, T, rng):
    """Draw customers from the BG/NBD story: Poisson purchases until a geometric dropout."""
    r, alpha, a, b = params
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x, t_x = np.zeros(n), np.zeros(n)
    clock = np.zeros(n)
    alive = np.ones(n, bool)
    while alive.any():
        clock[alive] += rng.exponential(1 / lam[alive])
        bought = alive & (clock <= T)
        x[bought] += 1
        t_x[bought] = clock[bought]
        alive = bought & (rng.random(n) >= p)
    return x, t_x, np.full(n, float(T))


def test_recovers_parameters_of_simulated_customers():
    truth = np.array([0.5, 5.0, 0.8, 2.5])
    x, t_x, T = _simulate_bgnbd(30_000, truth, 52.0, np.random.default_rng(20240601))
    model = tc.BetaGeo().fit(x, t_x, T)
    assert np.all(np.abs(model.params_.to_numpy() - truth) < 3 * model.standard_errors_.to_numpy())


def test_convergence_error_names_the_model_and_iterations(cdnow):
    with pytest.raises(tc.ConvergenceError, match=r"BG/NBD fit did not converge.*1 iterations"):
        tc.BetaGeo(max_iterations=1).fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.mark.parametrize(
    ("frequency", "recency", "T", "match"),
    [
        ([1, -1], [2.0, 0.0], [5.0, 5.0], "frequency must be a whole number >= 0, got -1 at row 1"),
        ([1, 2], [2.0, 6.0], [5.0, 5.0], "recency must be <= T, got recency 6 > T 5 at row 1"),
        ([1, 2], [2.0, np.nan], [5.0, 5.0], "recency must be >= 0, got nan at row 1"),
        ([1, 0], [2.0, 1.0], [5.0, 5.0], "recency must be 0 when frequency is 0, got recency 1 at row 1"),
        ([1.5, 0], [2.0, 0.0], [5.0, 5.0], "frequency must be a whole number >= 0, got 1.5 at row 0"),
        ([1, 0], [2.0, 0.0], [5.0, np.inf], "T must be >= 0, got inf at row 1"),
    ],
)
def test_bad_summaries_raise_naming_column_and_row(frequency, recency, T, match):
    with pytest.raises(ValueError, match=match.replace("(", r"\(")):
        tc.BetaGeo().fit(frequency, recency, T)


def test_gamma_gamma_rejects_bad_spend():
    # The engine's spend rule (model.cpp) on the caller's rows: row 1 of the caller, not of the repeat buyers.
    with pytest.raises(ValueError, match=r"monetary_value must be >= 1e-100 for customers with repeat purchases .* got 0 at row 1"):
        tc.GammaGamma().fit([1, 2, 0], [10.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="monetary_value must be finite, >= 0 .* got nan at row 0"):
        tc.GammaGamma().fit([1], [np.nan])


# --------------------------------------------------------------------------- degenerate data (issue 12 item 4)
_EVERYONE_ONCE = (np.zeros(50), np.zeros(50), np.linspace(1.0, 40.0, 50))


@pytest.mark.parametrize("model", [tc.BetaGeo, tc.ParetoNBD])
@pytest.mark.parametrize("data, lacking", [
    (_EVERYONE_ONCE, "no customer made a repeat purchase"),  # was r = 0.018, alpha = 7.1e6
    (([0.0], [0.0], [10.0]), "no customer made a repeat purchase"),
    ((np.zeros(20), np.zeros(20), np.zeros(20)), "no customer made a repeat purchase"),  # "fitted" at the start values
    (([3.0], [2.0], [5.0]), "single customer"),
    (([2.0] * 30, [4.0] * 30, [9.0] * 30), "every customer has the same history"),
])
def test_data_that_cannot_identify_the_model_say_what_they_lack(model, data, lacking):
    with pytest.raises(ValueError, match=lacking):
        model().fit(*data)


def test_no_visible_dropout_is_refused_at_once():
    # Everyone bought at the end of their window: the likelihood rises as dropout vanishes
    # (Pareto/NBD let s and beta run for minutes; BG/NBD returned a = 0.03, b = 1e6).
    rng = np.random.default_rng(1)
    T = rng.uniform(20.0, 40.0, 300)
    x = rng.poisson(3, 300) + 1.0
    for model in (tc.ParetoNBD, tc.BetaGeo):
        with pytest.raises(ValueError, match=r"recency == T.*show no dropout"):
            model().fit(x, T, T)


def test_runaway_parameter_stops_early_and_names_what_the_data_lack():
    # Repeat buyers whose last purchases sit almost at the end: a silence too short to see dropout.
    rng = np.random.default_rng(3)
    T = rng.uniform(20.0, 40.0, 300)
    x = rng.poisson(3, 300) + 1.0
    start = time.perf_counter()
    with pytest.raises(tc.ConvergenceError, match=r"s ran off .* too little dropout") as caught:
        tc.ParetoNBD().fit(x, T * (1 - 1e-3), T)
    assert time.perf_counter() - start < 15  # was over a minute before the early stop
    assert "rescaling time" not in str(caught.value)


def test_dropout_rates_without_spread_are_named_and_stop_fast():
    # Every customer silent for a near-endless history (T = 1e12 weeks): s and beta run off together
    # (one dropout rate for all). The covariate fit took 11 s to say so (each evaluation summed the
    # 2F1 series to its million-term cap as z = (beta - alpha) / (beta + t_x) neared 1); the series
    # near z = 1 is now the connection formula. The advice was "too little dropout", the opposite.
    summary = tc.datasets.load_cdnow_summary().head(200)
    x, t_x = summary.frequency.to_numpy(float), summary.recency.to_numpy(float)
    T = np.full_like(x, 1e12)
    segment = (np.arange(x.size) % 3 == 0).astype(float)
    for fit in (lambda: tc.ParetoNBD().fit(x, t_x, T), lambda: tc.ParetoNBDCovariates().fit(x, t_x, T, segment)):
        with pytest.raises(tc.ConvergenceError, match=r"s ran off to \d+.*no variation in dropout rates") as caught:
            fit()
        assert "too little dropout" not in str(caught.value)


SEED_THOUSANDS = 5  # one of the first eight seeds on which the absolute tolerance failed


def test_frequencies_in_the_thousands_converge():
    # Issue 11: the absolute gradient tolerance gave a false ConvergenceError on this sample
    # (max |gradient| 4.7e-6 after 500 Newton steps); relative to the likelihood's size it converges.
    x, t_x, T = _simulate_bgnbd(400, (2.0, 0.02, 1.0, 300.0), 35.0, np.random.default_rng(SEED_THOUSANDS))
    assert x.max() > 3000
    model = tc.BetaGeo().fit(x, t_x, T)
    assert model.iterations_ < 50
    assert model.params_["r"] == pytest.approx(2.0, rel=0.25) and model.params_["b"] == pytest.approx(300.0, rel=0.5)


def test_gamma_gamma_never_fits_q_at_or_below_one():
    # Spend so heavy-tailed that the unconstrained optimum has q < 1 (where p v / (q - 1), the mean
    # spend, does not exist and predictions turn negative): refused with a message about spend.
    x = np.array([1.0, 1, 2, 1, 3, 1, 1, 2])
    m = np.array([1.0, 2, 3, 100, 2, 500, 1, 1e4])
    with pytest.raises(tc.ConvergenceError, match=r"q fell to 1\.0\d*: the spend per transaction is too heavy-tailed") as caught:
        tc.GammaGamma().fit(x, m)
    assert "rescal" not in str(caught.value)
    with pytest.raises(ValueError, match="q must be > 1"):
        tc.GammaGamma.from_params(p=6.0, q=0.9, v=15.0).expected_average_value(2, 30.0)


# --------------------------------------------------------------------------- named parameters
def test_params_given_in_any_order_are_read_by_name():
    # Issue 12: a Series built in alphabetical order used to be read by position. lifetimes' own
    # underflow test uses these Pareto/NBD parameters and records E[Y(10) | 132, 200, 200] = 6.20605.
    given = pd.Series({"alpha": 10.58, "beta": 11.67, "r": 0.55, "s": 0.61})
    model = tc.ParetoNBD()
    model.params_ = given
    assert list(model.params_.index) == ["r", "alpha", "s", "beta"]
    assert model.expected_purchases(10, 132, 200, 200) == pytest.approx(6.2060517889632418, rel=1e-9)
    same = tc.ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    assert same.expected_purchases(10, 132, 200, 200) == model.expected_purchases(10, 132, 200, 200)


def test_from_params_matches_the_fit(bgnbd, gamma_gamma, cdnow):
    shuffled = bgnbd.params_.iloc[::-1]
    given = tc.BetaGeo.from_params(shuffled.to_dict())
    head = cdnow.head(50)
    np.testing.assert_array_equal(given.p_alive(head["frequency"], head["recency"], head["T"]),
                                  bgnbd.p_alive(head["frequency"], head["recency"], head["T"]))
    spend = tc.GammaGamma.from_params(pd.Series({"v": gamma_gamma.params_["v"], "q": gamma_gamma.params_["q"],
                                                 "p": gamma_gamma.params_["p"]}))
    np.testing.assert_array_equal(spend.expected_average_value(head["frequency"], head["monetary_value"]),
                                  gamma_gamma.expected_average_value(head["frequency"], head["monetary_value"]))
    assert "given" in repr(given) and np.isnan(given.summary["se(coef)"]).all()


@pytest.mark.parametrize("bad, message", [
    ({"r": 1.0, "alpha": 1.0, "a": 1.0}, "missing \\['b'\\]"),
    ({"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0, "s": 1.0}, "unknown \\['s'\\]"),
    ({"r": 1.0, "alpha": -1.0, "a": 1.0, "b": 1.0}, "alpha must be finite and > 0, got -1.0"),
    ({"r": np.nan, "alpha": 1.0, "a": 1.0, "b": 1.0}, "r must be finite"),
])
def test_given_params_are_validated(bad, message):
    with pytest.raises(ValueError, match=message):
        tc.BetaGeo.from_params(bad)
    with pytest.raises(TypeError, match="Series or dict"):
        tc.BetaGeo.from_params([1.0, 1.0, 1.0, 1.0])


@pytest.mark.parametrize("name", ["bgnbd", "pareto", "gamma_gamma"])
def test_fitted_models_round_trip_through_pickle_and_deepcopy(name, request, cdnow):
    import copy
    import pickle

    cloudpickle = pytest.importorskip("cloudpickle")
    model = request.getfixturevalue(name)
    head = cdnow.head(20)
    for clone in (pickle.loads(pickle.dumps(model)), cloudpickle.loads(cloudpickle.dumps(model)), copy.deepcopy(model)):
        assert type(clone) is type(model)
        pd.testing.assert_series_equal(clone.params_, model.params_)
        pd.testing.assert_series_equal(clone.standard_errors_, model.standard_errors_)
        assert clone.log_likelihood_ == model.log_likelihood_
        if name == "gamma_gamma":
            args = (head["frequency"], head["monetary_value"])
            np.testing.assert_array_equal(clone.expected_average_value(*args), model.expected_average_value(*args))
        else:
            args = (head["frequency"], head["recency"], head["T"])
            np.testing.assert_array_equal(clone.p_alive(*args), model.p_alive(*args))
            np.testing.assert_array_equal(clone.expected_purchases(5.0, *args), model.expected_purchases(5.0, *args))


def test_pareto_p_alive_at_a_future_time_integrates_the_dropout_posterior():
    from scipy import integrate, stats
    model = tc.ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
    x, t_x, T = 2.0, 30.43, 38.86
    now = model.p_alive(x, t_x, T)
    assert model.p_alive(x, t_x, T, t=0) == now
    later = model.p_alive(np.full(4, x), np.full(4, t_x), np.full(4, T), t=np.array([0.0, 1.0, 10.0, 52.0]))
    # Alive at T, mu ~ Gamma(s, beta + T) (Fader & Hardie 2005 note, section 3): survive t more.
    post = stats.gamma(a=0.606, scale=1 / (11.669 + T))
    for got, t in zip(later, [0.0, 1.0, 10.0, 52.0]):
        survive, _ = integrate.quad(lambda mu: post.pdf(mu) * np.exp(-mu * t), 0, np.inf)
        assert got == pytest.approx(now * survive, rel=1e-8)
    assert (np.diff(later) < 0).all()
    assert model.conditional_probability_alive(x, t_x, T, future_t=10.0) == pytest.approx(later[2], rel=1e-15)


def test_gamma_gamma_q_constraint_false_gives_lifetimes_cdnow_estimates():
    # lifetimes' GammaGammaFitter (q unconstrained) on CDNOW's repeat buyers: p 6.25, q 3.74, v 15.45.
    cdnow = tc.datasets.load_cdnow_summary()
    repeat = cdnow[cdnow["frequency"] > 0]
    free = tc.GammaGamma(q_constraint=False).fit(repeat["frequency"], repeat["monetary_value"])
    np.testing.assert_allclose(free.params_[["p", "q", "v"]], [6.25, 3.74, 15.45], atol=0.01)
    # Here the optimum has q > 1, so the constraint changes nothing.
    held = tc.GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    np.testing.assert_allclose(held.params_, free.params_, rtol=1e-5)
    again = tc.GammaGamma().fit(repeat["frequency"], repeat["monetary_value"], q_constraint=False)
    assert again.q_constraint is False
    with pytest.raises(TypeError, match="q_constraint must be True or False"):
        tc.GammaGamma(q_constraint="yes")
