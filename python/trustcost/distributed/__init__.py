"""Scale-out on Dask: transaction logs and portfolios larger than one machine, with the same numbers.

Optional: ``pip install trustcost[dask]`` (dask[dataframe], distributed, pyarrow, cloudpickle).
``import trustcost`` never imports Dask; only ``import trustcost.distributed`` does.

Every function here runs the single-machine trustcost function on pieces of the data (one
customer's transactions in one partition, one range of Monte Carlo paths on one worker) and merges
the pieces so that the result equals the single-machine result on the whole data: Dask does the
scheduling, spilling and shuffling; trustcost does the arithmetic, once, in one place.

- :func:`rfm_summary`: frequency/recency/T/monetary of a ``dask.dataframe`` of transactions.
- :func:`read_transactions`: lazily read Parquet or CSV logs of any size, block by block.
- :func:`summary_counts`, :func:`fit`: the distinct summary rows with their counts, reduced
  across partitions, and a fit on the client equal to the single-machine fit bit for bit.
- :func:`score`, :func:`silence_watchlist`: per-customer scores with the fitted models shipped
  to the workers; the watchlist's top k across partitions.
- :func:`simulate`, :func:`evaluate_studies`: Monte Carlo paths split into ranges over workers,
  and many studies evaluated as a bag.
- :func:`compute`, :func:`persist`: Dask's, with a progress report and a stall guard.

Fails loudly, never hangs: before the first task every entry point asks each worker for its
memory limit and current memory and sizes its pieces to fit, or raises :class:`WorkerMemoryError`
naming the limit, the measured footprint and the smallest limit that works; while it waits, a
step that makes no progress for ``stall_timeout`` seconds raises :class:`StalledError` saying
which step and why (paused or lost workers).
"""

from __future__ import annotations

try:
    import dask.dataframe  # noqa: F401
    import distributed  # noqa: F401
except ImportError as exc:  # the optional extra is not installed
    raise ImportError(
        "trustcost.distributed needs Dask and distributed: pip install trustcost[dask] "
        f"(missing: {exc.name or exc})"
    ) from exc

from .fitting import fit, summary_counts
from .guard import StalledError, compute, persist
from .memory import WorkerMemory, WorkerMemoryError, worker_memory
from .montecarlo import path_ranges, simulate
from .portfolio import evaluate_studies
from .rfm import read_transactions, rfm_summary
from .scoring import score, silence_watchlist

__all__ = ["StalledError", "WorkerMemory", "WorkerMemoryError", "compute", "evaluate_studies", "fit", "path_ranges",
           "persist", "read_transactions", "rfm_summary", "score", "silence_watchlist", "simulate", "summary_counts",
           "worker_memory"]
