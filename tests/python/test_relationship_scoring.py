"""Scoring a customer base in C++ (relationship/scoring.hpp): P(alive), conditional expected
purchases and CLV on distinct rows, threads, the row check at the engine, the Gamma-Gamma fit from
precomputed sums, and the issue-18 reproducers of the scoring and care functions."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from scipy import special

import trustcost as tc
from trustcost import _core
from trustcost.datasets import load_cdnow_summary

BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # FHL (2005), CDNOW
PARETO = {"r": 0.553, "alpha": 10.58, "s": 0.606, "beta": 11.67}  # FH (2005) note, CDNOW
SPEND = {"p": 6.25, "q": 3.74, "v": 15.44}  # FHL (2005) "RFM and CLV", CDNOW


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def weekly():
    """20,000 customers observed in whole weeks: many share (frequency, recency, T)."""
    rng = np.random.default_rng(17)
    n = 20_000
    T = rng.integers(1, 40, n).astype(float)
    x = np.minimum(rng.poisson(rng.gamma(0.5, 2.0, n)), 60).astype(float)
    t_x = np.where(x > 0, np.floor(rng.random(n) * (T + 1)), 0.0)
    m = np.where(x > 0, rng.gamma(3.0, 10.0, n), 0.0)
    return pd.DataFrame({"frequency": x, "recency": t_x, "T": T, "monetary_value": m})


def _models():
    return [tc.BetaGeo.from_params(**BGNBD), tc.ModifiedBetaGeo.from_params(**BGNBD), tc.ParetoNBD.from_params(**PARETO)]


@pytest.mark.parametrize("model", _models(), ids=["bgnbd", "mbgnbd", "pareto"])
def test_scores_are_bit_identical_for_any_thread_count(model, weekly):
    spend = tc.GammaGamma.from_params(**SPEND)
    cols = (weekly["frequency"], weekly["recency"], weekly["T"])
    results = []
    threads = tc.get_num_threads()
    try:
        for n in (1, 2, 3):
            tc.set_num_threads(n)
            results.append((np.asarray(model.p_alive(*cols)), np.asarray(model.expected_purchases(12.0, *cols)),
                            tc.customer_lifetime_value(model, spend, weekly, time=12, freq="W").to_numpy(),
                            np.asarray(model.conditional_probability_of_n_purchases(2, 12.0, *cols))))
    finally:
        tc.set_num_threads(threads)
    for other in results[1:]:
        for a, b in zip(results[0], other):
            assert np.array_equal(a, b)  # bits, not approximately


@pytest.mark.parametrize("model", _models(), ids=["bgnbd", "mbgnbd", "pareto"])
def test_distinct_rows_give_each_customer_its_own_value(model, weekly):
    # Every customer scored among 20,000 (shared rows evaluated once) equals the customer scored alone.
    cols = (weekly["frequency"], weekly["recency"], weekly["T"])
    alive, expected = np.asarray(model.p_alive(*cols)), np.asarray(model.expected_purchases(12.0, *cols))
    for i in np.random.default_rng(3).choice(len(weekly), 25, replace=False):
        row = weekly.iloc[i]
        assert alive[i] == model.p_alive(row["frequency"], row["recency"], row["T"])
        assert expected[i] == pytest.approx(model.expected_purchases(12.0, row["frequency"], row["recency"], row["T"]),
                                            rel=1e-14)
    p_two = np.asarray(model.conditional_probability_of_n_purchases(2, 12.0, *cols))
    p_zero = np.asarray(model.conditional_probability_of_n_purchases(0, 12.0, *cols))
    for i in (5, 77, 4321):
        row = weekly.iloc[i]
        for k, scored in ((2, p_two), (0, p_zero)):
            alone = model.conditional_probability_of_n_purchases(k, 12.0, row["frequency"], row["recency"], row["T"])
            assert scored[i] == pytest.approx(alone, rel=1e-14)
    # Per-customer horizons too: t varies by row, each row still its own value.
    t = np.arange(len(weekly)) % 7 + 0.5
    varied = np.asarray(model.expected_purchases(t, *cols))
    for i in (0, 1, 2, 999):
        row = weekly.iloc[i]
        assert varied[i] == pytest.approx(model.expected_purchases(t[i], row["frequency"], row["recency"], row["T"]),
                                          rel=1e-14)


def test_conditional_p_n_sums_to_one_over_counts_for_every_customer(weekly):
    # Counts per customer (n varies by row) through the distinct-row scorer: each customer's
    # distribution sums to 1 and has the conditional expectation as its mean.
    model = tc.BetaGeo.from_params(**BGNBD)
    sample = weekly.iloc[:300]
    counts = np.arange(250.0)
    rows = [np.repeat(sample[c].to_numpy(), counts.size) for c in ("frequency", "recency", "T")]
    p = np.asarray(model.conditional_probability_of_n_purchases(np.tile(counts, len(sample)), 12.0, *rows))
    p = p.reshape(len(sample), counts.size)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    expected = model.expected_purchases(12.0, sample["frequency"], sample["recency"], sample["T"])
    np.testing.assert_allclose(p @ counts, expected, rtol=1e-8)


def test_negative_zero_and_zero_are_one_history():
    model = tc.BetaGeo.from_params(**BGNBD)
    out = model.expected_purchases(10.0, [0.0, 0.0], [0.0, -0.0], [5.0, 5.0])
    assert out[0] == out[1] > 0


def test_bgnbd_expected_purchases_matches_eq_10_by_scipy(weekly):
    # FHL (2005) eq. (10), written out with scipy's 2F1: an independent check of the fast series.
    r, alpha, a, b = BGNBD.values()
    x, t_x, T = (weekly[c].to_numpy() for c in ("frequency", "recency", "T"))
    t = 39.0
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * special.hyp2f1(r + x, b + x, a + b + x - 1, z)
    alive = np.where(x > 0, 1 / (1 + a / (b + np.maximum(x, 1) - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)), 1.0)
    expected = (a + b + x - 1) / (a - 1) * bracket * alive
    got = tc.BetaGeo.from_params(**BGNBD).expected_purchases(t, x, t_x, T)
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_clv_of_a_big_base_matches_the_month_by_month_sum(weekly):
    # The one-pass CLV against lifetimes' definition computed month by month from expected_purchases.
    model, spend = tc.BetaGeo.from_params(**BGNBD), tc.GammaGamma.from_params(**SPEND)
    sample = weekly.iloc[:500]
    cols = (sample["frequency"], sample["recency"], sample["T"])
    cumulative = np.array([np.asarray(model.expected_purchases(k * 4.345, *cols)) for k in range(13)])
    money = np.asarray(spend.expected_average_value(sample["frequency"], sample["monetary_value"]))
    expected = money * (np.diff(cumulative, axis=0) / 1.01 ** np.arange(1, 13)[:, None]).sum(axis=0)
    got = tc.customer_lifetime_value(model, spend, sample, time=12, discount_rate=0.01, freq="W")
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert (tc.customer_lifetime_value(model, spend, sample, time=0) == 0).all()


@pytest.mark.parametrize("function", ["score_p_alive", "score_expected_purchases",
                                      "score_conditional_probability_of_n_purchases"])
def test_the_engine_checks_rows_itself(function):
    # A direct _core call is as safe as the public one: recency > T, fractional frequency, NaN.
    extra = {"score_p_alive": (), "score_expected_purchases": (np.array([1.0]),),
             "score_conditional_probability_of_n_purchases": (np.array([1.0]), np.array([1.0]))}[function]
    call = getattr(_core, function)
    params = np.array(list(BGNBD.values()))
    for rows, match in [(([1.0], [6.0], [5.0]), "recency must be <= T"),
                        (([1.5], [1.0], [5.0]), "frequency must be a whole number"),
                        (([0.0], [1.0], [5.0]), "recency must be 0 when frequency is 0"),
                        (([1.0], [np.nan], [5.0]), "recency must be >= 0")]:
        with pytest.raises(ValueError, match=match):
            call(_core.CountModel.bgnbd, params, *extra, *(np.array(c) for c in rows))
    with pytest.raises(ValueError, match="params must be finite and > 0"):
        _core.score_p_alive(_core.CountModel.bgnbd, np.array([0.2, -1.0, 0.5, 2.0]), *(np.ones(1),) * 3)


def test_clv_refuses_bad_spend_and_options(cdnow):
    model, spend = tc.BetaGeo.from_params(**BGNBD), tc.GammaGamma.from_params(**SPEND)
    bad = cdnow.head(5).copy()
    bad.loc[bad.index[2], "monetary_value"] = np.nan
    with pytest.raises(ValueError, match="monetary_value must be finite, >= 0 .* got nan at row 2"):
        tc.customer_lifetime_value(model, spend, bad)
    with pytest.raises(ValueError, match="q must be > 1"):
        tc.customer_lifetime_value(model, tc.GammaGamma.from_params(p=6.0, q=0.9, v=15.0), cdnow.head(5))
    params, ones = np.array(list(BGNBD.values())), np.ones(1)
    with pytest.raises(ValueError, match="months must be in 0..12000"):
        _core.score_customer_lifetime_value(_core.CountModel.bgnbd, params, np.array([6.0, 3.7, 15.0]), ones, ones,
                                            ones, ones, -1, 4.345, 0.01)
    with pytest.raises(ValueError, match="discount_rate must be finite and > -1"):
        _core.score_customer_lifetime_value(_core.CountModel.bgnbd, params, np.array([6.0, 3.7, 15.0]), ones, ones,
                                            ones, ones, 12, 4.345, -1.0)


# --------------------------------------------------------------------------- Gamma-Gamma from sums
def _gamma_gamma_log_likelihood(p, q, v, x, m):
    """Fader & Hardie (2013) note 025, eq. (3) per customer, by scipy: an independent sum."""
    return (special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q) + q * np.log(v)
            + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(v + x * m)).sum()


def test_gamma_gamma_fit_from_sums_is_the_maximum_of_the_row_likelihood(cdnow):
    repeat = cdnow[cdnow["frequency"] > 0]
    x, m = repeat["frequency"].to_numpy(), repeat["monetary_value"].to_numpy()
    model = tc.GammaGamma().fit(x, m)
    p, q, v = model.params_
    assert model.log_likelihood_ == pytest.approx(_gamma_gamma_log_likelihood(p, q, v, x, m), rel=1e-12)
    # FHL (2005): p = 6.25, q = 3.74, gamma = 15.44.
    assert (p, q, v) == pytest.approx((6.25, 3.74, 15.44), abs=0.01)
    for step in ((1.01, 1, 1), (1, 1.01, 1), (1, 1, 1.01), (0.99, 1, 1), (1, 0.99, 1), (1, 1, 0.99)):
        assert _gamma_gamma_log_likelihood(p * step[0], q * step[1], v * step[2], x, m) < model.log_likelihood_
    # The analytic Hessian (covariance) against differences of the scipy likelihood.
    theta, h = np.array([p, q, v]), 1e-4 * np.array([p, q, v])
    numeric = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            e_i, e_j = np.eye(3)[i] * h[i], np.eye(3)[j] * h[j]
            f = lambda d: _gamma_gamma_log_likelihood(*(theta + d), x, m)  # noqa: E731
            numeric[i, j] = -(f(e_i + e_j) - f(e_i - e_j) - f(-e_i + e_j) + f(-e_i - e_j)) / (4 * h[i] * h[j])
    np.testing.assert_allclose(np.linalg.inv(model.covariance_.to_numpy()), numeric, rtol=1e-4)


def test_gamma_gamma_weights_equal_repeated_rows():
    rng = np.random.default_rng(5)
    x = rng.integers(1, 8, 300).astype(float)
    m = rng.gamma(6.0 * x, 1 / (x * rng.gamma(3.8, 1 / 15.0, 300)))  # the Gamma-Gamma story
    w = rng.integers(1, 4, 300).astype(float)
    weighted = tc.GammaGamma().fit(x, m, weights=w)
    repeated = tc.GammaGamma().fit(np.repeat(x, w.astype(int)), np.repeat(m, w.astype(int)))
    np.testing.assert_allclose(weighted.params_, repeated.params_, rtol=1e-8)
    assert weighted.log_likelihood_ == pytest.approx(repeated.log_likelihood_, rel=1e-12)


# --------------------------------------------------------------------------- issue 18 reproducers
def test_plot_period_transactions_refuses_a_huge_histogram(cdnow):
    # Issue 18: max_frequency=10**7 grew to 24 GB.
    model = tc.BetaGeo.from_params(**BGNBD)
    from trustcost.relationship.plotting import plot_period_transactions

    with pytest.raises(ValueError, match="max_frequency must be at most 1000"):
        plot_period_transactions(model, cdnow.frequency, cdnow.recency, cdnow["T"], max_frequency=10**7)


@pytest.mark.parametrize("argument, value, match", [
    ("min_p_alive", float("nan"), "min_p_alive must be finite, got nan"),
    ("min_p_alive", 1.5, "min_p_alive must be a probability in \\[0, 1\\], got 1.5"),
    ("min_p_alive", -0.1, "min_p_alive must be a probability"),
    ("min_p_alive", float("inf"), "min_p_alive must be finite"),
    ("min_silence_in_gaps", float("nan"), "min_silence_in_gaps must be finite"),
    ("min_silence_in_gaps", -1.0, "min_silence_in_gaps must be finite and >= 0"),
    ("min_silence_in_gaps", float("inf"), "min_silence_in_gaps must be finite"),
    ("top", -5, "top must be >= 1, got -5"),
    ("top", 0, "top must be >= 1, got 0"),
    ("horizon", float("nan"), "horizon must be finite"),
    ("horizon", -1.0, "horizon must be finite and > 0"),
])
def test_silence_watchlist_refuses_bad_thresholds(cdnow, argument, value, match):
    # Issue 18: top=-5 returned 566 of 571 rows; NaN, inf, negative and > 1 thresholds were taken.
    model = tc.BetaGeo.from_params(**BGNBD)
    with pytest.raises(ValueError, match=match):
        tc.silence_watchlist(cdnow, model, **{argument: value})


def test_silence_watchlist_top_must_be_a_whole_number(cdnow):
    model = tc.BetaGeo.from_params(**BGNBD)
    with pytest.raises(TypeError, match="top must be None \\(every customer\\) or a whole number, got float 2.5"):
        tc.silence_watchlist(cdnow, model, top=2.5)


def test_cumulative_tracking_over_5000_days_is_quick_and_hears_ctrl_c():
    # Issue 18: expected_cumulative_transactions(t=5000, freq='D') ran on, deaf to Ctrl-C. Now one
    # model call per chunk of lags and one shifted curve per acquisition day: a SIGINT at 0.5 s
    # stops the loop of calls below within a call.
    done = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import os, signal, threading, time
        import trustcost as tc
        from trustcost.datasets import load_cdnow_transactions
        from trustcost.relationship import expected_cumulative_transactions
        log = load_cdnow_transactions()
        model = tc.BetaGeo.from_params(r=0.243, alpha=4.414 * 7, a=0.793, b=2.426)  # per day
        first = time.perf_counter()
        frame = expected_cumulative_transactions(model, log, "date", "customer_id", t=5000, freq="D")
        print("one call", time.perf_counter() - first, len(frame))
        signal.signal(signal.SIGINT, signal.default_int_handler)
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        start = time.perf_counter()
        try:
            while time.perf_counter() - start < 30:
                expected_cumulative_transactions(model, log, "date", "customer_id", t=5000, freq="D")
        except KeyboardInterrupt:
            print("interrupted after", time.perf_counter() - start)
    """)], capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("one call") and lines[0].endswith(" 5000"), done.stderr
    assert lines[1].startswith("interrupted after") and float(lines[1].split()[-1]) < 2.5


def test_cumulative_tracking_matches_the_sum_over_customers():
    # predicted at row k = sum over customers first seen before day k of E[X(days since then)].
    from trustcost.datasets import load_cdnow_transactions
    from trustcost.relationship import expected_cumulative_transactions

    log = load_cdnow_transactions()
    model = tc.BetaGeo.from_params(r=0.243, alpha=4.414 * 7, a=0.793, b=2.426)  # per day -> alpha in days
    frame = expected_cumulative_transactions(model, log, "date", "customer_id", t=120, freq="D")
    first = pd.to_datetime(log.groupby("customer_id")["date"].min())
    offsets = (first - first.min()).dt.days.to_numpy()
    for k in (1, 30, 84, 119):
        step = k + 1
        lags = step - offsets[offsets < step]
        assert frame["predicted"].iloc[k] == pytest.approx(np.sum(model.expected_purchases_population(lags.astype(float))),
                                                           rel=1e-12)


@pytest.mark.parametrize("case", ["whole small range", "negative and -0.0", "one fraction", "wide range", "one row"])
def test_distinct_rows_equal_numpy_unique_on_either_path(case):
    # Whole numbers in a small box are told apart by position (no hash), anything else by the hash:
    # both must give numpy's unique rows and their counts (an independent computation).
    rng = np.random.default_rng(11)
    x, T = rng.integers(0, 30, 5000).astype(float), rng.integers(20, 53, 5000).astype(float)
    if case == "negative and -0.0":
        x -= 15.0
        x[x == 0.0] = -0.0
    elif case == "one fraction":
        T[17] = 33.5
    elif case == "wide range":
        x[3] = 1e12
    elif case == "one row":
        x, T = x[:1], T[:1]
    rows, counts = _core.distinct_rows([x, T], None)
    expected, expected_counts = np.unique(np.column_stack([x + 0.0, T]), axis=0, return_counts=True)
    np.testing.assert_array_equal(np.column_stack(rows), expected)
    np.testing.assert_array_equal(counts, expected_counts)
    assert not np.any((rows[0] == 0.0) & np.signbit(rows[0]))  # -0.0 read as 0.0


@pytest.mark.parametrize("threads", [1, 2])
def test_p_alive_checked_block_by_block_names_the_first_bad_row(threads):
    # P(alive) checks each block's rows just before it scores them: the error still names the first
    # bad row of all, whichever thread reached a later block first.
    x, t_x, T = np.ones(5000), np.full(5000, 2.0), np.full(5000, 10.0)
    t_x[3000], x[4500] = 11.0, 0.5
    model = tc.BetaGeo.from_params(**BGNBD)
    before = tc.get_num_threads()
    tc.set_num_threads(threads)
    try:
        with pytest.raises(ValueError, match="recency must be <= T, got recency 11 > T 10 at row 3000"):
            model.p_alive(x, t_x, T)
    finally:
        tc.set_num_threads(before)
