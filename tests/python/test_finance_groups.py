"""xirr and xnpv over many schedules in one call (by=): each group's answer is the single call's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from no_solution import solved  # noqa: E402  (beside this file)


@pytest.fixture
def rng():
    return np.random.default_rng(19)


def _table(rng, groups=60):
    sizes = rng.integers(2, 30, groups)
    amounts = rng.normal(100, 150, sizes.sum())
    days = np.concatenate([np.sort(rng.integers(0, 3650, s)) for s in sizes])
    firsts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    amounts[firsts] = -rng.uniform(500, 3000, groups)
    labels = np.repeat([f"fund {g}" for g in range(groups)], sizes)
    shuffle = rng.permutation(amounts.size)  # groups interleaved, as rows of a transactions table
    return amounts[shuffle], np.datetime64("2015-01-01") + days[shuffle], labels[shuffle]


def test_by_is_bit_identical_to_one_call_per_group(rng):
    amounts, dates, labels = _table(rng)
    rates = solved(lambda: tc.xirr(amounts, dates, by=labels))
    values = tc.xnpv(0.07, amounts, dates, by=labels)
    assert list(rates.index) == list(pd.unique(labels))  # first-seen order
    for label in rates.index:
        mine = labels == label
        single = solved(lambda: tc.xirr(amounts[mine], dates[mine]))
        assert (np.isnan(single) and np.isnan(rates[label])) or rates[label] == single
        assert values[label] == tc.xnpv(0.07, amounts[mine], dates[mine])


def test_integer_labels_in_runs_or_interleaved_give_the_same_answers(rng):
    # Integer labels whose rows are already grouped skip pd.factorize; the answers, the labels and
    # their order must be those of the general path (string labels, rows interleaved).
    amounts, dates, labels = _table(rng)
    numbers = np.array([int(x.split()[1]) for x in labels]) * 7 % 61  # not in increasing order
    rows = np.concatenate([np.flatnonzero(numbers == n) for n in pd.unique(numbers[::-1])])
    a, d, ids = amounts[rows], dates[rows], numbers[rows]
    general = solved(lambda: tc.xirr(a, d, by=[str(n) for n in ids]))
    for by in (ids, pd.Series(ids, name="fund"), pd.Index(ids)):
        rates = solved(lambda: tc.xirr(a, d, by=by))
        np.testing.assert_array_equal(rates.to_numpy(), general.to_numpy())
        assert list(rates.index) == [int(n) for n in general.index]
        values = tc.xnpv(0.07, a, d, by=by)
        assert list(values.index) == list(rates.index)
        for label in values.index:
            assert values[label] == tc.xnpv(0.07, a[ids == label], d[ids == label])
    assert tc.xnpv(0.07, a, d, by=pd.Series(ids, name="fund")).index.name == "fund"
    # A label in two runs: the general path gathers its rows.
    split = tc.xnpv(0.05, [-100.0, 60.0, -50.0, 55.0], days=[0, 365, 0, 365], by=np.array([1, 2, 1, 2]))
    assert list(split.index) == [1, 2]
    assert split[1] == tc.xnpv(0.05, [-100.0, -50.0], days=[0, 0])
    assert split[2] == tc.xnpv(0.05, [60.0, 55.0], days=[365, 365])


def test_by_does_not_depend_on_the_thread_count(rng):
    amounts, dates, labels = _table(rng, groups=300)
    threads = tc.get_num_threads()
    try:
        tc.set_num_threads(1)
        one = solved(lambda: tc.xirr(amounts, dates, by=labels))
    finally:
        tc.set_num_threads(threads)
    pd.testing.assert_series_equal(one, solved(lambda: tc.xirr(amounts, dates, by=labels)))


def test_by_takes_pandas_columns_and_any_hashable_labels():
    frame = pd.DataFrame({
        "fund": [("A", 1), ("B", 2), ("A", 1), ("B", 2)],
        "date": pd.to_datetime(["2020-01-01", "2020-01-01", "2021-01-01", "2021-01-01"]),
        "amount": [-100.0, -200.0, 110.0, 180.0],
    })
    rates = tc.xirr(frame["amount"], frame["date"], by=frame["fund"])
    assert rates.index.name == "fund"
    assert rates[("A", 1)] == pytest.approx(1.1 ** (365 / 366) - 1, rel=1e-12)  # 2020 is a leap year
    assert rates[("B", 2)] == pytest.approx(0.9 ** (365 / 366) - 1, rel=1e-12)


def test_by_with_days_and_a_group_without_rate():
    with pytest.warns(tc.NoSolutionWarning, match="group 8: the flows do not change sign"):
        rates = tc.xirr([-1.0, 2.0, 1.0, 1.0], days=[0, 365, 0, 365], by=[7, 7, 8, 8])
    assert rates[7] == pytest.approx(1.0)
    assert np.isnan(rates[8])  # flows of one sign
    with pytest.raises(tc.NoRealSolutionError, match="8"):
        tc.xirr([-1.0, 2.0, 1.0, 1.0], days=[0, 365, 0, 365], by=[7, 7, 8, 8], raise_exceptions=True)


def test_by_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="by must have one label per amount"):
        tc.xirr([-1.0, 2.0], days=[0, 365], by=[1])
    with pytest.raises(ValueError, match=r"by\[1\] is missing"):
        tc.xirr([-1.0, 2.0], days=[0, 365], by=["a", None])
    with pytest.raises(ValueError, match=r"amounts\[1\] \(group 'a'\) must be finite"):
        tc.xnpv(0.1, [-1.0, np.nan], days=[0, 365], by=["a", "a"])
    with pytest.raises(TypeError, match="by must be one group label per flow"):
        tc.xirr([-1.0, 2.0], days=[0, 365], by="fund")


def test_a_transactions_table_with_named_columns():
    frame = pd.DataFrame({"fund": ["a", "b", "a", "b"], "when": pd.to_datetime(["2020-01-01"] * 2 + ["2021-01-01"] * 2),
                          "cash": [-100.0, -200.0, 110.0, 180.0]})
    rates = tc.xirr("cash", "when", by="fund", data=frame)
    pd.testing.assert_series_equal(rates, tc.xirr(frame["cash"], frame["when"], by=frame["fund"]))
    values = tc.xnpv(0.05, "cash", "when", by="fund", data=frame)
    assert values["a"] == tc.xnpv(0.05, [-100.0, 110.0], frame["when"][[0, 2]])
    with pytest.raises(ValueError, match="by='desk' is not a column of data"):
        tc.xirr("cash", "when", by="desk", data=frame)
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        tc.xirr("cash", "when", data={"cash": [1.0]})


def test_the_plain_array_path_gives_the_bits_of_every_other_form():
    # float64 amounts with datetime64[D] dates take one C++ call (no conversion); lists, other date
    # units, strided or big-endian arrays go through the converting path: the same answer to the bit.
    rng = np.random.default_rng(5)
    amounts = np.concatenate([[-1000.0], rng.uniform(50, 300, 11)])
    dates = np.datetime64("2020-01-01") + np.sort(rng.choice(np.arange(1, 2000), 11, replace=False))
    dates = np.concatenate([[np.datetime64("2020-01-01")], dates]).astype("datetime64[D]")
    forms = [(amounts.tolist(), dates.tolist()), (amounts, dates.astype("datetime64[s]")),
             (np.repeat(amounts, 2)[::2], np.repeat(dates, 2)[::2]), (amounts.astype(">f8"), dates)]
    for a, d in forms:
        assert tc.xnpv(0.07, a, d) == tc.xnpv(0.07, amounts, dates)
        assert tc.xirr(a, d) == tc.xirr(amounts, dates)
    with pytest.raises(ValueError, match="rate"):
        tc.xnpv(-1.5, amounts, dates)
    with pytest.raises(ValueError, match="day_count"):
        tc.xirr(amounts, dates, day_count="act/999")
    masked = np.ma.masked_array(amounts, mask=[False] * 11 + [True])
    with pytest.raises(TypeError, match="masked"):
        tc.xnpv(0.07, masked, dates)
