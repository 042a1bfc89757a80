"""Monte Carlo lifetime cost: trustcost against a numpy-vectorised implementation of the same model.

Run: ``python benchmarks/bench_uncertainty.py [--paths 200000] [--repeat 5] [--memory]``.
Three offers x 30 years; each has a fixed price, a service contract with a triangular amount, energy
with a PERT unit price, breakdowns drawn as Weibull renewal events (with lognormal repair cost, a
downtime line, and block replacement for one offer), a supplier default drawn as an event and a
uniform resale value. The numpy version draws the same distributions with numpy's Generator (other
random numbers, same model), vectorised over paths; the two means must agree within their errors.
Targets (issue 4): >= 10x faster than numpy on one thread, and >= 1.7x more from the second core.
The "floor" line times the logs and exps of the run's Weibull lives alone (two logs and an exp
each, in double precision), to show how much of the run they take.
``--memory`` measures the peak memory of 1,000,000 paths x 3 offers x 30 years in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys

# OpenBLAS's idle threads spin on the second core after any BLAS call; nothing timed here uses BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from _timing import median_seconds  # noqa: E402

import trustcost as tc  # noqa: E402

HORIZON, RATE = 30, 0.04
OFFERS = [
    # name, price, service (low, mode, high), energy units, weibull (shape, scale), repair median, p90,
    # downtime cost, preventive interval, preventive cost, default probability, switching cost, resale
    ("A", 400_000, (12_000, 14_000, 19_000), 60_000, (2.2, 4.5), 6_500, 15_000, 10_800, 3.0, 12_000, 0.01, 60_000, 90_000),
    ("B", 350_000, (9_000, 11_000, 16_000), 70_000, (1.6, 3.0), 7_500, 18_000, 16_200, 0.0, 0.0, 0.04, 80_000, 60_000),
    ("C", 300_000, (6_000, 8_000, 14_000), 80_000, (1.2, 1.4), 9_000, 22_500, 21_600, 0.0, 0.0, 0.08, 90_000, 30_000),
]
ENERGY_PRICE = (0.12, 0.16, 0.26)
ESCALATION = 0.02


def build_study() -> tc.Study:
    offers = []
    for name, price, service, units, (shape, scale), med, p90, downtime, tau, prev, q, switch, resale in OFFERS:
        offers.append(tc.Offer(name, [
            tc.OneTime("price", price),
            tc.Recurring("service", tc.Triangular(*service), escalation=ESCALATION),
            tc.UsageBased("energy", units_per_year=units, cost_per_unit=tc.PERT(*ENERGY_PRICE)),
            tc.Failures("breakdowns", life=tc.Weibull(shape, scale), cost_per_failure=tc.LogNormal(median=med, p90=p90),
                        downtime_hours=1.0, downtime_cost_per_hour=downtime,
                        preventive_interval=tau or None, preventive_cost=prev),
            tc.Residual("resale", value=tc.Uniform(0.5 * resale, 1.2 * resale)),
        ], supplier=tc.Supplier(annual_default_probability=q, switching_cost=switch)))
    return tc.Study(offers, horizon=HORIZON, discount_rate=RATE)


def numpy_simulate(paths: int, seed: int, lives: list | None = None) -> np.ndarray:
    """The same model, vectorised over paths with numpy (what a data scientist would write).
    Appends the number of Weibull lives drawn to ``lives`` if given."""
    rng = np.random.default_rng(seed)
    years = np.arange(HORIZON + 1)
    discount = (1 + RATE) ** -years.astype(float)
    service_factor = ((1 + ESCALATION) ** (years[1:] - 1) * discount[1:]).sum()
    annuity = discount[1:].sum()
    lo, mode, hi = ENERGY_PRICE
    a, b = 1 + 4 * (mode - lo) / (hi - lo), 1 + 4 * (hi - mode) / (hi - lo)
    z90 = 1.2815515655446004
    pv = np.empty((paths, len(OFFERS)))
    for o, (name, price, service, units, (shape, scale), med, p90, downtime, tau, prev, q, switch, resale) in enumerate(OFFERS):
        total = np.full(paths, float(price))
        total += rng.triangular(*service, size=paths) * service_factor
        total += units * (lo + (hi - lo) * rng.beta(a, b, size=paths)) * annuity
        # Breakdowns: renewal events, all paths advanced one life at a time.
        repair = np.exp(np.log(med) + np.log(p90 / med) / z90 * rng.standard_normal(paths))
        renewed = np.zeros(paths)
        next_block = np.full(paths, tau if tau else np.inf)
        weight = np.zeros(paths)  # sum over failures of escalation x discount
        active = np.arange(paths)
        service_years = float(HORIZON)
        while active.size:
            if lives is not None:
                lives.append(active.size)
            fail = renewed[active] + scale * rng.weibull(shape, size=active.size)
            block = fail >= next_block[active]
            hit = active[block]
            renewed[hit] = next_block[hit]
            next_block[hit] += tau if tau else 0.0
            keep_block = hit[renewed[hit] < service_years]
            failed = active[~block]
            t = fail[~block]
            inside = t <= service_years
            failed, t = failed[inside], t[inside]
            age = np.maximum(1.0, np.ceil(t))
            np.add.at(weight, failed, (1 + 0.0) ** (age - 1) * discount[age.astype(int)])
            renewed[failed] = t
            active = np.concatenate([keep_block, failed])
        total += weight * (repair + downtime)
        if tau:
            stops = np.arange(tau, service_years - 1e-9, tau)
            total += prev * discount[np.ceil(stops - 1e-9).astype(int)].sum()
        # Supplier default: geometric year, switching cost then.
        survived = np.floor(np.log(rng.random(paths)) / np.log1p(-q))
        default_year = 1 + survived
        hit = default_year <= HORIZON
        total[hit] += switch * discount[default_year[hit].astype(int)]
        total -= rng.uniform(0.5 * resale, 1.2 * resale, size=paths) * discount[HORIZON]
        pv[:, o] = total
    return pv


def peak_memory(paths: int) -> dict:
    """Peak resident memory of one simulation in a fresh process (MiB), and the size of the
    paths x offers x years matrix it avoids."""
    code = (
        "import resource, json, sys; sys.path.insert(0, 'benchmarks'); import bench_uncertainty as b;"
        "s = b.build_study(); tc.simulate(s, 1000, seed=1, progress=False);"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        f"r = tc.simulate(s, {paths}, seed=1, progress=False); r.summary; r.importance;"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "print(json.dumps({'before_mib': before / 1024, 'after_mib': after / 1024}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    result["matrix_mib"] = paths * len(OFFERS) * (HORIZON + 1) * 8 / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()

    study = build_study()
    ours = tc.simulate(study, args.paths, seed=1, progress=False)
    lives: list[int] = []
    theirs = numpy_simulate(args.paths, seed=1, lives=lives)
    gap = np.abs(ours.mean.to_numpy() - theirs.mean(axis=0))
    noise = np.sqrt(ours.std_error.to_numpy() ** 2 + theirs.std(axis=0) ** 2 / args.paths)
    print(f"means agree: trustcost {np.round(ours.mean.to_numpy())}, numpy {np.round(theirs.mean(axis=0))}, "
          f"gap / standard error = {np.round(gap / noise, 2)}")
    assert np.all(gap < 5 * noise), "the two implementations disagree"

    threads = tc.get_num_threads()
    tc.set_num_threads(1)
    one = median_seconds(lambda: tc.simulate(study, args.paths, seed=1, progress=False), args.repeat)
    tc.set_num_threads(threads)
    many = median_seconds(lambda: tc.simulate(study, args.paths, seed=1, progress=False), args.repeat)
    reference = median_seconds(lambda: numpy_simulate(args.paths, seed=1), max(3, args.repeat // 2))
    print(f"{args.paths:,} paths x {len(OFFERS)} offers x {HORIZON} years (median of {args.repeat}; "
          f"vector build {tc.get_simd()})")
    print(f"  numpy vectorised             {reference * 1e3:9.1f} ms")
    print(f"  trustcost, 1 thread          {one * 1e3:9.1f} ms   speed-up over numpy {reference / one:5.2f}x (target 10x)")
    print(f"  trustcost, {threads} threads         {many * 1e3:9.1f} ms   {one / many:5.2f}x from {threads} threads (target 1.7x)")
    # The floor: every life is scale * exp(log(-log u) / shape), two logs and an exp, here timed
    # alone with the same vector build on as many values, 65,536 at a time (in cache, as in the run).
    drawn = sum(lives)
    u = np.random.default_rng(2).random(65_536)
    minus_u, out = -u, np.empty_like(u)
    calls = range(round(drawn / u.size))
    log_time = median_seconds(lambda: [tc._core.simd_log(u, out) for _ in calls], 3)
    exp_time = median_seconds(lambda: [tc._core.simd_exp(minus_u, out) for _ in calls], 3)
    floor = 2 * log_time + exp_time
    print(f"  floor: {drawn / 1e6:.1f} M Weibull lives, their two logs and one exp alone take {floor * 1e3:.1f} ms "
          f"(a 10x target leaves {reference / 10 * 1e3:.1f} ms for the whole run)")
    if args.memory:
        m = peak_memory(1_000_000)
        print(f"1,000,000 paths: peak memory {m['after_mib']:.0f} MiB (process before the run {m['before_mib']:.0f} MiB); "
              f"the paths x offers x years matrix alone would be {m['matrix_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
