"""Overhead of the relationship lines in a lifetime-cost Study's batched evaluation.

Run: ``python benchmarks/bench_trust.py [--offers 2000] [--horizon 20] [--repeat 15]``.
Times (least CPU time of several runs, one thread) the C++ call (``_core.lcc_evaluate``) and the whole ``Study.evaluate()`` for the same
offers with and without a :class:`trustcost.Relationship` (five extra Trust items per offer
and an offers x years trust array). Issue 5 asks that the trust lines run inside the same
batched evaluation and that their overhead be stated.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _timing import report

import trustcost as tc
from trustcost import _core
from trustcost.lcc.elements import stack
from trustcost.lcc.study import _categories


def offers(n: int, horizon: int, relationships: bool) -> list:
    rng = np.random.default_rng(0)
    out = []
    for k in range(n):
        costs = [
            tc.OneTime("price", float(rng.uniform(1e5, 3e5))),
            tc.OneTime("installation", float(rng.uniform(5e3, 2e4)), category="installation"),
            tc.Recurring("service", float(rng.uniform(3e3, 9e3)), escalation=0.02),
            tc.Recurring("energy", float(rng.uniform(1e4, 3e4)), category="operation"),
            tc.Periodic("overhaul", float(rng.uniform(2e4, 5e4)), every=5, start=5),
            tc.Failures("breakdowns", tc.Weibull(2.0, float(rng.uniform(3, 8))), cost_per_failure=2500.0),
        ]
        rel = None
        if relationships:
            trust = np.clip(np.linspace(rng.uniform(0.1, 0.5), rng.uniform(0.5, 0.95), horizon + 1), 0, 1)
            rel = tc.TrustProfile(trust=trust, annual_spend=float(rng.uniform(5e5, 2e6)), spend_escalation=0.01)
        out.append(tc.Offer(f"offer {k}", costs, trust_profile=rel))
    return out


def min_cpu_seconds(func, repeat: int) -> float:
    """Least CPU time of ``repeat`` calls after a warm-up. On one thread the work runs on the
    calling thread, so CPU time is not inflated by other processes sharing the cores."""
    func()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--horizon", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1, help="CPU time is only meaningful with 1")
    args = parser.parse_args()
    tc.set_num_threads(args.threads)

    studies = {label: tc.Study(offers(args.offers, args.horizon, rel), horizon=args.horizon, discount_rate=0.04)
               for label, rel in (("plain", False), ("with trust lines", True))}
    engine, whole = [], []
    for label, study in studies.items():
        categories = _categories(study._items)
        arrays = stack(study._items, categories)
        call = lambda: _core.lcc_evaluate(study._spec(len(categories)), *arrays, study._trust)  # noqa: E731
        engine.append((f"C++ evaluate, {label}", min_cpu_seconds(call, args.repeat)))
        whole.append((f"Study.evaluate(), {label}", min_cpu_seconds(study.evaluate, args.repeat)))
        items = len(arrays[0])
        print(f"{label}: {items} items ({items / args.offers:.0f} per offer), {len(categories)} categories")
    print(f"{args.offers} offers x {args.horizon + 1} years, {args.threads} thread(s), least CPU time of {args.repeat}:")
    report(engine, "C++ evaluate, plain")
    report(whole, "Study.evaluate(), plain")


if __name__ == "__main__":
    main()
