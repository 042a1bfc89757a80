"""rfm_summary: identical to lifetimes' summary_data_from_transaction_data, reproduces the
published CDNOW calibration summary from raw transactions, and rejects bad input loudly."""

from __future__ import annotations

import warnings
from importlib import util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
import trustcost.relationship as rel
from trustcost.datasets import load_cdnow_summary


def _lifetimes_file(name):
    # lifetimes (a test dependency) ships the raw CDNOW transactions; locate it without importing
    # (its import warns under pandas 3).
    spec = util.find_spec("lifetimes")
    assert spec is not None and spec.origin is not None, "lifetimes is a test dependency: pip install .[test]"
    file = Path(spec.origin).parent / "datasets" / name
    assert file.is_file(), f"lifetimes has no {name}"
    return file


@pytest.fixture(scope="module")
def cdnow_sample():
    # CDNOW 1/10 sample: original id, new id 1..2357, date, CDs, dollars (FHL 2005 data).
    frame = pd.read_csv(_lifetimes_file("CDNOW_sample.txt"), sep=r"\s+", header=None,
                        names=["original_id", "id", "date", "cds", "value"], dtype={"date": str})
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


def test_reproduces_published_cdnow_calibration_summary(cdnow_sample):
    # 39-week calibration ending 1997-09-30; the published summary is in weeks, rounded to 2 decimals.
    summary = tc.rfm_summary(cdnow_sample, "id", "date", "value", freq="D", observation_period_end="1997-09-30")
    published = load_cdnow_summary()
    assert summary.index.tolist() == published.index.tolist()
    np.testing.assert_array_equal(summary["frequency"], published["frequency"])
    np.testing.assert_allclose(summary["recency"] / 7, published["recency"], atol=0.005)
    np.testing.assert_allclose(summary["T"] / 7, published["T"], atol=0.005)
    np.testing.assert_allclose(summary["monetary_value"], published["monetary_value"], atol=0.005 + 1e-9)
    assert summary.attrs["excluded"] == {"rows": int((cdnow_sample["date"] > "1997-09-30").sum()), "reason": "after observation_period_end"}


@pytest.mark.parametrize("freq", ["D", "W"])
@pytest.mark.parametrize("end", [None, "1997-09-30"])
def test_identical_to_lifetimes(cdnow_sample, freq, end):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import utils
        theirs = utils.summary_data_from_transaction_data(cdnow_sample, "id", "date", "value", freq=freq, observation_period_end=end)
    ours = tc.rfm_summary(cdnow_sample, "id", "date", "value", freq=freq, observation_period_end=end)
    pd.testing.assert_frame_equal(ours[["frequency", "recency", "T"]], theirs[["frequency", "recency", "T"]], check_exact=True)
    # Spend means agree to rounding: the two sum the same numbers in a different order.
    np.testing.assert_allclose(ours["monetary_value"], theirs["monetary_value"], rtol=1e-13)


def test_small_log_by_hand():
    log = pd.DataFrame({
        "customer": ["b", "a", "a", "a", "b", "c"],
        "when": ["2024-01-03", "2024-01-01", "2024-01-01 18:00", "2024-01-05", "2024-01-10", "2024-01-10"],
        "amount": [5.0, 10.0, 2.0, 4.0, 7.0, 1.0],
    })
    out = tc.rfm_summary(log, "customer", "when", "amount")
    # a: purchases on days 1 (merged: 12) and 5 -> one repeat worth 4; b: days 3 and 10; c: day 10 only.
    expected = pd.DataFrame({"frequency": [1.0, 1.0, 0.0], "recency": [4.0, 7.0, 0.0], "T": [9.0, 7.0, 0.0],
                             "monetary_value": [4.0, 7.0, 0.0]}, index=pd.Index(["a", "b", "c"], name="customer"))
    pd.testing.assert_frame_equal(out, expected, check_index_type=False)
    assert out.attrs["excluded"] == {}


def test_time_zone_aware_dates_use_wall_clock():
    log = pd.DataFrame({"id": [1, 1], "t": pd.to_datetime(["2024-01-01 23:30", "2024-01-02 00:30"]).tz_localize("Europe/Paris")})
    out = tc.rfm_summary(log, "id", "t")
    assert out.loc[1, "frequency"] == 1.0 and out.loc[1, "recency"] == 1.0


@pytest.mark.parametrize(
    ("dates", "match"),
    [
        (["2024-01-01", "not a date", "2024-01-03"], "when has an unparseable date 'not a date' at row 1"),
        (["2024-01-01T00:00+01:00", "2024-01-02T00:00+01:00", "2024-01-03T00:00+05:00"], "when mixes time zones: row 0 is UTC\\+01:00, row 2"),
        (["2024-01-01", None, "2024-01-03"], "when has a missing date at row 1"),
    ],
)
def test_bad_dates_raise_naming_column_and_row(dates, match):
    log = pd.DataFrame({"id": [1, 2, 3], "when": dates})
    with pytest.raises(ValueError, match=match):
        tc.rfm_summary(log, "id", "when")


def test_bad_columns_and_values_raise():
    log = pd.DataFrame({"id": [1, None], "when": ["2024-01-01", "2024-01-02"], "amount": [1.0, np.nan]})
    with pytest.raises(ValueError, match="customer_id_col 'who' is not a column"):
        tc.rfm_summary(log, "who", "when")
    with pytest.raises(ValueError, match="id has a missing customer id at row 1"):
        tc.rfm_summary(log, "id", "when")
    with pytest.raises(ValueError, match="amount must be finite, got nan at row 1"):
        tc.rfm_summary(log.fillna({"id": 2}), "id", "when", "amount")


@pytest.mark.parametrize("ids", [[7, 3, 3, 7], [10**12, 5, 5, 10**12], [-1, 4, 4, -1]])
def test_integer_ids_dense_or_sparse_give_the_same_summary(ids):
    # Dense non-negative ids are used as codes directly; sparse or negative ones are factorized.
    log = pd.DataFrame({"id": ids, "when": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-09"])})
    outer, inner = ids[0], ids[1]  # outer buys on days 1 and 9, inner on days 2 and 5
    by_id = {outer: [1.0, 8.0, 8.0], inner: [1.0, 3.0, 7.0]}
    expected = pd.DataFrame([by_id[k] for k in sorted(by_id)], columns=["frequency", "recency", "T"],
                            index=pd.Index(sorted(by_id), name="id"))
    pd.testing.assert_frame_equal(tc.rfm_summary(log, "id", "when"), expected, check_index_type=False)


# --------------------------------------------------------------------------- the one C++ pass
# An independent pandas groupby reference of both summaries (pandas' own Period arithmetic, no
# trustcost code), the specification the C++ pass is checked against on random logs.
def pandas_groupby_reference_rfm(log, freq, end=None, include_first=False):
    """lifetimes' definition spelled in pandas: one purchase per customer and period (values
    summed), frequency = periods after the first, recency/T from the first period."""
    periods = log["date"].dt.to_period(freq)
    end_period = periods.max() if end is None else pd.Period(end, freq)
    kept = log.assign(period=periods)[periods <= end_period]
    per_period = kept.groupby(["id", "period"])["value"].sum().reset_index()
    grouped = per_period.groupby("id")
    first, last, count = grouped["period"].min(), grouped["period"].max(), grouped.size()
    sums = grouped["value"].sum()
    first_sums = per_period.loc[grouped["period"].idxmin(), ["id", "value"]].set_index("id")["value"]
    counted = count if include_first else count - 1
    repeat = sums if include_first else sums - first_sums
    return pd.DataFrame({
        "frequency": counted.astype(float),
        "recency": (last - first).map(lambda d: d.n).astype(float),
        "T": first.map(lambda p: (end_period - p).n).astype(float),
        "monetary_value": (repeat / counted.where(counted > 0)).fillna(0.0).astype(float),
    })


def pandas_groupby_reference_holdout(log, freq, calibration_end, observation_end):
    periods = log["date"].dt.to_period(freq)
    cal_end, obs_end = pd.Period(calibration_end, freq), pd.Period(observation_end, freq)
    calibration = pandas_groupby_reference_rfm(log[periods <= cal_end], freq, calibration_end).add_suffix("_cal")
    holdout = log.assign(period=periods)[(periods > cal_end) & (periods <= obs_end)]
    per_period = holdout.groupby(["id", "period"])["value"].sum().reset_index().groupby("id")
    calibration["frequency_holdout"] = per_period.size().reindex(calibration.index, fill_value=0).astype(float)
    calibration["monetary_value_holdout"] = per_period["value"].mean().reindex(calibration.index, fill_value=0.0)
    calibration["duration_holdout"] = float((obs_end - cal_end).n)
    return calibration


def random_log(seed, rows=400, customers=60, start="2023-11-20", days=120, whole_values=True):
    """Purchases at random seconds of ``days`` days; whole-number values (sums exact in any order)."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, days * 86400, rows)
    values = rng.integers(1, 500, rows).astype(float) if whole_values else rng.gamma(2.0, 20.0, rows)
    return pd.DataFrame({"id": rng.integers(0, customers, rows),
                         "date": pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"), "value": values})


@pytest.mark.parametrize("freq", ["h", "D", "W", "M", "Q", "Y"])
@pytest.mark.parametrize("seed", [1, 2])
def test_identical_to_the_independent_pandas_groupby_reference(freq, seed):
    days = {"h": 20, "D": 120, "W": 400, "M": 2000, "Q": 4000, "Y": 9000}[freq]
    log = random_log(seed, days=days, start="1962-03-01")  # across 1970: floors before it too
    for end, include_first in ((None, False), (log["date"].quantile(0.7), False), (None, True)):
        ours = tc.rfm_summary(log, "id", "date", "value", freq=freq, observation_period_end=end,
                              include_first_transaction=include_first)
        reference = pandas_groupby_reference_rfm(log, freq, end, include_first)
        pd.testing.assert_frame_equal(ours, reference, check_names=False, check_exact=True)


@pytest.mark.parametrize("freq", ["D", "W", "M"])
def test_calibration_and_holdout_identical_to_the_pandas_groupby_reference(freq):
    log = random_log(3, days={"D": 120, "W": 400, "M": 2000}[freq], start="1969-06-01")
    cut, end = log["date"].quantile(0.6), log["date"].quantile(0.9)
    ours = rel.calibration_and_holdout_data(log, "id", "date", cut, end, freq=freq, monetary_value_col="value")
    reference = pandas_groupby_reference_holdout(log, freq, cut, end)
    pd.testing.assert_frame_equal(ours, reference, check_names=False, check_exact=True)
    in_window = log[log["date"].dt.to_period(freq) <= pd.Period(end, freq)]
    first_seen = in_window.groupby("id")["date"].min().dt.to_period(freq) > pd.Period(cut, freq)
    assert ours.attrs["excluded"] == {
        "customers first seen in the holdout": int(first_seen.sum()),
        "rows after observation_period_end": len(log) - len(in_window),
    }


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_a_log_out_of_time_order_gives_the_sorted_logs_summary(seed):
    # Fractional values too: within a period the rows of the shuffled log are summed in another
    # order, so spend may differ in the last bits; every customer's count columns are identical.
    ordered = random_log(seed, whole_values=False).sort_values("date", kind="stable")
    shuffled = ordered.sample(frac=1.0, random_state=seed)
    reversed_log = ordered.iloc[::-1]
    want = tc.rfm_summary(ordered, "id", "date", "value", freq="D")
    for log in (shuffled, reversed_log):
        got = tc.rfm_summary(log, "id", "date", "value", freq="D")
        pd.testing.assert_frame_equal(got[["frequency", "recency", "T"]], want[["frequency", "recency", "T"]],
                                      check_exact=True)
        np.testing.assert_allclose(got["monetary_value"], want["monetary_value"], rtol=1e-13)
        cut = ordered["date"].iloc[len(ordered) // 2]
        pd.testing.assert_frame_equal(rel.calibration_and_holdout_data(log, "id", "date", cut, freq="W"),
                                      rel.calibration_and_holdout_data(ordered, "id", "date", cut, freq="W"))


def test_a_shuffled_log_large_enough_to_be_summed_from_sorted_rows_gives_the_same_summary():
    # Past a few thousand rows a log whose customers often go backwards is summed from sorted rows
    # for everyone (the small logs above re-sum only the customers that went backwards).
    ordered = random_log(9, rows=30_000, customers=3000, days=400).sort_values("date", kind="stable")
    shuffled = ordered.sample(frac=1.0, random_state=9)
    end = ordered["date"].quantile(0.95)
    for include_first in (False, True):
        pd.testing.assert_frame_equal(
            tc.rfm_summary(shuffled, "id", "date", "value", freq="W", observation_period_end=end,
                           include_first_transaction=include_first),
            pandas_groupby_reference_rfm(ordered, "W", end, include_first), check_names=False, check_exact=True)
    cut = ordered["date"].quantile(0.5)
    got = rel.calibration_and_holdout_data(shuffled, "id", "date", cut, end, freq="W", monetary_value_col="value")
    pd.testing.assert_frame_equal(got, pandas_groupby_reference_holdout(ordered, "W", cut, end), check_names=False,
                                  check_exact=True)
    want = rel.calibration_and_holdout_data(ordered, "id", "date", cut, end, freq="W", monetary_value_col="value")
    assert got.attrs == want.attrs


def test_out_of_order_customers_beside_in_order_ones_sum_bit_for_bit():
    # Customer 2's rows go backwards, customer 1's do not: each sums its periods in time order and
    # a period's rows in row order, so both are what the time-ordered log gives, to the last bit.
    values = [0.1, 0.2, 0.7, 1e16, 3.3, 0.3]
    log = pd.DataFrame({"id": [1, 1, 2, 2, 2, 1],
                        "date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-09", "2024-01-05",
                                                "2024-01-05", "2024-01-03"]), "value": values})
    ordered = log.iloc[[0, 1, 5, 3, 4, 2]]
    pd.testing.assert_frame_equal(tc.rfm_summary(log, "id", "date", "value"),
                                  tc.rfm_summary(ordered, "id", "date", "value"), check_exact=True)
    assert tc.rfm_summary(log, "id", "date", "value").loc[2, "monetary_value"] == 0.7  # (1e16 + 3.3) is one period


@pytest.mark.parametrize("unit", ["ns", "us", "ms", "s"])
def test_every_datetime64_unit_gives_the_same_summary_before_1970_too(unit):
    log = random_log(7, start="1968-12-25", days=800)
    nanoseconds = tc.rfm_summary(log, "id", "date", "value", freq="W")
    in_unit = log.assign(date=log["date"].astype(f"datetime64[{unit}]"))
    assert in_unit["date"].dtype == f"datetime64[{unit}]"
    for freq in ("h", "D", "W", "M"):
        pd.testing.assert_frame_equal(tc.rfm_summary(in_unit, "id", "date", "value", freq=freq),
                                      tc.rfm_summary(log, "id", "date", "value", freq=freq), check_exact=True)
    pd.testing.assert_frame_equal(tc.rfm_summary(in_unit, "id", "date", "value", freq="W"), nanoseconds)


@pytest.mark.parametrize("freq", ["h", "D", "W", "M", "Q", "Y"])
def test_period_numbers_count_the_periods_of_pandas(freq):
    # Differences of period numbers are differences of pandas Periods, for dates far before and
    # after 1970, leap days and week/month/year edges included; day stamps (datetime64[D]) too.
    rng = np.random.default_rng(8)
    seconds = np.concatenate([rng.integers(-200 * 365 * 86400, 200 * 365 * 86400, 3000),
                              np.array([-1, 0, 86399, 86400, -86400, -86401])])
    stamps = (np.datetime64("1970-01-01T00:00:00", "s") + seconds.astype("timedelta64[s]")).astype("datetime64[s]")
    stamps = np.concatenate([stamps, np.array(["2000-02-29", "1900-03-01", "1600-02-29T23:59:59"], "datetime64[s]")])
    ordinals = pd.Series(stamps).dt.to_period(freq).array.asi8
    numbers = rel.rfm.period_numbers(pd.Series(stamps), "date", freq)
    np.testing.assert_array_equal(numbers - numbers[0], ordinals - ordinals[0])
    days = stamps.astype("datetime64[D]")
    day_ordinals = pd.Series(days.astype("datetime64[s]")).dt.to_period(freq).array.asi8
    from_days = tc._core.period_numbers(days, rel.rfm._PERIOD[freq])
    np.testing.assert_array_equal(from_days - from_days[0], day_ordinals - day_ordinals[0])


def test_degenerate_logs():
    one = pd.DataFrame({"id": ["x"], "date": pd.to_datetime(["2024-03-01 10:00"]), "value": [5.0]})
    summary = tc.rfm_summary(one, "id", "date", "value")
    assert summary.to_dict("index") == {"x": {"frequency": 0.0, "recency": 0.0, "T": 0.0, "monetary_value": 0.0}}
    assert summary.index.name == "id" and summary.attrs["excluded"] == {}
    same_day = pd.DataFrame({"id": [7] * 5, "date": pd.to_datetime(["2024-03-01 01:00"] * 3 + ["2024-03-01 23:00"] * 2),
                             "value": [1.0, 2, 3, 4, 5]})
    summary = tc.rfm_summary(same_day, "id", "date", "value", observation_period_end="2024-03-04",
                             include_first_transaction=True)
    assert summary.to_dict("index") == {7: {"frequency": 1.0, "recency": 0.0, "T": 3.0, "monetary_value": 15.0}}
    one_customer = pd.DataFrame({"id": [3, 3, 3], "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-02"])})
    assert tc.rfm_summary(one_customer, "id", "date", freq="W").to_dict("index") == {
        3: {"frequency": 1.0, "recency": 1.0, "T": 1.0}}
    with pytest.raises(ValueError, match="no rows on or before observation_period_end '2023-12-31'"):
        tc.rfm_summary(one_customer, "id", "date", observation_period_end="2023-12-31")
    with pytest.raises(ValueError, match="no rows on or before"):
        tc.rfm_summary(one_customer.iloc[:0], "id", "date")
    with pytest.raises(ValueError, match="no transaction on or before calibration_period_end"):
        rel.calibration_and_holdout_data(one_customer, "id", "date", "2023-12-31", "2024-02-01")
    with pytest.raises(ValueError, match="holdout period would be empty"):  # the default end is in the calibration
        rel.calibration_and_holdout_data(one_customer, "id", "date", "2024-01-08")


def test_rows_after_the_end_are_excluded_and_customers_left_without_rows_dropped():
    log = pd.DataFrame({"id": ["b", "a", "c", "a"], "date": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-02-01",
                                                                             "2024-01-20"])})
    summary = tc.rfm_summary(log, "id", "date", observation_period_end="2024-01-10")
    assert summary.index.tolist() == ["a", "b"]
    assert summary.attrs["excluded"] == {"rows": 2, "reason": "after observation_period_end"}
    dense = tc.rfm_summary(log.assign(id=[1, 0, 5, 0]), "id", "date", observation_period_end="2024-01-10")
    assert dense.index.tolist() == [0, 1] and dense.index.dtype == np.int64


def test_c_plus_plus_checks_name_the_column_the_row_and_its_index_label():
    log = pd.DataFrame({"id": [1, 2, 3], "when": pd.to_datetime(["2024-01-01", None, "2024-01-03"]),
                        "amount": [1.0, 2.0, np.inf]}, index=[10, 20, 30])
    with pytest.raises(ValueError, match=r"^when has a missing date at row 1 \(index 20\)$"):
        tc.rfm_summary(log, "id", "when", "amount")
    with pytest.raises(ValueError, match=r"^amount must be finite, got inf at row 2 \(index 30\)$"):
        tc.rfm_summary(log.fillna({"when": pd.Timestamp("2024-01-02")}), "id", "when", "amount")
    # Holdout rows are checked too (they used to be summed by pandas, NaN as 0).
    with pytest.raises(ValueError, match=r"^amount must be finite, got inf at row 2 \(index 30\)$"):
        rel.calibration_and_holdout_data(log.fillna({"when": pd.Timestamp("2024-01-02")}), "id", "when",
                                         "2024-01-01", monetary_value_col="amount")


def test_column_arguments_and_freq_multiplier_are_checked_by_name():
    log = pd.DataFrame({"id": [1, 1], "when": pd.to_datetime(["2024-01-01", "2024-01-08"])})
    with pytest.raises(TypeError, match="customer_id_col must be a column name, got list"):
        tc.rfm_summary(log, ["id"], "when")
    with pytest.raises(ValueError, match="datetime_col None is not a column"):
        rel.calibration_and_holdout_data(log, "id", None, "2024-01-02")
    with pytest.raises(ValueError, match="freq_multiplier must be finite and > 0, got 1000"):
        tc.rfm_summary(log, "id", "when", freq_multiplier=10**400)
    # 7 days / 5e-324 is beyond double precision: OverflowError, not inf.
    with pytest.raises(OverflowError, match="freq_multiplier 5e-324 is too small: T 7 divided by time_scale"):
        tc.rfm_summary(log, "id", "when", freq_multiplier=5e-324)
    assert tc.rfm_summary(log, "id", "when", freq_multiplier=7).loc[1, "T"] == 1.0
