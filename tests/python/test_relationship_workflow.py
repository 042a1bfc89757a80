"""The lifetimes workflow beyond the port: conditional P(n) against lifetimes and an independent
integral, time units, freq_multiplier and include_first_transaction, holdout validation, plots,
and the issue-11 reproducers of the relationship area (each failed before its fix)."""

from __future__ import annotations

import time
import warnings

import matplotlib

matplotlib.use("Agg")  # tests draw off screen

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy import special, stats  # noqa: E402

import trustcost as tc  # noqa: E402
import trustcost.relationship as rel  # noqa: E402
from trustcost import _core  # noqa: E402
from trustcost.datasets import load_cdnow_summary  # noqa: E402


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def bgnbd(cdnow):
    return rel.BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def pareto(cdnow):
    return rel.ParetoNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


# --------------------------------------------------------------------------- conditional P(n)
def test_pareto_conditional_p_n_matches_lifetimes(pareto, lifetimes):
    other = lifetimes.ParetoNBDFitter()
    other.params_ = pd.Series(pareto.params_.to_dict())
    for n, t, x, t_x, T in [(0, 10, 2, 30.43, 38.86), (1, 10, 2, 30.43, 38.86), (3, 39, 5, 20.0, 38.0),
                            (2, 5, 0, 0.0, 30.0), (7, 52, 26, 30.86, 31.0)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = other.conditional_probability_of_n_purchases_up_to_time(n, t, x, t_x, T)
        assert pareto.conditional_probability_of_n_purchases(n, t, x, t_x, T) == pytest.approx(expected, rel=1e-6, abs=1e-12)


def _bgnbd_conditional_p_n_by_integration(params, n, t, x, t_x, T, nodes=600):
    """P(n in (T, T+t] | x, t_x, T) from the BG/NBD story (FHL 2005 section 2): the joint
    probability of the history and the future count, integrated over lambda ~ Gamma(r, alpha) and
    p ~ Beta(a, b) by Gauss-Legendre on their quantiles (u, v in (0, 1), so the prior is uniform)."""
    r, alpha, a, b = params
    z, w = np.polynomial.legendre.leggauss(nodes)
    u, wu = (z + 1) / 2, w / 2
    lam = stats.gamma.ppf(u, r, scale=1 / alpha)[:, None]
    p = stats.beta.ppf(u, a, b)[None, :]
    weight = wu[:, None] * wu[None, :]
    alive = np.exp(x * np.log(lam) - lam * T + x * np.log1p(-p))  # no dropout in x coins, no purchase after t_x
    dead = p * (1 - p) ** (x - 1) * np.exp(x * np.log(lam) - lam * t_x) if x > 0 else 0.0
    stay = (1 - p) ** n * stats.poisson.pmf(n, lam * t)  # alive at T: n purchases, each followed by a coin
    drop = p * (1 - p) ** (n - 1) * stats.poisson.sf(n - 1, lam * t) if n > 0 else 0.0
    numerator = (weight * (alive * (stay + drop) + (dead if n == 0 else 0.0))).sum()
    return numerator / (weight * (alive + dead)).sum()


@pytest.mark.parametrize("n, t, x, t_x, T", [(0, 10.0, 2, 30.43, 38.86), (1, 10.0, 2, 30.43, 38.86),
                                             (2, 20.0, 1, 5.0, 30.0), (1, 8.0, 0, 0.0, 12.0)])
def test_bgnbd_conditional_p_n_matches_an_independent_integral(n, t, x, t_x, T):
    params = (0.243, 4.414, 0.793, 2.426)  # FHL (2005) CDNOW estimates
    model = rel.BetaGeo.from_params(dict(zip(("r", "alpha", "a", "b"), params)))
    expected = _bgnbd_conditional_p_n_by_integration(params, n, t, x, t_x, T)
    assert model.conditional_probability_of_n_purchases(n, t, x, t_x, T) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("model", ["bgnbd", "pareto"])
def test_conditional_p_n_is_a_distribution_with_the_conditional_mean(model, request):
    fitted = request.getfixturevalue(model)
    counts = np.arange(400.0)
    for x, t_x, T, t in [(2, 30.43, 38.86, 39.0), (0, 0.0, 20.0, 10.0), (26, 30.86, 31.0, 52.0)]:
        p = fitted.conditional_probability_of_n_purchases(counts, t, x, t_x, T)
        assert p.sum() == pytest.approx(1.0, abs=1e-9)
        assert (p * counts).sum() == pytest.approx(fitted.expected_purchases(t, x, t_x, T), rel=1e-8)


def test_conditional_p_n_validates():
    model = rel.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    with pytest.raises(ValueError, match="n must be whole numbers"):
        model.conditional_probability_of_n_purchases(1.5, 10, 2, 3, 4)
    with pytest.raises(ValueError, match=r"t must be finite and in \[0, 9007199254740992\] time units, got -1"):
        model.conditional_probability_of_n_purchases(1, -1, 2, 3, 4)


# --------------------------------------------------------------------------- units and rfm options
@pytest.mark.parametrize("spelling, canonical", [("h", "h"), ("H", "h"), ("D", "D"), ("d", "D"), ("W", "W"),
                                                 ("M", "M"), ("Y", "Y"), ("A", "Y")])
def test_time_units_are_one_table(spelling, canonical):
    assert rel.units.time_unit(spelling) == canonical
    assert canonical in rel.units.PERIODS_PER_MONTH


def test_every_function_takes_the_same_units(cdnow, bgnbd):
    log = pd.DataFrame({"id": [1, 1, 2], "when": pd.to_datetime(["2024-01-01 08:00", "2024-01-03 20:00", "2024-01-02 00:00"])})
    gg = rel.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    for spelling in ("h", "H"):  # 'H' used to work in customer_lifetime_value only, 'h' in rfm_summary only
        assert rel.rfm_summary(log, "id", "when", freq=spelling).loc[1, "recency"] == 60.0
        rel.customer_lifetime_value(bgnbd, gg, cdnow.head(3), freq=spelling)
    with pytest.raises(ValueError, match="freq must be one of"):
        rel.rfm_summary(log, "id", "when", freq="fortnight")
    with pytest.raises(ValueError, match="freq must be one of"):
        rel.customer_lifetime_value(bgnbd, gg, cdnow.head(3), freq="fortnight")


def test_freq_multiplier_gives_days_exact_to_the_hour():
    log = pd.DataFrame({"id": [1, 1, 1], "when": pd.to_datetime(["2024-01-01 06:00", "2024-01-02 09:00", "2024-01-04 18:00"])})
    daily = rel.rfm_summary(log, "id", "when", freq="h", freq_multiplier=24, observation_period_end="2024-01-05 00:00")
    assert daily.loc[1].tolist() == [2.0, (3 * 24 + 12) / 24, (4 * 24 - 6) / 24]


def test_include_first_transaction_counts_the_first_period():
    log = pd.DataFrame({"id": [1, 1, 1, 2], "day": ["2024-01-01", "2024-01-01", "2024-01-05", "2024-01-03"],
                        "value": [10.0, 5.0, 30.0, 7.0]})
    plain = rel.rfm_summary(log, "id", "day", "value")
    first = rel.rfm_summary(log, "id", "day", "value", include_first_transaction=True)
    assert plain["frequency"].tolist() == [1.0, 0.0] and first["frequency"].tolist() == [2.0, 1.0]
    assert plain["monetary_value"].tolist() == [30.0, 0.0] and first["monetary_value"].tolist() == [22.5, 7.0]
    assert (first["recency"] == plain["recency"]).all() and (first["T"] == plain["T"]).all()


def test_integer_day_column_is_refused_with_how_to_pass_days():
    # Issue 11: integer days were read as nanoseconds since 1970, so everyone had frequency 0.
    log = pd.DataFrame({"id": [1, 1, 2], "day": [0, 30, 5]})
    with pytest.raises(ValueError, match=r"day holds numbers, not dates.*to_timedelta\(df\['day'\], unit='D'\)"):
        rel.rfm_summary(log, "id", "day")
    as_dates = log.assign(day=pd.Timestamp("2024-01-01") + pd.to_timedelta(log["day"], unit="D"))
    assert rel.rfm_summary(as_dates, "id", "day").loc[1, "frequency"] == 1.0
    with pytest.raises(ValueError, match="holds numbers"):
        rel.rfm_summary(as_dates, "id", "day", observation_period_end=40)


def test_tz_aware_dates_count_on_the_local_calendar():
    # 23:30 in New York on 1 January is 04:30 UTC on 2 January: the purchase was on 1 January.
    local = pd.to_datetime(["2024-01-01 23:30", "2024-01-05 10:00"]).tz_localize("America/New_York")
    log = pd.DataFrame({"id": [1, 1], "when": local})
    summary = rel.rfm_summary(log, "id", "when", observation_period_end="2024-01-10")
    assert summary.loc[1, "recency"] == 4.0 and summary.loc[1, "T"] == 9.0


# --------------------------------------------------------------------------- holdout workflow
@pytest.fixture(scope="module")
def calibration_holdout():
    from importlib import util
    from pathlib import Path

    spec = util.find_spec("lifetimes")
    frame = pd.read_csv(Path(spec.origin).parent / "datasets" / "CDNOW_sample.txt", sep=r"\s+", header=None,
                        names=["original", "id", "date", "cds", "value"])
    return rel.calibration_and_holdout_data(frame, "id", "date", "19970930", "19980630", freq="W",
                                            datetime_format="%Y%m%d", monetary_value_col="value")


def test_holdout_validation_table(calibration_holdout):
    data = calibration_holdout
    assert len(data) == 2357 and (data["duration_holdout"] == 39).all()
    model = rel.BetaGeo().fit(data["frequency_cal"], data["recency_cal"], data["T_cal"])
    check = rel.holdout_validation(model, data)
    assert check.metrics["actual"] == data["frequency_holdout"].sum()
    np.testing.assert_allclose(check.customers["predicted"],
                               model.expected_purchases(data["duration_holdout"], data["frequency_cal"],
                                                        data["recency_cal"], data["T_cal"]))
    # FHL (2005) figure 4: the model tracks the holdout within ~10% in total on CDNOW.
    assert 0.9 < check.metrics["predicted / actual"] < 1.1
    assert check.summary["customers"].sum() == 2357 and check.summary.index[-1] == 7
    assert "HoldoutValidation" in repr(check) and "<table" in check._repr_html_()


def test_holdout_split_validates(calibration_holdout):
    log = pd.DataFrame({"id": [1, 1], "date": ["2024-01-01", "2024-02-01"]})
    with pytest.raises(ValueError, match="holdout period would be empty"):
        rel.calibration_and_holdout_data(log, "id", "date", "2024-02-01", "2024-01-15")
    with pytest.raises(ValueError, match="missing"):
        rel.holdout_validation(rel.BetaGeo.from_params(r=1, alpha=1, a=1, b=1), calibration_holdout.drop(columns="T_cal"))


def test_diagnostic_plots_are_labelled_and_returned(calibration_holdout, cdnow, bgnbd):
    data = calibration_holdout
    model = rel.BetaGeo().fit(data["frequency_cal"], data["recency_cal"], data["T_cal"])
    axes = [
        rel.plotting.plot_period_transactions(bgnbd, cdnow["frequency"], cdnow["recency"], cdnow["T"]),
        rel.plotting.plot_frequency_recency_matrix(bgnbd, t=10),
        rel.plotting.plot_probability_alive_matrix(bgnbd),
        rel.plotting.plot_calibration_purchases_vs_holdout_purchases(model, data),
    ]
    for ax in axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    # The histogram's model bars sum to the number of customers, as the actual ones do.
    bars = axes[0].patches
    assert sum(b.get_height() for b in bars[:8]) == pytest.approx(2357)
    assert sum(b.get_height() for b in bars[8:]) == pytest.approx(2357)
    plt.close("all")


def test_cumulative_tracking_plot(bgnbd):
    from importlib import util
    from pathlib import Path

    spec = util.find_spec("lifetimes")
    log = pd.read_csv(Path(spec.origin).parent / "datasets" / "CDNOW_sample.txt", sep=r"\s+", header=None,
                      names=["original", "id", "date", "cds", "value"])
    ax = rel.plotting.plot_cumulative_transactions(bgnbd, log, "date", "id", 78 * 7, 39 * 7, "%Y%m%d", freq_multiplier=7)
    actual, model = (line.get_ydata() for line in ax.get_lines()[:2])
    assert len(actual) == 78 and (np.diff(actual) >= 0).all() and (np.diff(model) >= 0).all()
    ax = rel.plotting.plot_incremental_transactions(bgnbd, log, "date", "id", 78 * 7, 39 * 7, "%Y%m%d", freq_multiplier=7)
    assert ax.get_ylabel() == "transactions"
    plt.close("all")


# --------------------------------------------------------------------------- issue-11 reproducers
def test_customer_lifetime_value_huge_horizon_is_refused_quickly(cdnow, bgnbd):
    # Issue 11: time=10**9 allocated more than 6 GiB.
    gg = rel.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    with pytest.raises(ValueError, match="time must be at most 12000 months"):
        rel.customer_lifetime_value(bgnbd, gg, cdnow, time=10**9)


def test_customer_lifetime_value_batches_agree(cdnow, bgnbd, monkeypatch):
    gg = rel.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    whole = rel.customer_lifetime_value(bgnbd, gg, cdnow, time=24)
    monkeypatch.setattr(rel.value, "_BATCH", 100)  # many small batches
    np.testing.assert_allclose(rel.customer_lifetime_value(bgnbd, gg, cdnow, time=24), whole, rtol=1e-13)


def test_markov_value_long_horizon_is_fast_and_converges():
    # Issue 11: horizon=10**12 looped 10^12 times with the GIL held.
    p, reward = [0.3, 0.2, 0.15, 0.05], [40.0, -2.0, -2.0, 0.0]
    start = time.perf_counter()
    long = tc.relationship.markov_customer_value(p, reward, 0.01, horizon=10**12)
    assert time.perf_counter() - start < 1.0
    np.testing.assert_allclose(long, tc.relationship.markov_customer_value(p, reward, 0.01), rtol=1e-10)


@pytest.mark.parametrize("horizon", [0, 1, 2, 7, 64, 100])
def test_markov_value_matches_the_period_by_period_sum(horizon):
    p, reward, d = np.array([0.3, 0.2, 0.15, 0.05]), np.array([40.0, -2.0, -2.0, 0.0]), 0.02
    matrix = tc.relationship.recency_transition_matrix(p) / (1 + d)
    expected, term = np.zeros(4), reward.copy()
    for _ in range(horizon + 1):  # P&C (2000) eq. 5, term by term
        expected += term
        term = matrix @ term
    np.testing.assert_allclose(tc.relationship.markov_customer_value(p, reward, d, horizon=horizon), expected, rtol=1e-12)


def test_markov_value_without_discounting_overflows_loudly():
    with pytest.raises(ValueError, match="overflows"):
        tc.relationship.markov_customer_value([0.9, 0.5], [1e300, 1.0], -0.5, horizon=10**6)


def test_watchlist_with_nobody_selected_says_why(bgnbd):
    # Issue 11: "frequency must not be empty" when the filters selected nobody.
    summary = pd.DataFrame({"frequency": [0.0, 3.0], "recency": [0.0, 30.0], "T": [10.0, 31.0]})
    out = rel.silence_watchlist(summary, bgnbd)
    assert out.empty and "value_at_risk" in out.columns
    assert out.attrs["note"].startswith("the filters selected no customer: 1 one-time buyers")


@pytest.mark.parametrize("call", [
    lambda: _core.bgnbd.p_alive(np.ones(4), np.ones(3), np.ones(2), np.ones(3)),
    lambda: _core.pareto_nbd.expected_purchases(np.ones(4), np.ones(2), np.ones(3), np.ones(3), np.ones(3)),
    lambda: _core.bgnbd.conditional_probability_of_n_purchases(np.ones(4), np.ones(3), np.ones(3), np.ones(1),
                                                               np.ones(3), np.ones(3)),
    lambda: _core.gamma_gamma.expected_average_value(np.ones(3), np.ones(4), np.ones(1)),
    lambda: _core.bgnbd.fit(np.ones(3), np.ones(3), np.ones(3), np.ones(2), _core.FitOptions()),
])
def test_raw_core_refuses_mismatched_lengths(call):
    with pytest.raises(ValueError, match="must have"):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: _core.bgnbd.p_alive(np.ones(2), np.ones(3), np.ones(3), np.ones(3)), "params must have 4 values, got 2"),
    (lambda: _core.pareto_nbd.probability_of_n_purchases(np.ones(1), np.ones(3), np.ones(3)), "params must have 4"),
    (lambda: _core.gamma_gamma.expected_average_value(np.array([1.0, 2.0]), np.ones(3), np.ones(3)), "params must have 3"),
    (lambda: _core.bgnbd.p_alive(np.array([1.0, -1, 1, 1]), np.ones(3), np.ones(3), np.ones(3)), "finite and > 0"),
])
def test_raw_core_checks_the_parameter_vector(call, message):
    # Read out of bounds before: params of the wrong length went straight to p[3].
    with pytest.raises(ValueError, match=message):
        call()


def test_bgnbd_expectations_at_a_equal_to_one():
    # Found by the property tests: eqs. (9) and (10) divide 0 by 0 at a = 1 and gave NaN.
    at_one = rel.BetaGeo.from_params(r=1.0, alpha=1.0, a=1.0, b=1.0)
    near = [rel.BetaGeo.from_params(r=1.0, alpha=1.0, a=a, b=1.0) for a in (1 - 1e-3, 1 + 1e-3)]
    for f in (lambda m: m.expected_purchases_population(2.0), lambda m: m.expected_purchases(2.0, 3, 1.0, 2.0)):
        assert np.isfinite(f(at_one))
        assert f(at_one) == pytest.approx(0.5 * (f(near[0]) + f(near[1])), rel=1e-6)


@pytest.mark.parametrize("a, b", [(0.5, 0.5), (0.2, 0.3), (0.05, 0.05), (0.793, 2.426)])
def test_bgnbd_population_expectation_for_any_a_b(a, b):
    # Found by the property tests: with a + b <= 1 the third parameter of eq. (9)'s 2F1 is zero or
    # negative and the value was NaN. Checked against the mean over p ~ Beta(a, b) of eq. (7)
    # averaged over lambda ~ Gamma(r, alpha), integrated with scipy.
    from scipy import integrate as scipy_integrate

    r, alpha = 1.3, 2.0
    model = rel.BetaGeo.from_params(r=r, alpha=alpha, a=a, b=b)
    for t in (0.5, 3.0, 40.0):
        def mean_given_p(p):
            if p == 0.0:  # the limit r t / alpha
                return r * t / alpha / special.beta(a, b)
            return -np.expm1(r * np.log(alpha / (alpha + p * t))) / p / special.beta(a, b)

        # QUADPACK's algebraic weight p^(a-1) (1-p)^(b-1) takes the Beta density's endpoint singularities.
        expected = scipy_integrate.quad(mean_given_p, 0, 1, weight="alg", wvar=(a - 1, b - 1), epsabs=1e-14,
                                        epsrel=1e-12)[0]
        assert model.expected_purchases_population(t) == pytest.approx(expected, rel=1e-8)
        # A customer without repeats is a new customer whose rates are updated by T quiet periods.
        shifted = rel.BetaGeo.from_params(r=r, alpha=alpha + 5.0, a=a, b=b)
        assert model.expected_purchases(t, 0, 0, 5.0) == pytest.approx(shifted.expected_purchases_population(t), rel=1e-8)
