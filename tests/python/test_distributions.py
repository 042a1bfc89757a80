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
        (lambda: tc.Uniform(0, 1).quantile(1.5), r"q must be in \[0, 1\], got 1.5"),
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


# ----------------------------------------------------------------------------- extreme parameters (issue 11)

@pytest.mark.parametrize("lower, upper", [(8.0, None), (12.0, None), (20.0, None), (8.0, 9.0), (None, -8.0),
                                          (3.0, 3.5), (-1.0, 2.0), (0.5, 0.51)])
def test_truncated_normal_moments_in_the_tails_match_scipy(lower, upper):
    # Issue 11: Normal(0, 1, lower=8).mean was 7.584 (1 - Phi(8) lost to cancellation).
    dist = tc.Normal(0.0, 1.0, lower=lower, upper=upper)
    twin = stats.truncnorm(-np.inf if lower is None else lower, np.inf if upper is None else upper)
    assert dist.mean == pytest.approx(twin.mean(), rel=1e-12)
    assert dist.std**2 == pytest.approx(twin.var(), rel=1e-7)  # scipy's own variance is good to ~1e-10 here


def test_truncated_normal_far_tail_follows_the_mills_ratio_expansion():
    # E[Z | Z > a] = 1 / R(a), R(a) ~ (1/a)(1 - 1/a^2 + 3/a^4 - 15/a^6 + 105/a^8) (Abramowitz & Stegun
    # 26.2.12), good to ~1e-13 at a = 30, where scipy's ratio of tails underflows.
    a = 30.0
    mills = (1 - a**-2 + 3 * a**-4 - 15 * a**-6 + 105 * a**-8 - 945 * a**-10) / a
    dist = tc.Normal(5.0, 2.0, lower=5.0 + 2.0 * a)
    assert dist.mean == pytest.approx(5.0 + 2.0 / mills, rel=1e-13)
    assert dist.std**2 == pytest.approx(4.0 * (1 + a / mills - mills**-2), rel=1e-6)
    draws = dist.sample(20_000, seed=3)
    assert np.all(draws >= 65.0) and abs(draws.mean() - dist.mean) < 5 * dist.std / np.sqrt(len(draws))


def test_evaluate_uses_the_tail_correct_mean():
    study = tc.Study([tc.Offer("a", [tc.OneTime("repair", tc.Normal(0.0, 1.0, lower=8.0))])], horizon=1,
                     discount_rate=0.0)
    assert study.evaluate().present_value["a"] == pytest.approx(stats.truncnorm(8, np.inf).mean(), rel=1e-12)


def test_a_normal_truncated_far_in_its_tail_is_accepted_and_samples_inside():
    dist = tc.Normal(0.0, 1.0, lower=9.0)  # 1 - Phi(9) rounds to 0 in double: the tail's own mass is 1e-19
    draws = dist.sample(10_000, seed=1)
    assert np.isfinite(draws).all() and draws.min() >= 9.0
    assert dist.cdf(9.5) == pytest.approx(stats.truncnorm(9, np.inf).cdf(9.5), rel=1e-9)


@pytest.mark.parametrize("alpha, beta", [(1e-3, 1e-3), (1e-5, 2.0), (2.0, 1e-4), (0.01, 0.01), (1e-3, 50.0)])
def test_beta_with_tiny_shapes_draws_finite_values_inside_its_support(alpha, beta):
    # Issue 11: Beta(1e-3, 1e-3) gave NaN draws (both gamma draws underflowed to 0, 0 / 0).
    draws = tc.Beta(alpha, beta, low=2.0, high=5.0).sample(50_000, seed=4)
    assert np.isfinite(draws).all() and draws.min() >= 2.0 and draws.max() <= 5.0
    mean = 2.0 + 3.0 * alpha / (alpha + beta)
    sd = 3.0 * np.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    assert abs(draws.mean() - mean) < 5 * sd / np.sqrt(len(draws))


@pytest.mark.parametrize("make, what", [
    (lambda: tc.Weibull(1e-3, 1.0), "the mean is inf"),
    (lambda: tc.Uniform(-1e308, 1e308), "the variance is inf"),
    (lambda: tc.Gamma(1.0, 1e307), "the variance is inf"),
    (lambda: tc.Gamma(1e300, 1e10), "the mean is inf"),
    (lambda: tc.LogNormal(median=1e300, p90=1e305), "the mean is inf"),
    (lambda: tc.Normal(0.0, 1e308), "the variance is inf"),
])
def test_parameters_beyond_double_precision_are_refused(make, what):
    with pytest.raises(ValueError, match=f"{what}, beyond double precision"):
        make()


@pytest.mark.parametrize("make", [lambda: tc.PERT(1.0, 1.5, 2.0, lambda_=1e20), lambda: tc.Beta(1e20, 1e20)])
def test_beta_shapes_beyond_1e15_are_refused_at_once_not_inverted_for_minutes(make):
    # Issue 18 sweep: PERT(lambda_=1e308) hung in Boost's beta inversion (0.1 s at 1e15, > 10 s at 1e20).
    with pytest.raises(ValueError, match=r"beta shapes .* exceed 1000000000000000, where the distribution is a point mass"):
        make()
    assert tc.PERT(1.0, 1.5, 2.0, lambda_=1e15).quantile(0.3) == pytest.approx(1.5, abs=1e-6)
