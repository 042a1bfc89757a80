"""Worker memory checked before the first task: partitions sized to fit, or a clear error.

Dask pauses a worker whose process memory passes ``distributed.worker.memory.pause`` (80% of its
``memory_limit`` by default) and waits for memory to fall; a worker that holds more than that
before any task (Python, numpy, pandas, Dask and trustcost loaded take about 300 MiB) never runs
a task, and the computation waits forever. So every entry point of :mod:`trustcost.distributed`
asks each worker for its limit and its current memory (its baseline, with trustcost imported),
estimates what one task of the planned size needs (bytes per row or per path measured on a small
sample on the client), and either plans smaller pieces or raises :class:`WorkerMemoryError`
naming the limit, the footprint and the smallest limit that works.
"""

from __future__ import annotations

import dataclasses
import math

import dask
import psutil
from dask.utils import parse_bytes
from distributed import get_client

__all__ = ["WorkerMemory", "WorkerMemoryError", "check_workers", "current_client", "pieces_that_fit", "worker_memory"]

MiB = 2**20


class WorkerMemoryError(MemoryError):
    """A Dask worker is too small for the pieces planned for it; the message names the limit, the
    measured footprint and the smallest ``memory_limit`` that works."""


@dataclasses.dataclass(frozen=True)
class WorkerMemory:
    """One worker's memory as it answers before the first task."""

    address: str
    memory_limit: int  # bytes; 0 when the worker has no limit
    process: int  # resident memory now (bytes), trustcost loaded
    pause_fraction: float  # Dask stops giving the worker tasks above this share of the limit
    threads: int
    shuffle_buffers: int = 0  # bytes a P2P shuffle may buffer on the worker (outgoing shards + unwritten storage)

    @property
    def usable(self) -> float:
        """Bytes the worker can hold before Dask pauses it (infinite without a limit)."""
        return self.memory_limit * self.pause_fraction if self.memory_limit else math.inf


def _probe(dask_worker) -> dict:
    """Run on each worker: unpickling this function imports trustcost there, so the resident
    memory measured includes everything a task will have loaded."""
    manager = dask_worker.memory_manager
    pause = manager.memory_pause_fraction
    buffers = (parse_bytes(dask.config.get("distributed.p2p.comm.buffer", "1 GiB"))
               + parse_bytes(dask.config.get("distributed.p2p.storage.buffer", "100 MiB")))
    return {"memory_limit": int(manager.memory_limit or 0), "process": psutil.Process().memory_info().rss,
            "pause_fraction": float(pause) if pause else 1.0, "threads": int(dask_worker.state.nthreads),
            "shuffle_buffers": int(buffers)}


def current_client():
    """The distributed Client in use, or None (Dask's local schedulers, also when chosen with
    ``dask.config.set(scheduler="synchronous")`` while a client exists: no worker limits to check)."""
    if dask.config.get("scheduler", None) not in (None, "dask.distributed", "distributed"):
        return None
    try:
        return get_client()
    except ValueError:
        return None


def worker_memory(client=None) -> list[WorkerMemory]:
    """Each worker's memory limit and current resident memory (asked directly; a paused worker answers too).

    Returns an empty list without a distributed client.
    """
    client = client if client is not None else current_client()
    if client is None:
        return []
    answers = client.run(_probe)
    if not answers:
        raise WorkerMemoryError("the Dask cluster has no workers: start some (cluster.scale(n)) before computing")
    return [WorkerMemory(address, **a) for address, a in sorted(answers.items())]


def _mib(n: float) -> str:
    return f"{n / MiB:,.0f} MiB"


def pieces_that_fit(step: str, workers: list[WorkerMemory], total: float, fixed: float, pieces: int | None,
                    *, least: int, most: int, piece_name: str, advice: str, shuffled: float = 0.0) -> int:
    """How many pieces to cut a job of ``total`` bytes into so that one piece per worker thread fits.

    Parameters
    ----------
    step : str
        The entry point, named in the error.
    workers : list of WorkerMemory
        From :func:`worker_memory` (empty: no check, ``pieces`` or ``least`` is returned).
    total : float
        Measured working memory of the whole job, in bytes; one piece needs ``fixed + total / pieces``.
    fixed : float
        Bytes every piece needs whatever its size.
    pieces : int or None
        The user's count (checked, never changed), or None to choose one in ``least .. most``.
    piece_name : str
        What a piece is, for the message ("summary partitions", "path ranges").
    advice : str
        What else the user can change, appended to the message.
    shuffled : float
        Bytes a P2P shuffle moves in all: each worker reserves its share, up to its shuffle buffers.

    Returns
    -------
    int, the number of pieces. Raises WorkerMemoryError when no count fits.
    """
    if not workers:
        return pieces if pieces is not None else least
    chosen = pieces if pieces is not None else least
    need = fixed + total / chosen

    def held(w: WorkerMemory) -> float:  # before any task: the process now and its shuffle buffers
        return w.process + min(w.shuffle_buffers, shuffled / len(workers))

    tight = min(workers, key=lambda w: w.usable - held(w) - w.threads * need)
    room = (tight.usable - held(tight)) / tight.threads  # bytes one running task may use
    if need <= room:
        return chosen
    if pieces is None and room > fixed:
        wanted = math.ceil(total / (room - fixed))
        if wanted <= most:
            return max(wanted, least)
    best = fixed + total / (chosen if pieces is not None else most)  # the most we may cut it
    smallest = math.ceil((held(tight) + tight.threads * best) / tight.pause_fraction / MiB)
    reserved = held(tight) - tight.process
    buffers = f" after {_mib(reserved)} of shuffle buffers" if reserved >= MiB else ""
    piece = (f"; one of {chosen:,} {piece_name} needs about {_mib(need)} (measured on a sample)"
             if need >= MiB else "")
    if tight.process >= tight.usable:
        why = (f"it already holds {_mib(tight.process)} before any task (Python, numpy, pandas, Dask and trustcost "
               f"loaded), above the line where Dask pauses it ({tight.pause_fraction:.0%} of its limit = "
               f"{_mib(tight.usable)}), so it would wait forever{piece}")
    else:
        why = (f"it holds {_mib(tight.process)} before any task and Dask pauses it at {tight.pause_fraction:.0%} of "
               f"its limit ({_mib(tight.usable)}), leaving {_mib(max(room, 0.0))} per thread{buffers}{piece}")
    raise WorkerMemoryError(
        f"{step}: worker {tight.address} has memory_limit {_mib(tight.memory_limit)} with {tight.threads} thread(s); "
        f"{why}. The smallest memory_limit that works is about {smallest:,} MiB; "
        f"give the workers more memory{advice}."
    )


def check_workers(step: str) -> None:
    """WorkerMemoryError if a worker cannot run a task at all (its memory before any task passes Dask's pause line)."""
    pieces_that_fit(step, worker_memory(), 0.0, 0.0, 1, least=1, most=1, piece_name="tasks",
                    advice=" (or restart workers that hold data no longer needed)")
