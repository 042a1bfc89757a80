"""lifetimes' own test suite (tests/test_estimation.py, tests/test_utils.py), ported to trustcost.

Each test checks the behaviour and the value that a lifetimes test checks, written anew against
trustcost's names (lifetimes' names are used where trustcost accepts them as aliases). The values
come from the sources lifetimes cites: Fader, Hardie & Lee (2005) and Hardie's spreadsheets, and
the R package BTYD (manual and walkthrough vignette). Deliberate differences are marked
"Difference:" and listed in the README.
"""

from __future__ import annotations

import copy
import pickle
from importlib import util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import trustcost.relationship as rel
from trustcost.datasets import load_cdnow_summary


def _lifetimes_file(name):
    # lifetimes ships the data its tests use; found without importing it (its import warns).
    spec = util.find_spec("lifetimes")
    assert spec is not None and spec.origin is not None, "lifetimes is a test dependency: pip install .[test]"
    return Path(spec.origin).parent / "datasets" / name


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow_summary()


@pytest.fixture(scope="module")
def bgf(cdnow):
    return rel.BetaGeoFitter().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def ptf(cdnow):
    return rel.ParetoNBDFitter().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def cdnow_transactions():
    frame = pd.read_csv(_lifetimes_file("CDNOW_sample.txt"), sep=r"\s+", header=None,
                        names=["id_total", "id_sample", "date", "num_cd_purc", "total_value"])
    return frame[["id_sample", "date", "total_value"]]


@pytest.fixture
def small_log():
    return pd.DataFrame([[1, "2015-02-01"], [1, "2015-02-06"], [2, "2015-01-01"], [3, "2015-01-01"],
                         [3, "2015-01-02"], [3, "2015-01-05"]], columns=["id", "date"])


@pytest.fixture
def larger_log():
    return pd.DataFrame(
        [[1, "2015-01-01", 1], [1, "2015-02-06", 2], [2, "2015-01-01", 2], [3, "2015-01-01", 3], [3, "2015-01-02", 1],
         [3, "2015-01-05", 5], [4, "2015-01-16", 6], [4, "2015-02-02", 3], [4, "2015-02-05", 3], [5, "2015-01-16", 3],
         [5, "2015-01-17", 1], [5, "2015-01-18", 8], [6, "2015-02-02", 5]],
        columns=["id", "date", "monetary_value"])


def _frame(rows, columns):
    return pd.DataFrame(rows, columns=["id", *columns]).set_index("id").astype(float)


# ======================================================================= BetaGeoFitter
def test_bgnbd_params_match_fader_hardie_lee(bgf):
    np.testing.assert_allclose(bgf.params_[["r", "alpha", "a", "b"]], [0.243, 4.414, 0.793, 2.426], atol=5e-4)


def test_bgnbd_conditional_expectation_matches_hardie_spreadsheet(bgf):
    assert abs(bgf.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86) - 1.226) < 1e-3


def test_bgnbd_population_expectation_matches_hardie_spreadsheet(bgf):
    times = [0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00]
    np.testing.assert_allclose(bgf.expected_number_of_purchases_up_to_time(times),
                               [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576], atol=1e-3)


def test_bgnbd_p_alive_is_one_without_repeat_purchases(bgf):
    # Difference: lifetimes asks P(alive | x=0, t_x=1, T=1); recency must be 0 when frequency is 0
    # (no repeat purchase, no last-purchase time), so trustcost refuses that history.
    assert bgf.conditional_probability_alive(0, 0, 1) == 1.0
    with pytest.raises(ValueError, match="recency must be 0 when frequency is 0"):
        bgf.p_alive(0, 1, 1)


@pytest.mark.parametrize("model", ["bgf", "ptf"])
def test_p_alive_between_0_and_1(model, request):
    fitted = request.getfixturevalue(model)
    x, t_x, T = np.meshgrid(np.arange(0, 100, 10.0), np.arange(0, 100, 10.0), np.arange(0, 100, 10.0))
    valid = (t_x <= T) & ((x > 0) | (t_x == 0))
    alive = fitted.p_alive(x[valid], t_x[valid], T[valid])
    assert ((alive >= 0) & (alive <= 1)).all()


def test_penalizer_shrinks_coefficients(cdnow):
    # Difference: trustcost penalises the parameters in the data's own time unit (lifetimes first
    # rescales time), so equal penalizer values are not equal penalties; the shrinkage holds.
    args = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    none, some, more = (rel.BetaGeoFitter(penalizer_coef=c).fit(*args).params_ for c in (0.0, 0.1, 10.0))
    assert (some < none).all() and (more < some).all()


@pytest.mark.parametrize("model", ["bgf", "ptf"])
def test_p_alive_matrix_is_p_alive_at_the_longest_T(model, request):
    fitted = request.getfixturevalue(model)
    Z = fitted.conditional_probability_alive_matrix()
    longest = fitted.max_T_
    assert Z.shape == (int(longest) + 1, int(fitted.max_frequency_) + 1)
    for t_x in range(0, Z.shape[0], 3):
        for x in range(1, Z.shape[1], 2):
            assert Z[t_x][x] == fitted.conditional_probability_alive(x, t_x, longest)
    # Difference: the frequency-0 column is P(alive | 0, 0, T) on every row (recency is 0 without repeats).
    assert (Z[:, 0] == fitted.p_alive(0, 0, longest)).all()
    if model == "bgf":
        assert Z[0][0] == 1


def test_bgnbd_probability_of_n_purchases_matches_r_btyd():
    # BTYD manual (bgnbd.pmf) at the published CDNOW parameters.
    bgf = rel.BetaGeoFitter()
    bgf.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    assert abs(bgf.probability_of_n_purchases_up_to_time(2, 10) - 1.07869e-07) < 1e-4
    assert abs(bgf.probability_of_n_purchases_up_to_time(39, 0) - 0.5737864) < 1e-4
    pmf = [0.0019995214, 0.0015170236, 0.0011633150, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913,
           0.0003467171, 0.0002769613, 0.0002222260]
    np.testing.assert_allclose(bgf.probability_of_n_purchases_up_to_time(30, np.arange(11, 21)), pmf, atol=1e-5)


def test_scaling_time_gives_the_same_p_alive(cdnow, bgf):
    # Difference: lifetimes rescales time internally; trustcost fits in the data's units, and the
    # maximum likelihood is equivariant: alpha scales with time, P(alive) does not change.
    scaled = rel.BetaGeo().fit(cdnow["frequency"], 10 * cdnow["recency"], 10 * cdnow["T"])
    assert abs(scaled.p_alive(1, 10, 20) - bgf.p_alive(1, 1, 2)) < 1e-4
    assert abs(scaled.p_alive(1, 20, 100) - bgf.p_alive(1, 2, 10)) < 1e-4
    assert scaled.params_["alpha"] == pytest.approx(10 * bgf.params_["alpha"], rel=1e-4)


@pytest.mark.parametrize("model", ["bgf", "ptf"])
def test_save_and_load_keep_the_model(model, request):
    # Difference: lifetimes' save_model/load_model go through dill; trustcost models pickle.
    fitted = request.getfixturevalue(model)
    for loaded in (pickle.loads(pickle.dumps(fitted)), copy.deepcopy(fitted)):
        pd.testing.assert_series_equal(loaded.params_, fitted.params_)
        assert loaded.log_likelihood_ == fitted.log_likelihood_ and loaded.penalizer == fitted.penalizer
        assert loaded.predict(1, 1, 2, 5) == fitted.predict(1, 1, 2, 5)
        assert loaded.expected_number_of_purchases_up_to_time(1) == fitted.expected_number_of_purchases_up_to_time(1)


@pytest.mark.parametrize("model", [rel.BetaGeo, rel.ParetoNBD])
def test_fit_with_and_without_weights(model, cdnow):
    grouped = cdnow.groupby(["frequency", "recency", "T"]).size().rename("weights").reset_index()
    plain = model().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    weighted = model().fit(grouped["frequency"], grouped["recency"], grouped["T"], weights=grouped["weights"])
    np.testing.assert_allclose(weighted.params_, plain.params_, rtol=1e-6)
    assert weighted.log_likelihood_ == pytest.approx(plain.log_likelihood_, rel=1e-12)


# ======================================================================= ParetoNBDFitter
def test_pareto_params_match_fader_hardie(ptf):
    np.testing.assert_allclose(ptf.params_[["r", "alpha", "s", "beta"]], [0.553, 10.578, 0.606, 11.669], atol=5e-3)


def test_pareto_population_expectation_matches_r_btyd(ptf):
    btyd = [0.0, 0.05077821, 0.09916088, 0.14542507, 0.18979930, 0.23247466, 0.27361274, 0.31335159, 0.35181024,
            0.38909211]
    np.testing.assert_allclose(ptf.expected_number_of_purchases_up_to_time(np.arange(10.0)), btyd, atol=0.01)


def test_pareto_conditional_expectation_matches_r_btyd(ptf):
    assert abs(ptf.conditional_expected_number_of_purchases_up_to_time(52, 26.0, 30.86, 31) - 25.46) < 0.01


def test_pareto_conditional_expectation_has_no_underflow():
    ptf = rel.ParetoNBDFitter()
    ptf.params_ = pd.Series({"alpha": 10.58, "beta": 11.67, "r": 0.55, "s": 0.61})  # any order: read by name
    left = ptf.conditional_expected_number_of_purchases_up_to_time(10, 132, 200, 200)
    right = ptf.conditional_expected_number_of_purchases_up_to_time(10, 133, 200, 200)
    assert abs(left - right) < 0.05
    assert left == pytest.approx(6.2060517889632418, rel=1e-9)


def test_pareto_p_alive_matches_r_btyd_walkthrough():
    ptf = rel.ParetoNBD.from_params(r=0.5534, alpha=10.5802, s=0.6061, beta=11.6562)
    assert abs(ptf.conditional_probability_alive(26.0, 30.86, 31.0) - 0.9979) < 1e-3


def test_pareto_p_alive_has_no_overflow():
    ptf = rel.ParetoNBD.from_params(dict(zip(["r", "alpha", "s", "beta"], [10.465, 7.98565181e-03, 3.0516, 2.820])))
    alive = ptf.conditional_probability_alive(np.array([40.0, 50, 50]), np.array([5.0, 1, 4]), np.array([6.0, 37, 37]))
    assert (np.isfinite(alive) & (alive >= 0) & (alive <= 1)).all()


def test_pareto_conditional_probability_of_n_purchases_between_0_and_1(ptf):
    rng = np.random.default_rng(7)
    x = rng.integers(1, 100, 400).astype(float)
    t_x = rng.integers(0, 100, 400).astype(float)
    T = t_x + rng.integers(0, 100, 400)
    p = ptf.conditional_probability_of_n_purchases_up_to_time(rng.integers(0, 10, 400), rng.integers(0, 100, 400),
                                                              x, t_x, T)
    assert ((p >= 0) & (p <= 1)).all()


def test_pareto_conditional_probability_of_n_purchases_adds_up_to_1(ptf):
    rng = np.random.default_rng(8)
    for _ in range(12):
        x = float(rng.integers(1, 10))
        t_x = float(rng.integers(0, 9))
        T = float(rng.integers(t_x, 10))
        t = float(1 + rng.integers(0, 9))
        total = ptf.conditional_probability_of_n_purchases_up_to_time(np.arange(20), t, x, t_x, T).sum()
        assert total == pytest.approx(1.0, abs=5e-3)


# ======================================================================= GammaGammaFitter
def test_gamma_gamma_params_match_fader_hardie_lee(cdnow):
    repeat = cdnow[cdnow["frequency"] > 0]
    ggf = rel.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    np.testing.assert_allclose(ggf.params_[["p", "q", "v"]], [6.25, 3.74, 15.44], atol=0.01)
    # Difference: lifetimes' q_constraint=True is always on: q > 1 is part of the model here.
    assert ggf.params_["q"] > 1


def test_gamma_gamma_conditional_average_matches_hardie_spreadsheet(cdnow):
    ggf = rel.GammaGammaFitter()
    ggf.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
    head = cdnow.head(10)
    np.testing.assert_allclose(ggf.conditional_expected_average_profit(head["frequency"], head["monetary_value"]),
                               [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17], atol=0.1)


def test_gamma_gamma_rejects_q_below_one():
    # lifetimes returns an infinite negative log-likelihood at q < 1 under q_constraint.
    with pytest.raises(ValueError, match="q must be > 1"):
        rel.GammaGamma.from_params(p=6.25, q=0.5, v=15.44).expected_average_value(25, 100.0)
    with pytest.raises(ValueError, match="q must be finite and > 0"):
        rel.GammaGamma.from_params(p=6.25, q=-3.75, v=15.44)


@pytest.mark.parametrize("freq", ["D", "H", "h", "W"])
def test_customer_lifetime_value_method_equals_function(cdnow, bgf, freq):
    ggf = rel.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    method = ggf.customer_lifetime_value(bgf, cdnow["frequency"], cdnow["recency"], cdnow["T"], cdnow["monetary_value"],
                                         freq=freq)
    function = rel.customer_lifetime_value(bgf, ggf, cdnow, freq=freq)
    np.testing.assert_array_equal(method.to_numpy(), function.to_numpy())


def test_customer_lifetime_value_with_known_values(cdnow, bgf):
    # lifetimes' known-values test: with no discounting one month is the expected purchases in 30
    # days times spend; a 100% monthly rate halves it; two months add the second month at 1/4.
    ggf = rel.GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    head = cdnow.head(5)
    spend = ggf.expected_average_value(head["frequency"], head["monetary_value"]).to_numpy()
    args = (head["frequency"], head["recency"], head["T"])
    first, both = (bgf.predict(days, *args).to_numpy() for days in (30.0, 60.0))
    clv = lambda time, rate: rel.customer_lifetime_value(bgf, ggf, head, time=time, discount_rate=rate).to_numpy()  # noqa: E731
    np.testing.assert_allclose(clv(1, 0.0), first * spend, rtol=1e-12)
    np.testing.assert_allclose(clv(1, 1.0), first * spend / 2, rtol=1e-12)
    np.testing.assert_allclose(clv(2, 1.0), (first / 2 + (both - first) / 4) * spend, rtol=1e-12)


# ======================================================================= summary_data_from_transaction_data
def test_summary_data_returns_correct_results(small_log):
    actual = rel.summary_data_from_transaction_data(small_log, "id", "date", observation_period_end="2015-02-07")
    expected = _frame([[1, 1, 5, 6], [2, 0, 0, 37], [3, 2, 4, 37]], ["frequency", "recency", "T"])
    pd.testing.assert_frame_equal(actual, expected, check_names=False)


def test_summary_data_with_string_and_int_ids(small_log):
    strings = small_log.assign(id=small_log["id"].map({1: "X", 2: "Y", 3: "Y"}))
    assert list(rel.summary_data_from_transaction_data(strings, "id", "date").index) == ["X", "Y"]
    assert rel.summary_data_from_transaction_data(small_log, "id", "date").index.dtype == np.int64


def test_summary_data_with_datetime_format(small_log):
    compact = small_log.assign(date=small_log["date"].str.replace("-", ""))
    actual = rel.summary_data_from_transaction_data(compact, "id", "date", observation_period_end="20150207",
                                                    datetime_format="%Y%m%d")
    expected = _frame([[1, 1, 5, 6], [2, 0, 0, 37], [3, 2, 4, 37]], ["frequency", "recency", "T"])
    pd.testing.assert_frame_equal(actual, expected, check_names=False)


def test_summary_data_weekly(larger_log):
    actual = rel.summary_data_from_transaction_data(larger_log, "id", "date", observation_period_end="20150207",
                                                    freq="W")
    expected = _frame([[1, 1, 5, 5], [2, 0, 0, 5], [3, 1, 1, 5], [4, 1, 3, 3], [5, 0, 0, 3], [6, 0, 0, 0]],
                      ["frequency", "recency", "T"])
    pd.testing.assert_frame_equal(actual, expected, check_names=False)


def test_summary_data_with_monetary_values(larger_log):
    actual = rel.summary_data_from_transaction_data(larger_log, "id", "date", monetary_value_col="monetary_value",
                                                    observation_period_end="20150207")
    expected = _frame([[1, 1, 36, 37, 2], [2, 0, 0, 37, 0], [3, 2, 4, 37, 3], [4, 2, 20, 22, 3], [5, 2, 2, 22, 4.5],
                       [6, 0, 0, 5, 0]], ["frequency", "recency", "T", "monetary_value"])
    pd.testing.assert_frame_equal(actual, expected, check_names=False)


def test_summary_data_drops_the_first_purchase_whatever_the_row_order():
    dates = ["2014-03-14", "2014-04-09", "2014-05-21"]
    ordered = pd.DataFrame({"date": pd.to_datetime(dates), "id": 2, "sales": [10, 20, 25]})
    shuffled = ordered.iloc[[1, 0, 2]]
    a = rel.summary_data_from_transaction_data(ordered, "id", "date", "sales")
    b = rel.summary_data_from_transaction_data(shuffled, "id", "date", "sales")
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[2, "monetary_value"] == 22.5


def test_summary_statistics_match_rfm_and_clv_paper(cdnow_transactions):
    # Fader, Hardie & Lee (2005), "RFM and CLV", JMR 42(4): spend of the 946 repeat buyers.
    train = cdnow_transactions.assign(date=pd.to_datetime(cdnow_transactions["date"].astype(str), format="%Y%m%d"))
    train = train[train["date"] < "1997-10-01"]
    summary = rel.summary_data_from_transaction_data(train, "id_sample", "date", "total_value")
    spend = summary.loc[summary["frequency"] > 0, "monetary_value"].describe()
    assert [round(spend[k]) for k in ("mean", "std", "min", "50%", "max", "count")] == [35, 30, 3, 27, 300, 946]


def test_summary_data_merges_purchases_within_a_period():
    log = pd.DataFrame([[1, "2015-01-01"], [1, "2015-01-01"]], columns=["id", "t"])
    assert rel.summary_data_from_transaction_data(log, "id", "t", freq="W").loc[1, "frequency"] == 0


def test_summary_inputs_are_checked():
    frequency, recency, T = np.array([0.0, 1, 2]), np.array([0.0, 1, 10]), np.array([5.0, 6, 15])
    rel.BetaGeo.from_params(r=1, alpha=1, a=1, b=1).p_alive(frequency, recency, T)  # valid
    model = rel.BetaGeo.from_params(r=1, alpha=1, a=1, b=1)
    with pytest.raises(ValueError, match="recency must be <= T"):
        model.p_alive(frequency, T + 1, T)
    with pytest.raises(ValueError, match="recency must be 0 when frequency is 0"):
        model.p_alive(frequency, np.array([1.0, 1, 10]), T)
    with pytest.raises(ValueError, match="frequency must be a whole number"):
        model.p_alive(np.array([0, 0.5, 2]), recency, T)
    with pytest.raises(ValueError, match="monetary_value must be >= .* for customers with repeat purchases"):
        rel.GammaGamma().fit(np.array([1.0, 2, 3]), np.array([0.0, 490, 33.33]))


# ======================================================================= calibration_and_holdout_data
def test_calibration_and_holdout_data(larger_log):
    actual = rel.calibration_and_holdout_data(larger_log, "id", "date", "2015-02-01", observation_period_end="2015-02-07")
    assert actual.loc[1, "frequency_holdout"] == 1 and actual.loc[2, "frequency_holdout"] == 0
    with pytest.raises(KeyError):
        actual.loc[6]  # first purchase in the holdout: not a calibration customer


def test_calibration_and_holdout_data_weekly(larger_log):
    actual = rel.calibration_and_holdout_data(larger_log, "id", "date", "2015-02-01", observation_period_end="2015-02-07",
                                              freq="W")
    expected = _frame([[1, 0, 0, 4, 1, 1], [2, 0, 0, 4, 0, 1], [3, 1, 1, 4, 0, 1], [4, 0, 0, 2, 1, 1], [5, 0, 0, 2, 0, 1]],
                      ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"])
    pd.testing.assert_frame_equal(actual, expected, check_names=False)


def test_calibration_and_holdout_data_date_boundaries(larger_log):
    actual = rel.calibration_and_holdout_data(larger_log, "id", "date", calibration_period_end="2015-02-01",
                                              observation_period_end="2015-02-04")
    assert actual.loc[1, "frequency_holdout"] == 0  # 2015-02-06 is after the observation end
    assert actual.loc[4, "frequency_holdout"] == 1  # 2015-02-02 counts, 2015-02-05 does not


def test_calibration_and_holdout_data_with_monetary_value(larger_log):
    actual = rel.calibration_and_holdout_data(larger_log, "id", "date", "2015-02-01", observation_period_end="2015-02-07",
                                              monetary_value_col="monetary_value")
    assert actual["monetary_value_cal"].tolist() == [0, 0, 3, 0, 4.5]
    assert actual["monetary_value_holdout"].tolist() == [2, 0, 0, 3, 0]


# ======================================================================= expected_cumulative_transactions
@pytest.fixture(scope="module")
def cumulative_pareto(cdnow_transactions):
    # BTYD walkthrough: Pareto/NBD on the 39-week calibration, tracked weekly over 25 weeks.
    summary = rel.summary_data_from_transaction_data(cdnow_transactions, "id_sample", "date", datetime_format="%Y%m%d",
                                                     freq="D", freq_multiplier=7, observation_period_end="19970930")
    model = rel.ParetoNBD().fit(summary["frequency"], summary["recency"], summary["T"])
    return rel.expected_cumulative_transactions(model, cdnow_transactions, "date", "id_sample", 25 * 7, "%Y%m%d", "D",
                                                freq_multiplier=7)


def test_cumulative_transactions_match_r_btyd_walkthrough(cumulative_pareto):
    window = cumulative_pareto.iloc[19:25]
    np.testing.assert_allclose(window["actual"], [1359, 1414, 1484, 1517, 1573, 1672])
    np.testing.assert_allclose(window["predicted"].round(), [1309, 1385, 1460, 1533, 1604, 1674])


def test_incremental_transactions_match_r_btyd_walkthrough(cumulative_pareto):
    window = cumulative_pareto.diff().iloc[19:25]
    np.testing.assert_allclose(window["actual"], [73, 55, 70, 33, 56, 99])
    # BTYD prints two decimals; the fit's last digits differ by at most 0.01.
    np.testing.assert_allclose(window["predicted"], [78.31, 76.42, 74.65, 72.98, 71.41, 69.93], atol=0.011)


def test_cumulative_transactions_date_index(cdnow_transactions):
    summary = rel.summary_data_from_transaction_data(cdnow_transactions, "id_sample", "date", datetime_format="%Y%m%d",
                                                     observation_period_end="19970930")
    model = rel.BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    tracked = rel.expected_cumulative_transactions(model, cdnow_transactions, "date", "id_sample", 14, "%Y%m%d", "D",
                                                   set_index_date=True)
    tail = tracked.iloc[-4:]
    assert [str(p) for p in tail.index] == ["1997-01-11", "1997-01-12", "1997-01-13", "1997-01-14"]
    np.testing.assert_allclose(tail["actual"], [11, 12, 15, 19])
    np.testing.assert_allclose(tail["predicted"].round(2), [10.67, 12.67, 14.87, 17.24], atol=1e-2)


def test_cumulative_transactions_merge_purchases_within_a_period():
    log = pd.read_csv(_lifetimes_file("example_transactions.csv"), parse_dates=["date"])
    summary = rel.rfm_summary(log, "id", "date")
    model = rel.BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    by_week = rel.expected_cumulative_transactions(model, log, "date", "id", 10, freq="W")
    by_day = rel.expected_cumulative_transactions(model, log, "date", "id", 10, freq="D")
    assert (by_week["actual"].to_numpy() >= by_day["actual"].to_numpy()).all()
