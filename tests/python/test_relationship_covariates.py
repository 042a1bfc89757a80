"""BG/NBD and Pareto/NBD with time-invariant covariates: known covariate effects recovered from
simulated customers within their standard errors, predictions equal to the plain models with
each customer's own parameters, the no-covariate limit, and checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from trustcost import _core
from trustcost.datasets import load_cdnow_summary

TRUTH = {"r": 0.5, "alpha": 4.0, "a": 0.8, "b": 2.5, "purchase[segment]": 0.7, "a[segment]": 0.5,
         "b[segment]": -0.4}


def simulate(n, rng, truth, z):
    """The BG/NBD story with each customer's own alpha, a, b: exponential gaps at rate
    lambda ~ Gamma(r, alpha_i); after each repeat purchase gone with p ~ Beta(a_i, b_i)."""
    T = rng.integers(7, 39 * 7 + 1, n) / 7.0
    alpha = truth["alpha"] * np.exp(-truth["purchase[segment]"] * z)
    a, b = truth["a"] * np.exp(truth["a[segment]"] * z), truth["b"] * np.exp(truth["b[segment]"] * z)
    lam, p = rng.gamma(truth["r"], 1 / alpha), rng.beta(a, b)
    x, t_x, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.arange(n)
    while active.size:
        clock[active] += rng.exponential(1 / lam[active])
        bought = active[clock[active] <= T[active]]
        x[bought] += 1
        t_x[bought] = clock[bought]
        active = bought[rng.random(bought.size) >= p[bought]]
    return pd.DataFrame({"frequency": x, "recency": t_x, "T": T, "segment": z})


@pytest.fixture(scope="module")
def customers():
    rng = np.random.default_rng(12)
    return simulate(6000, rng, TRUTH, rng.integers(0, 2, 6000).astype(float))


@pytest.fixture(scope="module")
def model(customers):
    return tc.BetaGeoCovariates().fit(customers["frequency"], customers["recency"], customers["T"],
                                      covariates=customers[["segment"]])


def test_recovers_known_effects_within_standard_errors(model):
    assert list(model.params_.index) == list(TRUTH)
    z = (model.params_ - pd.Series(TRUTH)) / model.standard_errors_
    assert (z.abs() < 3).all(), z
    # The purchase effect is clearly identified: its 95% interval excludes 0 and holds 0.7.
    row = model.summary.loc["purchase[segment]"]
    assert row["lower 95% bound"] > 0 and row["lower 95% bound"] < 0.7 < row["upper 95% bound"]


def test_segments_equal_separate_bgnbd_predictions(model, customers):
    # A customer's prediction is BG/NBD's with her own (alpha_i, a_i, b_i).
    p = model.params_
    for s in (0.0, 1.0):
        own = tc.BetaGeo.from_params(r=p["r"], alpha=p["alpha"] * np.exp(-p["purchase[segment]"] * s),
                                     a=p["a"] * np.exp(p["a[segment]"] * s), b=p["b"] * np.exp(p["b[segment]"] * s))
        sub = customers[customers["segment"] == s].head(50)
        cov = sub[["segment"]]
        np.testing.assert_allclose(model.p_alive(sub["frequency"], sub["recency"], sub["T"], cov),
                                   own.p_alive(sub["frequency"], sub["recency"], sub["T"]), rtol=1e-13)
        np.testing.assert_allclose(model.expected_purchases(10.0, sub["frequency"], sub["recency"], sub["T"], cov),
                                   own.expected_purchases(10.0, sub["frequency"], sub["recency"], sub["T"]), rtol=1e-13)


def test_irrelevant_covariate_leaves_bgnbd():
    # CDNOW with a covariate drawn independently of everything: coefficients within noise of 0,
    # the base parameters near the published BG/NBD ones and the likelihood at least as high.
    cdnow = load_cdnow_summary()
    noise = np.random.default_rng(3).normal(size=len(cdnow))
    with_noise = tc.BetaGeoCovariates().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"], covariates=noise)
    plain = tc.BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    coefficients = with_noise.params_.iloc[4:]
    assert ((coefficients / with_noise.standard_errors_.iloc[4:]).abs() < 3).all()
    assert with_noise.log_likelihood_ >= plain.log_likelihood_ - 1e-6
    assert with_noise.log_likelihood_ - plain.log_likelihood_ < 8  # three noise coefficients: chi2(3)/2
    np.testing.assert_allclose(with_noise.params_.iloc[:4], plain.params_, rtol=0.1)
    assert list(with_noise.params_.index[4:]) == ["purchase[x0]", "a[x0]", "b[x0]"]


def test_params_by_name_round_trip(model):
    again = tc.BetaGeoCovariates.from_params(model.params_.iloc[::-1])
    pd.testing.assert_series_equal(again.params_, model.params_)
    assert again.covariate_names_ == ["segment"]


def test_bad_input_is_named(customers, model):
    cols = (customers["frequency"], customers["recency"], customers["T"])
    with pytest.raises(ValueError, match="covariate column 'segment' is constant"):
        tc.BetaGeoCovariates().fit(*cols, covariates=customers[["segment"]] * 0)
    with pytest.raises(ValueError, match="one row per customer"):
        tc.BetaGeoCovariates().fit(*cols, covariates=customers["segment"].iloc[:10])
    with pytest.raises(ValueError, match="must be finite"):
        tc.BetaGeoCovariates().fit(*cols, covariates=customers["segment"].replace(1.0, np.nan))
    with pytest.raises(ValueError, match="fitted columns"):
        model.p_alive(*cols, pd.DataFrame({"size": np.ones(len(customers))}))
    with pytest.raises(ValueError, match="every frequency is 0"):
        tc.BetaGeoCovariates().fit([0, 0, 0], [0, 0, 0], [5, 6, 7], covariates=[0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="penalizer must be 0 for a model with covariates"):
        tc.BetaGeoCovariates(penalizer=0.1).fit(*cols, covariates=customers[["segment"]])
    with pytest.raises(ValueError, match="parameter a must be finite and > 0"):
        tc.BetaGeoCovariates.from_params({**TRUTH, "a": -1.0})


PARETO_TRUTH = {"r": 0.55, "alpha": 10.0, "s": 0.6, "beta": 12.0, "purchase[size]": 0.5, "dropout[size]": -0.6}


def simulate_pareto(n, rng, truth, z):
    """Pareto/NBD story with alpha_i, beta_i moved by z: Poisson(lambda) purchases until an
    exponential(mu) lifetime, lambda ~ Gamma(r, alpha_i), mu ~ Gamma(s, beta_i)."""
    T = rng.integers(7, 39 * 7 + 1, n) / 7.0
    alpha = truth["alpha"] * np.exp(-truth["purchase[size]"] * z)
    beta = truth["beta"] * np.exp(-truth["dropout[size]"] * z)
    lam, mu = rng.gamma(truth["r"], 1 / alpha), rng.gamma(truth["s"], 1 / beta)
    observed = np.minimum(rng.exponential(1 / mu), T)
    x = rng.poisson(lam * observed).astype(float)
    t_x = np.where(x > 0, observed * rng.random(n) ** (1 / np.maximum(x, 1)), 0.0)  # last of x uniform times
    return pd.DataFrame({"frequency": x, "recency": t_x, "T": T, "size": z})


def test_pareto_recovers_known_effects_within_standard_errors():
    rng = np.random.default_rng(21)
    data = simulate_pareto(6000, rng, PARETO_TRUTH, rng.normal(size=6000))
    model = tc.ParetoNBDCovariates().fit(data["frequency"], data["recency"], data["T"], covariates=data[["size"]])
    assert list(model.params_.index) == list(PARETO_TRUTH)
    z = (model.params_ - pd.Series(PARETO_TRUTH)) / model.standard_errors_
    assert (z.abs() < 3).all(), z
    # Predictions are Pareto/NBD's with each customer's own alpha_i, beta_i.
    p = model.params_
    row = data.iloc[:3]
    for i in range(3):
        own = tc.ParetoNBD.from_params(r=p["r"], alpha=p["alpha"] * np.exp(-p["purchase[size]"] * row["size"].iloc[i]),
                                       s=p["s"], beta=p["beta"] * np.exp(-p["dropout[size]"] * row["size"].iloc[i]))
        args = (row["frequency"].iloc[i], row["recency"].iloc[i], row["T"].iloc[i])
        got = model.p_alive(*([v] for v in args), row[["size"]].iloc[[i]])
        assert float(np.asarray(got)[0]) == pytest.approx(own.p_alive(*args), rel=1e-13)
        got = model.expected_purchases(26.0, *([v] for v in args), row[["size"]].iloc[[i]])
        assert float(np.asarray(got)[0]) == pytest.approx(own.expected_purchases(26.0, *args), rel=1e-12)


def test_direct_core_calls_check_params():
    one = np.ones(1)
    with pytest.raises(ValueError, match="params must be finite and > 0"):
        _core.bgnbd_covariates.p_alive(np.array([-1.0, 1, 1, 1, 0, 0, 0]), np.zeros((1, 1)), one, one, 2 * one)
    with pytest.raises(ValueError, match=r"params must have 6 values \(the model's and 2 coefficients per covariate\), got 7"):
        _core.pareto_nbd_covariates.p_alive(np.array([1.0, 1, 1, 1, 0, 0, 0]), np.zeros((1, 1)), one, one, 2 * one)
    with pytest.raises(ValueError, match="covariates must be a 2-D array with 1 rows"):
        _core.bgnbd_covariates.expected_purchases(np.array([1.0, 1, 1, 1, 0, 0, 0]), np.zeros(3), one, one, one, 2 * one)
