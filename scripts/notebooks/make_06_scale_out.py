"""Writes notebooks/06_scale_out.ipynb (without outputs): python scripts/notebooks/make_06_scale_out.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# Scale-out on Dask: the same numbers, on more than one machine\n\n"
        "`trustcost.distributed` (install with `pip install trustcost[dask]`) runs the single-machine "
        "functions on pieces of the data and merges the pieces exactly: every customer's transactions meet "
        "in one partition for the RFM summary, the fits see the counts of distinct summary rows, scores are "
        "computed partition by partition, and Monte Carlo paths are split into ranges of the same random "
        "streams. Reach for it when the transaction log does not fit in one process's memory, or when many "
        "studies or many paths should use many machines. This notebook uses a small log and a local cluster; "
        "the code is the same on a real cluster."
    ),
    new_code_cell(
        "import tempfile\nfrom pathlib import Path\n\nimport numpy as np\nimport pandas as pd\n"
        "from distributed import Client, LocalCluster\n\n"
        "import trustcost as tc\nimport trustcost.distributed as tcd\n\n"
        "# Two worker processes on this machine. On a real cluster: client = Client('tcp://scheduler-host:8786')\n"
        "cluster = LocalCluster(n_workers=2, threads_per_worker=1, memory_limit='1GiB', dashboard_address=':0')\n"
        "client = Client(cluster)\n"
        "print('dashboard (task stream, worker memory, progress):', client.dashboard_link)\nclient"
    ),
    new_markdown_cell(
        "## A transaction log on disk\n\nA synthetic log written to Parquet in chunks (one file per month, as "
        "logs often arrive). `read_transactions` reads it lazily, one block per partition: nothing is loaded "
        "on the client."
    ),
    new_code_cell(
        "rng = np.random.default_rng(0)\n"
        "n_customers = 2_000\n"
        "birth = rng.uniform(0, 300, n_customers)\n"
        "death = birth + rng.exponential(200, n_customers)\n"
        "rate = rng.gamma(0.8, 1 / 10, n_customers)  # purchases per day while active\n"
        "logdir = Path(tempfile.mkdtemp()) / 'log'\nlogdir.mkdir()\n"
        "for month in range(12):\n"
        "    lo, hi = 30.0 * month, 30.0 * (month + 1)\n"
        "    new = np.flatnonzero((birth >= lo) & (birth < hi))  # first purchases this month\n"
        "    overlap = np.clip(np.minimum(death, hi) - np.maximum(birth, lo), 0, None)\n"
        "    repeats = rng.poisson(rate * overlap)\n"
        "    who = np.concatenate([new, np.repeat(np.arange(n_customers), repeats)])\n"
        "    start = np.concatenate([birth[new], np.maximum(birth, lo)[who[new.size:]]])\n"
        "    span = np.concatenate([np.zeros(new.size), (np.minimum(death, hi) - np.maximum(birth, lo))[who[new.size:]]])\n"
        "    day = start + rng.uniform(0, 1, who.size) * span\n"
        "    pd.DataFrame({'customer': who, 'date': pd.Timestamp('2024-01-01') + pd.to_timedelta(day, unit='D'),\n"
        "                  'value': np.round(rng.gamma(2.0, 25.0, who.size), 2) + 1.0}\n"
        "                 ).to_parquet(logdir / f'month-{month:02d}.parquet')\n"
        "log = tcd.read_transactions(logdir, 'customer', 'date', 'value')\n"
        "log"
    ),
    new_markdown_cell(
        "## RFM summary\n\nShuffled by customer on the workers (spilling to disk when memory fills), then "
        "summarised partition by partition with `trustcost.rfm_summary`. `tcd.persist` keeps it on the workers "
        "and reports progress; before any task runs, each worker's memory limit and current memory are read "
        "and the partitions are sized to fit (see the end of this notebook for a worker too small)."
    ),
    new_code_cell(
        "memory = pd.DataFrame(tcd.worker_memory()).set_index('address')\n"
        "print((memory[['memory_limit', 'process', 'shuffle_buffers']] / 2**20).round().rename(columns=lambda c: c + ' (MiB)'))\n"
        "summary = tcd.persist(tcd.rfm_summary(log, 'customer', 'date', 'value', freq='W'), progress=True)\n"
        "summary.head()"
    ),
    new_markdown_cell(
        "On this small log we can check it against one process: the same frame, bit for bit."
    ),
    new_code_cell(
        "whole = pd.read_parquet(logdir)\n"
        "single = tc.rfm_summary(whole, 'customer', 'date', 'value', freq='W')\n"
        "pd.testing.assert_frame_equal(summary.compute().sort_index(), single, check_exact=True, check_index_type=False)\n"
        "len(single)"
    ),
    new_markdown_cell(
        "## Fits from counts\n\nThe likelihoods depend on the data only through the distinct (x, t_x, T) rows "
        "and their counts, which the workers reduce; the client fits on that small table."
    ),
    new_code_cell(
        "print(len(tcd.summary_counts(summary)), 'distinct (x, t_x, T) rows for', len(single), 'customers')\n"
        "bgnbd = tcd.fit(tc.BetaGeo(), summary)\n"
        "spend = tcd.fit(tc.GammaGamma(), summary)\n"
        "print(bgnbd)\nprint(spend)\n"
        "one = tc.BetaGeo().fit(single['frequency'], single['recency'], single['T'])\n"
        "assert (bgnbd.params_ == one.params_).all()  # bit-identical to the single-machine fit\n"
        "bgnbd.summary"
    ),
    new_markdown_cell(
        "## Scores and the watchlist\n\nThe fitted models travel to the workers; each partition is scored by "
        "the single-machine functions. The watchlist keeps each partition's top k and merges them."
    ),
    new_code_cell(
        "scores = tcd.score(summary, bgnbd, spend, t=13, time=12, discount_rate=0.01, freq='W')\n"
        "scores.to_parquet(logdir.parent / 'scores')  # written by the workers\n"
        "scores.nlargest(5, 'clv').compute()"
    ),
    new_code_cell(
        "watch = tcd.silence_watchlist(summary, bgnbd, spend, top=10, horizon=13, unit='weeks')\n"
        "watch[['silence', 'typical_gap', 'p_alive', 'value_at_risk', 'reason']]"
    ),
    new_markdown_cell(
        "## Monte Carlo across workers\n\nEach worker simulates a range of paths of the same random streams; "
        "the ranges merge into exactly the single-machine result with the same seed."
    ),
    new_code_cell(
        "study = tc.datasets.load_three_vendors()\n"
        "spread = tcd.simulate(study, 20_000, seed=1)\n"
        "alone = tc.simulate(study, 20_000, seed=1, progress=False)\n"
        "pd.testing.assert_frame_equal(spread.summary, alone.summary, check_exact=True)\n"
        "spread.summary"
    ),
    new_markdown_cell(
        "Many studies at once, one task each: here the same offers under three discount rates."
    ),
    new_code_cell(
        "import dataclasses\n"
        "scenarios = [dataclasses.replace(study, discount_rate=rate) for rate in (0.02, 0.04, 0.08)]\n"
        "results = tcd.evaluate_studies(scenarios)\n"
        "pd.DataFrame({rate: r.summary['present_value'] for rate, r in zip((0.02, 0.04, 0.08), results)})"
    ),
    new_markdown_cell(
        "## A worker too small fails loudly\n\nA worker with Python, pandas, Dask and trustcost loaded holds "
        "about 170 MiB before any task, and Dask pauses a worker above 80% of its `memory_limit`. Rather than "
        "wait forever, `trustcost.distributed` stops before the first task with `WorkerMemoryError`, naming the "
        "limit, the footprint and the smallest limit that works; a step that stops making progress later "
        "(workers paused or lost) stops after `stall_timeout` seconds with `StalledError`."
    ),
    new_code_cell(
        "import logging\n\n"
        "with LocalCluster(n_workers=1, threads_per_worker=1, memory_limit='200MiB', dashboard_address=':0',\n"
        "                  silence_logs=logging.CRITICAL) as small, \\\n"
        "        Client(small, set_as_default=False) as tiny, tiny.as_current():\n"
        "    try:\n"
        "        tcd.rfm_summary(log, 'customer', 'date', 'value', freq='W')\n"
        "    except tcd.WorkerMemoryError as exc:\n"
        "        print(exc)"
    ),
    new_markdown_cell(
        "## On a real cluster\n\nStart a scheduler and workers (`dask scheduler` on one host, `dask worker "
        "tcp://host:8786 --memory-limit 8GiB` on each machine, or a Kubernetes, YARN, SLURM or cloud "
        "deployment), install `trustcost[dask]` on every worker, point the client at the scheduler and read "
        "the log where the workers can see it:\n\n"
        "```python\nclient = Client('tcp://scheduler-host:8786')\n"
        "log = tcd.read_transactions('s3://bucket/orders/*.parquet', 'customer', 'date', 'value')\n"
        "summary = tcd.persist(tcd.rfm_summary(log, 'customer', 'date', 'value', freq='W'), progress=True)\n```\n\n"
        "The dashboard is at `client.dashboard_link`."
    ),
    new_code_cell("client.close()\ncluster.close()"),
]

notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = Path(__file__).resolve().parents[2] / "notebooks" / "06_scale_out.ipynb"
path.parent.mkdir(exist_ok=True)
nbformat.write(notebook, path)
print(f"wrote {path}")
