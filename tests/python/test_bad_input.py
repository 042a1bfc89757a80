"""Bad and extreme input to the public functions of lcc, stats, trust and uncertainty (issues 11, 18).

Reproducers of each reported failure, and a generated sweep (``bad_input_sweep.py``: every public
callable's arguments replaced in turn by a table of bad values and array layouts, over 11,000
cases) whose crashes, hangs, silent wrong answers and unclear errors fail the test, except the
ones listed in ``KNOWN_FAILURES`` (other areas' open cases, for the integrator to reconcile).

Every call with a malformed argument must raise ValueError or TypeError whose message names the
argument: never another exception type, never a crash, never a hang. Crashes and hangs are
reproduced in a subprocess (with faulthandler and a time limit) so a regression fails the test
instead of killing the test run.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from trustcost import _core

import sweep_known_finance  # noqa: E402  (beside this file: pytest puts its folder on sys.path)
import sweep_known_relationship  # noqa: E402
import sweep_known_rfm  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_isolated(code: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter (faulthandler on), failing the test on a crash or hang."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(tc.__path__[0]), os.environ.get("PYTHONPATH", "")]))
    try:
        done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", textwrap.dedent(code)], capture_output=True,
                              text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {timeout} s:\n{code}")
    assert done.returncode == 0, f"exit code {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done


# ----------------------------------------------------------------------------- horizon (memory corruption)

def _one_offer(horizon):
    return tc.Study([tc.Offer("a", [tc.OneTime("price", 1.0), tc.Recurring("service", 2.0)])], horizon=horizon,
                    discount_rate=0.05)


@pytest.mark.parametrize("horizon", [2**64 - 1, 2**63, 2**40, 10**9, _core.MAX_HORIZON + 1, 0, -1])
def test_study_refuses_a_horizon_outside_the_engine_limit(horizon):
    with pytest.raises(ValueError, match=rf"horizon must be >= 1 and <= {_core.MAX_HORIZON} years \(the engine's limit\), "
                                         rf"got {horizon}"):
        _one_offer(horizon)


def test_the_longest_horizon_evaluates():
    result = _one_offer(_core.MAX_HORIZON).evaluate()
    assert result.costs.shape[0] == _core.MAX_HORIZON + 1
    # 2 a year at 5% for ever is worth 40: the tail past 10,000 years is negligible.
    assert result.present_value["a"] == pytest.approx(1.0 + 2.0 / 0.05)


def test_horizon_two_to_the_64_does_not_corrupt_memory_in_a_direct_core_call():
    # Reproducer of issue 11: horizon + 1 wrapped to 0 in size_t and add_item wrote past the array.
    done = run_isolated("""
        import numpy as np
        from trustcost import _core
        kind = np.array([0, 1], dtype=np.int32); category = np.zeros(2, dtype=np.int32)
        params = np.zeros((2, 8)); params[:, 0] = 1.0; params[1, 1] = 1.0; params[1, 2] = float(2**64 - 1)
        offer_start = np.array([0, 2], dtype=np.int64)
        # (the Monte Carlo sizes its arrays through the same check: lcc::detail::year_factors)
        spec = _core.StudySpec(horizon=5, discount_rate=0.05)

        def set_later(h):  # a valid spec whose horizon is changed afterwards is checked again
            spec.horizon = h

        for call in (lambda h: _core.lcc_evaluate(_core.StudySpec(horizon=h, discount_rate=0.05), kind, category, params,
                                                  offer_start), set_later):
            for horizon in (2**64 - 1, 2**63, 10**12, 0):
                try:
                    call(horizon)
                except ValueError as exc:
                    assert "horizon must be >= 1 and <= 10000 years" in str(exc), exc
                else:
                    raise AssertionError(f"horizon {horizon} accepted")
        import gc; gc.collect()
        print("survived")
    """)
    assert "survived" in done.stdout


def test_horizon_from_a_scenario_file_is_refused(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text('[study]\nhorizon = 18446744073709551615\ndiscount_rate = 0.05\n\n'
                    '[[offers]]\nname = "a"\n\n[[offers.costs]]\ntype = "recurring"\nname = "service"\namount = 2.0\n')
    with pytest.raises(ValueError, match=r"horizon must be >= 1 and <= 10000 years .* got 18446744073709551615"):
        tc.load_study(path)


def test_compare_sourcing_refuses_a_huge_horizon():
    with pytest.raises(ValueError, match="horizon must be >= 1 and <= 10000 years"):
        tc.compare_sourcing(dict(annual_spend=1e6, trust=0.2), dict(annual_spend=1e6, trust=0.5), horizon=2**64 - 1)


# ----------------------------------------------------------------------------- runaway computations

def test_a_tiny_preventive_interval_is_refused_at_once_not_looped_over():
    # Reproducer of issue 11: preventive_interval=1e-300 never returned (t += tau did not move t).
    with pytest.raises(ValueError, match=r"preventive_interval = 1e-300 years gives 3e\+301 renewals over 30 years "
                                         r"of service, more than the engine's limit of 1000000"):
        tc.Study([tc.Offer("a", [tc.Failures("pump", tc.Weibull(2.0, 5.0), 100.0, preventive_interval=1e-300,
                                             preventive_cost=10.0)])], horizon=30, discount_rate=0.05)
    with pytest.raises(ValueError, match="preventive_interval must be > 0 years, got -1.0"):
        tc.Failures("pump", tc.Weibull(2.0, 5.0), 100.0, preventive_interval=-1.0)


def test_a_tiny_preventive_interval_in_a_direct_core_call_returns_quickly():
    done = run_isolated("""
        import numpy as np
        from trustcost import _core
        kind = np.array([4], dtype=np.int32); category = np.zeros(1, dtype=np.int32)
        params = np.array([[10.0, 1.0, 30.0, 0.0, 0.0, 2.0, 5.0, 1e-300]])
        try:
            _core.lcc_evaluate(_core.StudySpec(horizon=30, discount_rate=0.05), kind, category, params,
                               np.array([0, 1], dtype=np.int64))
        except ValueError as exc:
            print(exc)
    """, timeout=30)
    assert "interval 1e-300 gives 3e+301 preventive renewals over 30 years of service" in done.stdout


def test_many_preventive_renewals_cost_what_their_count_says():
    # 1,000 renewals a year for 30 years (none at disposal): counted per year, not walked one by one.
    study = tc.Study([tc.Offer("a", [tc.Failures("pump", tc.Weibull(2.0, 5.0), 0.0, preventive_interval=1e-3,
                                                 preventive_cost=1.0)])], horizon=30, discount_rate=0.0)
    yearly = study.evaluate().costs.loc["a", "maintenance"].to_numpy()
    np.testing.assert_allclose(yearly[1:], [1000.0] * 29 + [999.0])


def test_renewal_function_far_beyond_the_mean_life_is_quick_and_on_its_asymptote():
    # Reproducer of issue 11: renewal_function(Weibull(0.5, 1), 1e6) held the GIL for over a minute.
    # Asymptote t / mu + (sigma^2 - mu^2) / (2 mu^2) (Cox 1962, Renewal Theory, eq. 4.5.2); for
    # Weibull(0.5, 1) mu = Gamma(3) = 2 and sigma^2 = Gamma(5) - 4 = 20, so the offset is 2.
    done = run_isolated("""
        import time, trustcost as tc
        start = time.perf_counter()
        print(tc.renewal_function(tc.Weibull(0.5, 1.0), 1e6), tc.renewal_function(tc.Weibull(0.5, 1e-3), 30.0))
        print(time.perf_counter() - start)
    """, timeout=60)
    far, short_life, seconds = map(float, done.stdout.split())
    assert far == pytest.approx(1e6 / 2 + 2, abs=0.02)  # the grid's accuracy for shape < 1 (singular density)
    assert short_life == pytest.approx(30.0 / 2e-3 + 2, abs=0.02)
    assert seconds < 20


def test_a_study_with_a_very_short_life_over_decades_evaluates_quickly():
    done = run_isolated("""
        import trustcost as tc
        study = tc.Study([tc.Offer("a", [tc.Failures("chip", tc.Weibull(0.5, 1e-3), 1.0)])], horizon=30,
                         discount_rate=0.0)
        print(study.evaluate().present_value["a"])
    """, timeout=60)
    assert float(done.stdout) == pytest.approx(30.0 / 2e-3 + 2, abs=0.02)


def test_a_renewal_grid_beyond_the_step_limit_is_refused_with_a_reason():
    with pytest.raises(ValueError, match=r"needs \d+ grid steps, more than the limit of 32768: the life is too short"):
        tc.renewal_function(tc.Weibull(0.3, 1e-3), 1e4)


def test_ctrl_c_stops_a_long_renewal_solve():
    # The solve releases the GIL and polls for signals: SIGINT mid-solve surfaces as KeyboardInterrupt.
    done = run_isolated("""
        import os, signal, threading, time
        from trustcost import _core
        # A shell starts background jobs with SIGINT ignored, and Python keeps that: restore Ctrl-C.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        start = time.perf_counter()
        try:
            while time.perf_counter() - start < 30:  # ~0.6 s a solve at the step limit; never done before the signal
                _core.renewal_function(0.5, 1.0, [1e6], 42.9)
        except KeyboardInterrupt:
            print("interrupted after", time.perf_counter() - start)
    """, timeout=60)
    assert done.stdout.startswith("interrupted after")
    assert float(done.stdout.split()[-1]) < 1.5  # within the solve, not after it


# ----------------------------------------------------------------------------- a table of bad inputs

MASKED = np.ma.masked_array([1.0, 2.0], mask=[False, True])
BAD_REAL = [None, "1", "yes", float("nan"), float("inf"), -float("inf"), 10**400, [1.0, 2.0], np.ma.masked_array(1.0),
            MASKED, True, np.bool_(False), 1 + 2j]
BAD_INT = [None, "3", 3.5, float("nan"), -1, 2**64, 10**30, True, np.bool_(True), [3], MASKED]
BAD_ARRAY = [None, "abc", [[1.0, 2.0], [3.0]], np.zeros((2, 2, 2)), [], MASKED, np.array(["a", "b"]),
             np.array([1 + 1j]), {"a": 1}]
BAD_FLAG = ["yes", "no", "", 1, 0, None, np.array([True]), 1.0]
BAD_SEED = [-1, 2**64, 2**70, 1.5, "1", None, True, float("nan")]

W = tc.Weibull(2.0, 5.0)


def _offer(**kw):
    return tc.Offer("a", [tc.OneTime("price", 100.0)], **kw)


def _events():
    return pd.DataFrame({"time": [0.5, 1.0], "kind": ["promise_kept", "promise_broken"]})


# (call with the bad value, the argument's name in the message, the bad values)
CASES = [
    # stats
    (lambda v: tc.Normal(v, 1.0), "mean", BAD_REAL),
    (lambda v: tc.Normal(0.0, v), "sd", BAD_REAL + [0.0, -1.0]),
    (lambda v: tc.Normal(0.0, 1.0, lower=v), "lower", [x for x in BAD_REAL if x is not None]),
    (lambda v: tc.Uniform(v, 2.0), "low", BAD_REAL),
    (lambda v: tc.Triangular(0.0, v, 2.0), "mode", BAD_REAL + [3.0]),
    (lambda v: tc.PERT(0.0, 1.0, 2.0, lambda_=v), "lambda", BAD_REAL + [0.0, -4.0]),
    (lambda v: tc.LogNormal(median=v, p90=5.0), "median", [x for x in BAD_REAL if x is not None] + [-1.0]),
    (lambda v: tc.Gamma(v, 1.0), "shape", BAD_REAL + [0.0, -1.0]),
    (lambda v: tc.Beta(1.0, v), "beta", BAD_REAL + [0.0]),
    (lambda v: tc.Weibull(2.0, v), "scale", BAD_REAL + [0.0]),
    (lambda v: tc.Fixed(v), "value", BAD_REAL),
    (lambda v: tc.Empirical(v), "samples", BAD_ARRAY + [[1.0, np.nan]]),
    (lambda v: W.quantile(v), "q", BAD_ARRAY[1:] + [1.5, -0.1, None]),
    (lambda v: W.cdf(v), "x", BAD_ARRAY[1:] + [np.nan, None]),
    (lambda v: W.sample(v), "size", BAD_INT + [0]),
    (lambda v: W.sample(10, seed=v), "seed", BAD_SEED),
    (lambda v: W.sample(10, stream=v), "stream", [-1, 2**64, 1.5, None, True]),
    # lcc
    (lambda v: tc.OneTime("price", v), "amount", BAD_REAL),
    (lambda v: tc.OneTime("price", 1.0, year=v), "year", BAD_INT),
    (lambda v: tc.OneTime("price", 1.0, nominal=v), "nominal", BAD_FLAG),
    (lambda v: tc.Recurring("service", 1.0, escalation=v), "escalation", BAD_REAL + [-1.0, -2.0]),
    (lambda v: tc.Recurring("service", 1.0, end=v), "end", BAD_INT[1:]),  # None: to the horizon
    (lambda v: tc.Periodic("overhaul", 1.0, every=v), "every", BAD_INT + [0]),
    (lambda v: tc.UsageBased("energy", v, 0.2), "units_per_year", BAD_REAL + [-1.0]),
    (lambda v: tc.Failures("pump", W, v), "cost_per_failure", BAD_REAL + [-1.0]),
    (lambda v: tc.Failures("pump", v, 1.0), "life", [None, 3.0, "weibull", tc.Normal(1, 1)]),
    (lambda v: tc.Failures("pump", W, 1.0, preventive_interval=v), "preventive_interval",
     [x for x in BAD_REAL if x is not None] + [0.0, -1.0]),
    (lambda v: tc.Residual("resale", v), "value", BAD_REAL),
    (lambda v: tc.Disposal("scrap", 1.0, year=v), "year", BAD_INT[1:]),  # None: the horizon
    (lambda v: tc.Exponential(v), "mtbf", BAD_REAL + [0.0]),
    (lambda v: tc.Supplier(v, 100.0), "annual_default_probability", BAD_REAL + [1.5, -0.1]),
    (lambda v: tc.Study([_offer()], horizon=v, discount_rate=0.05), "horizon", BAD_INT + [0, 10**6]),
    (lambda v: tc.Study([_offer()], horizon=5, discount_rate=v), "discount_rate", BAD_REAL + [-1.0]),
    (lambda v: tc.Study([_offer()], horizon=5, discount_rate=0.05, inflation=v), "inflation", BAD_REAL + [-1.0]),
    (lambda v: tc.Study([_offer()], horizon=5, discount_rate=0.05, timing=v), "timing", ["start", None, 1, "END"]),
    (lambda v: tc.renewal_function(W, v), "t", BAD_ARRAY[1:] + [-1.0, np.nan, None, np.inf]),
    (lambda v: tc.renewal_function(v, 1.0), "life", [None, 2.0, tc.Normal(1, 1)]),
    (lambda v: tc.economic_life(v, [1.0, 2.0], [3.0, 2.0], 0.05), "price", BAD_REAL),
    (lambda v: tc.economic_life(10.0, v, [3.0, 2.0], 0.05), "operating_costs", BAD_ARRAY + [[1.0]]),
    (lambda v: tc.economic_life(10.0, [1.0, 2.0], [3.0, 2.0], v), "rate", BAD_REAL + [-1.0]),
    (lambda v: tc.optimal_replacement_interval(v, 5.0, 1.0, 10.0), "shape", BAD_REAL + [0.0]),
    (lambda v: tc.optimal_replacement_interval(2.0, 5.0, 1.0, v), "failure_cost", BAD_REAL + [-1.0]),
    # uncertainty
    (lambda v: tc.simulate(tc.Study([_offer()], horizon=3, discount_rate=0.05), paths=v), "paths", BAD_INT + [0]),
    (lambda v: tc.simulate(tc.Study([_offer()], horizon=3, discount_rate=0.05), paths=10, seed=v), "seed", BAD_SEED),
    (lambda v: tc.simulate(tc.Study([_offer()], horizon=3, discount_rate=0.05), paths=10, paired=v), "paired",
     BAD_FLAG),
    (lambda v: tc.simulate(tc.Study([_offer()], horizon=3, discount_rate=0.05), paths=10, keep_years=v),
     "keep_years", BAD_FLAG),
    # trust
    (lambda v: tc.TransactionCostModel(curvature=v), "curvature", BAD_REAL + [0.0, -1.0]),
    # (booleans are numbers to numpy: True is trust 1)
    (lambda v: tc.TrustProfile(trust=v, annual_spend=1e6), "trust", BAD_REAL[:-3] + [1.5, -0.1, [0.2, np.nan]]),
    (lambda v: tc.TrustProfile(trust=0.5, annual_spend=v), "annual_spend", BAD_REAL + [-1.0]),
    (lambda v: tc.relationship_costs(v, 1e6), "trust", BAD_ARRAY + [[1.5], [np.nan]]),
    (lambda v: tc.relationship_costs([0.5, 0.6], v), "spend", BAD_ARRAY[1:] + [-1.0, [1.0, 2.0, 3.0], None]),
    (lambda v: tc.relationship_costs([0.5, 0.6], 1e6, discount_rate=v), "discount_rate", BAD_REAL + [-1.0]),
    (lambda v: tc.relationship_costs([0.5, 0.6], 1e6, first_year=v), "first_year", BAD_INT),
    (lambda v: tc.TrustDynamics(half_life=v), "half_life", [x for x in BAD_REAL if not isinstance(x, float) or
                                                            not np.isposinf(x)] + [0.0, -1.0]),
    (lambda v: tc.simulate_trust(rates={"contact": 4}, horizon=v), "horizon",
     [x for x in BAD_REAL if x is not None] + [0.0, -1.0]),
    (lambda v: tc.simulate_trust(rates={"contact": 4}, horizon=1, step=v), "step", BAD_REAL + [0.0, 1e-300]),
    (lambda v: tc.simulate_trust(rates={"contact": 4}, horizon=1, paths=v), "paths", BAD_INT + [0, 10**12]),
    (lambda v: tc.simulate_trust(rates={"contact": 4}, horizon=1, seed=v), "seed", BAD_SEED),
    (lambda v: tc.simulate_trust(rates={"contact": 4}, horizon=1, expected=v), "expected", BAD_FLAG),
    (lambda v: tc.simulate_trust(rates={"contact": v}, horizon=1), "contact", BAD_REAL + [-1.0]),
    (lambda v: tc.simulate_trust(_events(), step=v), "step", BAD_REAL + [0.0, 1e-300]),
    (lambda v: tc.compare_sourcing(dict(annual_spend=1e6, trust=0.2), dict(annual_spend=1e6, trust=0.5), horizon=v),
     "horizon", BAD_INT + [0, 10**6]),
    (lambda v: tc.compare_sourcing(dict(annual_spend=1e6, trust=0.2), dict(annual_spend=1e6, trust=0.5), seed=v),
     "seed", BAD_SEED),
    (lambda v: tc.compare_sourcing(dict(annual_spend=v, trust=0.2), dict(annual_spend=1e6, trust=0.5)),
     "annual_spend", BAD_REAL + [-1.0]),
    (lambda v: tc.PromiseLedger(v), "promises", [None, "ledger", [1, 2], np.zeros(3)]),
]


def _ids():
    for call, name, values in CASES:
        for k, value in enumerate(values):
            yield pytest.param(call, name, value, id=f"{name}-{k}-{type(value).__name__}")


@pytest.mark.parametrize("call, name, value", list(_ids()))
def test_bad_input_raises_value_or_type_error_naming_the_argument(call, name, value):
    with pytest.raises((ValueError, TypeError)) as info:
        call(value)
    assert name in str(info.value), f"{type(info.value).__name__}: {info.value}"
    assert "incompatible function arguments" not in str(info.value)


# ----------------------------------------------------------------------------- silent wrong results

def test_masked_arrays_are_refused_naming_the_argument():
    # Issue 11: the mask was ignored and the hidden values used.
    with pytest.raises(TypeError, match=r"samples is a masked array, whose mask would be ignored; pass "
                                        r"samples.filled\(value\) or samples.compressed\(\) instead"):
        tc.Empirical(MASKED)
    with pytest.raises(TypeError, match="operating_costs is a masked array"):
        tc.economic_life(10.0, MASKED, [3.0, 2.0], 0.05)


def test_flags_take_only_booleans():
    from trustcost._validation import check_flag

    assert check_flag(np.bool_(True), "flag") is True and check_flag(False, "flag") is False
    for truthy in ("no", "yes", 1, np.array([True])):
        with pytest.raises(TypeError, match="nominal must be True or False"):
            tc.Recurring("service", 1.0, nominal=truthy)
    assert tc.Recurring("service", 1.0, nominal=np.bool_(True)).nominal is True


def test_seeds_outside_64_bits_are_refused_not_aliased():
    # Issue 11: seed 2**64 + 1 gave the draws of seed 1.
    dist = tc.Uniform(0.0, 1.0)
    with pytest.raises(ValueError, match=r"seed must be in 0\.\.18446744073709551615, got 18446744073709551617"):
        dist.sample(3, seed=2**64 + 1)
    with pytest.raises(ValueError, match="seed must be in 0..18446744073709551615, got -1"):
        dist.sample(3, seed=-1)
    assert np.array_equal(dist.sample(3, seed=2**64 - 1), dist.sample(3, seed=np.uint64(2**64 - 1)))


def test_a_missing_promised_value_is_an_error_naming_the_row():
    # Issue 11: a promise with no promised value counted as broken.
    frame = pd.DataFrame({"promise": ["uptime"] * 3, "promised_by": ["sales"] * 3, "delivered_by": ["service"] * 3,
                          "promised": [0.99, np.nan, 0.98], "delivered": [0.995, 0.99, 0.97], "time": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=r"promises row 1: promised is missing \(nan\), so the promise cannot be checked"):
        tc.PromiseLedger(frame)


def test_study_costs_that_overflow_name_the_offer_category_and_year():
    # Issue 11: Study.evaluate() said "present_value must be finite", an internal argument's name.
    offer = tc.Offer("huge", [tc.Recurring("service", 1e300, escalation=1.0)])
    with pytest.raises(OverflowError, match=r"offer 'huge': the operation cost of year \d+ overflows double precision"):
        tc.Study([offer], horizon=100, discount_rate=0.05).evaluate()


def _study_for_progress():
    return tc.Study([tc.Offer("a", [tc.OneTime("price", tc.Normal(100.0, 10.0, lower=0.0)),
                                    tc.Failures("pump", tc.Exponential(tc.Uniform(2.0, 4.0)), 50.0)])],
                    horizon=10, discount_rate=0.05)


def test_an_error_in_the_progress_callback_always_propagates_on_two_threads():
    # Issue 11: lost about half the time when helper threads ran the last blocks.
    class Stop(Exception):
        pass

    def at_the_end(done, total):
        if done == total:
            raise Stop(f"{done} of {total}")

    before = tc.get_num_threads()
    try:
        tc.set_num_threads(2)
        study = _study_for_progress()
        for _ in range(10):
            with pytest.raises(Stop):
                tc.simulate(study, paths=3000, seed=1, progress=at_the_end)
    finally:
        tc.set_num_threads(before)


# ----------------------------------------------------------------------------- issue 18 reproducers

def _interrupted_after(setup: str, call: str, delay: float = 0.5) -> float:
    """Seconds from SIGINT to KeyboardInterrupt for ``call`` run in a fresh interpreter."""
    done = run_isolated(f"""
        import os, signal, threading, time
        import numpy as np
        import trustcost as tc
        # A shell starts background jobs with SIGINT ignored, and Python keeps that: restore Ctrl-C.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        {setup}
        sent = []
        def fire():
            sent.append(time.perf_counter())
            os.kill(os.getpid(), signal.SIGINT)
        threading.Timer({delay}, fire).start()
        try:
            {call}
            print("finished")
        except KeyboardInterrupt:
            print("interrupted after", time.perf_counter() - sent[0])
    """, timeout=60)
    assert done.stdout.startswith("interrupted after"), done.stdout
    return float(done.stdout.split()[-1])


def test_ctrl_c_stops_a_huge_sample_within_two_seconds():
    assert _interrupted_after("d = tc.Normal(0.0, 1.0)", "d.sample(300_000_000, seed=1)", delay=0.3) < 2.0


def test_ctrl_c_stops_a_long_simulation_within_two_seconds():
    setup = """study = tc.Study([tc.Offer("a", [tc.OneTime("price", 1.0),
                    tc.Failures("f", tc.Exponential(tc.Uniform(0.001, 0.01)), 1.0)])], horizon=10, discount_rate=0.05)"""
    assert _interrupted_after(setup, "tc.simulate(study, 10**7, progress=False)") < 2.0  # hours of work


def test_a_life_of_seconds_over_years_is_refused_quickly_not_drawn_for_hours():
    # Issue 18: Exponential(1e-9) over 10 years ran past 60 s and ignored Ctrl-C (1e10 failures a path).
    for life in (tc.Exponential(1e-9), tc.Exponential(tc.Uniform(1e-9, 2e-9)), tc.Weibull(1.5, 1e-9)):
        study = tc.Study([tc.Offer("a", [tc.Failures("f", life, 1.0)])], horizon=10, discount_rate=0.05)
        with pytest.raises(ValueError, match=r"Failures: a unit with life scale .* would fail more than 100000 times"):
            tc.simulate(study, 1000, progress=False)


def test_simulate_takes_numpy_integers():
    # Issue 18: np.int64(200) paths gave OverflowError (2**64 - 1 - np.int64 overflowed).
    study = _one_offer(3)
    result = tc.simulate(study, np.int64(200), seed=np.uint64(3), first_path=np.int32(5), progress=False)
    assert len(result.present_values) == 200
    assert result.present_values.equals(tc.simulate(study, 200, seed=3, first_path=5, progress=False).present_values)


@pytest.mark.parametrize("paths", [2**64, 2**64 - 1, 10**30])
def test_huge_path_counts_name_paths_not_first_path(paths):
    with pytest.raises(ValueError, match=r"^paths must be <= 1099511627776, got"):
        tc.simulate(_one_offer(3), paths)


@pytest.mark.parametrize("size", [2**64, 2**41, 10**30])
def test_huge_sample_sizes_are_refused_naming_size(size):
    with pytest.raises(ValueError, match=r"^size must be <= 1099511627776, got"):
        tc.Normal(0, 1).sample(size)


def test_a_direct_core_sample_of_a_huge_size_is_refused_in_cpp():
    with pytest.raises(ValueError, match=r"size must be in 1\.\.1099511627776 \(2\*\*40\), got 1099511627777"):
        tc.Normal(0, 1)._impl.sample(2**40 + 1, 0, 0)


def test_a_study_name_outside_the_basic_plane_survives_save_and_load(tmp_path):
    # Issue 18: save_study wrote the emoji as a JSON surrogate pair, which TOML refuses.
    name = 'Rocket 🚀 "quoted" \\ back\ttab \x7f'
    study = tc.Study([tc.Offer(name, [tc.OneTime("price 💶", 1.0)])], horizon=2, discount_rate=0.05)
    for suffix in (".toml", ".json"):
        loaded = tc.load_study(tc.save_study(study, tmp_path / f"s{suffix}"))
        assert [o.name for o in loaded.offers] == [name]
        assert loaded.offers[0].costs[0].name == "price 💶"


def test_a_utf16_scenario_is_refused_naming_the_file(tmp_path):
    path = tc.save_study(_one_offer(2), tmp_path / "utf16.toml")
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-16")
    with pytest.raises(ValueError, match=r"^utf16\.toml: scenario files must be UTF-8 text"):
        tc.load_study(path)


def test_a_deeply_nested_scenario_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match=r"^deep\.json: nested too deeply"):
        tc.load_study(path)


def test_one_offer_or_one_element_where_a_list_belongs_is_a_clear_error():
    offer = tc.Offer("a", [tc.OneTime("price", 1.0)])
    with pytest.raises(TypeError, match=r"offers must be a list of Offer objects, got Offer 'a' \(pass \[offer\]\)"):
        tc.Study(offer, horizon=2, discount_rate=0.05)
    with pytest.raises(TypeError, match=r"offer 'b': costs must be a list of cost elements, got OneTime .*\(pass \[element\]\)"):
        tc.Offer("b", tc.OneTime("price", 1.0))


def test_unknown_investment_categories_are_refused():
    result = _one_offer(3).evaluate()
    with pytest.raises(ValueError, match=r"investment_categories has unknown name\(s\) \['nope'\]"):
        result.streams("a", investment_categories=("nope",))
    with pytest.raises(TypeError, match="investment_categories must be a list of names"):
        result.compare(investment_categories="acquisition")
    with pytest.raises(ValueError, match=r"offer must be one of \['a'\], got 'b'"):
        result.streams("b")
    # A standard category the study does not use is known (it counts nothing).
    investment, operational = result.streams("a", investment_categories=("acquisition", "training"))
    assert investment.sum() == pytest.approx(1.0) and operational.sum() == pytest.approx(6.0)


def test_relationship_cost_names_are_distinct_strings_never_letters():
    with pytest.raises(TypeError, match="names must be a list of names, got str 'xy'"):
        tc.relationship_costs([[0.5, 0.6], [0.4, 0.5]], 1e6, names="xy")
    with pytest.raises(ValueError, match=r"names must not repeat a name, got \['x'\]"):
        tc.relationship_costs([[0.5, 0.6], [0.4, 0.5]], 1e6, names=["x", "x"])


@pytest.mark.parametrize("years", [2.5, "3", True, np.float64(2.0)])
def test_trust_yearly_takes_whole_years_only(years):
    trajectory = tc.simulate_trust(rates={"promise_kept": 4}, horizon=3, expected=True)
    with pytest.raises(TypeError, match="years must be an integer"):
        trajectory.yearly(years)
    assert trajectory.yearly(np.int64(2)).shape[-1] == 3


def test_a_discount_factor_beyond_double_precision_is_an_overflow_error():
    # The overflow policy (README, Conventions): OverflowError naming the argument.
    with pytest.raises(OverflowError, match=r"discount_rate -0\.98999.* beyond double precision"):
        tc.Study([tc.Offer("a", [tc.Recurring("service", 1.0)])], horizon=10_000, discount_rate=-0.99).evaluate()


def test_the_cash_flow_reader_names_the_file_and_the_problem(tmp_path, capsys):
    from trustcost import cli

    cases = {
        "missing.csv": ("year,option,investment\n0,a,1\n", "missing ['operating']"),
        "text.csv": ("year,option,investment,operating\n0,a,x,1\n", "'investment' must be numeric"),
        "twice.csv": ("year,option,investment,operating\n0,a,1,1\n0,a,2,2\n", "option 'a' year 0 more than once"),
        "empty.csv": ("", "empty.csv: not a readable UTF-8 CSV"),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text)
        assert cli.main(["cashflows", str(tmp_path / name)]) != 0
        assert message in capsys.readouterr().err, name


# ----------------------------------------------------------------------------- the generated sweep

FAILURES = ("crash", "hang", "silent", "unclear")

# Failures the sweep still finds, by area and case id (issue 18): reported, not hidden. Each table
# may only shrink; a failure outside them fails the test.
KNOWN_FAILURES: dict[str, str] = {**sweep_known_finance.KNOWN, **sweep_known_relationship.KNOWN, **sweep_known_rfm.KNOWN}


def _run_sweep(budget: float = 480.0, stuck: float = 30.0) -> dict[str, tuple[str, str]]:
    """Every case's outcome. The sweep runs in a subprocess with faulthandler; a case that kills
    it is a crash, one that neither finishes nor answers its in-process alarm within ``stuck``
    seconds (a C++ loop that never returns to Python) is a hang; the sweep then goes on after it."""
    import json
    import selectors
    import time

    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad_input_sweep.py")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(tc.__path__[0]), os.environ.get("PYTHONPATH", "")]))
    outcomes: dict[str, tuple[str, str]] = {}
    start, skip = time.perf_counter(), 0
    while True:
        process = subprocess.Popen([sys.executable, "-X", "faulthandler", script, str(skip)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=env)
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        last, killed = None, False
        while True:
            assert time.perf_counter() - start < budget, f"the sweep took more than its budget of {budget} s"
            if not selector.select(timeout=stuck):  # no line for `stuck` seconds: the case hangs
                process.kill()
                killed = True
                break
            line = process.stdout.readline()
            if not line:
                break
            record = json.loads(line)
            if "outcome" in record:
                outcomes[record["case"]] = (record["outcome"], record["detail"])
            last = record
        stderr = process.stderr.read()
        process.wait()
        selector.close()
        process.stdout.close()
        process.stderr.close()
        if process.returncode == 0:
            return outcomes
        assert last is not None and "outcome" not in last, stderr[-2000:]
        detail = f"no answer within {stuck} s" if killed else (
            stderr.strip().splitlines()[-1][:200] if stderr.strip() else f"exit code {process.returncode}")
        outcomes[last["case"]] = ("hang" if killed else "crash", detail)
        skip = last["index"] + 1


def _start_cli_sweep(folder) -> subprocess.Popen:
    """The command-line cases (bad_input_sweep.run_cli), run beside the main sweep."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad_input_sweep.py")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(tc.__path__[0]), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, "-X", "faulthandler", script, "--cli", str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _cli_outcomes(process: subprocess.Popen, timeout: float = 240.0) -> dict[str, tuple[str, str]]:
    import json

    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"the command-line cases took more than {timeout} s")
    assert process.returncode == 0, stderr[-2000:]
    records = [json.loads(line) for line in stdout.splitlines()]
    return {r["case"]: (r["outcome"], r["detail"]) for r in records}


def test_generated_sweep_finds_no_crash_hang_silent_wrong_answer_or_unclear_error(tmp_path, capsys):
    cli = _start_cli_sweep(tmp_path)
    outcomes = _run_sweep()
    outcomes |= _cli_outcomes(cli)
    table = pd.crosstab(pd.Series([":".join(c.split(":")[:2]) if c.startswith("cli:") else c.split(":")[0]
                                   for c in outcomes], name="callable"),
                        pd.Series([o for o, _ in outcomes.values()], name="outcome"), margins=True)
    failures = {case: detail for case, (outcome, detail) in outcomes.items() if outcome in FAILURES}
    with capsys.disabled():  # the table in the test command's output, passing or not
        print("\n" + table.to_string())
        for case, detail in sorted(failures.items()):
            print(f"{outcomes[case][0]:8} {case}: {detail.splitlines()[0] if detail else detail}")
    assert len(outcomes) >= 5000
    assert sorted(set(failures) - set(KNOWN_FAILURES)) == []
    # Known cases that now pass are listed for the integrator to remove (a hang under load may
    # finish on a quiet machine, so they do not fail the test).
    fixed = sorted(set(KNOWN_FAILURES) - set(failures))
    if fixed:
        print(f"{len(fixed)} known failures no longer fail; remove them from KNOWN_FAILURES: {fixed}")


# ----------------------------------------------------------------------------- found by the sweep

def test_a_free_failure_has_no_saving_not_a_zero_division():
    result = tc.optimal_replacement_interval(2.0, 5.0, 1.0, 0.0)
    assert result.interval == np.inf and result.cost_rate == 0.0
    assert result.summary.loc["saving", "value"] == 0.0


@pytest.mark.parametrize("failure_cost", [1e308, 2.0**62, 1e30])
def test_a_failure_far_dearer_than_prevention_is_solved_or_refused_with_a_reason(failure_cost):
    try:
        result = tc.optimal_replacement_interval(2.0, 5.0, 1.0, failure_cost)
    except ValueError as exc:
        assert "failure_cost / preventive_cost" in str(exc)
    else:
        assert 0 < result.interval < 5.0 and np.isfinite(result.cost_rate)
        # The cost rate is lowest there: C(T) = (cp R + cf F) / int_0^T R rises on either side.
        assert result.cost_rate <= min(result.cost_rate_at(result.interval * 1.01),
                                       result.cost_rate_at(result.interval / 1.01))
        # Near age 0, C(T) ~ cp / T + cf (T / scale)^2 / T: the optimum is sqrt(cp scale^2 / cf).
        assert result.interval == pytest.approx(np.sqrt(1.0 * 25.0 / failure_cost), rel=1e-6)


@pytest.mark.parametrize("shape", [1e308, 2.0**62, 1e30])
def test_an_extreme_weibull_shape_is_refused_naming_shape(shape):
    with pytest.raises(ValueError, match=r"shape"):
        tc.optimal_replacement_interval(shape, 5.0, 1.0, 10.0)


def test_a_weibull_the_replacement_solver_refuses_names_shape_and_scale():
    with pytest.raises(ValueError, match=r"^shape = 1e-300, scale = 5\.0: Weibull\(1e-300, 5\): the mean is inf"):
        tc.optimal_replacement_interval(1e-300, 5.0, 1.0, 10.0)


def test_an_equivalent_annual_cost_beyond_double_precision_is_an_overflow_error_naming_the_rate():
    with pytest.raises(OverflowError, match="equivalent annual cost at discount_rate 1e\\+308 overflows"):
        tc.Study([tc.Offer("a", [tc.OneTime("price", 100.0)])], horizon=4, discount_rate=1e308,
                 allow_rates_above_100_percent=True).evaluate()
    with pytest.raises(OverflowError, match="equivalent annual cost at rate 1e\\+308 overflows"):
        tc.economic_life(100.0, [10.0, 20.0], [60.0, 40.0], 1e308)


@pytest.mark.parametrize("offers", [np.array(1.5), np.zeros((2, 2, 2)), ["a", "b"], pd.Series(pd.Categorical(["a"]))])
def test_offers_that_are_not_offers_are_refused_naming_offers(offers):
    with pytest.raises(TypeError, match=r"^offers(\[0\])? must be"):
        tc.Study(offers, horizon=2, discount_rate=0.05)


def test_break_even_names_the_argument_that_names_no_offer():
    study = tc.Study([_one_offer(2).offers[0], tc.Offer("b", [tc.OneTime("price", 2.0)])], horizon=2, discount_rate=0.05)
    with pytest.raises(ValueError, match=r"^against must name an offer of the study, one of \['a', 'b'\], got nan"):
        study.break_even_price("a", float("nan"))
    with pytest.raises(ValueError, match=r"^offer must name an offer of the study"):
        study.break_even_price(np.zeros(3), "b")


def test_compare_needs_an_investment_category():
    with pytest.raises(ValueError, match="investment_categories must name at least one category"):
        _one_offer(3).evaluate().compare(investment_categories=[])


def test_sizes_beyond_memory_name_the_argument(monkeypatch):
    # A size under the 2**40 limit that no machine holds: "Unable to allocate 7.28 TiB" named nothing.
    with pytest.raises(ValueError, match=r"^size = 1000000000000 needs about 7\.45e\+03 GiB of memory"):
        tc.Normal(0, 1).sample(10**12)
    with pytest.raises(ValueError, match=r"^paths = 1000000000000 needs about"):
        tc.simulate(_one_offer(3), 10**12, progress=False)


@pytest.mark.parametrize("make, shown", [
    (lambda: tc.PERT(-1e308, 1.5, 2.0), "PERT("), (lambda: tc.LogNormal(1e308, 0.5), "LogNormal(mean=1e+308"),
    (lambda: tc.LogNormal(1.0, 1e-300), "LogNormal(mean=1"), (lambda: tc.Gamma(2.0**62, 1.0), "Gamma(4.6"),
    (lambda: tc.Beta(1e308, 3.0), "Beta(1e+308"),
])
def test_distributions_boost_cannot_represent_are_refused_naming_the_distribution(make, shown):
    with pytest.raises(ValueError) as info:
        make()
    message = str(info.value)
    assert message.startswith(shown) and ("less extreme distribution" in message or "use Fixed(value)" in message)


# ----------------------------------------------------------------------------- more found by the sweep

def test_result_methods_name_bad_percent_levels_and_baselines():
    result = tc.simulate(tc.Study([tc.Offer("a", [tc.OneTime("p", tc.Uniform(1.0, 2.0))]),
                                   tc.Offer("b", [tc.OneTime("p", 1.5)])], horizon=2, discount_rate=0.05), 40,
                         progress=False)
    assert list(result.percentiles(50).columns) == ["p50"]  # one level as a number
    with pytest.raises(ValueError, match=r"q must be percents in \[0, 100\], got 150"):
        result.percentiles([10, 150])
    with pytest.raises(TypeError, match="q must be numeric"):
        result.differences(q="p50")
    with pytest.raises(ValueError, match="baseline must be one of"):
        result.differences(baseline=np.zeros(3))
    with pytest.raises(TypeError, match="results must be a list of SimulationResult objects, got SimulationResult"):
        tc.uncertainty.merge(result)
    with pytest.raises(TypeError, match=r"results\[1\] must be a SimulationResult, got str"):
        tc.uncertainty.merge([result, "x"])


def test_scenario_functions_name_their_arguments():
    with pytest.raises(TypeError, match="study must be a Study, got float"):
        tc.study_to_dict(1.5)
    with pytest.raises(TypeError, match="data must be a scenario dict"):
        tc.study_from_dict([1, 2])
    with pytest.raises(TypeError, match="source must be a file name"):
        tc.study_from_dict(tc.study_to_dict(_one_offer(2)), source=float("nan"))
    with pytest.raises(TypeError, match="offers must be a list, got float"):
        _one_offer(2).with_offers(1.5)
    with pytest.raises(TypeError, match="title must be a str or None, got float"):
        tc.report(_one_offer(2).evaluate(), title=float("nan"))


def test_an_uncertain_sourcing_field_names_itself():
    with pytest.raises(ValueError, match=r"s\.trust must be finite, got nan"):
        tc.SourcingStrategy(name="s", annual_spend=1e6, trust=float("nan"))


def test_a_renewal_count_beyond_double_precision_is_an_overflow_error():
    with pytest.raises(OverflowError, match="the expected number of failures of Exponential"):
        tc.renewal_function(tc.Exponential(5e-324), [1.0, 2.0])


# ----------------------------------------------------------------------------- found by the sweep's second round

COHORT = [1000.0, 631.0, 468.0, 382.0, 326.0]


def test_contract_survival_stays_finite_for_any_tenure():
    # S(t) = B(alpha, beta + t) / B(alpha, beta) was lgamma(inf) - lgamma(inf) = NaN at t = 1e308.
    model = tc.ShiftedBetaGeometric().fit(COHORT)
    a, b = model.params_["alpha"], model.params_["beta"]

    def direct(t):  # the beta ratio by math.lgamma, accurate while t is moderate
        return math.exp(math.lgamma(b + t) - math.lgamma(a + b + t) - math.lgamma(b) + math.lgamma(a + b))

    # Either side of the switch to the asymptotic series (1e6), and far beyond it:
    # S(t) ~ G(a + b) / G(b) t^-a (1 - a (a - 1) / (2 t)) (Abramowitz & Stegun 6.1.47).
    for t in (10.0, 999_999.0, 1_000_001.0):
        assert model.survival(t) == pytest.approx(direct(t), rel=1e-9)
    expected = math.exp(math.lgamma(a + b) - math.lgamma(b) - a * math.log(1e308))
    assert model.survival(1e308) == pytest.approx(expected, rel=1e-9)
    assert model.churn(1e308) == 0.0  # e^-(a + 1) 709: below the smallest double
    # After very many renewals theta ~ 0: every later renewal happens, DERL = sum (1 + d)^-k = (1 + d) / d.
    assert model.residual_lifetime(1e308, 0.1) == pytest.approx(11.0, rel=1e-12)
    bdw = tc.BetaDiscreteWeibull().fit(COHORT)
    assert bdw.survival(1e308) == 0.0 and np.isfinite(bdw.survival([1e6, 1e12])).all()


def test_contract_values_beyond_float64_name_the_margin():
    model = tc.ShiftedBetaGeometric().fit(COHORT)
    with pytest.raises(OverflowError, match=r"margin = 1e\+308 makes the customer value overflow float64"):
        model.lifetime_value(1e308, 0.1)
    with pytest.raises(OverflowError, match="margin = -1e\\+308"):
        model.residual_value([1, 2], -1e308, 0.1)


def test_customer_lifetime_value_names_what_is_not_a_model_or_a_frame():
    summary = tc.datasets.load_cdnow_summary().head(300)
    repeat = summary[summary.frequency > 0]
    purchases = tc.BetaGeo().fit(summary.frequency, summary.recency, summary["T"])
    spend = tc.GammaGamma().fit(repeat.frequency, repeat.monetary_value)
    with pytest.raises(TypeError, match="^transaction_model must be a fitted purchase model .* got float"):
        tc.customer_lifetime_value(1.5, spend, summary)
    with pytest.raises(TypeError, match="^spend_model must be a fitted GammaGamma, got BetaGeo"):
        tc.customer_lifetime_value(purchases, purchases, summary)
    with pytest.raises(TypeError, match="^summary must be a DataFrame .* got ndarray"):
        tc.customer_lifetime_value(purchases, spend, summary.to_numpy())
    # lifetimes' form takes the columns one by one: each is named (pandas said "All arrays must be
    # of the same length" or took the string "3" as a frequency).
    columns = [summary[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value")]
    with pytest.raises(ValueError, match=r"frequency, recency, T and monetary_value must have one value per row"):
        spend.customer_lifetime_value(purchases, columns[0][:-1], *columns[1:])
    with pytest.raises(TypeError, match="frequency"):
        spend.customer_lifetime_value(purchases, "3", *columns[1:])
    with pytest.raises(TypeError, match="recency is a masked array"):
        spend.customer_lifetime_value(purchases, columns[0], np.ma.masked_array(columns[1]), *columns[2:])
    same = spend.customer_lifetime_value(purchases, *columns, time=6, freq="W")
    assert same.equals(tc.customer_lifetime_value(purchases, spend, summary, time=6, freq="W").set_axis(same.index))


def test_a_missing_covariate_is_refused_naming_row_and_column():
    summary = tc.datasets.load_cdnow_summary().head(200)
    segment = pd.Series((np.arange(200) % 3 == 0).astype(float), name="segment")
    model = tc.BetaGeoCovariates().fit(summary.frequency, summary.recency, summary["T"], segment)
    gap = pd.Series([0.0, np.nan, 1.0], name="segment", dtype="Float64")
    with pytest.raises(ValueError, match=r"^covariates must be finite, got nan at row 1 of column 'segment'"):
        model.p_alive([0.0, 1.0, 2.0], [0.0, 5.0, 9.0], [10.0, 10.0, 10.0], gap)
    with pytest.raises(ValueError, match=r"covariates must be finite, got inf at row 3 of column 'x0'"):
        tc.ParetoNBDCovariates().fit(summary.frequency, summary.recency, summary["T"],
                                     np.where(np.arange(200) == 3, np.inf, 0.0))


def test_the_command_line_reports_overflow_and_its_own_option_names(tmp_path, capsys):
    from trustcost import cli

    flows = tc.datasets.load_example_cashflows().astype({"operating": float})
    flows["operating"] = 1e308
    flows.to_csv(tmp_path / "huge.csv", index=False)
    assert cli.main(["cashflows", str(tmp_path / "huge.csv")]) == 2  # was a traceback
    assert "overflows double precision" in capsys.readouterr().err
    assert cli.main(["cashflows", "--rate", "nan"]) == 2
    assert "trustcost: error: --rate must be finite, got nan" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["compare", "--format", "csv", "--output-dir", str(tmp_path / "huge.csv")])
    assert "--output-dir must be a folder, got the file" in capsys.readouterr().err


def _conditional_expectation(params, t, x, T, shift):
    """E[X(t) | alive, x, T] of BG/NBD (shift 0, Fader, Hardie & Lee 2005 eq. 10) and MBG/NBD (shift
    1, Batislam, Denizel & Filiztekin 2007) by mpmath at 40 digits: an independent computation."""
    import mpmath as mp

    with mp.workdps(40):
        r, alpha, a, b = (mp.mpf(float(v)) for v in params)
        horizon, c = alpha + T + mp.mpf(t), a + b + x - (1 - shift)
        log_term = (r + x) * (mp.log(alpha + T) - mp.log(horizon)) + mp.log(mp.hyp2f1(r + x, b + x + shift, c,
                                                                                        mp.mpf(t) / horizon))
        return float(mp.re(c / (a - 1) * -mp.expm1(log_term)))


@pytest.mark.parametrize("model, shift", [(tc.BetaGeo, 0), (tc.ModifiedBetaGeo, 1)])
def test_expected_purchases_stay_right_for_long_horizons(model, shift):
    # MBG/NBD gave negative expectations from t ~ 1e7 (t / (alpha + T + t) near 1: the 2F1 series
    # fell to Boost's pFq) and inf at 1e308; BG/NBD 4e33 at 1e308. Near z = 1 the 2F1 is now taken
    # by its connection formula in 1 - z (A&S 15.3.6), and t is bounded by 2^53 time units.
    summary = tc.datasets.load_cdnow_summary().head(200)
    fitted = model().fit(summary.frequency, summary.recency, summary["T"])
    # Long histories too: log(alpha + T) - log(alpha + T + t) kept four digits at T = 1e12, t = 10.
    for x, t_x, T in ((0.0, 0.0, 40.0), (3.0, 20.0, 40.0), (30.0, 2.0, 3.0), (3.0, 1e12, 1e12), (1.0, 1e15, 1e15)):
        alive = fitted.p_alive([x], [t_x], [T])[0]
        for t in (1.0, 10.0, 1e3, 1e6, 1e9, 1e12, 9e15):
            expected = _conditional_expectation(fitted.params_, t, x, T, shift)
            assert fitted.expected_purchases(t, [x], [t_x], [T])[0] == pytest.approx(alive * expected, rel=1e-9, abs=0)
    with pytest.raises(ValueError, match=r"^t must be finite and in \[0, 9007199254740992\] time units, got 1e\+308"):
        fitted.expected_purchases(1e308, [0.0], [0.0], [40.0])
    with pytest.raises(ValueError, match=r"^frequency must be <= 9007199254740992 .* got 1e\+308 at row 0"):
        fitted.p_alive([1e308], [20.0], [40.0])
    with pytest.raises(ValueError, match=r"^n must be whole numbers in \[0, 9007199254740992\], got 1e\+308"):
        fitted.conditional_probability_of_n_purchases(1e308, 10.0, [0.0], [0.0], [40.0])


def test_pareto_nbd_expected_purchases_for_long_histories():
    # A customer seen at T (t_x = T) is alive there, and expects (Fader & Hardie 2005, "A Note on
    # Deriving the Pareto/NBD Model and Related Expressions", eq. 27 with P(alive) = 1)
    #   (r + x)(beta + T) / ((alpha + T)(s - 1)) [1 - ((beta + T) / (beta + T + t))^(s - 1)],
    # here by mpmath at 40 digits. It was four digits at T = 1e12 (log k - log(k + t)), and NaN at
    # T = 1e308, where (r + x)(beta + T) overflowed.
    import mpmath as mp

    summary = tc.datasets.load_cdnow_summary().head(200)
    fitted = tc.ParetoNBD().fit(summary.frequency, summary.recency, summary["T"])
    r, alpha, s, beta = (mp.mpf(float(v)) for v in fitted.params_)
    for x in (0.0, 3.0):
        for T in (40.0, 1e6, 1e12, 1e300):
            for t in (1.0, 10.0, 1e3):
                with mp.workdps(40):
                    k = beta + T
                    expected = (r + x) * k / (alpha + T) / (s - 1) * -mp.expm1(-(s - 1) * mp.log1p(t / k))
                got = fitted.expected_purchases(t, [x], [0.0 if x == 0 else T], [T])[0]
                assert got == pytest.approx(fitted.p_alive([x], [0.0 if x == 0 else T], [T])[0] * float(expected), rel=1e-9, abs=0)
    far = fitted.expected_purchases(10.0, [2.0, 0.0], [30.0, 0.0], [1e308, 1e308])
    assert np.all(np.isfinite(far)) and np.all(far >= 0.0) and np.all(far < 1e-300)


def test_customer_value_refuses_spend_beyond_the_fits_bound():
    # 1e308 a purchase made the value inf; the spend fits refuse above 1e250, and so does scoring.
    summary = tc.datasets.load_cdnow_summary().head(300)
    repeat = summary[summary.frequency > 0]
    purchases = tc.BetaGeo().fit(summary.frequency, summary.recency, summary["T"])
    spend = tc.GammaGamma().fit(repeat.frequency, repeat.monetary_value)
    with pytest.raises(ValueError, match=r"^monetary_value must be finite, >= 0 and <= 1e250 .* got 1e\+308 at row 0"):
        tc.customer_lifetime_value(purchases, spend, summary.assign(monetary_value=1e308))
