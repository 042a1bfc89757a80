"""Smoke test of an installed trustcost wheel, run by scripts/wheels.sh in a clean venv.

    python scripts/smoke_test.py

Imports only the installed package (the repository's python/ folder is never on sys.path: the
script refuses to run against it), then exercises what a user touches first: the README's
"A taste", a scenario through the command line, a BG/NBD fit on the bundled CDNOW summary, and
pickle of a fitted model. Each check compares with a published value or an independent
computation. Exits non-zero on the first failure.
"""

from __future__ import annotations

import json
import math
import pickle
import subprocess
import sys
import sysconfig
from pathlib import Path

# The script's own folder is sys.path[0]; the repository root above it holds no importable
# trustcost (the package lives in python/), but drop it anyway so nothing local can shadow.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402

import trustcost as tc  # noqa: E402


PASSED = 0


def check(condition: bool, what: str) -> None:
    global PASSED
    if not condition:
        print(f"FAILED  {what}")
        raise SystemExit(f"smoke: {PASSED} passed, 1 failed")
    PASSED += 1
    print(f"ok  {what}")


def installed_package() -> None:
    site = Path(sysconfig.get_paths()["platlib"]).resolve()
    where = Path(tc.__file__).resolve()
    check(site in where.parents, f"trustcost imported from the venv's site-packages ({where.parent})")
    check(Path(tc._core.__file__).resolve().parent == where.parent, "the compiled _core sits beside it")


def taste() -> None:
    # README "A taste", line by line.
    flows_taste = [-40_000, 5_000, 8_000, 12_000, 30_000]
    value = tc.npv(0.08, flows_taste)
    direct = sum(v / 1.08**t for t, v in enumerate(flows_taste))
    check(math.isclose(value, direct, rel_tol=1e-12) and round(value, 2) == 3065.22, f"npv = {value:.2f}")

    flows = np.random.default_rng(0).uniform(50, 400, size=(100_000, 40))
    flows[:, 0] = -5_000
    rates = tc.irr(flows)
    check(rates.shape == (100_000,) and np.isfinite(rates).all(), "irr of 100,000 rows gives 100,000 rates")
    # Each rate is a root: the row's npv at its rate is ~0 relative to the flows.
    residual = np.abs(tc.npv(rates[:200], flows[:200], pairwise=True)) / np.abs(flows[:200]).sum(axis=1)
    check(float(residual.max()) < 1e-9, "each irr is a root of its row's npv")

    upv = tc.upv(0.10, 25, escalation=0.07, timing="mid")
    # Mid-year UPV*: yearly amounts escalated and discounted to the middle of each year.
    direct_upv = sum((1.07 / 1.10) ** (t - 0.5) for t in range(1, 26))
    check(math.isclose(upv, direct_upv, rel_tol=1e-9) and round(upv, 3) == 18.048,
          f"upv mid-year = {upv:.3f} (MIL-HDBK-1003/13A: 18.048)")

    payment = tc.pmt(0.06 / 12, 60, 100_000)
    r = 0.005
    check(math.isclose(payment, -100_000 * r / (1 - (1 + r) ** -60), rel_tol=1e-12), f"pmt = {payment:.2f}")

    draws = tc.LogNormal(median=5_000, p90=12_000).sample(10, seed=1)
    again = tc.LogNormal(median=5_000, p90=12_000).sample(10, seed=1)
    check(len(draws) == 10 and np.array_equal(draws, again) and (draws > 0).all(), "LogNormal draws reproducible")


def vector_kernels() -> None:
    # The AVX builds call glibc's libmvec from the wheel; the portable build uses none. Both must
    # run, and agree to a few ulps of log and exp on the bundled scenario.
    study = tc.load_study(tc.datasets.three_vendors_path())
    native = tc.get_simd()
    first = tc.simulate(study, 5_000, seed=3).summary
    tc.set_simd("portable")
    try:
        portable = tc.simulate(study, 5_000, seed=3).summary
    finally:
        tc.set_simd(native)
    a, b = first["mean"].to_numpy(float), portable["mean"].to_numpy(float)
    check(np.allclose(a, b, rtol=1e-9), f"Monte Carlo on the {native} build agrees with the portable build")


def command_line() -> None:
    run = subprocess.run([sys.executable, "-m", "trustcost", "compare", "--simulate", "2000", "--seed", "1",
                          "--format", "json"], capture_output=True, text=True, check=False)
    check(run.returncode == 0, f"python -m trustcost compare exits 0 ({run.stderr.strip()[-300:]})")
    document = json.loads(run.stdout)
    names = set(document["summary"])
    check(len(names) == 3 and "simulation" in document, f"the bundled scenario's offers: {sorted(names)}")
    script = Path(sys.executable).with_name("trustcost")
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    check(version.returncode == 0 and version.stdout.strip() == f"trustcost {tc.__version__}",
          f"console script: {version.stdout.strip()}")


def bgnbd_and_pickle() -> None:
    summary = tc.datasets.load_cdnow_summary()
    model = tc.BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    # Fader, Hardie & Lee (2005), "Counting your customers the easy way", CDNOW: r = 0.2426,
    # alpha = 4.414, a = 0.7929, b = 2.426.
    published = {"r": 0.2426, "alpha": 4.414, "a": 0.7929, "b": 2.426}
    fitted = {k: float(model.params_[k]) for k in published}
    check(all(math.isclose(fitted[k], v, rel_tol=2e-3) for k, v in published.items()),
          f"BG/NBD on CDNOW {fitted} (Fader, Hardie & Lee 2005)")
    restored = pickle.loads(pickle.dumps(model))
    before = model.p_alive(summary["frequency"], summary["recency"], summary["T"])
    after = restored.p_alive(summary["frequency"], summary["recency"], summary["T"])
    check(restored.params_.equals(model.params_) and np.array_equal(np.asarray(before), np.asarray(after)),
          "a pickled BG/NBD model predicts as the original")


def main() -> None:
    print(f"trustcost {tc.__version__} on Python {sys.version.split()[0]}, SIMD build {tc.get_simd()}")
    installed_package()
    taste()
    vector_kernels()
    command_line()
    bgnbd_and_pickle()
    print(f"smoke: {PASSED} passed, 0 failed")


if __name__ == "__main__":
    main()
