"""trustcost.distributed on a real (local, two-process) Dask cluster: the same numbers as one process.

Every comparison is exact (``==`` on float64, ``check_exact=True``): each distributed step runs
the single-machine function on pieces whose merge is exact (whole-customer partitions for the
summary, whole-number counts for the fits, row-wise scores, path ranges of the same streams).
"""

from __future__ import annotations

import dataclasses
import logging
import pickle
import subprocess
import sys
import textwrap
import time

import cloudpickle
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import trustcost as tc

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import trustcost.distributed as tcd  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """Two worker processes with one thread each, started for this module and shut down after."""
    cluster = distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=":0",
                                       silence_logs=logging.ERROR)
    with cluster, distributed.Client(cluster) as c:
        yield c


def transaction_log(n_customers: int = 1500, seed: int = 1, string_ids: bool = True) -> pd.DataFrame:
    """Purchases of customers with gamma-distributed Poisson rates and exponential lifetimes over
    ~500 days, in shuffled row order, with several purchases on some days (so the per-period sums
    depend on row order) and times of day (so periods merge transactions)."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.8, 1 / 15, n_customers)
    start = rng.integers(0, 200, n_customers)
    active = np.minimum(rng.exponential(300, n_customers), 500 - start)
    counts = rng.poisson(rate * active) + 1
    customer = np.repeat(np.arange(n_customers), counts)
    offset = rng.uniform(0, 1, customer.size) * active[customer]
    offset[np.r_[0, np.cumsum(counts)[:-1]]] = 0.0  # the first purchase opens the history
    day = start[customer] + offset.astype(int)
    seconds = rng.integers(0, 86_400, customer.size)
    frame = pd.DataFrame({
        "customer": np.char.add("c", np.char.zfill(customer.astype(str), 5)) if string_ids else customer * 7 + 3,
        "date": pd.Timestamp("2021-01-01") + pd.to_timedelta(day * 86_400 + seconds, unit="s"),
        "value": rng.gamma(2.0, 20.0, customer.size) + 0.001 * rng.random(customer.size),
    })
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return transaction_log()


@pytest.fixture(scope="module")
def summary(log) -> pd.DataFrame:
    return tc.rfm_summary(log, "customer", "date", "value", freq="W")


@pytest.fixture(scope="module")
def distributed_summary(client, log):
    return tcd.rfm_summary(dd.from_pandas(log, npartitions=5), "customer", "date", "value", freq="W").persist()


def assert_same_frame(got: pd.DataFrame, want: pd.DataFrame) -> None:
    # Dask keeps string ids as pyarrow strings; the values, order and float bits must agree.
    assert list(got.index) == list(want.index)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_index_type=False)
    assert got.attrs == want.attrs  # the excluded rows, as the single-machine summary reports them


# ---------------------------------------------------------------------------------------------- 1


@pytest.mark.parametrize("npartitions", [1, 6])
def test_rfm_summary_equals_single_machine_row_for_row(client, log, npartitions):
    ddf = dd.from_pandas(log, npartitions=npartitions)
    got = tcd.rfm_summary(ddf, "customer", "date", "value", freq="D").compute().sort_index()
    assert_same_frame(got, tc.rfm_summary(log, "customer", "date", "value", freq="D"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.integers(1, 60), customers=st.integers(1, 8), days=st.integers(0, 40), npartitions=st.integers(1, 5),
       freq=st.sampled_from(["D", "W", "M"]), seed=st.integers(0, 2**32 - 1))
def test_rfm_summary_any_partitioning_property(rows, customers, days, npartitions, freq, seed):
    """Random small logs (many same-period purchases, customers split over partitions) in Dask's
    in-process scheduler: the partitioning never changes a bit of the summary."""
    rng = np.random.default_rng(seed)
    log = pd.DataFrame({"customer": rng.integers(0, customers, rows) * 11,
                        "date": pd.Timestamp("2023-03-01") + pd.to_timedelta(rng.integers(0, days * 24 + 1, rows), unit="h"),
                        "value": rng.normal(50.0, 30.0, rows)})
    # In-process, so the shuffle is the task-based one (P2P needs the workers of a distributed Client).
    with dask.config.set({"scheduler": "synchronous", "dataframe.shuffle.method": "tasks"}):
        got = tcd.rfm_summary(dd.from_pandas(log, npartitions=npartitions), "customer", "date", "value",
                              freq=freq).compute().sort_index()
    assert_same_frame(got, tc.rfm_summary(log, "customer", "date", "value", freq=freq))


def test_rfm_summary_integer_ids_weeks_and_an_earlier_observation_end(client):
    log = transaction_log(600, seed=5, string_ids=False)
    end = pd.Timestamp("2022-01-15 12:00")
    assert (log["date"] > end).any()
    got = tcd.rfm_summary(dd.from_pandas(log, npartitions=6), "customer", "date", "value", freq="W",
                          observation_period_end=end).compute().sort_index()
    want = tc.rfm_summary(log, "customer", "date", "value", freq="W", observation_period_end=end)
    assert_same_frame(got, want)
    no_value = tcd.rfm_summary(dd.from_pandas(log, npartitions=3), "customer", "date").compute().sort_index()
    assert_same_frame(no_value, tc.rfm_summary(log, "customer", "date"))


def test_rfm_summary_from_parquet_and_csv_files_block_by_block(client, log, tmp_path):
    """Files read lazily in many small blocks (only the summary reaches the client)."""
    parquet = tmp_path / "log.parquet"
    log.to_parquet(parquet, row_group_size=2_000)
    csv = tmp_path / "log.csv"
    log.assign(date=log["date"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_csv(csv, index=False)
    want = tc.rfm_summary(log, "customer", "date", "value")
    from_parquet = tcd.read_transactions(parquet, "customer", "date", "value", blocksize="64kB")
    from_csv = tcd.read_transactions(csv, "customer", "date", "value", blocksize="64kB")
    assert from_parquet.npartitions > 1 and from_csv.npartitions > 5
    assert_same_frame(tcd.rfm_summary(from_parquet, "customer", "date", "value").compute().sort_index(), want)
    got = tcd.rfm_summary(from_csv, "customer", "date", "value", datetime_format="%Y-%m-%d %H:%M:%S")
    assert_same_frame(got.compute().sort_index(), want)


def test_rfm_summary_bad_input_names_the_argument(client, log):
    ddf = dd.from_pandas(log, npartitions=2)
    with pytest.raises(TypeError, match="transactions must be a dask DataFrame"):
        tcd.rfm_summary(log, "customer", "date")
    with pytest.raises(ValueError, match="datetime_col 'when' is not a column"):
        tcd.rfm_summary(ddf, "customer", "when")
    with pytest.raises(ValueError, match="path must name Parquet"):
        tcd.read_transactions("log.xlsx", "customer", "date")


# ---------------------------------------------------------------------------------------------- 2


def test_summary_counts_are_the_customers_per_distinct_row(distributed_summary, summary):
    counts = tcd.summary_counts(distributed_summary, split_every=2)
    independent = summary.groupby(["frequency", "recency", "T"]).size()  # pandas' own groupby, sorted keys
    assert counts["count"].sum() == len(summary)
    np.testing.assert_array_equal(counts[["frequency", "recency", "T"]].to_numpy(),
                                  np.array(independent.index.tolist()))
    np.testing.assert_array_equal(counts["count"].to_numpy(), independent.to_numpy())


@pytest.mark.parametrize("model", [tc.BetaGeo, tc.ParetoNBD, tc.ModifiedBetaGeo], ids=["BG/NBD", "Pareto/NBD", "MBG/NBD"])
def test_purchase_model_fit_is_bit_identical(distributed_summary, summary, model):
    got = tcd.fit(model(), distributed_summary)
    want = model().fit(summary["frequency"], summary["recency"], summary["T"])
    np.testing.assert_array_equal(got.params_.to_numpy(), want.params_.to_numpy())
    np.testing.assert_array_equal(got.standard_errors_.to_numpy(), want.standard_errors_.to_numpy())
    assert got.log_likelihood_ == want.log_likelihood_
    assert got.n_customers_ == want.n_customers_ == len(summary)
    assert got.n_unique_rows_ == want.n_unique_rows_
    assert repr(got) == repr(want)


@pytest.fixture(scope="module")
def donors() -> pd.DataFrame:
    """The 11,104 donors of Fader, Hardie & Shang (2010), one row each (the file holds counts)."""
    table = tc.datasets.load_donations()
    rows = table.loc[table.index.repeat(table["weights"].astype(int))].drop(columns="weights")
    return rows.sample(frac=1.0, random_state=0).reset_index(drop=True).rename_axis("donor")


def test_bgbb_fit_and_scores_on_discrete_time_donors(client, donors):
    columns = ("frequency", "recency", "periods")
    ddf = dd.from_pandas(donors, npartitions=4)
    got = tcd.fit(tc.BetaGeoBetaBinom(), ddf, columns)
    want = tc.BetaGeoBetaBinom().fit(donors["frequency"], donors["recency"], donors["periods"])
    np.testing.assert_array_equal(got.params_.to_numpy(), want.params_.to_numpy())
    assert got.log_likelihood_ == want.log_likelihood_ and got.n_customers_ == len(donors) == 11_104
    scores = tcd.score(ddf, want, t=3, n=(0, 2), columns=columns).compute().sort_index()
    x, t_x, n = (donors[c] for c in columns)
    np.testing.assert_array_equal(scores["p_alive"], want.p_alive(x, t_x, n))
    np.testing.assert_array_equal(scores["expected_purchases"], want.expected_purchases(3, x, t_x, n))
    for k in (0, 2):
        np.testing.assert_array_equal(scores[f"probability_{k}_purchases"],
                                      want.conditional_probability_of_n_purchases(k, 3, x, t_x, n))


def test_penalized_fit_is_bit_identical(distributed_summary, summary):
    got = tcd.fit(tc.BetaGeo(penalizer=0.01), distributed_summary)
    want = tc.BetaGeo(penalizer=0.01).fit(summary["frequency"], summary["recency"], summary["T"])
    np.testing.assert_array_equal(got.params_.to_numpy(), want.params_.to_numpy())


def test_gamma_gamma_fit_is_bit_identical(distributed_summary, summary):
    got = tcd.fit(tc.GammaGamma(), distributed_summary)
    want = tc.GammaGamma().fit(summary["frequency"], summary["monetary_value"])
    np.testing.assert_array_equal(got.params_.to_numpy(), want.params_.to_numpy())
    assert got.log_likelihood_ == want.log_likelihood_
    assert got.n_excluded_ == want.n_excluded_ == int((summary["frequency"] == 0).sum())
    assert got.n_customers_ == want.n_customers_


def test_fit_refuses_what_it_cannot_fit(distributed_summary):
    with pytest.raises(TypeError, match="model must be a trustcost fitter"):
        tcd.fit(object(), distributed_summary)
    with pytest.raises(ValueError, match="missing"):
        tcd.summary_counts(distributed_summary, ("frequency", "age"))


# ---------------------------------------------------------------------------------------------- 3


@pytest.fixture(scope="module")
def models(summary):
    bgf = tc.BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    ggf = tc.GammaGamma().fit(summary["frequency"], summary["monetary_value"])
    return bgf, ggf


def test_scores_equal_single_machine_row_for_row(distributed_summary, summary, models):
    bgf, ggf = models
    got = tcd.score(distributed_summary, bgf, ggf, t=10.0, time=6, discount_rate=0.01, freq="W").compute().sort_index()
    x, t_x, age = summary["frequency"], summary["recency"], summary["T"]
    want = pd.DataFrame({
        "p_alive": bgf.p_alive(x, t_x, age),
        "expected_purchases": bgf.expected_purchases(10.0, x, t_x, age),
        "clv": tc.customer_lifetime_value(bgf, ggf, summary, time=6, discount_rate=0.01, freq="W"),
    })
    assert_same_frame(got, want)


def test_conditional_probabilities_of_n_purchases(distributed_summary, summary, models):
    bgf, _ = models
    got = tcd.score(distributed_summary, bgf, t=8.0, n=(0, 1, 3)).compute().sort_index()
    x, t_x, age = summary["frequency"], summary["recency"], summary["T"]
    for k in (0, 1, 3):
        np.testing.assert_array_equal(got[f"probability_{k}_purchases"].to_numpy(),
                                      np.asarray(bgf.conditional_probability_of_n_purchases(k, 8.0, x, t_x, age)))
    assert ((got.filter(like="probability_").sum(axis=1)) <= 1.0 + 1e-12).all()


@pytest.mark.parametrize("top", [1, 25, 10_000])
def test_watchlist_top_k_across_partitions(distributed_summary, summary, models, top):
    bgf, ggf = models
    got = tcd.silence_watchlist(distributed_summary, bgf, ggf, top=top, split_every=2, horizon=8.0)
    want = tc.silence_watchlist(summary, bgf, ggf, top=top, horizon=8.0)
    assert len(got) == min(top, len(want)) > 0
    want = want.copy()
    want.attrs = {}
    assert_same_frame(got, want)


def test_watchlist_ties_are_ordered_by_customer(client, models):
    """Customers with equal histories tie in value at risk; the merge keeps the single-machine order."""
    bgf, _ = models
    summary = pd.DataFrame({"frequency": [2.0, 2.0, 3.0] * 20, "recency": [5.0, 5.0, 6.0] * 20, "T": [30.0] * 60},
                           index=pd.Index(np.arange(60)[::-1], name="customer")).sort_index()
    got = tcd.silence_watchlist(dd.from_pandas(summary.sample(frac=1.0, random_state=2), npartitions=4), bgf, top=7)
    want = tc.silence_watchlist(summary, bgf, top=7)
    assert want["value_at_risk"].duplicated().any()
    want.attrs = {}
    assert_same_frame(got, want)


# ---------------------------------------------------------------------------------------------- 4


def _uncertain_study():
    """Two offers with uncertain energy and repair costs (paired streams), failures and a supplier default."""
    repair = tc.Triangular(4_000, 6_500, 12_000)
    atlas = tc.Offer("Atlas", [tc.OneTime("purchase price", 420_000), tc.Recurring("energy", tc.LogNormal(median=9_000, p90=14_000)),
                               tc.Failures("breakdowns", tc.Weibull(2.2, 4.5), cost_per_failure=repair)],
                     supplier=tc.Supplier(annual_default_probability=0.02, switching_cost=60_000))
    borealis = tc.Offer("Borealis", [tc.OneTime("purchase price", 380_000),
                                     tc.Recurring("energy", tc.LogNormal(median=11_000, p90=16_000)),
                                     tc.Failures("breakdowns", tc.Weibull(1.8, 3.5), cost_per_failure=repair)])
    return tc.Study([atlas, borealis], horizon=10, discount_rate=0.05)


@pytest.mark.parametrize("ranges", [1, 3, 8])
def test_monte_carlo_over_workers_is_bit_identical(client, ranges):
    study = _uncertain_study()
    got = tcd.simulate(study, 6_001, seed=11, ranges=ranges, importance_paths=2_500)
    want = tc.simulate(study, 6_001, seed=11, importance_paths=2_500, progress=False)
    for name in ("present_values", "category_means", "category_std_errors", "inputs"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)
    pd.testing.assert_frame_equal(got.summary, want.summary, check_exact=True)  # mean, std error, percentiles
    pd.testing.assert_frame_equal(got.differences(), want.differences(), check_exact=True)
    assert got.inputs.shape == (2_500, 4)


def test_monte_carlo_keeps_years_and_options(client):
    study = tc.datasets.load_three_vendors()
    got = tcd.simulate(study, 1_500, seed=3, ranges=4, keep_years=True, paired=False)
    want = tc.simulate(study, 1_500, seed=3, keep_years=True, paired=False, progress=False)
    np.testing.assert_array_equal(got.yearly, want.yearly)
    pd.testing.assert_frame_equal(got.summary, want.summary, check_exact=True)
    with pytest.raises(TypeError, match="first_path is set per range"):
        tcd.simulate(study, 100, first_path=5)


@settings(max_examples=50, deadline=None)
@given(paths=st.integers(1, 10_000), ranges=st.integers(1, 40))
def test_path_ranges_cover_the_paths_once_in_order(paths, ranges):
    pieces = tcd.path_ranges(paths, ranges)
    assert pieces[0][0] == 0 and sum(n for _, n in pieces) == paths
    assert all(a + n == b for (a, n), (b, _) in zip(pieces[:-1], pieces[1:]))
    assert len(pieces) == min(paths, ranges) and max(n for _, n in pieces) - min(n for _, n in pieces) <= 1


def test_path_ranges_refuse_bad_counts():
    with pytest.raises(ValueError, match="paths must be > 0, got 0"):
        tcd.path_ranges(0, 2)
    with pytest.raises(ValueError, match="ranges must be > 0, got -1"):
        tcd.path_ranges(10, -1)
    with pytest.raises(TypeError, match="paths must be an integer, got float 2.5"):
        tcd.path_ranges(2.5, 2)


def _scenarios():
    study = tc.datasets.load_three_vendors()
    return [dataclasses.replace(study, discount_rate=rate) for rate in (0.02, 0.05, 0.09)]


def test_many_studies_as_partitions_equal_their_single_machine_results(client):
    scenarios = _scenarios()
    for got, study in zip(tcd.evaluate_studies(scenarios, npartitions=2), scenarios):
        pd.testing.assert_frame_equal(got.summary, study.evaluate().summary, check_exact=True)
    simulated = tcd.evaluate_studies(scenarios, paths=2_000, seed=4)
    for got, study in zip(simulated, scenarios):
        want = tc.simulate(study, 2_000, seed=4, progress=False)
        pd.testing.assert_frame_equal(got.present_values, want.present_values, check_exact=True)
        pd.testing.assert_frame_equal(got.summary, want.summary, check_exact=True)
    with pytest.raises(ValueError, match="studies must not be empty"):
        tcd.evaluate_studies([])


# ------------------------------------------------------------------------------- pickling round trips


def _study():
    return tc.datasets.load_three_vendors()


@pytest.mark.parametrize("dumps,loads", [(pickle.dumps, pickle.loads), (cloudpickle.dumps, cloudpickle.loads)],
                         ids=["pickle", "cloudpickle"])
def test_round_trips_give_the_same_numbers(models, summary, dumps, loads):
    bgf, ggf = models
    study = _study()
    dist = tc.LogNormal(median=5_000, p90=12_000)
    for model in (bgf, ggf):
        again = loads(dumps(model))
        pd.testing.assert_series_equal(again.params_, model.params_, check_exact=True)
    x, t_x, age = summary["frequency"], summary["recency"], summary["T"]
    np.testing.assert_array_equal(loads(dumps(bgf)).p_alive(x, t_x, age), bgf.p_alive(x, t_x, age))
    np.testing.assert_array_equal(loads(dumps(dist)).sample(100, seed=3), dist.sample(100, seed=3))
    pd.testing.assert_frame_equal(loads(dumps(study)).evaluate().summary, study.evaluate().summary, check_exact=True)
    offer = loads(dumps(study.offers[0]))
    pd.testing.assert_frame_equal(tc.Study([offer], horizon=study.horizon, discount_rate=study.discount_rate).evaluate().summary,
                                  tc.Study([study.offers[0]], horizon=study.horizon, discount_rate=study.discount_rate).evaluate().summary, check_exact=True)


def _on_worker(study, model, dist, x, t_x, age):
    return study.evaluate().summary, model.p_alive(x, t_x, age), dist.sample(50, seed=9), study, model


def test_round_trips_through_the_cluster(client, models, summary):
    """Objects go to a worker process and come back (both ways through Dask's serialisation)."""
    bgf, _ = models
    study, dist = _study(), tc.Weibull(2.2, 4.5)
    x, t_x, age = (summary[c].to_numpy() for c in ("frequency", "recency", "T"))
    table, alive, sample, study_back, model_back = client.submit(_on_worker, study, bgf, dist, x, t_x, age).result()
    pd.testing.assert_frame_equal(table, study.evaluate().summary, check_exact=True)
    np.testing.assert_array_equal(alive, bgf.p_alive(x, t_x, age))
    np.testing.assert_array_equal(sample, dist.sample(50, seed=9))
    pd.testing.assert_frame_equal(study_back.evaluate().summary, study.evaluate().summary, check_exact=True)
    pd.testing.assert_series_equal(model_back.params_, bgf.params_, check_exact=True)


# ------------------------------------------------------------------------------------------ optional


def test_trustcost_does_not_import_dask_and_the_extra_is_named_when_missing():
    code = textwrap.dedent("""
        import sys
        import trustcost
        assert not any(m == "dask" or m.startswith("dask.") or m == "distributed" for m in sys.modules), "dask imported"
        sys.modules["dask"] = None  # as if Dask were not installed
        try:
            import trustcost.distributed
        except ImportError as exc:
            print(exc)
        else:
            raise SystemExit("imported without dask")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install trustcost[dask]" in out.stdout


# ------------------------------------------------------------------- fails loudly: memory, stalls, refusals


def _worker(address="tcp://w:1", limit=1024, process=300, threads=1, pause=0.8, buffers=0) -> tcd.WorkerMemory:
    mib = 2**20
    return tcd.WorkerMemory(address, limit * mib, process * mib, pause, threads, buffers * mib)


def test_pieces_are_cut_to_fit_the_tightest_worker():
    """Worker of 1024 MiB paused at 80% (819.2 MiB) holding 300 MiB: 519.2 MiB per task (one thread).
    A 4,000 MiB job in 2 pieces needs 2,000 MiB each; ceil(4000 / 519.2) = 8 pieces fit."""
    fit = tcd.memory.pieces_that_fit
    mib = 2**20
    workers = [_worker("tcp://a:1"), _worker("tcp://b:1", process=250)]
    assert fit("step", workers, 4_000 * mib, 0.0, None, least=2, most=100, piece_name="p", advice="") == 8
    assert fit("step", workers, 400 * mib, 0.0, None, least=2, most=100, piece_name="p", advice="") == 2
    # Two threads share the room: ceil(4000 / 259.6) = 16.
    two = [_worker(threads=2)]
    assert fit("step", two, 4_000 * mib, 0.0, None, least=2, most=100, piece_name="p", advice="") == 16
    # A count the user gave is checked, never changed; the smallest limit is (300 + 2000) / 0.8 = 2,875 MiB.
    with pytest.raises(tcd.WorkerMemoryError, match=r"tcp://a:1 has memory_limit 1,024 MiB.*about 2,875 MiB"):
        fit("step", workers, 4_000 * mib, 0.0, 2, least=2, most=100, piece_name="p", advice="")
    # P2P buffers held on each worker: min(200 MiB buffers, 1,000 MiB shuffled / 2 workers) = 200 MiB less room.
    buffered = [_worker(buffers=200), _worker("tcp://b:1", buffers=200)]
    assert fit("step", buffered, 4_000 * mib, 0.0, None, least=2, most=100, piece_name="p", advice="",
               shuffled=1_000 * mib) == 13  # ceil(4000 / 319.2)
    assert fit("step", [], 1e30, 0.0, None, least=3, most=3, piece_name="p", advice="") == 3  # no cluster: no check


def test_a_worker_full_before_any_task_is_named_with_the_smallest_limit():
    with pytest.raises(tcd.WorkerMemoryError) as info:
        tcd.memory.pieces_that_fit("trustcost.distributed.fit", [_worker(limit=256, process=300)], 0.0, 0.0, 1,
                                   least=1, most=1, piece_name="tasks", advice="")
    message = str(info.value)
    assert "trustcost.distributed.fit" in message and "memory_limit 256 MiB" in message
    assert "holds 300 MiB before any task" in message and "pauses it (80% of its limit = 205 MiB)" in message
    assert "wait forever" in message
    assert "smallest memory_limit that works is about 375 MiB" in message  # 300 / 0.8


@pytest.fixture(scope="module")
def small_cluster():
    """One worker paused at 50% of 240 MiB = 120 MiB, far below what a worker holds with trustcost
    loaded (~170 MiB), and far from the nanny's kill line (95% = 228 MiB)."""
    with dask.config.set({"distributed.worker.memory.pause": 0.5}):  # the nanny passes it to the worker
        cluster = distributed.LocalCluster(processes=True, n_workers=1, threads_per_worker=1, memory_limit="240MiB",
                                           dashboard_address=":0", silence_logs=logging.CRITICAL)
    with cluster, distributed.Client(cluster, set_as_default=False) as c:
        yield c


def test_a_too_small_memory_limit_is_a_clear_error_within_30_seconds(small_cluster, log):
    """Without the check Dask pauses the worker at once and the summary waits forever."""
    ddf = dd.from_pandas(log, npartitions=3)
    with small_cluster.as_current():
        start = time.monotonic()
        with pytest.raises(tcd.WorkerMemoryError, match=r"memory_limit 240 MiB.*smallest memory_limit that works is about"):
            tcd.rfm_summary(ddf, "customer", "date", "value")
        with pytest.raises(tcd.WorkerMemoryError, match="trustcost.distributed.simulate"):
            tcd.simulate(_uncertain_study(), 1_000, seed=1)
        with pytest.raises(tcd.WorkerMemoryError, match="trustcost.distributed.evaluate_studies"):
            tcd.evaluate_studies(_scenarios(), paths=500)
        assert time.monotonic() - start < 30


def test_result_size_per_path_and_worker_memory_are_measured(client):
    study = _uncertain_study()
    fixed, per_path = tcd.montecarlo.footprint(study, 1)
    assert per_path >= 8 * len(study.offers)  # at least the present values of every offer
    [worker] = tcd.worker_memory()[:1]
    assert worker.memory_limit > 0 and worker.process > 10 * 2**20 and worker.threads == 1


def test_summary_reports_excluded_rows_in_attrs(client):
    log = transaction_log(300, seed=9, string_ids=False)
    end = log["date"].quantile(0.7)
    got = tcd.rfm_summary(dd.from_pandas(log, npartitions=3), "customer", "date", observation_period_end=end)
    after = int((log["date"].dt.normalize() > end.normalize()).sum())
    assert after > 0
    assert got.compute().attrs == {"excluded": {"rows": after, "reason": "after observation_period_end"}}
    everything = tcd.rfm_summary(dd.from_pandas(log, npartitions=3), "customer", "date").compute()
    assert everything.attrs == {"excluded": {}} == tc.rfm_summary(log, "customer", "date").attrs


def test_the_dask_layer_refuses_what_the_single_machine_function_refuses(client):
    log = transaction_log(90, seed=4, string_ids=False)  # about 1,800 rows or fewer
    ddf = dd.from_pandas(log, npartitions=2)
    for bad in (0, -1):
        with pytest.raises(ValueError, match=f"npartitions must be > 0, got {bad!r}"):
            tcd.rfm_summary(ddf, "customer", "date", npartitions=bad)
    for bad in (1.5, True):
        with pytest.raises(TypeError, match=f"npartitions must be an integer, got {type(bad).__name__} {bad!r}"):
            tcd.rfm_summary(ddf, "customer", "date", npartitions=bad)
    with pytest.raises(ValueError, match=r"npartitions must be <= 100000"):
        tcd.rfm_summary(ddf, "customer", "date", npartitions=10**6)
    with pytest.raises(ValueError, match=r"npartitions must be <= the number of transactions \(about"):
        tcd.rfm_summary(ddf, "customer", "date", npartitions=50_000)
    early = log["date"].min() - pd.Timedelta(days=3)
    with pytest.raises(ValueError, match="transactions has no rows on or before observation_period_end") as single:
        tc.rfm_summary(log, "customer", "date", observation_period_end=early)
    with pytest.raises(ValueError, match="transactions has no rows on or before observation_period_end") as dask_layer:
        tcd.rfm_summary(ddf, "customer", "date", observation_period_end=early)
    assert str(single.value) == str(dask_layer.value)
    with pytest.raises(ValueError, match="freq"):
        tcd.rfm_summary(ddf, "customer", "date", freq="fortnight")
    with pytest.raises(ValueError, match="ranges must be <= 100000"):
        tcd.simulate(_uncertain_study(), 10**6, ranges=10**6)
    with pytest.raises(ValueError, match=r"npartitions must be >= 1, got 0"):
        tcd.evaluate_studies(_scenarios(), npartitions=0)
    with pytest.raises(ValueError, match="stall_timeout must be a number of seconds > 0"):
        tcd.fit(tc.BetaGeo(), dd.from_pandas(tc.rfm_summary(log, "customer", "date"), npartitions=2), stall_timeout=0)
    with pytest.raises(TypeError, match="progress must be None, True"):
        tcd.simulate(_uncertain_study(), 100, progress="yes")


def test_progress_is_reported_to_a_callback(distributed_summary, summary):
    calls = []
    got = tcd.fit(tc.BetaGeo(), distributed_summary, progress=lambda *a: calls.append(a))
    assert got.n_customers_ == len(summary)
    assert calls and all(step == "trustcost.distributed.summary_counts" for step, _, _ in calls)
    assert all(0 <= finished <= total for _, finished, total in calls)
    step, finished, total = calls[-1]
    # At the end every task of the reduction has run: at least one per summary partition, and the merge.
    assert finished == total >= distributed_summary.npartitions + 1


def test_a_step_without_progress_stops_with_an_error_naming_the_paused_worker(small_cluster):
    """The small worker, once trustcost is loaded on it, is above Dask's pause line: a computation
    that skips the memory check (tcd.compute of any graph) cannot start, and the guard stops it."""
    with small_cluster.as_current():
        [worker] = tcd.worker_memory()  # loads trustcost on the worker
        assert worker.process > worker.usable
        start = time.monotonic()
        with pytest.raises(tcd.StalledError,
                           match=r"a sum: no task finished or started for 2 s \(stall_timeout\): worker .* is paused"):
            tcd.compute(dask.delayed(sum)([1, 2]), step="a sum", stall_timeout=2)
        assert time.monotonic() - start < 20


def test_summary_partitions_are_cut_to_fit_a_small_worker():
    """One worker paused at 60% of 400 MiB = 240 MiB holds ~170 MiB before any task: a one-partition
    log of ~200,000 rows needs about 16 x 32 bytes a row = ~100 MiB in one summary task, more than the
    room left, so the summary is cut into more partitions, and its numbers do not change."""
    log = transaction_log(12_000, seed=3, string_ids=False)
    with dask.config.set({"distributed.worker.memory.pause": 0.6}):
        cluster = distributed.LocalCluster(processes=True, n_workers=1, threads_per_worker=1, memory_limit="400MiB",
                                           dashboard_address=":0", silence_logs=logging.CRITICAL)
    with cluster, distributed.Client(cluster, set_as_default=False) as small, small.as_current():
        [worker] = tcd.worker_memory()
        room = worker.usable - worker.process
        need = len(log) * 32 * tcd.rfm.WORKING_FACTOR
        assert 0 < room < need  # the premise: the whole log in one task does not fit
        got = tcd.rfm_summary(dd.from_pandas(log, npartitions=1), "customer", "date", "value", freq="W")
        assert got.npartitions >= need / room
        got = tcd.compute(got)[0].sort_index()
    assert_same_frame(got, tc.rfm_summary(log, "customer", "date", "value", freq="W"))
