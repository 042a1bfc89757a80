"""Distributions: moments, quantiles and CDFs against scipy.stats; sampling; reproducibility; bad input.

Sampling tests use a fixed seed and tolerances of 5 standard errors, so they are deterministic
and test the sampler rather than luck.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import trustcost as tc

N = 200_000


def scipy_twin(dist):
    """The same distribution built independently with scipy.stats."""
    name = type(dist).__name__
    if name == "Uniform":
        return stats.uniform(dist.low, dist.high - dist.low)
    if name == "Triangular":
        return stats.triang((dist.mode - dist.low) / (dist.high - dist.low), dist.low, dist.high - dist.low)
    if name == "PERT":
        span = dist.high - dist.low
        a = 1 + dist.lambda_ * (dist.mode - dist.low) / span
        b = 1 + dist.lambda_ * (dist.high - dist.mode) / span
        return stats.beta(a, b, dist.low, span)
    if name == "Normal":
        lo = -np.inf if dist.lower is None else (dist.lower - dist.mu) / dist.sd
        hi = np.inf if dist.upper is None else (dist.upper - dist.mu) / dist.sd
        return stats.truncnorm(lo, hi, dist.mu, dist.sd)
    if name == "LogNormal":
        args = dist._arguments()
        if "median" in args:
            sigma = np.log(args["p90"] / args["median"]) / stats.norm.ppf(0.9)
            return stats.lognorm(sigma, scale=args["median"])
        sigma2 = np.log1p((args["sd"] / args["mean"]) ** 2)
        return stats.lognorm(np.sqrt(sigma2), scale=args["mean"] * np.exp(-sigma2 / 2))
    if name == "Gamma":
        return stats.gamma(dist.shape, scale=dist.scale)
    if name == "Beta":
        return stats.beta(dist.alpha, dist.beta, dist.low, dist.high - dist.low)
    if name == "Weibull":
        return stats.weibull_min(dist.shape, scale=dist.scale)
    raise AssertionError(name)


CONTINUOUS = [
    tc.Uniform(2, 5),
    tc.Triangular(1, 2, 6),
    tc.PERT(10, 12, 20),
    tc.PERT(10, 12, 20, lambda_=8),
    tc.Normal(100, 15),
    tc.Normal(10, 4, lower=0),
    tc.Normal(0, 1, lower=3, upper=4),  # far in the tail: exercises the complement branch
    tc.LogNormal(1000, 400),
    tc.LogNormal(median=5000, p90=12000),
    tc.Gamma(2.5, 40),
    tc.Beta(2, 6),
    tc.Beta(0.5, 0.5, low=-1, high=3),
    tc.Weibull(1.8, 6.0),
    tc.Weibull(0.7, 2.0),
]


@pytest.mark.parametrize("dist", CONTINUOUS, ids=repr)
def test_moments_quantiles_and_cdf_match_scipy(dist):
    twin = scipy_twin(dist)
    assert dist.mean == pytest.approx(twin.mean(), rel=1e-9, abs=1e-12)
    assert dist.std == pytest.approx(twin.std(), rel=1e-8)
    q = np.array([0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999])
    np.testing.assert_allclose(dist.quantile(q), twin.ppf(q), rtol=1e-8)
    x = twin.ppf(q)
    np.testing.assert_allclose(dist.cdf(x), q, rtol=1e-8)


@pytest.mark.parametrize("dist", CONTINUOUS + [tc.Empirical([4.0, 1.0, 2.0, 2.0, 9.0])], ids=repr)
def test_sampled_mean_and_quantiles_are_within_standard_errors(dist):
    draws = dist.sample(N, seed=42)
    standard_error = dist.std / np.sqrt(N)
    assert abs(draws.mean() - dist.mean) < 5 * standard_error
    # The empirical CDF at true quantiles: binomial standard error sqrt(p (1 - p) / N).
    for p in (0.1, 0.5, 0.9):
        share = np.mean(draws <= dist.quantile(p))
        assert abs(share - p) < 5 * np.sqrt(p * (1 - p) / N) + (0.2 if isinstance(dist, tc.Empirical) else 0)


def test_empirical_resamples_the_observations_with_equal_weight():
    dist = tc.Empirical([4.0, 1.0, 2.0, 2.0, 9.0])
    draws = dist.sample(N, seed=3)
    assert set(np.unique(draws)) == {1.0, 2.0, 4.0, 9.0}
    assert np.mean(draws == 2.0) == pytest.approx(0.4, abs=5 * np.sqrt(0.24 / N))
    assert dist.quantile(0.5) == 2.0 and dist.cdf(2.0) == pytest.approx(0.6)


def test_fixed_is_a_point_mass():
    dist = tc.Fixed(7.5)
    assert dist.mean == 7.5 and dist.std == 0
    assert np.all(dist.sample(10) == 7.5)


def test_same_seed_same_draws_whatever_the_thread_count():
    dist = tc.Gamma(2, 3)
    before = tc.get_num_threads()
    try:
        tc.set_num_threads(1)
        one = dist.sample(50_001, seed=9)
        tc.set_num_threads(2)
        two = dist.sample(50_001, seed=9)
    finally:
        tc.set_num_threads(before)
    assert np.array_equal(one, two)
    assert not np.array_equal(one, dist.sample(50_001, seed=10))


def test_same_stream_gives_comonotone_draws():
    a = tc.Normal(0, 1).sample(1000, seed=1, stream="repair cost")
    b = tc.LogNormal(100, 20).sample(1000, seed=1, stream="repair cost")
    c = tc.LogNormal(100, 20).sample(1000, seed=1, stream="energy price")
    assert np.array_equal(np.argsort(a), np.argsort(b))
    assert abs(np.corrcoef(a, c)[0, 1]) < 5 / np.sqrt(1000)


def test_uniform_stream_passes_simple_independence_checks():
    u = tc.Uniform(0, 1).sample(N, seed=123)
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5 / np.sqrt(N)
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    chi2 = ((counts - N / 20) ** 2 / (N / 20)).sum()
    assert chi2 < stats.chi2.ppf(0.9999, 19)


def test_round_trip_through_dict():
    for dist in CONTINUOUS + [tc.Fixed(3), tc.Empirical([1, 2])]:
        assert tc.stats.as_distribution(dist.to_dict()) == dist
    assert tc.stats.as_distribution(5) == tc.Fixed(5)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: tc.Normal(0, 0), "sd must be > 0, got 0"),
        (lambda: tc.Normal(0, -1), "sd must be > 0, got -1"),
        (lambda: tc.Normal(0, 1, lower=2, upper=1), "lower must be < upper"),
        (lambda: tc.Normal(0, 1, lower=60), "holds no probability"),
        (lambda: tc.Triangular(1, 0.5, 2), r"mode must be in \[low, high\]"),
        (lambda: tc.Triangular(3, 3, 2), "low must be < high"),
        (lambda: tc.PERT(1, 5, 4), r"mode must be in \[low, high\]"),
        (lambda: tc.PERT(1, 2, 4, lambda_=0), "lambda must be > 0"),
        (lambda: tc.Uniform(2, 1), "low must be < high"),
        (lambda: tc.LogNormal(median=100, p90=80), "p90 must be > median, got p90=80"),
        (lambda: tc.LogNormal(mean=-1, sd=2), "mean must be > 0"),
        (lambda: tc.LogNormal(mean=1), "either mean and sd, or median and p90"),
        (lambda: tc.Gamma(0, 1), "shape must be > 0, got 0"),
        (lambda: tc.Beta(1, -2), "beta must be > 0, got -2"),
        (lambda: tc.Weibull(-1, 2), "shape must be > 0, got -1"),
        (lambda: tc.Weibull(1, np.nan), "scale must be finite"),
        (lambda: tc.Empirical([]), "samples must not be empty"),
        (lambda: tc.Empirical([1, np.inf]), r"samples\[1\] must be finite"),
        (lambda: tc.Uniform(0, 1).sample(0), "size must be > 0, got 0"),
        (lambda: tc.Uniform(0, 1).quantile(1.5), r"probability must be in \[0, 1\], got 1.5"),
        (lambda: tc.stats.as_distribution({"distribution": "Cauchy"}), "distribution must be one of"),
        (lambda: tc.stats.as_distribution({"distribution": "Normal", "mean": 1}), "Normal"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError, match="sd must be a real number"):
        tc.Normal(0, "1")
    with pytest.raises(TypeError, match="seed must be an integer"):
        tc.Uniform(0, 1).sample(5, seed=1.5)
    with pytest.raises(TypeError, match="value must be a number or a Distribution"):
        tc.stats.as_distribution("12")
