"""Progress and a wall-clock guard for every distributed step: no silent wait.

A step's tasks are submitted to the cluster and watched from the client. The scheduler counts
every task transition; when that count has not moved for ``stall_timeout`` seconds and no worker
that can run tasks has any assigned, the step is stuck (workers paused by memory, workers lost,
no workers at all): its tasks are cancelled and :class:`StalledError` says which step and why.
A long task on a running worker is progress, not a stall.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import dask
from distributed import futures_of, wait

from .memory import MiB, current_client

__all__ = ["StalledError", "compute", "persist"]

POLL_SECONDS = 0.5
DEFAULT_STALL_TIMEOUT = 60.0


class StalledError(RuntimeError):
    """A distributed step made no progress for ``stall_timeout`` seconds; the message says which
    step and why (paused or lost workers)."""


_DONE = ("memory", "erred", "released", "forgotten")  # a task released or forgotten after it ran is finished


def _group_counts(dask_scheduler) -> dict:
    """Run on the scheduler: finished and total tasks of each task group so far."""
    return {name: (sum(group.states.get(s, 0) for s in _DONE), sum(group.states.values()))
            for name, group in dask_scheduler.task_groups.items()}


def _scheduler_state(dask_scheduler, before: dict) -> dict:
    """Run on the scheduler: the transition count, this step's task counts (the groups' growth
    since ``before``: a graph computed twice reuses its group names) and each worker's state."""
    finished = total = 0
    for name, (done, count) in _group_counts(dask_scheduler).items():
        done_before, count_before = before.get(name, (0, 0))
        finished += max(done - done_before, 0)
        total += max(count - count_before, 0)
    workers = {address: (ws.status.name, len(ws.processing), ws.memory_limit or 0, ws.memory.process)
               for address, ws in dask_scheduler.workers.items()}
    return {"transitions": dask_scheduler.transition_counter, "finished": min(finished, total), "total": total,
            "workers": workers}


def _check_timeout(stall_timeout) -> float:
    if isinstance(stall_timeout, bool) or not isinstance(stall_timeout, (int, float)) or not stall_timeout > 0:
        raise ValueError(f"stall_timeout must be a number of seconds > 0, got {stall_timeout!r}")
    return float(stall_timeout)


def _check_progress(progress):
    if progress is None or progress is False or progress is True or callable(progress):
        return progress
    raise TypeError(f"progress must be None, True (a line on stderr) or a callable(step, finished, total), got {progress!r}")


def _print_progress(step: str, finished: int, total: int) -> None:
    print(f"\r{step}: {finished:,} of {total:,} tasks", end="", file=sys.stderr, flush=True)


def _why(state: dict, started_with: set) -> str:
    reasons = []
    for address, (status, _, limit, process) in sorted(state["workers"].items()):
        if status == "paused":
            share = f" of its {limit / MiB:,.0f} MiB memory_limit" if limit else ""
            reasons.append(f"worker {address} is paused by Dask's memory guard ({process / MiB:,.0f} MiB in use{share})")
    lost = started_with - set(state["workers"])
    if lost:
        reasons.append(f"{len(lost)} of {len(started_with)} workers were lost since the step started "
                       f"({', '.join(sorted(lost))}); a worker restarted by its nanny usually ran out of memory")
    if not state["workers"]:
        reasons.append("the cluster has no workers")
    if not reasons:
        reasons.append("no worker is running a task of this step")
    return "; ".join(reasons)


def _watch(client, futures, step: str, progress, stall_timeout: float, before: dict) -> None:
    report = _print_progress if progress is True else progress
    state = client.run_on_scheduler(_scheduler_state, before=before)
    started_with = set(state["workers"])
    last, moved = state["transitions"], time.monotonic()
    while True:
        try:
            wait(futures, timeout=POLL_SECONDS)
            break
        except TimeoutError:
            pass
        state = client.run_on_scheduler(_scheduler_state, before=before)
        if report:
            report(step, state["finished"], state["total"])
        busy = any(status == "running" and processing for status, processing, _, _ in state["workers"].values())
        if state["transitions"] != last or busy:
            last, moved = state["transitions"], time.monotonic()
        elif time.monotonic() - moved > stall_timeout:
            client.cancel(futures)
            raise StalledError(
                f"{step}: no task finished or started for {stall_timeout:g} s (stall_timeout): {_why(state, started_with)}. "
                "Give the workers more memory (memory_limit), use smaller partitions, or raise stall_timeout "
                "if tasks are slow to start."
            )
    if report:  # done: every task the results need has run (a group may hold a few it did not need)
        total = client.run_on_scheduler(_scheduler_state, before=before)["total"]
        report(step, total, total)
        if progress is True:
            print(file=sys.stderr)


def _run(collections: list, step: str, progress, stall_timeout, persist: bool) -> list:
    progress = _check_progress(progress)
    stall_timeout = _check_timeout(stall_timeout)
    client = current_client()
    if client is None:  # Dask's local schedulers: no workers to pause or lose
        return list(dask.persist(*collections) if persist else dask.compute(*collections))
    before = client.run_on_scheduler(_group_counts)
    submitted = client.persist(collections) if persist else client.compute(collections)
    futures = futures_of(submitted) if persist else list(submitted)
    _watch(client, futures, step, progress, stall_timeout, before)
    return list(submitted) if persist else client.gather(futures)


def compute(*collections, step: str = "trustcost.distributed.compute", progress: bool | Callable | None = None,
            stall_timeout: float = DEFAULT_STALL_TIMEOUT) -> tuple:
    """:func:`dask.compute` with progress and the stall guard (on a distributed client).

    Parameters
    ----------
    collections : Dask collections
        Any number, positional, as for :func:`dask.compute`.
    step : str
        Named in the progress report and in :class:`StalledError`.
    progress : None, True or callable
        None: silent; True: one line on stderr; a callable receives ``(step, finished, total)`` task
        counts about twice a second.
    stall_timeout : float
        Seconds without any task finishing or starting before :class:`StalledError` (default 60).
    """
    return tuple(_run(list(collections), step, progress, stall_timeout, persist=False))


def persist(collection, *, step: str = "trustcost.distributed.persist", progress: bool | Callable | None = None,
            stall_timeout: float = DEFAULT_STALL_TIMEOUT):
    """``collection.persist()`` on the cluster, waiting for it with progress and the stall guard (see :func:`compute`)."""
    return _run([collection], step, progress, stall_timeout, persist=True)[0]
