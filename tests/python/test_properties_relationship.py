"""Properties of the relationship family (hypothesis): probabilities in [0, 1], monotone in the
directions the models imply, expectations increasing in the horizon, P(n) a distribution whose
mean is the conditional expectation, summaries consistent with their logs, bad input refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import trustcost.relationship as rel

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

positive = st.floats(min_value=0.05, max_value=20.0, allow_nan=False)
models = st.sampled_from([rel.BetaGeo, rel.ParetoNBD])


@st.composite
def model_and_history(draw):
    cls = draw(models)
    names = cls._param_names
    model = cls.from_params({n: draw(positive) for n in names})
    T = draw(st.floats(min_value=0.5, max_value=200.0))
    x = float(draw(st.integers(min_value=0, max_value=60)))
    t_x = 0.0 if x == 0 else draw(st.floats(min_value=0.0, max_value=T))
    return model, x, t_x, T


@SETTINGS
@given(model_and_history())
def test_p_alive_is_a_probability(case):
    model, x, t_x, T = case
    alive = model.p_alive(x, t_x, T)
    assert 0.0 <= alive <= 1.0


def _pareto_p_alive_mpmath(r, alpha, s, beta, x, t_x, T):
    """P(alive) of the Pareto/NBD (Fader & Hardie 2005 note, eqs. 18-19, A0 by 2F1) by mpmath at
    50 digits: its own hypergeometric function and transformations, an independent computation
    of what the engine sums as a series of positive terms (or, near z = 1, by A&S 15.3.6)."""
    import mpmath as mp

    with mp.workdps(50):
        r, alpha, s, beta, x, t_x, T = (mp.mpf(float(v)) for v in (r, alpha, s, beta, x, t_x, T))
        c = r + s + x
        m, b = (alpha, s + 1) if alpha >= beta else (beta, r + x)

        def term(y):
            return mp.hyp2f1(c, b, c + 1, abs(alpha - beta) / (m + y), maxterms=10**6) / (m + y) ** c

        return float(1 / (1 + s / c * (alpha + T) ** (r + x) * (beta + T) ** s * (term(t_x) - term(T))))


@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 5.0), st.floats(0.05, 1e6), st.floats(0.05, 2e3), st.floats(0.05, 1e7),
       st.integers(0, 30), st.floats(1.0, 100.0), st.floats(0.0, 1.0))
def test_pareto_nbd_p_alive_matches_mpmath_out_to_long_lifetimes(r, alpha, s, beta, x, T, share):
    # Scales up to 1e6-1e7 put |beta - alpha| / (max(alpha, beta) + t_x) next to 1, where the
    # engine takes the connection formula in 1 - z instead of a series of a million terms.
    t_x = 0.0 if x == 0 else share * T
    model = rel.ParetoNBD.from_params(r=r, alpha=alpha, s=s, beta=beta)
    expected = _pareto_p_alive_mpmath(r, alpha, s, beta, x, t_x, T)
    assert model.p_alive(float(x), t_x, T) == pytest.approx(expected, rel=1e-9, abs=0)


@SETTINGS
@given(model_and_history(), st.floats(min_value=0.0, max_value=1.0))
def test_p_alive_rises_with_recency(case, share):
    # A later last purchase (same frequency and T) is better news: FHL (2005) figure 1.
    model, x, t_x, T = case
    assume(x > 0)
    later = t_x + share * (T - t_x)
    assert model.p_alive(x, later, T) >= model.p_alive(x, t_x, T) - 1e-12


@SETTINGS
@given(model_and_history(), st.floats(min_value=0.0, max_value=100.0), st.floats(min_value=0.0, max_value=100.0))
def test_expected_purchases_increase_with_the_horizon(case, t1, dt):
    model, x, t_x, T = case
    short, long = model.expected_purchases(np.array([t1, t1 + dt]), x, t_x, T)
    assert 0.0 <= short <= long * (1 + 1e-12) + 1e-300
    assert model.expected_purchases(0.0, x, t_x, T) == 0.0


@SETTINGS
@given(models, st.lists(st.floats(min_value=0.0, max_value=300.0), min_size=2, max_size=6), st.data())
def test_population_expectation_increases_from_zero(cls, times, data):
    model = cls.from_params({n: data.draw(positive) for n in cls._param_names})
    values = model.expected_purchases_population(np.sort(times))
    assert (np.diff(values) >= -1e-12 * np.abs(values[1:])).all()
    assert model.expected_purchases_population(0.0) == 0.0


@SETTINGS
@given(model_and_history(), st.floats(min_value=0.1, max_value=30.0))
def test_conditional_p_n_is_a_distribution_with_the_conditional_mean(case, t):
    model, x, t_x, T = case
    expected = model.expected_purchases(t, x, t_x, T)
    assume(expected < 20)  # the tail beyond n = 3000 is then negligible
    counts = np.arange(3000.0)
    p = model.conditional_probability_of_n_purchases(counts, t, x, t_x, T)
    assert (p >= 0).all() and (p <= 1 + 1e-12).all()
    assert p.sum() == pytest.approx(1.0, abs=1e-6)
    assert (p * counts).sum() == pytest.approx(expected, rel=1e-5, abs=1e-9)


@SETTINGS
@given(st.floats(min_value=0.5, max_value=20), st.floats(min_value=1.01, max_value=20),
       st.floats(min_value=0.1, max_value=100), st.integers(min_value=1, max_value=50),
       st.floats(min_value=0.01, max_value=1e4))
def test_gamma_gamma_mean_is_between_population_and_own_mean(p, q, v, x, m):
    # FHL (2005) eq. 5: a weighted mean of the population mean p v / (q - 1) and the customer's m.
    model = rel.GammaGamma.from_params(p=p, q=q, v=v)
    mean = model.expected_average_value(x, m)
    low, high = sorted((p * v / (q - 1), m))
    assert low * (1 - 1e-12) <= mean <= high * (1 + 1e-12)


@st.composite
def transaction_logs(draw):
    n = draw(st.integers(min_value=1, max_value=40))
    ids = draw(st.lists(st.integers(min_value=0, max_value=6), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(min_value=0, max_value=90), min_size=n, max_size=n))
    values = draw(st.lists(st.floats(min_value=0.0, max_value=500.0), min_size=n, max_size=n))
    return pd.DataFrame({"id": ids, "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"), "value": values})


@SETTINGS
@given(transaction_logs(), st.sampled_from(["D", "W", "h"]))
def test_rfm_summary_is_a_valid_summary_of_its_log(log, freq):
    summary = rel.rfm_summary(log, "id", "date", "value", freq=freq)
    assert sorted(summary.index) == sorted(log["id"].unique())
    assert (summary["recency"] <= summary["T"]).all()
    assert ((summary["frequency"] > 0) | (summary["recency"] == 0)).all()
    assert ((summary["frequency"] > 0) | (summary["monetary_value"] == 0)).all()
    days = log.groupby("id")["date"].nunique()
    assert (summary["frequency"] <= days.loc[summary.index] - 1).all()
    first = rel.rfm_summary(log, "id", "date", "value", freq=freq, include_first_transaction=True)
    assert (first["frequency"] == summary["frequency"] + 1).all()


@SETTINGS
@given(transaction_logs(), st.integers(min_value=1, max_value=80))
def test_calibration_and_holdout_split_the_log(log, split_day):
    end = log["date"].max()
    cut = pd.Timestamp("2024-01-01") + pd.Timedelta(days=split_day)
    assume(log["date"].min() <= cut < end)
    table = rel.calibration_and_holdout_data(log, "id", "date", cut, end)
    whole = rel.rfm_summary(log, "id", "date", observation_period_end=end)
    # Every distinct purchase day after the first is a repeat in one of the two periods.
    joined = whole.loc[table.index, "frequency"]
    assert (table["frequency_cal"] + table["frequency_holdout"] == joined).all()
    assert (table["duration_holdout"] == (end - cut).days).all()


@SETTINGS
@given(st.lists(st.integers(min_value=-10**6, max_value=10**6), min_size=1, max_size=5))
def test_numbers_are_never_taken_for_dates(days):
    log = pd.DataFrame({"id": range(len(days)), "day": days})
    with pytest.raises(ValueError, match="holds numbers, not dates"):
        rel.rfm_summary(log, "id", "day")


@SETTINGS
@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=6), st.data())
def test_markov_value_is_monotone_in_the_horizon_for_positive_rewards(p, data):
    reward = data.draw(st.lists(st.floats(min_value=0.0, max_value=100.0), min_size=len(p), max_size=len(p)))
    horizons = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=10**9), min_size=2, max_size=3)))
    values = [rel.markov_customer_value(p, reward, 0.05, horizon=h).to_numpy() for h in horizons]
    for short, long in zip(values, values[1:]):
        assert (long >= short * (1 - 1e-12) - 1e-9).all()
    if horizons[-1] > 10**4:  # 1.05^-10^4 is nothing: the infinite-horizon value (P&C 2000 eq. 6)
        np.testing.assert_allclose(values[-1], rel.markov_customer_value(p, reward, 0.05), rtol=1e-9, atol=1e-9)
