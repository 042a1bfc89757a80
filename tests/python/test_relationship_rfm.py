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
