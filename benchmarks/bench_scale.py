"""Scale-out benchmark: a transaction log larger than any worker's memory, summary -> fit -> scores.

1. Generates a synthetic log (customers with gamma-distributed purchase rates and exponential
   lifetimes, purchases in time order) to Parquet in a temporary directory, one file per chunk,
   so generation holds one chunk in memory at a time.
2. On a local Dask cluster whose workers each have a memory limit well below the log's in-memory
   size: ``trustcost.distributed`` reads the files block by block, builds the weekly RFM summary
   (shuffle by customer, spilling to disk), fits BG/NBD and Gamma-Gamma from the reduced counts,
   writes p_alive / expected purchases / CLV of every customer to Parquet and takes the
   watchlist's top 100. Reports each step's time and each worker's peak resident memory
   (``ru_maxrss`` of the worker process).
3. The same steps in one process with single-machine trustcost (pandas) on the largest log that
   fits (``--single-rows``, default the whole log), with its peak memory, checking that the
   summary, the fitted parameters and the top of the watchlist agree exactly.
4. lifetimes on the first 1M rows (summary, BG/NBD and Gamma-Gamma fits, CLV), beside trustcost
   single-machine on the same rows.

Before the first task ``trustcost.distributed`` checks every worker's memory: a limit too small
for the blocks stops the run at once with ``WorkerMemoryError`` (exit status 2) naming the
smallest limit that works, and a step that stops making progress stops with ``StalledError``.

    python benchmarks/bench_scale.py                                  # 50M rows, 2 workers x 512 MiB
    python benchmarks/bench_scale.py --rows 5000000 --memory-limit 430MiB --no-lifetimes
    python benchmarks/bench_scale.py --rows 5000000 --memory-limit 256MiB --no-lifetimes
        # stops in about 15-20 s: a worker holds ~173 MiB before any task plus 76 MiB of P2P
        # buffers, above Dask's pause line (205 MiB); "the smallest memory_limit that works is
        # about 427 MiB" (or pass a smaller --blocksize)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

DAYS = 3 * 365
START = np.datetime64("2020-01-01T00:00:00", "s")
BYTES_PER_ROW = 24  # int64 customer, datetime64 date, float64 value in pandas


def generate(directory: Path, rows: int, customers: int, chunk_rows: int, seed: int) -> int:
    """Write the log in time order, ``chunk_rows`` rows per file; returns the rows written.

    Customer i is born at a uniform day, lives an exponential time (mean 400 days) and buys at a
    gamma-distributed rate while alive (their first purchase on the day of birth). Each chunk
    covers a slice of days; its rows are drawn from the customers alive in it, in proportion to
    rate x overlap (a Poisson process given the chunk's total).
    """
    rng = np.random.default_rng(seed)
    birth = rng.uniform(0, DAYS * 0.85, customers)
    death = birth + rng.exponential(400.0, customers)
    rate = rng.gamma(0.7, 1.0, customers)
    n_chunks = -(-rows // chunk_rows)
    edges = np.linspace(0, DAYS, n_chunks + 1)
    written = 0
    for k in range(n_chunks):
        n = min(chunk_rows, rows - written)
        lo, hi = edges[k], edges[k + 1]
        born_here = np.flatnonzero((birth >= lo) & (birth < hi))
        overlap = np.clip(np.minimum(death, hi) - np.maximum(birth, lo), 0.0, None)
        weight = rate * overlap
        repeat_rows = n - born_here.size
        who = rng.choice(customers, size=repeat_rows, p=weight / weight.sum())
        start = np.maximum(birth[who], lo)
        when = start + rng.uniform(0, 1, repeat_rows) * (np.minimum(death[who], hi) - start)
        customer = np.concatenate([born_here, who])
        day = np.concatenate([birth[born_here], when])
        order = np.argsort(day, kind="stable")
        seconds = (day[order] * 86_400).astype(np.int64)
        table = pa.table({
            "customer": pa.array(customer[order].astype(np.int64)),
            "date": pa.array(START + seconds.astype("timedelta64[s]")),
            "value": pa.array(np.round(rng.gamma(2.0, 25.0, n), 2) + 1.0),
        })
        pq.write_table(table, directory / f"part-{k:04d}.parquet", row_group_size=250_000)
        written += n
    return written


def peak_rss_mib() -> float:
    """Peak resident memory of this process image (VmHWM: reset at exec, unlike ``ru_maxrss``, which a
    spawned worker inherits from the parent it was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # not Linux: an upper bound


def run_distributed(directory: Path, out: Path, workers: int, memory_limit: str, partitions: int | None, block: str,
                    progress: bool) -> dict:
    import dask
    import distributed

    import trustcost as tc
    import trustcost.distributed as tcd

    # P2P shuffle buffers default to 1 GiB of outgoing shards: more than a small worker holds.
    dask.config.set({"distributed.worker.memory.spill": 0.6, "distributed.worker.memory.target": 0.5,
                     "distributed.p2p.comm.buffer": "48 MiB", "distributed.p2p.storage.buffer": "32 MiB",
                     "temporary-directory": str(out / "dask-worker-space")})
    timings = {}
    with distributed.LocalCluster(processes=True, n_workers=workers, threads_per_worker=1, memory_limit=memory_limit,
                                  dashboard_address=":0", silence_logs=logging.ERROR,
                                  local_directory=str(out / "dask-worker-space")) as cluster, \
            distributed.Client(cluster) as client:
        pids = set(client.run(os.getpid).values())
        progress = True if progress else None
        start = time.perf_counter()
        log = tcd.read_transactions(directory, "customer", "date", "value", blocksize=block)
        summary = tcd.rfm_summary(log, "customer", "date", "value", freq="W", npartitions=partitions)
        summary = tcd.persist(summary, step="summary", progress=progress)
        timings["summary"] = time.perf_counter() - start
        t = time.perf_counter()
        bgf = tcd.fit(tc.BetaGeo(), summary, progress=progress)
        ggf = tcd.fit(tc.GammaGamma(), summary, progress=progress)
        timings["fit"] = time.perf_counter() - t
        t = time.perf_counter()
        scores = tcd.score(summary, bgf, ggf, t=4.0, time=12, freq="W")
        tcd.compute(scores.to_parquet(out / "scores", compute=False), step="scores", progress=progress)
        watch = tcd.silence_watchlist(summary, bgf, ggf, top=100, progress=progress)
        timings["scores"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - start
        peaks = client.run(peak_rss_mib)
        restarted = set(client.run(os.getpid).values()) != pids
        customers = int(summary.map_partitions(len).sum().compute())
    return {"timings": timings, "peaks": peaks, "restarted": restarted, "customers": customers,
            "bgnbd": bgf.params_.tolist(), "gamma_gamma": ggf.params_.tolist(),
            "watchlist": watch.index[:10].tolist()}


def run_single(directory: Path, rows: int, result_file: Path) -> None:
    """trustcost in one process on the first ``rows`` rows (run in a fresh interpreter for its peak)."""
    import trustcost as tc

    start = time.perf_counter()
    files = sorted(directory.glob("*.parquet"))
    frames, have = [], 0
    for f in files:
        if have >= rows:
            break
        frames.append(pd.read_parquet(f))
        have += len(frames[-1])
    log = pd.concat(frames, ignore_index=True).iloc[:rows]
    del frames
    timings = {"read": time.perf_counter() - start}
    t = time.perf_counter()
    summary = tc.rfm_summary(log, "customer", "date", "value", freq="W")
    timings["summary"] = time.perf_counter() - t
    t = time.perf_counter()
    bgf = tc.BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    ggf = tc.GammaGamma().fit(summary["frequency"], summary["monetary_value"])
    timings["fit"] = time.perf_counter() - t
    t = time.perf_counter()
    scores = pd.DataFrame({"p_alive": bgf.p_alive(summary["frequency"], summary["recency"], summary["T"]),
                           "expected_purchases": bgf.expected_purchases(4.0, summary["frequency"], summary["recency"], summary["T"]),
                           "clv": tc.customer_lifetime_value(bgf, ggf, summary, time=12, freq="W")})
    watch = tc.silence_watchlist(summary, bgf, ggf, top=100)
    timings["scores"] = time.perf_counter() - t
    timings["total"] = sum(timings.values())
    result_file.write_text(json.dumps({"timings": timings, "peak": peak_rss_mib(), "rows": len(log),
                                       "customers": len(summary), "bgnbd": bgf.params_.tolist(),
                                       "gamma_gamma": ggf.params_.tolist(), "watchlist": watch.index[:10].tolist(),
                                       "scored": len(scores)}))


def run_lifetimes(directory: Path, rows: int, total_rows: int) -> dict:
    """lifetimes and single-machine trustcost on the same ~``rows`` rows (every purchase of the first customers)."""
    import lifetimes
    from lifetimes.utils import summary_data_from_transaction_data

    import trustcost as tc

    # Whole histories of the first customers (not the first rows: a time-ordered log's first 1M rows
    # cover three weeks, too short to identify BG/NBD).
    customers = int(pd.read_parquet(directory, columns=["customer"])["customer"].max()) + 1
    share = customers * rows // total_rows
    log = pd.read_parquet(directory, filters=[("customer", "<", share)])
    out = {"rows": len(log)}
    t = time.perf_counter()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        s = summary_data_from_transaction_data(log, "customer", "date", "value", freq="W")
        bgf = lifetimes.BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
        repeat = s[s["frequency"] > 0]
        ggf = lifetimes.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
        ggf.customer_lifetime_value(bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"], time=12, freq="W")
    out["lifetimes"] = time.perf_counter() - t
    t = time.perf_counter()
    s = tc.rfm_summary(log, "customer", "date", "value", freq="W")
    bg = tc.BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    gg = tc.GammaGamma().fit(s["frequency"], s["monetary_value"])
    tc.customer_lifetime_value(bg, gg, s, time=12, freq="W")
    out["trustcost"] = time.perf_counter() - t
    out["lifetimes_bgnbd"] = [bgf.params_[k] for k in ("r", "alpha", "a", "b")]
    out["trustcost_bgnbd"] = bg.params_.tolist()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--customers", type=int, default=None, help="default rows / 20")
    parser.add_argument("--chunk-rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="512MiB", help="per worker")
    parser.add_argument("--partitions", type=int, default=None,
                        help="summary partitions (default rows / 250k, more if a worker needs smaller ones)")
    parser.add_argument("--progress", action="store_true", help="print each distributed step's task counts")
    parser.add_argument("--blocksize", default="6MB", help="read partitions (one 250k-row group is ~6 MB in memory)")
    parser.add_argument("--single-rows", type=int, default=None, help="rows for single-machine trustcost (default all)")
    parser.add_argument("--lifetimes-rows", type=int, default=1_000_000)
    parser.add_argument("--no-lifetimes", action="store_true")
    parser.add_argument("--no-single", action="store_true")
    parser.add_argument("--no-cluster", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-dir", help="keep the generated log here (reused if it already holds Parquet files)")
    parser.add_argument("--single-worker", help=argparse.SUPPRESS, nargs=3)
    args = parser.parse_args()
    if args.single_worker:  # the fresh interpreter of step 3
        run_single(Path(args.single_worker[0]), int(args.single_worker[1]), Path(args.single_worker[2]))
        return

    customers = args.customers or max(args.rows // 20, 1)
    partitions = args.partitions
    tmp = Path(tempfile.mkdtemp(prefix="trustcost-bench-scale-"))
    try:
        logdir = Path(args.log_dir) if args.log_dir else tmp / "log"
        logdir.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        if any(logdir.glob("*.parquet")):
            rows = sum(pq.ParquetFile(f).metadata.num_rows for f in logdir.glob("*.parquet"))
            customers = int(pd.read_parquet(logdir, columns=["customer"])["customer"].max()) + 1
            print(f"reusing the log in {logdir} (the peak RSS below is of reading its customer column)")
        else:
            rows = generate(logdir, args.rows, customers, args.chunk_rows, args.seed)
        size = sum(f.stat().st_size for f in logdir.glob("*.parquet"))
        in_memory = rows * BYTES_PER_ROW / 2**20
        print(f"log: {rows:,} rows, {customers:,} customers; Parquet {size / 2**20:,.0f} MiB, "
              f"{in_memory:,.0f} MiB in memory (pandas); generated in {time.perf_counter() - t:.1f} s "
              f"(client peak RSS {peak_rss_mib():,.0f} MiB)")

        print(f"\ntrustcost.distributed: LocalCluster {args.workers} workers x 1 thread, memory_limit {args.memory_limit} "
              f"per worker, read in blocks of {args.blocksize}, "
              f"{partitions or 'as many'} summary partitions{'' if partitions else ' as read blocks, more if a worker needs'}")
        d = {"timings": {}, "peaks": {}, "restarted": False, "customers": 0, "bgnbd": [], "gamma_gamma": [], "watchlist": []}
        if not args.no_cluster:
            import trustcost.distributed as tcd

            t = time.perf_counter()
            try:
                d = run_distributed(logdir, tmp, args.workers, args.memory_limit, partitions, args.blocksize,
                                    args.progress)
            except (tcd.WorkerMemoryError, tcd.StalledError) as exc:
                print(f"  stopped after {time.perf_counter() - t:.1f} s: {type(exc).__name__}: {exc}")
                raise SystemExit(2) from None
        for step, seconds in d["timings"].items():
            print(f"  {step:<8} {seconds:8.1f} s")
        print(f"  peak RSS per worker: " + ", ".join(f"{v:,.0f} MiB" for v in d["peaks"].values())
              + (" (a worker was restarted: peaks are of the replacements)" if d["restarted"] else ""))
        print(f"  {d['customers']:,} customers; BG/NBD {d['bgnbd']}, Gamma-Gamma {d['gamma_gamma']}")

        if not args.no_single:
            single_rows = min(args.single_rows or rows, rows)
            result = tmp / "single.json"
            subprocess.run([sys.executable, __file__, "--single-worker", str(logdir), str(single_rows), str(result)],
                           check=True)
            s = json.loads(result.read_text())
            print(f"\nsingle-machine trustcost (one process, pandas) on {s['rows']:,} rows:")
            for step, seconds in s["timings"].items():
                print(f"  {step:<8} {seconds:8.1f} s")
            print(f"  peak RSS {s['peak']:,.0f} MiB; BG/NBD {s['bgnbd']}, Gamma-Gamma {s['gamma_gamma']}")
            if s["rows"] == rows and d["bgnbd"]:
                same = s["bgnbd"] == d["bgnbd"] and s["gamma_gamma"] == d["gamma_gamma"] and s["watchlist"] == d["watchlist"]
                print(f"  same parameters (bit for bit) and watchlist as the cluster: {same}")
                print(f"  cluster total / single-machine total: {d['timings']['total'] / s['timings']['total']:.2f}x")

        if not args.no_lifetimes:
            lt = run_lifetimes(logdir, args.lifetimes_rows, rows)
            print(f"\nlifetimes 0.11 vs single-machine trustcost on {lt['rows']:,} rows (summary, BG/NBD, Gamma-Gamma, CLV):")
            print(f"  lifetimes  {lt['lifetimes']:8.1f} s")
            print(f"  trustcost  {lt['trustcost']:8.1f} s   (lifetimes time / trustcost time = {lt['lifetimes'] / lt['trustcost']:.2f})")
            print(f"  BG/NBD lifetimes {np.round(lt['lifetimes_bgnbd'], 4).tolist()} trustcost {np.round(lt['trustcost_bgnbd'], 4).tolist()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
