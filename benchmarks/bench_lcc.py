"""Benchmark: lifetime cost of 10,000 offers x 30 years x 8 cost elements (plus supplier risk).

Compares ``Study.evaluate()`` (one batched C++ call) with a straightforward pandas/numpy
implementation of the same expected-value model written below, in the same run, checks that
both give the same present values, and prints medians of several runs and their ratio.

Run:  python benchmarks/bench_lcc.py [--offers 10000] [--horizon 30] [--repeats 5] [--reference-repeats 3]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import median_seconds, report

import trustcost as tc
from trustcost import _core
from trustcost.lcc.elements import stack

CATEGORIES = ["acquisition", "installation", "operation", "maintenance", "repair", "downtime", "supplier_risk",
              "disposal", "residual"]


def draw_offers(n: int, horizon: int, seed: int = 1) -> pd.DataFrame:
    """One row of parameters per offer (random but reproducible)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "price": rng.uniform(50_000, 500_000, n),
        "installation": rng.uniform(2_000, 30_000, n),
        "service": rng.uniform(2_000, 20_000, n),
        "service_escalation": rng.uniform(0.0, 0.04, n),
        "kwh": rng.uniform(10_000, 100_000, n),
        "kwh_price": rng.uniform(0.10, 0.25, n),
        "kwh_growth": rng.uniform(-0.01, 0.02, n),
        "overhaul": rng.uniform(5_000, 40_000, n),
        "overhaul_every": rng.integers(3, 7, n),
        "shape": rng.uniform(1.2, 3.5, n),
        "scale": rng.uniform(2.0, 8.0, n),
        "cost_per_failure": rng.uniform(1_000, 10_000, n),
        "downtime_hours": rng.uniform(4, 48, n),
        "downtime_cost": rng.uniform(100, 800, n),
        "residual": rng.uniform(0, 50_000, n),
        "disposal": rng.uniform(1_000, 10_000, n),
        "default_probability": rng.uniform(0.0, 0.1, n),
        "switching_cost": rng.uniform(10_000, 100_000, n),
        "support_premium": rng.uniform(0, 10_000, n),
    })


def as_offers(params: pd.DataFrame) -> list[tc.Offer]:
    offers = []
    for i, p in enumerate(params.itertuples(index=False)):
        offers.append(tc.Offer(f"offer {i}", [
            tc.OneTime("price", p.price),
            tc.OneTime("installation", p.installation, category="installation"),
            tc.Recurring("service", p.service, escalation=p.service_escalation, category="maintenance"),
            tc.UsageBased("energy", p.kwh, p.kwh_price, growth=p.kwh_growth),
            tc.Periodic("overhaul", p.overhaul, every=int(p.overhaul_every)),
            tc.Failures("failures", tc.Weibull(p.shape, p.scale), p.cost_per_failure,
                        downtime_hours=p.downtime_hours, downtime_cost_per_hour=p.downtime_cost),
            tc.Residual("resale", p.residual),
            tc.Disposal("removal", p.disposal),
        ], supplier=tc.Supplier(p.default_probability, p.switching_cost, p.support_premium)))
    return offers


# ----------------------------------------------------------------------------- reference


def renewal_at_years(shape: float, scale: float, horizon: int) -> np.ndarray:
    """M(0..horizon) by the Xie (1989) midpoint scheme on a year-aligned grid, Richardson-combined."""
    steps = max(8, int(np.ceil(10 * shape / scale)))

    def solve(k):
        n = horizon * k
        h = 1.0 / k
        grid = np.arange(n + 1) * h
        f = 1 - np.exp(-((grid / scale) ** shape))
        f_mid = 1 - np.exp(-(((np.arange(n) + 0.5) * h / scale) ** shape))
        m, dm = np.zeros(n + 1), np.zeros(n + 1)
        for i in range(1, n + 1):
            m[i] = (f[i] - f_mid[0] * m[i - 1] + np.dot(f_mid[i - 1:0:-1], dm[1:i])) / (1 - f_mid[0])
            dm[i] = m[i] - m[i - 1]
        return m[::k]

    return (4 * solve(2 * steps) - solve(steps)) / 3


def reference_evaluate(params: pd.DataFrame, horizon: int, rate: float) -> pd.DataFrame:
    """Present value by category of each offer: one pandas table per offer, element by element."""
    years = np.arange(horizon + 1)
    discount = (1 + rate) ** -years.astype(float)
    rows = {}
    for i, p in enumerate(params.itertuples(index=False)):
        cost = pd.DataFrame(0.0, index=years, columns=CATEGORIES)
        cost.loc[0, "acquisition"] += p.price
        cost.loc[0, "installation"] += p.installation
        service_years = years[1:]
        cost.loc[service_years, "maintenance"] += p.service * (1 + p.service_escalation) ** (service_years - 1)
        energy_growth = (1 + p.kwh_growth) * (1 + 0.0) - 1
        cost.loc[service_years, "operation"] += p.kwh * p.kwh_price * (1 + energy_growth) ** (service_years - 1)
        overhaul_years = np.arange(p.overhaul_every, horizon + 1, p.overhaul_every)
        cost.loc[overhaul_years, "maintenance"] += p.overhaul
        failures = np.diff(renewal_at_years(p.shape, p.scale, horizon))
        cost.loc[service_years, "repair"] += p.cost_per_failure * failures
        cost.loc[service_years, "downtime"] += p.downtime_hours * p.downtime_cost * failures
        alive = (1 - p.default_probability) ** (service_years - 1)
        cost.loc[service_years, "supplier_risk"] += (p.switching_cost * p.default_probability * alive
                                                     + p.support_premium * (1 - alive))
        cost.loc[horizon, "residual"] -= p.residual
        cost.loc[horizon, "disposal"] += p.disposal
        rows[f"offer {i}"] = cost.mul(discount, axis=0).sum()
    return pd.DataFrame.from_dict(rows, orient="index")


# ----------------------------------------------------------------------------- timing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--rate", type=float, default=0.04)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reference-repeats", type=int, default=3)
    args = parser.parse_args()

    params = draw_offers(args.offers, args.horizon)
    study = tc.Study(as_offers(params), args.horizon, args.rate)
    items = [offer.items(study.horizon) for offer in study.offers]
    arrays = stack(items, CATEGORIES)

    result = study.evaluate()
    reference = reference_evaluate(params, args.horizon, args.rate)
    ours = result.by_category.reindex(columns=CATEGORIES, fill_value=0.0)
    worst = float((ours.sum(axis=1) / reference.sum(axis=1) - 1).abs().max())
    worst_category = float(((ours - reference).abs().to_numpy().max()) / reference.sum(axis=1).min())

    rows = [
        ("Study.evaluate()", median_seconds(study.evaluate, args.repeats)),
        ("C++ engine call only", median_seconds(lambda: _core.lcc_evaluate(
            _core.StudySpec(horizon=args.horizon, discount_rate=args.rate, categories=len(CATEGORIES)), *arrays), args.repeats)),
        ("pandas/numpy reference", median_seconds(lambda: reference_evaluate(params, args.horizon, args.rate),
                                                  args.reference_repeats)),
    ]
    print(f"{args.offers} offers x {args.horizon} years x 8 elements (+ supplier risk), {tc.get_num_threads()} "
          f"threads; median of {args.repeats} (C++) and {args.reference_repeats} (reference) runs after a warm-up")
    report(rows, "Study.evaluate()")
    reference_seconds = rows[2][1]
    print(f"  speed-up: evaluate() {reference_seconds / rows[0][1]:.1f}x, engine only {reference_seconds / rows[1][1]:.1f}x")
    print(f"  agreement: max relative LCC difference {worst:.2e}, max category difference / LCC {worst_category:.2e}")
    if worst > 1e-5:
        raise SystemExit("the two implementations disagree")


if __name__ == "__main__":
    main()
