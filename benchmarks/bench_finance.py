"""Batch npv and irr: trustcost against numpy-financial, pyxirr and numpy's matrix-vector product.

Run: ``python benchmarks/bench_finance.py [--rows 100000] [--periods 40] [--repeat 5]``.
Targets (issue 2): npv within 1.5x of ``cash_flows @ discount_vector`` and >= 20x faster than
numpy-financial's row loop; irr >= 3x faster than pyxirr's fastest call on the same data.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import numpy_financial as npf
import pyxirr
from _timing import median_seconds, report

import trustcost as tc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--periods", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    values = rng.uniform(50, 400, size=(args.rows, args.periods))
    values[:, 0] = -rng.uniform(2_000, 6_000, size=args.rows)
    rate = 0.07
    discount = (1 + rate) ** -np.arange(args.periods)
    as_lists = values.tolist()
    slow_rows = min(args.rows, 10_000)  # the pure-Python loops are timed on a slice and scaled

    # Same answers first.
    np.testing.assert_allclose(tc.npv(rate, values), values @ discount, rtol=1e-12, atol=1e-9)
    sample = slice(0, 2_000)
    np.testing.assert_allclose(tc.irr(values[sample]), [pyxirr.irr(v) for v in values[sample]], rtol=1e-7)
    np.testing.assert_allclose(tc.irr(values[sample]), [npf.irr(v) for v in values[sample]], rtol=1e-9)

    print(f"npv, {args.rows:,} series x {args.periods} periods (median of {args.repeat})")
    threads = tc.get_num_threads()
    rows = [("numpy values @ discount", median_seconds(lambda: values @ discount, args.repeat))]
    # OpenBLAS's threads spin for a while after a BLAS call and would take the second core from
    # whatever runs next: let them go to sleep before timing trustcost.
    time.sleep(1.0)
    tc.set_num_threads(1)
    rows.append(("trustcost.npv, 1 thread", median_seconds(lambda: tc.npv(rate, values), args.repeat)))
    tc.set_num_threads(threads)
    rows.append((f"trustcost.npv, {threads} threads", median_seconds(lambda: tc.npv(rate, values), args.repeat)))
    scale = args.rows / slow_rows
    rows.append(("numpy-financial row loop", scale * median_seconds(lambda: [npf.npv(rate, v) for v in values[:slow_rows]], 3)))
    report(rows, f"trustcost.npv, {threads} threads")

    print(f"\nirr, {args.rows:,} series x {args.periods} periods (median of {args.repeat})")
    pyxirr_numpy = scale * median_seconds(lambda: [pyxirr.irr(v) for v in values[:slow_rows]], 3)
    pyxirr_lists = scale * median_seconds(lambda: [pyxirr.irr(v) for v in as_lists[:slow_rows]], 3)
    rows = [("pyxirr row loop (fastest input form)", min(pyxirr_numpy, pyxirr_lists))]
    tc.set_num_threads(1)
    rows.append(("trustcost.irr, 1 thread", median_seconds(lambda: tc.irr(values), args.repeat)))
    tc.set_num_threads(threads)
    rows.append((f"trustcost.irr, {threads} threads", median_seconds(lambda: tc.irr(values), args.repeat)))
    npf_rows = min(args.rows, 2_000)
    rows.append(("numpy-financial row loop", args.rows / npf_rows * median_seconds(lambda: [npf.irr(v) for v in values[:npf_rows]], 1)))
    report(rows, f"trustcost.irr, {threads} threads")


if __name__ == "__main__":
    main()
