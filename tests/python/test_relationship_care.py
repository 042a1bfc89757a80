"""Silence watchlist, health decay and Markov customer value: closed forms checked against
independent numerical solutions (scipy ODE integration, numpy matrix sums) and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
