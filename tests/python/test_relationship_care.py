"""Silence watchlist, health decay and Markov customer value: closed forms checked against
independent numerical solutions (scipy ODE integration, numpy matrix sums) and properties."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import trustcost as tc
from trustcost.datasets import load_cdnow_summary


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


def test_watchlist_ranks_silent_valuable_customers(cdnow):
    model = tc.BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    spend = tc.GammaGamma().fit(cdnow["frequency"], cdnow["monetary_value"])
    watch = tc.silence_watchlist(cdnow, model, spend, horizon=13, unit="weeks")
    assert watch["value_at_risk"].is_monotonic_decreasing
    assert (watch["silence_in_gaps"] >= 1).all() and (watch["p_alive"] >= 0.01).all()
    row = watch.iloc[0]
    customer = cdnow.loc[watch.index[0]]
    assert row["silence"] == pytest.approx(customer["T"] - customer["recency"])
    assert row["typical_gap"] == pytest.approx(customer["recency"] / customer["frequency"])
    assert row["p_alive"] == pytest.approx(model.p_alive(customer["frequency"], customer["recency"], customer["T"]))
    expected_spend = spend.expected_average_value(customer["frequency"], customer["monetary_value"])
    assert row["value_at_risk"] == pytest.approx((1 - row["p_alive"]) * row["expected_purchases"] / row["p_alive"] * expected_spend)
    assert row["reason"].startswith(f"silent {row['silence']:.1f} weeks")
    excluded = watch.attrs["excluded"]
    assert sum(excluded.values()) + len(watch) == len(cdnow)
    assert excluded["one-time buyers (no rhythm yet)"] == 1411
    assert len(tc.silence_watchlist(cdnow, model, top=10)) == 10


def test_health_path_matches_ode_integration():
    decay, effect, h0 = 0.1, 0.05, 0.8
    starts, efforts = np.array([0.0, 10.0, 20.0]), np.array([0.0, 2.0, 1.0])
    times = np.linspace(0, 30, 13)

    def rhs(t, h):
        u = efforts[np.searchsorted(starts, t, side="right") - 1]
        return -decay * h + effect * u * (1 - h)

    reference = solve_ivp(rhs, (0, 30), [h0], t_eval=times, rtol=1e-11, atol=1e-13, max_step=0.01).y[0]
    np.testing.assert_allclose(tc.health_path(h0, decay, effect, starts, efforts, times), reference, rtol=1e-8)


def test_maintenance_effort_holds_the_threshold():
    decay, effect, threshold = 0.1, 0.05, 0.7
    u = tc.maintenance_effort(threshold, decay, effect)
    assert u == pytest.approx(decay * threshold / (effect * (1 - threshold)))
    held = tc.health_path(threshold, decay, effect, [0.0], [u], [0.0, 5.0, 50.0])
    np.testing.assert_allclose(held, threshold, rtol=1e-12)
    # Silent account: h0 e^{-delta t} reaches the threshold at log(h0/theta)/delta.
    assert tc.time_to_threshold(0.9, threshold, decay, effect) == pytest.approx(np.log(0.9 / threshold) / decay)
    assert tc.time_to_threshold(0.9, threshold, decay, effect, effort=2 * u) == np.inf
    # Cost: effort * unit cost * integral of e^{-rho t} over the horizon.
    assert tc.maintenance_cost(threshold, decay, effect, 100.0, 12.0, 0.05) == pytest.approx(u * 100 * (1 - np.exp(-0.6)) / 0.05)
    assert tc.maintenance_cost(threshold, decay, effect, 100.0, 12.0) == pytest.approx(u * 100 * 12)


def test_health_rejects_bad_input():
    with pytest.raises(ValueError, match="decay_rate must be > 0"):
        tc.health_path(0.5, 0.0, 0.1, [0.0], [1.0], [1.0])
    with pytest.raises(ValueError, match="starts must begin at 0"):
        tc.health_path(0.5, 0.1, 0.1, [1.0], [1.0], [1.0])
    with pytest.raises(ValueError, match="initial_health must be in \\[0, 1\\]"):
        tc.health_path(1.5, 0.1, 0.1, [0.0], [1.0], [1.0])


def test_markov_value_matches_matrix_sums():
    # Pfeifer & Carraway (2000) Example 1 structure: five recency states, margin 40 and mailing cost 4.
    p = np.array([0.30, 0.20, 0.15, 0.05, 0.0])
    reward = np.array([36.0, -4.0, -4.0, -4.0, 0.0])
    d = 0.01
    P = tc.recency_transition_matrix(p)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert P[0, 0] == 0.30 and P[0, 1] == 0.70 and P[4, 4] == 1.0
    infinite = tc.markov_customer_value(p, reward, d)
    np.testing.assert_allclose(infinite, np.linalg.solve(np.eye(5) - P / (1 + d), reward), rtol=1e-12)
    finite = tc.markov_customer_value(p, reward, d, horizon=3)
    powers = sum(np.linalg.matrix_power(P / (1 + d), t) @ reward for t in range(4))
    np.testing.assert_allclose(finite, powers, rtol=1e-12)
    np.testing.assert_allclose(tc.markov_customer_value(p, reward, d, horizon=5000), infinite, rtol=1e-10)
    assert list(infinite.index) == [1, 2, 3, 4, 5]


def test_markov_rejects_bad_input():
    with pytest.raises(ValueError, match="repurchase_probabilities must be in \\[0, 1\\], got 1.5"):
        tc.markov_customer_value([0.3, 1.5], [1.0, 0.0], 0.1)
    with pytest.raises(ValueError, match="reward must have one value per state \\(2\\), got 3"):
        tc.markov_customer_value([0.3, 0.0], [1.0, 0.0, 2.0], 0.1)
    with pytest.raises(ValueError, match="discount_rate must be > 0 for an infinite horizon"):
        tc.markov_customer_value([0.3, 0.0], [1.0, 0.0], 0.0)


# ----------------------------------------------------------------------------- issue 18: bad input

@pytest.mark.parametrize("kwargs, error, match", [
    (dict(threshold=1.0), ValueError, "threshold must be < 1: no finite effort"),
    (dict(effect=0.0), ValueError, "effect must be > 0 to hold a threshold above 0"),
    (dict(decay_rate=1e308, effect=1e-10), OverflowError, "overflows double precision for this decay_rate"),
    (dict(threshold=True), TypeError, "threshold must be a real number"),
    (dict(decay_rate="3"), TypeError, "decay_rate must be a real number"),
    (dict(effect=np.zeros((2, 2, 2))), ValueError, "effect must be 1-D"),
    (dict(effect=np.ma.masked_array([1.0, 2.0], mask=[False, True])), TypeError, "effect is a masked array"),
])
def test_maintenance_effort_refuses_what_has_no_finite_answer(kwargs, error, match):
    # Returned inf (no finite effort exists) or took strings and booleans as numbers.
    with pytest.raises(error, match=match):
        tc.maintenance_effort(**dict(dict(threshold=0.6, decay_rate=0.1, effect=0.5), **kwargs))


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(cost_per_unit_effort=None), TypeError, "cost_per_unit_effort must be a real number"),
    (dict(cost_per_unit_effort=float("nan")), ValueError, "cost_per_unit_effort must be finite"),
    (dict(horizon=float("inf")), ValueError, "horizon must be finite"),
    (dict(horizon=-1.0), ValueError, "horizon must be >= 0"),
    (dict(discount_rate=-1e308), OverflowError, "maintenance cost overflows"),
    (dict(cost_per_unit_effort=1e308), OverflowError, "maintenance cost overflows"),
    (dict(discount_rate=b"3"), TypeError, "discount_rate must be a real number"),
])
def test_maintenance_cost_names_the_bad_argument(kwargs, error, match):
    # Returned NaN for None/NaN and inf on overflow; '3' and b'3' were read as 3.
    base = dict(threshold=0.6, decay_rate=0.1, effect=0.5, cost_per_unit_effort=100.0, horizon=10.0,
                discount_rate=0.05)
    with pytest.raises(error, match=match):
        tc.maintenance_cost(**dict(base, **kwargs))


def test_health_functions_broadcast_arrays_as_before():
    # Arrays stay accepted: each element equals the scalar call.
    thresholds = np.array([0.3, 0.6])
    np.testing.assert_allclose(tc.maintenance_effort(thresholds, 0.1, 0.5),
                               [tc.maintenance_effort(0.3, 0.1, 0.5), tc.maintenance_effort(0.6, 0.1, 0.5)])


def test_time_to_threshold_keeps_never_as_inf_and_refuses_overflow():
    # inf is "never" (health settles at h* = 0.75/0.85 above 0.6); a reachable time beyond double is an error.
    assert tc.time_to_threshold(1.0, 0.6, 0.1, 0.5, effort=1.5) == np.inf
    with pytest.raises(OverflowError, match="time to threshold overflows"):
        tc.time_to_threshold(1.0, 0.6, 5e-324, 0.5)


def test_health_path_names_effort_starts_and_efforts():
    with pytest.raises(ValueError, match="effort_starts must be finite"):
        tc.health_path(1.0, 0.1, 0.5, [0.0, np.nan], [0.2, 0.3], [0.0, 1.0])
    with pytest.raises(ValueError, match="efforts must be finite"):
        tc.health_path(1.0, 0.1, 0.5, [0.0, 3.0], [0.2, np.nan], [0.0, 1.0])


@pytest.mark.parametrize("horizon, error, match", [
    (2**64, ValueError, "horizon must be <= 18446744073709551615"),  # was pybind11's signature dump
    (10**30, ValueError, "horizon must be <= "),
    (-1, ValueError, "horizon must be >= 0"),
    (2.5, TypeError, "horizon must be a whole number of periods or None"),
    (True, TypeError, "horizon must be a whole number of periods or None"),
])
def test_markov_horizon_is_checked_by_name(horizon, error, match):
    with pytest.raises(error, match=match):
        tc.markov_customer_value([0.5, 0.3, 0.1], [10.0, -1.0, 0.0], 0.05, horizon=horizon)


def test_markov_horizon_of_the_largest_size_equals_the_infinite_sum():
    # The engine doubles terms (O(log T)): the largest horizon it counts is usable and converges to eq. 6.
    p, reward = [0.5, 0.3, 0.1], [10.0, -1.0, 0.0]
    np.testing.assert_allclose(tc.markov_customer_value(p, reward, 0.05, horizon=2**64 - 1),
                               tc.markov_customer_value(p, reward, 0.05), rtol=1e-10)
