"""Finance batch functions: trustcost against numpy-financial, pyxirr and numpy, ratios printed.

Run: ``python benchmarks/bench_finance.py [--rows 100000] [--periods 40] [--elements 1000000] [--repeat 5]
[--only annuity]`` or ``python benchmarks/bench_finance.py --portfolio [--schedules 3000]``.

Targets (issues 2 and 10):
- npv within 1.5x of ``cash_flows @ discount_vector`` and >= 20x numpy-financial's row loop;
- irr on 100,000 x 40 rows of normal(100, 50) flows with a negative first flow (most rows change
  sign several times) >= 3x pyxirr's row loop; on the rows with one sign change >= 5x;
- each new function's batch >= 20x numpy-financial;
- dated schedules (issue 19, ``--portfolio``): 3,000 schedules in one ``by=`` call >= 10x pyxirr's
  loop; one call per schedule >= 1x pyxirr; the same for xnpv.
The pure-Python loops are timed on a slice and scaled to the full size. All timings are medians.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import numpy_financial as npf
import pyxirr
from _timing import median_seconds, report

import trustcost as tc


def sign_changes(values: np.ndarray) -> np.ndarray:
    s = np.sign(values)
    return (s[:, 1:] * s[:, :-1] < 0).sum(axis=1)


def loop_seconds(func, rows, full: int, repeat: int = 3) -> float:
    """Median time of ``func`` over ``rows`` (a slice), scaled to ``full`` rows."""
    return full / len(rows) * median_seconds(lambda: [func(v) for v in rows], repeat)


def bench_irr(values: np.ndarray, label: str, repeat: int) -> None:
    rows = values.shape[0]
    sample = values[: min(rows, 10_000)]
    as_lists = sample.tolist()
    # Same answers first: one rate per series agrees with pyxirr where both find it; every rate
    # we return is a root.
    ours = tc.irr(sample)
    theirs = np.array([pyxirr.irr(v) for v in as_lists], dtype=float)
    single = sign_changes(sample) == 1
    both = single & np.isfinite(theirs)
    np.testing.assert_allclose(ours[both], theirs[both], rtol=1e-6)
    found = np.isfinite(ours)
    residual = np.abs(tc.npv(ours[found], sample[found], pairwise=True))
    scale = np.abs(sample[found]).sum(axis=1)
    assert np.all(residual <= 1e-9 * scale), "a returned rate is not a root"

    print(f"\nirr, {label}: {rows:,} series x {values.shape[1]} periods (median of {repeat})")
    threads = tc.get_num_threads()
    entries = [("pyxirr row loop (fastest input form)",
                min(loop_seconds(pyxirr.irr, sample, rows), loop_seconds(pyxirr.irr, as_lists, rows)))]
    tc.set_num_threads(1)
    entries.append(("trustcost.irr, 1 thread", median_seconds(lambda: tc.irr(values), repeat)))
    tc.set_num_threads(threads)
    entries.append((f"trustcost.irr, {threads} threads", median_seconds(lambda: tc.irr(values), repeat)))
    entries.append(("numpy-financial row loop", loop_seconds(npf.irr, values[:1_000], rows, 1)))
    report(entries, f"trustcost.irr, {threads} threads")


def bench_npv(values: np.ndarray, repeat: int) -> None:
    rows, periods = values.shape
    rate = 0.07
    discount = (1 + rate) ** -np.arange(periods)
    np.testing.assert_allclose(tc.npv(rate, values), values @ discount, rtol=1e-12, atol=1e-9)
    print(f"npv, {rows:,} series x {periods} periods (median of {repeat})")
    threads = tc.get_num_threads()
    entries = [("numpy values @ discount", median_seconds(lambda: values @ discount, repeat))]
    # OpenBLAS's threads spin for a while after a BLAS call and would take the second core from
    # whatever runs next: let them go to sleep before timing trustcost.
    time.sleep(1.0)
    tc.set_num_threads(1)
    entries.append(("trustcost.npv, 1 thread", median_seconds(lambda: tc.npv(rate, values), repeat)))
    tc.set_num_threads(threads)
    entries.append((f"trustcost.npv, {threads} threads", median_seconds(lambda: tc.npv(rate, values), repeat)))
    entries.append(("numpy-financial row loop", loop_seconds(lambda v: npf.npv(rate, v), values[:10_000], rows)))
    report(entries, f"trustcost.npv, {threads} threads")

    rates = np.array([0.03, 0.05, 0.07, 0.09, 0.11])
    grid = tc.npv(rates, values)
    np.testing.assert_allclose(grid[2], tc.npv(0.07, values), rtol=1e-13)
    print(f"\nnpv grid, {len(rates)} rates x {rows:,} series (median of {repeat})")
    entries = [("trustcost.npv(rates, values)", median_seconds(lambda: tc.npv(rates, values), repeat)),
               ("numpy-financial loop over rates and rows",
                loop_seconds(lambda v: [npf.npv(r, v) for r in rates], values[:2_000], rows, 1))]
    report(entries, "trustcost.npv(rates, values)")


def bench_elementwise(n: int, repeat: int) -> None:
    rng = np.random.default_rng(1)
    rate = rng.uniform(0.001, 0.02, n)
    nper = rng.integers(12, 361, n).astype(float)
    present = rng.uniform(1e4, 5e5, n)
    payment = -rng.uniform(100, 3000, n)
    per = np.ceil(rng.uniform(0.01, 1.0, n) * nper)
    future = np.zeros(n)
    cases = [
        ("pv", lambda m: m.pv(rate, nper, payment, future)),
        ("fv", lambda m: m.fv(rate, nper, payment, present)),
        ("pmt", lambda m: m.pmt(rate, nper, present, future)),
        ("nper", lambda m: m.nper(rate, payment, present, future)),
        ("ipmt", lambda m: m.ipmt(rate, per, nper, present)),
        ("ppmt", lambda m: m.ppmt(rate, per, nper, present)),
    ]
    threads = tc.get_num_threads()
    print(f"\nannuity functions, {n:,} broadcast elements (median of {repeat}); numpy-financial is vectorised numpy")
    for name, call in cases:
        with np.errstate(all="ignore"):
            np.testing.assert_allclose(call(tc), call(npf), rtol=1e-8, atol=1e-6)
            theirs = median_seconds(lambda c=call: c(npf), repeat)
        print(f" {name}: numpy-financial {theirs / n * 1e9:.1f} ns per element")
        report([(f"numpy-financial.{name}", theirs)] + _ours(f"trustcost.{name}", lambda c=call: c(tc), repeat, threads),
               f"trustcost.{name}, {threads} threads")

    # rate: loans repaid in full (fv = 0) have one rate; the payments are made from known rates.
    # numpy-financial's Newton iterates every element until all have converged.
    m = min(n, 200_000)
    loan_payment = npf.pmt(rate[:m], nper[:m], present[:m])
    ours = tc.rate(nper[:m], loan_payment, present[:m], 0.0)
    np.testing.assert_allclose(ours, rate[:m], rtol=1e-9)
    theirs = median_seconds(lambda: _quiet(npf.rate, nper[:m], loan_payment, present[:m], 0.0), 1)
    print(f" rate, {m:,} elements: numpy-financial {theirs / m * 1e9:.1f} ns per element")
    report([("numpy-financial.rate", theirs)]
           + _ours("trustcost.rate", lambda: tc.rate(nper[:m], loan_payment, present[:m], 0.0), repeat, threads),
           f"trustcost.rate, {threads} threads")


def _ours(label, call, repeat, threads):
    """trustcost's timings on one thread and on all of them."""
    tc.set_num_threads(1)
    try:
        one = median_seconds(call, repeat)
    finally:
        tc.set_num_threads(threads)
    return [(f"{label}, 1 thread", one), (f"{label}, {threads} threads", median_seconds(call, repeat))]


def _quiet(func, *args):
    with np.errstate(all="ignore"):
        return func(*args)


def bench_mirr(values: np.ndarray, repeat: int) -> None:
    rows = values.shape[0]
    np.testing.assert_allclose(tc.mirr(values[:500], 0.08, 0.06), [npf.mirr(v, 0.08, 0.06) for v in values[:500]],
                               rtol=1e-10)
    print(f"\nmirr, {rows:,} series x {values.shape[1]} periods (median of {repeat})")
    report([("trustcost.mirr", median_seconds(lambda: tc.mirr(values, 0.08, 0.06), repeat)),
            ("numpy-financial row loop", loop_seconds(lambda v: npf.mirr(v, 0.08, 0.06), values[:2_000], rows))],
           "trustcost.mirr")


def portfolio(schedules: int, kind: str = "mixed", seed: int = 0):
    """``schedules`` dated schedules of 3-40 flows over 10 years: an investment on the first day,
    then flows on random days (sorted), as one transactions table. ``"fund"``: capital calls in
    the first four years (a fifth of them distributions), distributions after (a tenth of them
    calls); ``"mixed"``: flows normal(120, 150), of either sign at any time (a harder case)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 41, schedules)
    start = np.datetime64("2015-01-01")
    amounts, dates = [], []
    for size in sizes:
        days = np.sort(rng.choice(np.arange(1, 3650), size - 1, replace=False))
        if kind == "fund":
            early = days < 4 * 365
            calls = np.where(early, rng.uniform(size=size - 1) < 0.8, rng.uniform(size=size - 1) < 0.1)
            flows = np.where(calls, -rng.uniform(50, 400, size - 1), rng.uniform(50, 500, size - 1))
        else:
            flows = rng.normal(120, 150, size - 1)
        amounts.append(np.concatenate([[-rng.uniform(1_000, 3_000)], flows]))
        dates.append(np.concatenate([[start], start + days]).astype("datetime64[D]"))
    ids = np.repeat(np.arange(schedules), sizes)
    return amounts, dates, ids


def bench_portfolio(schedules: int, repeat: int, kind: str) -> None:
    amounts, dates, ids = portfolio(schedules, kind)
    all_amounts, all_dates = np.concatenate(amounts), np.concatenate(dates)
    day_lists = [d.astype(object).tolist() for d in dates]  # datetime.date, pyxirr's fastest date form
    # Same answers first: every schedule with one rate agrees with pyxirr; by= equals the loop.
    ours = np.array([tc.xirr(a, d) for a, d in zip(amounts, dates)])
    grouped = tc.xirr(all_amounts, all_dates, by=ids)
    assert np.array_equal(np.asarray(grouped), ours, equal_nan=True), "by= differs from one call per schedule"
    theirs = np.array([_quiet_xirr(a, d) for a, d in zip(amounts, day_lists)], dtype=float)
    both = np.isfinite(ours) & np.isfinite(theirs)
    agree = np.isclose(ours[both], theirs[both], rtol=1e-6, atol=1e-9).mean()
    print(f"\n{kind} portfolio: {schedules:,} dated schedules, {all_amounts.size:,} flows (median of {repeat}); "
          f"xirr agrees with pyxirr on {agree:.1%} of the {both.sum():,} schedules both solve")

    def per_call_ours():
        return [tc.xirr(a, d) for a, d in zip(amounts, dates)]

    def per_call_theirs():
        return [_quiet_xirr(a, d) for a, d in zip(amounts, day_lists)]

    def per_call_theirs_numpy():
        return [_quiet_xirr(a, d) for a, d in zip(amounts, dates)]

    loop = min(median_seconds(per_call_theirs, repeat), median_seconds(per_call_theirs_numpy, repeat))
    per_call = median_seconds(per_call_ours, repeat)
    threads = tc.get_num_threads()
    # One thread as well: less sensitive to other jobs on the machine than the threaded figure,
    # and the engine's cost per schedule.
    tc.set_num_threads(1)
    try:
        one_thread = median_seconds(lambda: tc.xirr(all_amounts, all_dates, by=ids), repeat)
    finally:
        tc.set_num_threads(threads)
    grouped = median_seconds(lambda: tc.xirr(all_amounts, all_dates, by=ids), repeat)
    report([("pyxirr.xirr loop (fastest input form)", loop),
            ("trustcost.xirr loop, one call per schedule", per_call),
            (f"trustcost.xirr(amounts, dates, by=ids), 1 thread ({one_thread / schedules * 1e6:.2f} us per schedule)",
             one_thread),
            (f"trustcost.xirr(amounts, dates, by=ids), {threads} threads", grouped)],
           "pyxirr.xirr loop (fastest input form)")
    speeds = [("xirr by=", loop / grouped, 10.0), ("xirr per call", loop / per_call, 1.0)]

    rate = 0.08
    np.testing.assert_allclose([tc.xnpv(rate, a, d) for a, d in zip(amounts, dates)],
                               [pyxirr.xnpv(rate, d, a) for a, d in zip(amounts, day_lists)], rtol=1e-9, atol=1e-6)
    loop = min(median_seconds(lambda: [pyxirr.xnpv(rate, d, a) for a, d in zip(amounts, day_lists)], repeat),
               median_seconds(lambda: [pyxirr.xnpv(rate, d, a) for a, d in zip(amounts, dates)], repeat))
    per_call = median_seconds(lambda: [tc.xnpv(rate, a, d) for a, d in zip(amounts, dates)], repeat)
    grouped = median_seconds(lambda: tc.xnpv(rate, all_amounts, all_dates, by=ids), repeat)
    report([("pyxirr.xnpv loop (fastest input form)", loop),
            ("trustcost.xnpv loop, one call per schedule", per_call),
            ("trustcost.xnpv(rate, amounts, dates, by=ids)", grouped)],
           "pyxirr.xnpv loop (fastest input form)")
    speeds += [("xnpv by=", loop / grouped, 10.0), ("xnpv per call", loop / per_call, 1.0)]
    print("  speed against pyxirr's loop (target): " + "; ".join(
        f"{name} {speed:.2f}x ({target:g}x{'' if speed >= target else ', not met'})" for name, speed, target in speeds))


def _quiet_xirr(amounts, dates):
    try:
        return pyxirr.xirr(dates, amounts)
    except pyxirr.InvalidPaymentsError:
        return np.nan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--periods", type=int, default=40)
    parser.add_argument("--elements", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("all", "annuity"), default="all",
                        help="'annuity': only the elementwise annuity functions")
    parser.add_argument("--portfolio", action="store_true",
                        help="only the dated schedules: xirr and xnpv per call and by= against pyxirr")
    parser.add_argument("--schedules", type=int, default=3_000)
    args = parser.parse_args()
    if args.portfolio:
        for kind in ("fund", "mixed"):
            bench_portfolio(args.schedules, args.repeat, kind)
        return
    if args.only == "annuity":
        bench_elementwise(args.elements, args.repeat)
        return

    rng = np.random.default_rng(0)
    conventional = rng.uniform(50, 400, size=(args.rows, args.periods))
    conventional[:, 0] = -rng.uniform(2_000, 6_000, size=args.rows)
    bench_npv(conventional, args.repeat)

    flows = rng.normal(100, 50, size=(args.rows, args.periods))
    flows[:, 0] = -np.abs(flows[:, 0])
    changes = sign_changes(flows)
    share = (changes > 1).mean()
    bench_irr(flows, f"normal(100, 50), negative first flow ({share:.0%} change sign several times)", args.repeat)
    bench_irr(flows[changes == 1], "the rows of those with one sign change", args.repeat)
    bench_irr(flows[changes > 1], "the rows of those with several sign changes", args.repeat)

    bench_mirr(flows, args.repeat)
    bench_elementwise(args.elements, args.repeat)


if __name__ == "__main__":
    main()
