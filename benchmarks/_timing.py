"""Small timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import time


def median_seconds(func, repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls (after one warm-up call)."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(rows: list[tuple[str, float]], reference: str) -> None:
    """Print each timing and its ratio to ``reference``."""
    base = dict(rows)[reference]
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"  {name:<{width}}  {seconds * 1e3:10.2f} ms   {seconds / base:8.2f}x {reference}")
