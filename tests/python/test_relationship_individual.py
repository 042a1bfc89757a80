"""individual_log_likelihood on every repeat-purchase model: each customer's log-likelihood at the
fitted or given parameters, computed independently here with scipy from the papers' formulas and
summing to the fit's ``log_likelihood_`` (pymc-marketing tests its logp the same way, against
Hardie's spreadsheets and lifetimes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln, gammaln

import trustcost as tc


@pytest.fixture(scope="module")
def cdnow():
    return tc.datasets.load_cdnow_summary()


@pytest.fixture(scope="module")
def donations():
    return tc.datasets.load_donations()


def _bgbb_log_likelihood(alpha, beta, gamma, delta, x, t_x, n):
    """FHS (2010) eq. (5), summed term by term in plain floats."""
    total = np.exp(betaln(alpha + x, beta + n - x) - betaln(alpha, beta) + betaln(gamma, delta + n) - betaln(gamma, delta))
    for i in range(int(n - t_x)):
        total += np.exp(betaln(alpha + x, beta + t_x - x + i) - betaln(alpha, beta)
                        + betaln(gamma + 1, delta + t_x + i) - betaln(gamma, delta))
    return np.log(total)


def test_bgbb_matches_the_donation_spreadsheet_pattern_by_pattern(donations):
    # Fader, Hardie & Shang (2010): alpha 1.204, beta 0.750, gamma 0.657, delta 2.783 on the
    # 11,104 donors of the 1995 cohort, LL = -33,225.6 (their Table 2 and spreadsheet).
    model = tc.BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    got = model.individual_log_likelihood(donations["frequency"], donations["recency"], donations["periods"])
    want = [_bgbb_log_likelihood(1.204, 0.750, 0.657, 2.783, *row)
            for row in donations[["frequency", "recency", "periods"]].to_numpy(dtype=float)]
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12)
    assert isinstance(got, pd.Series) and got.index.equals(donations.index)
    assert float(np.dot(donations["weights"], got)) == pytest.approx(-33_225.6, abs=0.5)


def test_bgbb_sums_to_the_fitted_log_likelihood(donations):
    model = tc.BetaGeoBetaBinom().fit(donations["frequency"], donations["recency"], donations["periods"],
                                      weights=donations["weights"])
    each = model.individual_log_likelihood(donations["frequency"], donations["recency"], donations["periods"])
    assert float(np.dot(donations["weights"], each)) == pytest.approx(model.log_likelihood_, rel=1e-12)


def _bgnbd_log_likelihood(r, alpha, a, b, x, t_x, T):
    """Fader, Hardie & Lee (2005) eq. (6)."""
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    live = betaln(a, b + x) - betaln(a, b) + common - (r + x) * np.log(alpha + T)
    dead = betaln(a + 1, np.maximum(b + x - 1, 1e-300)) - betaln(a, b) + common - (r + x) * np.log(alpha + t_x)
    return np.where(x > 0, np.logaddexp(live, dead), live)


def test_bgnbd_matches_eq_6_and_the_published_cdnow_log_likelihood(cdnow):
    # FHL (2005): r 0.243, alpha 4.414, a 0.793, b 2.426 on CDNOW (2,357 customers), LL -9,582.4.
    model = tc.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    cols = [cdnow[c] for c in ("frequency", "recency", "T")]
    got = model.individual_log_likelihood(*cols)
    want = _bgnbd_log_likelihood(0.243, 4.414, 0.793, 2.426, *(c.to_numpy(dtype=float) for c in cols))
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-11)
    assert float(got.sum()) == pytest.approx(-9_582.4, abs=0.5)


@pytest.mark.parametrize("fitter", [tc.BetaGeo, tc.ModifiedBetaGeo, tc.ParetoNBD])
def test_count_models_sum_to_the_fitted_log_likelihood(cdnow, fitter):
    cols = [cdnow[c] for c in ("frequency", "recency", "T")]
    model = fitter().fit(*cols)
    assert float(model.individual_log_likelihood(*cols).sum()) == pytest.approx(model.log_likelihood_, rel=1e-11)


def test_pareto_nbd_published_cdnow_log_likelihood(cdnow):
    # Fader & Hardie (2005) note on the Pareto/NBD: r 0.553, alpha 10.578, s 0.606, beta 11.669, LL -9,595.0.
    model = tc.ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
    got = model.individual_log_likelihood(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert float(got.sum()) == pytest.approx(-9_595.0, abs=0.5)


def test_covariate_model_sums_to_the_fitted_log_likelihood(cdnow):
    # A segment flag drawn at random: the fit needs covariates that do not separate buyers perfectly.
    segment = pd.Series(np.random.default_rng(7).integers(0, 2, len(cdnow)).astype(float), index=cdnow.index,
                        name="segment")
    cols = [cdnow[c] for c in ("frequency", "recency", "T")]
    model = tc.BetaGeoCovariates().fit(*cols, covariates=segment.to_frame())
    each = model.individual_log_likelihood(*cols, segment.to_frame())
    assert float(each.sum()) == pytest.approx(model.log_likelihood_, rel=1e-10)
    # With all coefficients at 0 each row is plain BG/NBD's.
    plain = model.params_.copy()
    plain[[k for k in plain.index if "[" in k]] = 0.0
    zero = tc.BetaGeoCovariates.from_params(plain)
    base = tc.BetaGeo.from_params(plain[["r", "alpha", "a", "b"]])
    np.testing.assert_allclose(np.asarray(zero.individual_log_likelihood(*cols, segment.to_frame())),
                               np.asarray(base.individual_log_likelihood(*cols)), rtol=1e-13)


def test_sbg_matches_its_beta_functions_and_sums_to_the_fit():
    # The "regular" cohort of Fader & Hardie (2007).
    survivors = [1000, 631, 468, 382, 326, 289, 262, 241]
    model = tc.ShiftedBetaGeometric().fit(survivors)
    a, b = model.params_["alpha"], model.params_["beta"]
    periods = np.array([1, 2, 3, 4, 5, 6, 7, 7.0])
    lost = np.array([1, 1, 1, 1, 1, 1, 1, 0.0])
    customers = -np.diff(survivors + [0])
    customers[-1] = survivors[-1]
    each = model.individual_log_likelihood(periods, lost)
    want = np.where(lost == 1, betaln(a + 1, b + periods - 1), betaln(a, b + periods)) - betaln(a, b)
    np.testing.assert_allclose(each, want, rtol=1e-12)
    assert float(np.dot(customers, each)) == pytest.approx(model.log_likelihood_, rel=1e-12)


def test_gamma_gamma_matches_the_note_and_sums_to_the_fit(cdnow):
    repeat = cdnow[cdnow["frequency"] > 0]
    model = tc.GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    p, q, v = model.params_
    x, m = repeat["frequency"].to_numpy(), repeat["monetary_value"].to_numpy()
    # Fader & Hardie (2013) note, the density of the mean of x gamma(p, nu) spends with nu ~ gamma(q, v).
    want = (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v) + (p * x - 1) * np.log(m)
            + p * x * np.log(x) - (p * x + q) * np.log(v + x * m))
    each = model.individual_log_likelihood(repeat["frequency"], repeat["monetary_value"])
    np.testing.assert_allclose(np.asarray(each), want, rtol=1e-11)
    assert float(each.sum()) == pytest.approx(model.log_likelihood_, rel=1e-11)
    # Customers without repeat purchases carry no spend information: 0.
    assert model.individual_log_likelihood(0, 0) == 0.0
