"""pymc-marketing's deterministic likelihood cases (tests/clv/test_distributions.py), re-expressed.

pymc-marketing checks each model's per-customer log-likelihood against Bruce Hardie's published
spreadsheets and against lifetimes at given parameters; these are the same behaviours and values
under trustcost's names (``individual_log_likelihood``). Its cases with a fractional frequency
(x = 5.3) are left out: trustcost refuses fractional purchase counts (README, deliberate differences).
"""

from __future__ import annotations


import numpy as np
import pytest

import trustcost as tc


def test_bgbb_matches_hardies_donation_spreadsheet_per_pattern():
    # Hardie, "Note 010" (FHS 2010) spreadsheet "Parameter estimate": n = 6 opportunities, alpha 1.204,
    # beta 0.750, gamma 0.657, delta 2.783 (rounded as printed, hence pymc-marketing's rtol 1e-3).
    x = np.array([6, 5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 4, 3, 2, 1, 3, 2, 1, 2, 1, 1, 0.0])
    t_x = np.array([6, 6, 6, 6, 6, 6, 5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 2, 2, 1, 0.0])
    published = [-2.18167018824, -4.29485034929, -5.38473334360, -5.80915881601, -5.65172964525,
                 -4.88370164695, -3.71682127437, -5.09558227343, -5.61576884108, -5.50636893346,
                 -4.76723821904, -3.84829625138, -5.05936147828, -5.19562191019, -4.57070931973,
                 -3.52745257839, -4.51620272962, -4.22465969453, -3.01199924784, -3.58817880928,
                 -2.28882847451, -1.16751622367]
    model = tc.BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    np.testing.assert_allclose(model.individual_log_likelihood(x, t_x, 6.0), published, rtol=1e-3)


def test_bgnbd_matches_hardies_cdnow_spreadsheet_per_customer():
    # Hardie, "Note 004" spreadsheet "BGNBD Estimation": the first 18 CDNOW customers, T = 38.86 weeks,
    # r 0.243, alpha 4.414, a 0.793, b 2.426 (printed to 4 decimals: pymc-marketing's rtol 2e-3).
    x = np.array([2, 1, 0, 0, 0, 7, 1, 0, 2, 0, 5, 0, 0, 0, 0, 0, 10, 1.0])
    t_x = np.array([30.43, 1.71, 0, 0, 0, 29.43, 5.00, 0, 35.71, 0, 24.43, 0, 0, 0, 0, 0, 34.14, 4.86])
    published = [-9.4596, -4.4711, -0.5538, -0.5538, -0.5538, -21.8644, -4.8651, -0.5538, -9.5367, -0.5538,
                 -17.3593, -0.5538, -0.5538, -0.5538, -0.5538, -0.5538, -27.3144, -4.8520]
    model = tc.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    np.testing.assert_allclose(model.individual_log_likelihood(x, t_x, 38.86), published, rtol=2e-3)


# pymc-marketing's parameter cases for the continuous models (recency, frequency, T; parameters),
# with the whole-number frequencies: each compared with lifetimes' own per-customer likelihood.
CASES = [
    (1.5, 1, 12, (0.55, 10.58, 0.61, 11.67)),
    (1.5, 1, 12, (0.45, 10.58, 0.61, 11.67)),
    (1.5, 1, 12, (0.45, 10.58, 0.71, 11.67)),
    (1.5, 1, 12, (0.55, 11.67, 0.61, 10.58)),
    (6.0, 2, 8, (0.55, 11.67, 0.61, 10.58)),
]


@pytest.mark.parametrize("t_x, x, T, params", CASES)
def test_pareto_nbd_equals_lifetimes_per_customer(lifetimes, t_x, x, T, params):
    ours = tc.ParetoNBD.from_params(**dict(zip(("r", "alpha", "s", "beta"), params)))
    theirs = lifetimes.ParetoNBDFitter._conditional_log_likelihood(params, x, t_x, T)
    assert ours.individual_log_likelihood(x, t_x, T) == pytest.approx(theirs, rel=1e-9)


@pytest.mark.parametrize("t_x, x, T, params", CASES)
@pytest.mark.parametrize("ours_cls, theirs_name", [(tc.BetaGeo, "BetaGeoFitter"),
                                                   (tc.ModifiedBetaGeo, "ModifiedBetaGeoFitter")])
def test_bgnbd_family_equals_lifetimes_per_customer(lifetimes, ours_cls, theirs_name, t_x, x, T, params):
    r, alpha, a, b = params
    ours = ours_cls.from_params(r=r, alpha=alpha, a=a, b=b)
    log_params = np.log([r, alpha, a, b])
    theirs = -getattr(lifetimes, theirs_name)._negative_log_likelihood(
        log_params, np.array([x]), np.array([t_x]), np.array([T]), np.array([1.0]), 0.0)
    assert ours.individual_log_likelihood(x, t_x, T) == pytest.approx(theirs, rel=1e-9)


@pytest.mark.parametrize("model", [tc.BetaGeo.from_params(r=0.66, alpha=2.78, a=1.2, b=0.75),
                                   tc.ModifiedBetaGeo.from_params(r=0.66, alpha=2.78, a=1.2, b=0.75),
                                   tc.ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)])
@pytest.mark.parametrize("t_x, x, T", [(-1, 3, 6), (1.5, -1, 6), (11, 1, 6)])
def test_impossible_histories_are_refused(model, t_x, x, T):
    # pymc-marketing gives them log-probability -inf; trustcost names the bad value instead.
    with pytest.raises(ValueError, match="recency|frequency"):
        model.individual_log_likelihood(x, t_x, T)
