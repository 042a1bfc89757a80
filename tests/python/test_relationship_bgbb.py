"""BG/BB (Fader, Hardie & Shang 2010): the published donation estimates, lifetimes'
BetaGeoBetaBinomFitter on the same data, independent scipy computations and properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

import trustcost as tc
from trustcost.datasets import load_donations


@pytest.fixture(scope="module")
def donations():
    return load_donations()


@pytest.fixture(scope="module")
def model(donations):
    return tc.BetaGeoBetaBinom().fit(donations["frequency"], donations["recency"], donations["periods"],
                                     weights=donations["weights"])


@pytest.fixture(scope="module")
def lifetimes_model(donations):
    with warnings.catch_warnings():  # lifetimes 0.11 sets deprecated pandas options on import
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoBetaBinomFitter

        fitter = BetaGeoBetaBinomFitter()
        fitter.fit(donations["frequency"], donations["recency"], donations["periods"], donations["weights"])
    return fitter


def test_donations_dataset(donations):
    # FHS (2010): 11,104 first-time donors of 1995, six repeat opportunities (1996-2001).
    assert donations["weights"].sum() == 11104
    assert (donations["periods"] == 6).all() and len(donations) == 22


def test_reproduces_fader_hardie_shang_2010(model):
    # Fader, Hardie & Shang (2010), Marketing Science 29(6): alpha = 1.204, beta = 0.750,
    # gamma = 0.657, delta = 2.783, LL = -33,225.6.
    assert list(model.params_.index) == ["alpha", "beta", "gamma", "delta"]
    assert model.params_.round(3).tolist() == [1.204, 0.750, 0.657, 2.783]
    assert round(model.log_likelihood_, 1) == -33225.6
    assert model.n_customers_ == 11104 and model.n_unique_rows_ == 22
    assert (model.standard_errors_ > 0).all() and (model.summary["coef"] == model.params_).all()


def test_published_p_alive_table_6(model):
    # FHS (2010) Table 6, P(alive in 2002): 0.11 for no repeat donation, 0.59 for 2 donations the
    # last in 1999 (recency 4), 0.93 for a donation every year.
    got = model.p_alive([0, 2, 6], [0, 4, 6], 6, periods_ahead=1)
    assert np.round(got, 2).tolist() == [0.11, 0.59, 0.93]


def test_hardie_spreadsheet_totals(model, donations):
    # Hardie's BG/BB workbook (brucehardie.com/notes/010): 12,884.2 expected donations in 2002-06
    # over all donors; 3,454.9 donors with none and 1,253.1 with six in the first six years.
    expected = model.expected_purchases(5, donations["frequency"], donations["recency"], donations["periods"])
    assert round(float((expected * donations["weights"]).sum()), 1) == 12884.2
    counts = model.expected_number_of_customers(6)
    assert round(counts[0], 1) == 3454.9 and round(counts[6], 1) == 1253.1
    assert counts.sum() == pytest.approx(11104, rel=1e-12)


def test_matches_lifetimes(model, lifetimes_model, donations):
    theirs = lifetimes_model.params_[["alpha", "beta", "gamma", "delta"]].to_numpy(dtype=float)
    # Equal to lifetimes' optimiser tolerance (a few 1e-6), and our optimum at least as high.
    np.testing.assert_allclose(model.params_.to_numpy(), theirs, rtol=5e-6)
    rows = donations.to_numpy(dtype=float)
    theirs_ll = sum(w * np.log(_likelihood(theirs, x, t, n)) for x, t, n, w in rows)
    assert model.log_likelihood_ >= theirs_ll - 1e-9
    # With the same parameters every prediction agrees to rounding.
    same = _given(*theirs)
    f, r, n = (donations[c] for c in ("frequency", "recency", "periods"))
    for m in (0, 1, 5):
        np.testing.assert_allclose(same.p_alive(f, r, n, periods_ahead=m),
                                   lifetimes_model.conditional_probability_alive(m, f, r, n), rtol=1e-10)
    for m in (1, 5, 10):
        np.testing.assert_allclose(same.expected_purchases(m, f, r, n),
                                   lifetimes_model.conditional_expected_number_of_purchases_up_to_time(m, f, r, n),
                                   rtol=1e-10)
    theirs_counts = lifetimes_model.expected_number_of_transactions_in_first_n_periods(6)["model"]
    np.testing.assert_allclose(same.expected_number_of_customers(6, customers=11104).to_numpy(),
                               theirs_counts.to_numpy(), rtol=1e-9)


def test_lifetimes_names_are_aliases(model):
    frame = model.expected_number_of_transactions_in_first_n_periods(6)
    assert list(frame.columns) == ["model"] and frame["model"].equals(model.expected_number_of_customers(6).rename("model"))
    assert model.conditional_probability_alive(1, 2, 4, 6) == model.p_alive(2, 4, 6, periods_ahead=1)
    assert model.conditional_expected_number_of_purchases_up_to_time(3, 2, 4, 6) == model.expected_purchases(3, 2, 4, 6)
    assert model.predict(3, 2, 4, 6) == model.expected_purchases(3, 2, 4, 6)


def test_weights_equal_repeated_rows(donations, model):
    repeated = donations.loc[donations.index.repeat(donations["weights"])]
    plain = tc.BetaGeoBetaBinom().fit(repeated["frequency"], repeated["recency"], repeated["periods"])
    np.testing.assert_allclose(plain.params_.to_numpy(), model.params_.to_numpy(), rtol=1e-7)
    assert plain.log_likelihood_ == pytest.approx(model.log_likelihood_, rel=1e-12)


def _likelihood(params, x, t_x, n):
    """Eq. (5) term by term with scipy's betaln: an independent evaluation."""
    a, b, g, d = params
    total = np.exp(special.betaln(a + x, b + n - x) - special.betaln(a, b) + special.betaln(g, d + n) - special.betaln(g, d))
    for i in range(int(n - t_x)):
        total += np.exp(special.betaln(a + x, b + t_x - x + i) - special.betaln(a, b)
                        + special.betaln(g + 1, d + t_x + i) - special.betaln(g, d))
    return total


def test_log_likelihood_matches_direct_sum(model, donations):
    rows = donations.to_numpy(dtype=float)
    direct = sum(w * np.log(_likelihood(model.params_.to_numpy(), x, t, n)) for x, t, n, w in rows)
    assert model.log_likelihood_ == pytest.approx(direct, rel=1e-12)


def test_expectations_against_sums_of_alive_probabilities(model):
    # E[X(n, n+m) | history] = sum_k P(alive at n + k) E[p | alive]: the closed form of eq. (13)
    # against the sum it telescopes.
    a, b, g, d = model.params_.to_numpy()
    x, t_x, n = 3, 5, 6
    like = _likelihood((a, b, g, d), x, t_x, n)
    terms = [np.exp(special.betaln(a + x + 1, b + n - x) - special.betaln(a, b)
                    + special.betaln(g, d + n + k) - special.betaln(g, d)) / like for k in range(1, 9)]
    assert model.expected_purchases(8, x, t_x, n) == pytest.approx(sum(terms), rel=1e-12)
    # E[X(n)] of a new customer is the mean of P(X(n) = k).
    k = np.arange(11)
    assert model.expected_purchases_population(10) == pytest.approx(float(np.dot(k, model.probability_of_n_purchases(10, k))), rel=1e-12)


def test_gamma_one_is_continuous():
    # At gamma = 1 the closed forms are 0/0; the values must join up from both sides.
    near = [_given(1.2, 0.75, g, 2.8) for g in (1 - 1e-6, 1.0, 1 + 1e-6)]
    values = [m.expected_purchases(5, 2, 4, 6) for m in near]
    assert values[0] == pytest.approx(values[1], rel=1e-5) and values[2] == pytest.approx(values[1], rel=1e-5)
    pop = [m.expected_purchases_population(7) for m in near]
    assert pop[0] == pytest.approx(pop[1], rel=1e-5) and pop[2] == pytest.approx(pop[1], rel=1e-5)


def _given(alpha, beta, gamma, delta):
    m = tc.BetaGeoBetaBinom()
    m.params_ = pd.Series([alpha, beta, gamma, delta], index=["alpha", "beta", "gamma", "delta"])
    return m


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 8), st.integers(0, 8), st.integers(0, 8), st.integers(0, 6),
       st.floats(0.2, 5), st.floats(0.2, 5), st.floats(0.2, 5), st.floats(0.2, 5))
def test_conditional_distribution_properties(x, extra_t, extra_n, m, a, b, g, d):
    t_x = 0 if x == 0 else x + extra_t
    n = t_x + extra_n
    model = _given(a, b, g, d)
    p = model.conditional_probability_of_n_purchases(np.arange(m + 1), m, x, t_x, n)
    assert (p >= 0).all() and p.sum() == pytest.approx(1.0, abs=1e-12)
    assert float(np.dot(np.arange(m + 1), p)) == pytest.approx(model.expected_purchases(m, x, t_x, n), rel=1e-9, abs=1e-14)
    alive = model.p_alive(x, t_x, n, periods_ahead=np.arange(4))
    assert (np.diff(alive) <= 1e-15).all() and 0 <= alive[-1] <= alive[0] <= 1


def test_no_history_reduces_to_new_customer():
    model = _given(1.2, 0.75, 0.66, 2.78)
    k = np.arange(7)
    np.testing.assert_allclose(model.conditional_probability_of_n_purchases(k, 6, 0, 0, 0),
                               model.probability_of_n_purchases(6, k), rtol=1e-14)
    assert model.p_alive(0, 0, 0) == 1.0


@pytest.mark.parametrize(
    "rows, message",
    [
        (([0, 0, 0], [0, 0, 0], [6, 6, 6]), "every frequency is 0"),
        (([2], [4], [6]), "single customer"),
        (([2, 2, 2], [4, 4, 4], [6, 6, 6]), "same history"),
        (([1, 3, 6], [6, 6, 6], [6, 6, 6]), r"recency == n_periods\), so the data show no dropout"),
    ],
)
def test_degenerate_data_is_named(rows, message):
    with pytest.raises(ValueError, match=message):
        tc.BetaGeoBetaBinom().fit(*rows)


@pytest.mark.parametrize(
    "rows, message",
    [
        (([1.5], [2], [6]), "whole numbers"),
        (([3], [2], [6]), "0 <= frequency <= recency <= n_periods"),
        (([0], [2], [6]), "recency must be 0 when frequency is 0"),
        (([1], [7], [6]), "recency <= n_periods"),
    ],
)
def test_bad_rows_raise(model, rows, message):
    with pytest.raises(ValueError, match=message):
        model.p_alive(*rows)


def test_bad_horizons_raise(model):
    with pytest.raises(ValueError, match=r"n_periods must be whole numbers in \[0, 1000000\]"):
        model.p_alive(1, 1, 1e9)
    with pytest.raises(ValueError, match=r"periods must be whole numbers in \[0, 1000000\]"):
        model.expected_purchases(1e7, 2, 4, 6)
    with pytest.raises(ValueError, match="periods must be whole numbers"):
        model.expected_purchases(1.5, 2, 4, 6)
    with pytest.raises(ValueError, match="periods_ahead must be whole numbers"):
        model.p_alive(2, 4, 6, periods_ahead=-1)
    with pytest.raises(ValueError, match="weights must be finite"):
        tc.BetaGeoBetaBinom().fit([1, 2], [1, 3], [6, 6], weights=[1, -1])


def test_series_in_series_out(model, donations):
    out = model.p_alive(donations["frequency"], donations["recency"], donations["periods"])
    assert isinstance(out, pd.Series) and out.index.equals(donations.index)
    assert isinstance(model.expected_purchases(2, 1, 1, 6), float)
