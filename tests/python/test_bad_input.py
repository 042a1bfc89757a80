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

import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from trustcost import _core

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

# Failures the sweep finds in other helpers' areas (issue 18), by case id: reported, not hidden.
# The integrator reconciles this table after merging; it may only shrink.
KNOWN_FAILURES: dict[str, str] = {
    # finance (finance.py, cpp finance)
    'irr:values=long': 'silent',
    'pv:rate=1e308': 'silent',
    'pv:nper=1e308': 'silent',
    'pv:nper=-1e308': 'silent',
    'pv:nper=2**62': 'silent',
    'pv:nper=2**63': 'silent',
    'pv:nper=2**64': 'silent',
    'pv:nper=10**12': 'silent',
    'pv:nper=10**30': 'silent',
    'pv:nper=uint64-max': 'silent',
    'pv:nper=-2**63': 'silent',
    'pv:pmt=1e308': 'silent',
    'pv:pmt=-1e308': 'silent',
    'pv:when=3-D': 'silent',
    'pv:when=dict': 'unclear',
    'fv:rate=1e308': 'silent',
    'fv:nper=1e308': 'silent',
    'fv:nper=2**62': 'silent',
    'fv:nper=2**63': 'silent',
    'fv:nper=2**64': 'silent',
    'fv:nper=10**12': 'silent',
    'fv:nper=10**30': 'silent',
    'fv:nper=uint64-max': 'silent',
    'fv:pmt=1e308': 'silent',
    'fv:pmt=-1e308': 'silent',
    'fv:when=3-D': 'silent',
    'fv:when=dict': 'unclear',
    'pmt:rate=1e308': 'silent',
    'pmt:nper=1e308': 'silent',
    'pmt:nper=5e-324': 'silent',
    'pmt:nper=False': 'silent',
    'pmt:nper=0': 'silent',
    'pmt:nper=2**62': 'silent',
    'pmt:nper=2**63': 'silent',
    'pmt:nper=2**64': 'silent',
    'pmt:nper=10**12': 'silent',
    'pmt:nper=10**30': 'silent',
    'pmt:nper=uint64-max': 'silent',
    'pmt:when=3-D': 'silent',
    'pmt:when=dict': 'unclear',
    'nper:rate=1e308': 'silent',
    'nper:rate=5e-324': 'silent',
    'nper:rate=True': 'silent',
    'nper:rate=0-d': 'silent',
    'nper:rate=float32': 'silent',
    'nper:rate=1.5': 'silent',
    'nper:rate=2**62': 'silent',
    'nper:rate=2**63': 'silent',
    'nper:rate=2**64': 'silent',
    'nper:rate=10**12': 'silent',
    'nper:rate=10**30': 'silent',
    'nper:rate=int64': 'silent',
    'nper:rate=uint64-max': 'silent',
    'nper:pmt=1e308': 'silent',
    'nper:pmt=-1e308': 'silent',
    'nper:pmt=5e-324': 'silent',
    'nper:pmt=False': 'silent',
    'nper:pmt=0': 'silent',
    'nper:pmt=-1': 'silent',
    'nper:pmt=-0.5': 'silent',
    'nper:pv=1e308': 'silent',
    'nper:pv=2**62': 'silent',
    'nper:pv=2**63': 'silent',
    'nper:pv=2**64': 'silent',
    'nper:pv=10**12': 'silent',
    'nper:pv=10**30': 'silent',
    'nper:pv=uint64-max': 'silent',
    'nper:fv=-1e308': 'silent',
    'nper:fv=-2**63': 'silent',
    'nper:when=3-D': 'silent',
    'nper:when=dict': 'unclear',
    'ipmt:rate=1e308': 'silent',
    'ipmt:per=1e308': 'silent',
    'ipmt:per=-1e308': 'silent',
    'ipmt:per=5e-324': 'silent',
    'ipmt:per=False': 'silent',
    'ipmt:per=0': 'silent',
    'ipmt:per=-1': 'silent',
    'ipmt:per=2**62': 'silent',
    'ipmt:per=2**63': 'silent',
    'ipmt:per=2**64': 'silent',
    'ipmt:per=10**12': 'silent',
    'ipmt:per=10**30': 'silent',
    'ipmt:per=-0.5': 'silent',
    'ipmt:per=1e-300': 'silent',
    'ipmt:per=uint64-max': 'silent',
    'ipmt:per=-2**63': 'silent',
    'ipmt:nper=1e308': 'silent',
    'ipmt:nper=-1e308': 'silent',
    'ipmt:nper=5e-324': 'silent',
    'ipmt:nper=False': 'silent',
    'ipmt:nper=0': 'silent',
    'ipmt:nper=2**62': 'silent',
    'ipmt:nper=2**63': 'silent',
    'ipmt:nper=2**64': 'silent',
    'ipmt:nper=10**12': 'silent',
    'ipmt:nper=10**30': 'silent',
    'ipmt:nper=uint64-max': 'silent',
    'ipmt:nper=-2**63': 'silent',
    'ipmt:when=3-D': 'silent',
    'ipmt:when=dict': 'unclear',
    'ppmt:rate=1e308': 'silent',
    'ppmt:per=1e308': 'silent',
    'ppmt:per=-1e308': 'silent',
    'ppmt:per=5e-324': 'silent',
    'ppmt:per=False': 'silent',
    'ppmt:per=0': 'silent',
    'ppmt:per=-1': 'silent',
    'ppmt:per=2**62': 'silent',
    'ppmt:per=2**63': 'silent',
    'ppmt:per=2**64': 'silent',
    'ppmt:per=10**12': 'silent',
    'ppmt:per=10**30': 'silent',
    'ppmt:per=-0.5': 'silent',
    'ppmt:per=1e-300': 'silent',
    'ppmt:per=uint64-max': 'silent',
    'ppmt:per=-2**63': 'silent',
    'ppmt:nper=1e308': 'silent',
    'ppmt:nper=-1e308': 'silent',
    'ppmt:nper=5e-324': 'silent',
    'ppmt:nper=False': 'silent',
    'ppmt:nper=0': 'silent',
    'ppmt:nper=2**62': 'silent',
    'ppmt:nper=2**63': 'silent',
    'ppmt:nper=2**64': 'silent',
    'ppmt:nper=10**12': 'silent',
    'ppmt:nper=10**30': 'silent',
    'ppmt:nper=uint64-max': 'silent',
    'ppmt:nper=-2**63': 'silent',
    'ppmt:when=3-D': 'silent',
    'ppmt:when=dict': 'unclear',
    'rate:nper=1e308': 'silent',
    'rate:nper=-1e308': 'silent',
    'rate:nper=5e-324': 'silent',
    'rate:nper=False': 'silent',
    'rate:nper=0': 'silent',
    'rate:nper=-1': 'silent',
    'rate:nper=2**62': 'silent',
    'rate:nper=2**63': 'silent',
    'rate:nper=2**64': 'silent',
    'rate:nper=10**12': 'silent',
    'rate:nper=10**30': 'silent',
    'rate:nper=-0.5': 'silent',
    'rate:nper=1e-300': 'silent',
    'rate:nper=uint64-max': 'silent',
    'rate:nper=-2**63': 'silent',
    'rate:pmt=1e308': 'silent',
    'rate:pmt=-1e308': 'silent',
    'rate:pmt=5e-324': 'silent',
    'rate:pmt=True': 'silent',
    'rate:pmt=False': 'silent',
    'rate:pmt=0-d': 'silent',
    'rate:pmt=float32': 'silent',
    'rate:pmt=0': 'silent',
    'rate:pmt=1.5': 'silent',
    'rate:pmt=2**62': 'silent',
    'rate:pmt=2**63': 'silent',
    'rate:pmt=2**64': 'silent',
    'rate:pmt=10**12': 'silent',
    'rate:pmt=10**30': 'silent',
    'rate:pmt=1e-300': 'silent',
    'rate:pmt=int64': 'silent',
    'rate:pmt=uint64-max': 'silent',
    'rate:pmt=-2**63': 'silent',
    'rate:pv=1e308': 'silent',
    'rate:pv=-1e308': 'silent',
    'rate:pv=5e-324': 'silent',
    'rate:pv=True': 'silent',
    'rate:pv=False': 'silent',
    'rate:pv=0-d': 'silent',
    'rate:pv=float32': 'silent',
    'rate:pv=0': 'silent',
    'rate:pv=-1': 'silent',
    'rate:pv=1.5': 'silent',
    'rate:pv=-0.5': 'silent',
    'rate:pv=1e-300': 'silent',
    'rate:pv=int64': 'silent',
    'rate:pv=-2**63': 'silent',
    'rate:fv=1e308': 'silent',
    'rate:fv=-1e308': 'silent',
    'rate:fv=2**62': 'silent',
    'rate:fv=2**63': 'silent',
    'rate:fv=2**64': 'silent',
    'rate:fv=10**12': 'silent',
    'rate:fv=10**30': 'silent',
    'rate:fv=uint64-max': 'silent',
    'rate:fv=-2**63': 'silent',
    'rate:when=3-D': 'silent',
    'rate:when=dict': 'unclear',
    'crf:n=5e-324': 'silent',
    'upv:escalation=1e308': 'silent',
    'upv:escalation=10**30': 'silent',
    'eac:rate=1e308': 'silent',
    'eac:n=5e-324': 'silent',
    'discount_factors:periods=2**62': 'unclear',
    'discount_factors:periods=2**63': 'unclear',
    'discount_factors:periods=2**64': 'unclear',
    'discount_factors:periods=10**12': 'unclear',
    'discount_factors:periods=10**30': 'unclear',
    'discount_factors:periods=uint64-max': 'unclear',
    'net_savings:savings=nan': 'unclear',
    'net_savings:savings=inf': 'unclear',
    'net_savings:savings=-inf': 'unclear',
    'net_savings:savings=1e308': 'unclear',
    'net_savings:savings=-1e308': 'unclear',
    'net_savings:savings=5e-324': 'unclear',
    'net_savings:savings=str': 'unclear',
    'net_savings:savings=None': 'unclear',
    'net_savings:savings=complex': 'unclear',
    'net_savings:savings=True': 'unclear',
    'net_savings:savings=False': 'unclear',
    'net_savings:savings=0-d': 'unclear',
    'net_savings:savings=3-D': 'unclear',
    'net_savings:savings=float32': 'unclear',
    'net_savings:savings=0': 'unclear',
    'net_savings:savings=-1': 'unclear',
    'net_savings:savings=1.5': 'unclear',
    "net_savings:savings='3'": 'unclear',
    'net_savings:savings=2**62': 'unclear',
    'net_savings:savings=2**63': 'unclear',
    'net_savings:savings=2**64': 'unclear',
    'net_savings:savings=10**12': 'unclear',
    'net_savings:savings=10**30': 'unclear',
    'net_savings:savings=dict': 'unclear',
    'net_savings:savings=masked': 'unclear',
    'net_savings:savings=empty': 'unclear',
    'net_savings:savings=object': 'unclear',
    'net_savings:savings=nan-array': 'unclear',
    'net_savings:savings=categorical': 'unclear',
    'net_savings:savings=-0.5': 'unclear',
    'net_savings:savings=1e-300': 'unclear',
    'net_savings:savings=int64': 'unclear',
    'net_savings:savings=uint64-max': 'unclear',
    'net_savings:savings=-2**63': 'unclear',
    'net_savings:savings=bytes': 'unclear',
    'net_savings:savings=list-of-str': 'unclear',
    'net_savings:savings=float32-nan': 'unclear',
    'net_savings:savings=tz-aware': 'unclear',
    'net_savings:savings=series-with-NA': 'unclear',
    'net_savings:savings=masked-array': 'unclear',
    'net_savings:investment=nan': 'unclear',
    'net_savings:investment=inf': 'unclear',
    'net_savings:investment=-inf': 'unclear',
    'net_savings:investment=1e308': 'unclear',
    'net_savings:investment=-1e308': 'unclear',
    'net_savings:investment=5e-324': 'unclear',
    'net_savings:investment=str': 'unclear',
    'net_savings:investment=None': 'unclear',
    'net_savings:investment=complex': 'unclear',
    'net_savings:investment=True': 'unclear',
    'net_savings:investment=False': 'unclear',
    'net_savings:investment=0-d': 'unclear',
    'net_savings:investment=3-D': 'unclear',
    'net_savings:investment=float32': 'unclear',
    'net_savings:investment=0': 'unclear',
    'net_savings:investment=-1': 'unclear',
    'net_savings:investment=1.5': 'unclear',
    "net_savings:investment='3'": 'unclear',
    'net_savings:investment=2**62': 'unclear',
    'net_savings:investment=2**63': 'unclear',
    'net_savings:investment=2**64': 'unclear',
    'net_savings:investment=10**12': 'unclear',
    'net_savings:investment=10**30': 'unclear',
    'net_savings:investment=dict': 'unclear',
    'net_savings:investment=masked': 'unclear',
    'net_savings:investment=empty': 'unclear',
    'net_savings:investment=object': 'unclear',
    'net_savings:investment=nan-array': 'unclear',
    'net_savings:investment=categorical': 'unclear',
    'net_savings:investment=-0.5': 'unclear',
    'net_savings:investment=1e-300': 'unclear',
    'net_savings:investment=int64': 'unclear',
    'net_savings:investment=uint64-max': 'unclear',
    'net_savings:investment=-2**63': 'unclear',
    'net_savings:investment=bytes': 'unclear',
    'net_savings:investment=list-of-str': 'unclear',
    'net_savings:investment=float32-nan': 'unclear',
    'net_savings:investment=tz-aware': 'unclear',
    'net_savings:investment=series-with-NA': 'unclear',
    'net_savings:investment=masked-array': 'unclear',
    'sir:savings=nan': 'unclear',
    'sir:savings=inf': 'unclear',
    'sir:savings=-inf': 'unclear',
    'sir:savings=1e308': 'unclear',
    'sir:savings=-1e308': 'unclear',
    'sir:savings=5e-324': 'unclear',
    'sir:savings=str': 'unclear',
    'sir:savings=None': 'unclear',
    'sir:savings=complex': 'unclear',
    'sir:savings=True': 'unclear',
    'sir:savings=False': 'unclear',
    'sir:savings=0-d': 'unclear',
    'sir:savings=3-D': 'unclear',
    'sir:savings=float32': 'unclear',
    'sir:savings=0': 'unclear',
    'sir:savings=-1': 'unclear',
    'sir:savings=1.5': 'unclear',
    "sir:savings='3'": 'unclear',
    'sir:savings=2**62': 'unclear',
    'sir:savings=2**63': 'unclear',
    'sir:savings=2**64': 'unclear',
    'sir:savings=10**12': 'unclear',
    'sir:savings=10**30': 'unclear',
    'sir:savings=dict': 'unclear',
    'sir:savings=masked': 'unclear',
    'sir:savings=empty': 'unclear',
    'sir:savings=object': 'unclear',
    'sir:savings=nan-array': 'unclear',
    'sir:savings=categorical': 'unclear',
    'sir:savings=-0.5': 'unclear',
    'sir:savings=1e-300': 'unclear',
    'sir:savings=int64': 'unclear',
    'sir:savings=uint64-max': 'unclear',
    'sir:savings=-2**63': 'unclear',
    'sir:savings=bytes': 'unclear',
    'sir:savings=list-of-str': 'unclear',
    'sir:savings=float32-nan': 'unclear',
    'sir:savings=tz-aware': 'unclear',
    'sir:savings=series-with-NA': 'unclear',
    'sir:savings=masked-array': 'unclear',
    'sir:investment=nan': 'unclear',
    'sir:investment=inf': 'unclear',
    'sir:investment=-inf': 'unclear',
    'sir:investment=1e308': 'unclear',
    'sir:investment=-1e308': 'unclear',
    'sir:investment=5e-324': 'unclear',
    'sir:investment=str': 'unclear',
    'sir:investment=None': 'unclear',
    'sir:investment=complex': 'unclear',
    'sir:investment=True': 'unclear',
    'sir:investment=False': 'unclear',
    'sir:investment=0-d': 'unclear',
    'sir:investment=3-D': 'unclear',
    'sir:investment=float32': 'unclear',
    'sir:investment=0': 'unclear',
    'sir:investment=-1': 'unclear',
    'sir:investment=1.5': 'unclear',
    "sir:investment='3'": 'unclear',
    'sir:investment=2**62': 'unclear',
    'sir:investment=2**63': 'unclear',
    'sir:investment=2**64': 'unclear',
    'sir:investment=10**12': 'unclear',
    'sir:investment=10**30': 'unclear',
    'sir:investment=dict': 'unclear',
    'sir:investment=masked': 'unclear',
    'sir:investment=empty': 'unclear',
    'sir:investment=object': 'unclear',
    'sir:investment=nan-array': 'unclear',
    'sir:investment=categorical': 'unclear',
    'sir:investment=-0.5': 'unclear',
    'sir:investment=1e-300': 'unclear',
    'sir:investment=int64': 'unclear',
    'sir:investment=uint64-max': 'unclear',
    'sir:investment=-2**63': 'unclear',
    'sir:investment=bytes': 'unclear',
    'sir:investment=list-of-str': 'unclear',
    'sir:investment=float32-nan': 'unclear',
    'sir:investment=tz-aware': 'unclear',
    'sir:investment=series-with-NA': 'unclear',
    'sir:investment=masked-array': 'unclear',
    'airr:savings=nan': 'unclear',
    'airr:savings=inf': 'unclear',
    'airr:savings=-inf': 'unclear',
    'airr:savings=1e308': 'unclear',
    'airr:savings=-1e308': 'unclear',
    'airr:savings=5e-324': 'unclear',
    'airr:savings=str': 'unclear',
    'airr:savings=None': 'unclear',
    'airr:savings=complex': 'unclear',
    'airr:savings=True': 'unclear',
    'airr:savings=False': 'unclear',
    'airr:savings=0-d': 'unclear',
    'airr:savings=3-D': 'unclear',
    'airr:savings=float32': 'unclear',
    'airr:savings=0': 'unclear',
    'airr:savings=-1': 'unclear',
    'airr:savings=1.5': 'unclear',
    "airr:savings='3'": 'unclear',
    'airr:savings=2**62': 'unclear',
    'airr:savings=2**63': 'unclear',
    'airr:savings=2**64': 'unclear',
    'airr:savings=10**12': 'unclear',
    'airr:savings=10**30': 'unclear',
    'airr:savings=dict': 'unclear',
    'airr:savings=masked': 'unclear',
    'airr:savings=empty': 'unclear',
    'airr:savings=object': 'unclear',
    'airr:savings=nan-array': 'unclear',
    'airr:savings=categorical': 'unclear',
    'airr:savings=-0.5': 'unclear',
    'airr:savings=1e-300': 'unclear',
    'airr:savings=int64': 'unclear',
    'airr:savings=uint64-max': 'unclear',
    'airr:savings=-2**63': 'unclear',
    'airr:savings=bytes': 'unclear',
    'airr:savings=list-of-str': 'unclear',
    'airr:savings=float32-nan': 'unclear',
    'airr:savings=tz-aware': 'unclear',
    'airr:savings=series-with-NA': 'unclear',
    'airr:savings=masked-array': 'unclear',
    'airr:investment=nan': 'unclear',
    'airr:investment=inf': 'unclear',
    'airr:investment=-inf': 'unclear',
    'airr:investment=1e308': 'unclear',
    'airr:investment=-1e308': 'unclear',
    'airr:investment=5e-324': 'unclear',
    'airr:investment=str': 'unclear',
    'airr:investment=None': 'unclear',
    'airr:investment=complex': 'unclear',
    'airr:investment=True': 'unclear',
    'airr:investment=False': 'unclear',
    'airr:investment=0-d': 'unclear',
    'airr:investment=3-D': 'unclear',
    'airr:investment=float32': 'unclear',
    'airr:investment=0': 'unclear',
    'airr:investment=-1': 'unclear',
    'airr:investment=1.5': 'unclear',
    "airr:investment='3'": 'unclear',
    'airr:investment=2**62': 'unclear',
    'airr:investment=2**63': 'unclear',
    'airr:investment=2**64': 'unclear',
    'airr:investment=10**12': 'unclear',
    'airr:investment=10**30': 'unclear',
    'airr:investment=dict': 'unclear',
    'airr:investment=masked': 'unclear',
    'airr:investment=empty': 'unclear',
    'airr:investment=object': 'unclear',
    'airr:investment=nan-array': 'unclear',
    'airr:investment=categorical': 'unclear',
    'airr:investment=-0.5': 'unclear',
    'airr:investment=1e-300': 'unclear',
    'airr:investment=int64': 'unclear',
    'airr:investment=uint64-max': 'unclear',
    'airr:investment=-2**63': 'unclear',
    'airr:investment=bytes': 'unclear',
    'airr:investment=list-of-str': 'unclear',
    'airr:investment=float32-nan': 'unclear',
    'airr:investment=tz-aware': 'unclear',
    'airr:investment=series-with-NA': 'unclear',
    'airr:investment=masked-array': 'unclear',
    'payback:values=nan-array': 'silent',
    'payback:values=series-with-NA': 'silent',
    'payback:rate=1e308': 'silent',
    'payback:rate=float32': 'silent',
    'payback:rate=1.5': 'silent',
    'payback:rate=2**62': 'silent',
    'payback:rate=2**63': 'silent',
    'payback:rate=2**64': 'silent',
    'payback:rate=10**12': 'silent',
    'payback:rate=10**30': 'silent',
    'payback:rate=int64': 'silent',
    'payback:rate=uint64-max': 'silent',
    # relationship (relationship/, cpp relationship)
    'BetaGeo.fit:frequency=1e308': 'unclear',
    'BetaGeo.fit:frequency=True': 'unclear',
    'BetaGeo.fit:frequency=2**62': 'unclear',
    'BetaGeo.fit:frequency=2**63': 'unclear',
    'BetaGeo.fit:frequency=2**64': 'unclear',
    'BetaGeo.fit:frequency=10**12': 'unclear',
    'BetaGeo.fit:frequency=10**30': 'unclear',
    'BetaGeo.fit:frequency=nan-array': 'unclear',
    'BetaGeo.fit:frequency=int64': 'unclear',
    'BetaGeo.fit:frequency=uint64-max': 'unclear',
    'BetaGeo.fit:frequency=short': 'unclear',
    'BetaGeo.fit:frequency=long': 'unclear',
    'BetaGeo.fit:recency=False': 'unclear',
    'BetaGeo.fit:recency=0': 'unclear',
    'BetaGeo.fit:recency=nan-array': 'unclear',
    'BetaGeo.fit:recency=short': 'unclear',
    'BetaGeo.fit:recency=long': 'unclear',
    'BetaGeo.fit:T=1e308': 'unclear',
    'BetaGeo.fit:T=2**62': 'unclear',
    'BetaGeo.fit:T=2**63': 'unclear',
    'BetaGeo.fit:T=2**64': 'unclear',
    'BetaGeo.fit:T=10**12': 'unclear',
    'BetaGeo.fit:T=10**30': 'unclear',
    'BetaGeo.fit:T=nan-array': 'unclear',
    'BetaGeo.fit:T=uint64-max': 'unclear',
    'BetaGeo.fit:T=short': 'unclear',
    'BetaGeo.fit:T=long': 'unclear',
    'BetaGeo.predict:frequency=nan-array': 'unclear',
    'BetaGeo.predict:frequency=short': 'unclear',
    'BetaGeo.predict:frequency=long': 'unclear',
    'BetaGeo.predict:recency=nan-array': 'unclear',
    'BetaGeo.predict:recency=short': 'unclear',
    'BetaGeo.predict:recency=long': 'unclear',
    'BetaGeo.predict:T=nan-array': 'unclear',
    'BetaGeo.predict:T=short': 'unclear',
    'BetaGeo.predict:T=long': 'unclear',
    'BetaGeo.p_alive:frequency=nan-array': 'unclear',
    'BetaGeo.p_alive:frequency=short': 'unclear',
    'BetaGeo.p_alive:frequency=long': 'unclear',
    'BetaGeo.p_alive:recency=nan-array': 'unclear',
    'BetaGeo.p_alive:recency=short': 'unclear',
    'BetaGeo.p_alive:recency=long': 'unclear',
    'BetaGeo.p_alive:T=nan-array': 'unclear',
    'BetaGeo.p_alive:T=short': 'unclear',
    'BetaGeo.p_alive:T=long': 'unclear',
    'maintenance_cost:threshold=str': 'unclear',
    'maintenance_cost:threshold=complex': 'unclear',
    'maintenance_cost:threshold=True': 'silent',
    'maintenance_cost:threshold=3-D': 'silent',
    'maintenance_cost:threshold=dict': 'unclear',
    'maintenance_cost:threshold=object': 'unclear',
    'maintenance_cost:threshold=categorical': 'unclear',
    'maintenance_cost:threshold=list-of-str': 'unclear',
    'maintenance_cost:decay_rate=1e308': 'silent',
    'maintenance_cost:decay_rate=str': 'unclear',
    'maintenance_cost:decay_rate=complex': 'unclear',
    "maintenance_cost:decay_rate='3'": 'silent',
    'maintenance_cost:decay_rate=dict': 'unclear',
    'maintenance_cost:decay_rate=masked': 'silent',
    'maintenance_cost:decay_rate=object': 'unclear',
    'maintenance_cost:decay_rate=categorical': 'unclear',
    'maintenance_cost:decay_rate=bytes': 'silent',
    'maintenance_cost:decay_rate=list-of-str': 'unclear',
    'maintenance_cost:decay_rate=tz-aware': 'silent',
    'maintenance_cost:effect=5e-324': 'silent',
    'maintenance_cost:effect=str': 'unclear',
    'maintenance_cost:effect=complex': 'unclear',
    'maintenance_cost:effect=False': 'silent',
    'maintenance_cost:effect=3-D': 'silent',
    'maintenance_cost:effect=0': 'silent',
    "maintenance_cost:effect='3'": 'silent',
    'maintenance_cost:effect=dict': 'unclear',
    'maintenance_cost:effect=masked': 'silent',
    'maintenance_cost:effect=object': 'unclear',
    'maintenance_cost:effect=categorical': 'unclear',
    'maintenance_cost:effect=bytes': 'silent',
    'maintenance_cost:effect=list-of-str': 'unclear',
    'maintenance_cost:effect=tz-aware': 'silent',
    'maintenance_cost:cost_per_unit_effort=nan': 'silent',
    'maintenance_cost:cost_per_unit_effort=inf': 'silent',
    'maintenance_cost:cost_per_unit_effort=1e308': 'silent',
    'maintenance_cost:cost_per_unit_effort=str': 'unclear',
    'maintenance_cost:cost_per_unit_effort=None': 'silent',
    'maintenance_cost:cost_per_unit_effort=complex': 'unclear',
    'maintenance_cost:cost_per_unit_effort=3-D': 'silent',
    "maintenance_cost:cost_per_unit_effort='3'": 'silent',
    'maintenance_cost:cost_per_unit_effort=dict': 'unclear',
    'maintenance_cost:cost_per_unit_effort=masked': 'silent',
    'maintenance_cost:cost_per_unit_effort=object': 'unclear',
    'maintenance_cost:cost_per_unit_effort=nan-array': 'silent',
    'maintenance_cost:cost_per_unit_effort=categorical': 'unclear',
    'maintenance_cost:cost_per_unit_effort=bytes': 'silent',
    'maintenance_cost:cost_per_unit_effort=list-of-str': 'unclear',
    'maintenance_cost:cost_per_unit_effort=float32-nan': 'silent',
    'maintenance_cost:cost_per_unit_effort=tz-aware': 'silent',
    'maintenance_cost:horizon=nan': 'silent',
    'maintenance_cost:horizon=inf': 'silent',
    'maintenance_cost:horizon=str': 'unclear',
    'maintenance_cost:horizon=None': 'silent',
    'maintenance_cost:horizon=complex': 'unclear',
    'maintenance_cost:horizon=3-D': 'silent',
    "maintenance_cost:horizon='3'": 'silent',
    'maintenance_cost:horizon=dict': 'unclear',
    'maintenance_cost:horizon=masked': 'silent',
    'maintenance_cost:horizon=object': 'unclear',
    'maintenance_cost:horizon=nan-array': 'silent',
    'maintenance_cost:horizon=categorical': 'unclear',
    'maintenance_cost:horizon=bytes': 'silent',
    'maintenance_cost:horizon=list-of-str': 'unclear',
    'maintenance_cost:horizon=float32-nan': 'silent',
    'maintenance_cost:horizon=tz-aware': 'silent',
    'maintenance_cost:discount_rate=-1e308': 'silent',
    'maintenance_cost:discount_rate=str': 'unclear',
    'maintenance_cost:discount_rate=complex': 'unclear',
    'maintenance_cost:discount_rate=3-D': 'silent',
    "maintenance_cost:discount_rate='3'": 'silent',
    'maintenance_cost:discount_rate=dict': 'unclear',
    'maintenance_cost:discount_rate=masked': 'silent',
    'maintenance_cost:discount_rate=object': 'unclear',
    'maintenance_cost:discount_rate=categorical': 'unclear',
    'maintenance_cost:discount_rate=-2**63': 'silent',
    'maintenance_cost:discount_rate=bytes': 'silent',
    'maintenance_cost:discount_rate=list-of-str': 'unclear',
    'maintenance_cost:discount_rate=tz-aware': 'silent',
    'maintenance_effort:threshold=str': 'unclear',
    'maintenance_effort:threshold=complex': 'unclear',
    'maintenance_effort:threshold=True': 'silent',
    'maintenance_effort:threshold=3-D': 'silent',
    'maintenance_effort:threshold=dict': 'unclear',
    'maintenance_effort:threshold=object': 'unclear',
    'maintenance_effort:threshold=categorical': 'unclear',
    'maintenance_effort:threshold=list-of-str': 'unclear',
    'maintenance_effort:decay_rate=1e308': 'silent',
    'maintenance_effort:decay_rate=str': 'unclear',
    'maintenance_effort:decay_rate=complex': 'unclear',
    "maintenance_effort:decay_rate='3'": 'silent',
    'maintenance_effort:decay_rate=dict': 'unclear',
    'maintenance_effort:decay_rate=masked': 'silent',
    'maintenance_effort:decay_rate=object': 'unclear',
    'maintenance_effort:decay_rate=categorical': 'unclear',
    'maintenance_effort:decay_rate=bytes': 'silent',
    'maintenance_effort:decay_rate=list-of-str': 'unclear',
    'maintenance_effort:decay_rate=tz-aware': 'silent',
    'maintenance_effort:effect=5e-324': 'silent',
    'maintenance_effort:effect=str': 'unclear',
    'maintenance_effort:effect=complex': 'unclear',
    'maintenance_effort:effect=False': 'silent',
    'maintenance_effort:effect=3-D': 'silent',
    'maintenance_effort:effect=0': 'silent',
    "maintenance_effort:effect='3'": 'silent',
    'maintenance_effort:effect=dict': 'unclear',
    'maintenance_effort:effect=masked': 'silent',
    'maintenance_effort:effect=object': 'unclear',
    'maintenance_effort:effect=categorical': 'unclear',
    'maintenance_effort:effect=bytes': 'silent',
    'maintenance_effort:effect=list-of-str': 'unclear',
    'maintenance_effort:effect=tz-aware': 'silent',
    'time_to_threshold:initial_health=5e-324': 'silent',
    'time_to_threshold:initial_health=str': 'unclear',
    'time_to_threshold:initial_health=complex': 'unclear',
    'time_to_threshold:initial_health=False': 'silent',
    'time_to_threshold:initial_health=3-D': 'silent',
    'time_to_threshold:initial_health=0': 'silent',
    'time_to_threshold:initial_health=dict': 'unclear',
    'time_to_threshold:initial_health=object': 'unclear',
    'time_to_threshold:initial_health=categorical': 'unclear',
    'time_to_threshold:initial_health=1e-300': 'silent',
    'time_to_threshold:initial_health=list-of-str': 'unclear',
    'time_to_threshold:threshold=str': 'unclear',
    'time_to_threshold:threshold=complex': 'unclear',
    'time_to_threshold:threshold=False': 'silent',
    'time_to_threshold:threshold=3-D': 'silent',
    'time_to_threshold:threshold=0': 'silent',
    'time_to_threshold:threshold=dict': 'unclear',
    'time_to_threshold:threshold=object': 'unclear',
    'time_to_threshold:threshold=categorical': 'unclear',
    'time_to_threshold:threshold=list-of-str': 'unclear',
    'time_to_threshold:decay_rate=5e-324': 'silent',
    'time_to_threshold:decay_rate=str': 'unclear',
    'time_to_threshold:decay_rate=complex': 'unclear',
    "time_to_threshold:decay_rate='3'": 'silent',
    'time_to_threshold:decay_rate=dict': 'unclear',
    'time_to_threshold:decay_rate=masked': 'silent',
    'time_to_threshold:decay_rate=object': 'unclear',
    'time_to_threshold:decay_rate=categorical': 'unclear',
    'time_to_threshold:decay_rate=bytes': 'silent',
    'time_to_threshold:decay_rate=list-of-str': 'unclear',
    'time_to_threshold:decay_rate=tz-aware': 'silent',
    'time_to_threshold:effect=str': 'unclear',
    'time_to_threshold:effect=complex': 'unclear',
    'time_to_threshold:effect=3-D': 'silent',
    "time_to_threshold:effect='3'": 'silent',
    'time_to_threshold:effect=dict': 'unclear',
    'time_to_threshold:effect=masked': 'silent',
    'time_to_threshold:effect=object': 'unclear',
    'time_to_threshold:effect=categorical': 'unclear',
    'time_to_threshold:effect=bytes': 'silent',
    'time_to_threshold:effect=list-of-str': 'unclear',
    'time_to_threshold:effect=tz-aware': 'silent',
    'time_to_threshold:effort=1e308': 'silent',
    'time_to_threshold:effort=str': 'unclear',
    'time_to_threshold:effort=complex': 'unclear',
    'time_to_threshold:effort=True': 'silent',
    'time_to_threshold:effort=0-d': 'silent',
    'time_to_threshold:effort=3-D': 'silent',
    'time_to_threshold:effort=float32': 'silent',
    'time_to_threshold:effort=1.5': 'silent',
    "time_to_threshold:effort='3'": 'silent',
    'time_to_threshold:effort=2**62': 'silent',
    'time_to_threshold:effort=2**63': 'silent',
    'time_to_threshold:effort=2**64': 'silent',
    'time_to_threshold:effort=10**12': 'silent',
    'time_to_threshold:effort=10**30': 'silent',
    'time_to_threshold:effort=dict': 'unclear',
    'time_to_threshold:effort=masked': 'silent',
    'time_to_threshold:effort=object': 'unclear',
    'time_to_threshold:effort=categorical': 'unclear',
    'time_to_threshold:effort=int64': 'silent',
    'time_to_threshold:effort=uint64-max': 'silent',
    'time_to_threshold:effort=bytes': 'silent',
    'time_to_threshold:effort=list-of-str': 'unclear',
    'time_to_threshold:effort=tz-aware': 'silent',
    'markov_customer_value:horizon=2**64': 'unclear',
    'markov_customer_value:horizon=10**30': 'unclear',
    'GammaGamma.fit:frequency=1e308': 'crash',
    'GammaGamma.fit:frequency=nan-array': 'unclear',
    'GammaGamma.fit:frequency=short': 'unclear',
    'GammaGamma.fit:frequency=long': 'unclear',
    'GammaGamma.fit:monetary_value=1e308': 'unclear',
    'GammaGamma.fit:monetary_value=5e-324': 'crash',
    'GammaGamma.fit:monetary_value=nan-array': 'unclear',
    'GammaGamma.fit:monetary_value=float32-array': 'silent',
    'GammaGamma.fit:monetary_value=short': 'unclear',
    'GammaGamma.fit:monetary_value=long': 'unclear',
    'BetaGeoBetaBinom.fit:frequency=nan-array': 'unclear',
    'BetaGeoBetaBinom.fit:frequency=short': 'unclear',
    'BetaGeoBetaBinom.fit:frequency=long': 'unclear',
    'BetaGeoBetaBinom.fit:recency=nan-array': 'unclear',
    'BetaGeoBetaBinom.fit:recency=short': 'unclear',
    'BetaGeoBetaBinom.fit:recency=long': 'unclear',
    'BetaGeoBetaBinom.fit:n_periods=nan-array': 'unclear',
    'BetaGeoBetaBinom.fit:n_periods=short': 'unclear',
    'BetaGeoBetaBinom.fit:n_periods=long': 'unclear',
    'BetaGeoBetaBinom.fit:weights=str': 'unclear',
    'BetaGeoBetaBinom.fit:weights=None': 'unclear',
    'BetaGeoBetaBinom.fit:weights=complex': 'unclear',
    'BetaGeoBetaBinom.fit:weights=dict': 'unclear',
    'BetaGeoBetaBinom.fit:weights=object': 'unclear',
    'BetaGeoBetaBinom.fit:weights=categorical': 'unclear',
    'BetaGeoBetaBinom.fit:weights=list-of-str': 'unclear',
    'BetaGeoBetaBinom.fit:weights=masked-array': 'silent',
    'ShiftedBetaGeometric.fit:survivors=series-with-NA': 'silent',
    'health_path:effort_starts=nan-array': 'unclear',
    'health_path:effort_starts=series-with-NA': 'unclear',
    'health_path:efforts=nan-array': 'unclear',
    'health_path:efforts=series-with-NA': 'unclear',
    'silence_watchlist:horizon=str': 'unclear',
    'silence_watchlist:horizon=None': 'unclear',
    'silence_watchlist:horizon=complex': 'unclear',
    'silence_watchlist:horizon=3-D': 'unclear',
    "silence_watchlist:horizon='3'": 'unclear',
    'silence_watchlist:horizon=2**64': 'unclear',
    'silence_watchlist:horizon=10**30': 'unclear',
    'silence_watchlist:horizon=dict': 'unclear',
    'silence_watchlist:horizon=masked': 'unclear',
    'silence_watchlist:horizon=empty': 'unclear',
    'silence_watchlist:horizon=object': 'unclear',
    'silence_watchlist:horizon=nan-array': 'unclear',
    'silence_watchlist:horizon=categorical': 'unclear',
    'silence_watchlist:horizon=bytes': 'unclear',
    'silence_watchlist:horizon=list-of-str': 'unclear',
    'silence_watchlist:horizon=tz-aware': 'unclear',
    'silence_watchlist:min_silence_in_gaps=nan': 'silent',
    'silence_watchlist:min_silence_in_gaps=inf': 'silent',
    'silence_watchlist:min_silence_in_gaps=-inf': 'silent',
    'silence_watchlist:min_silence_in_gaps=str': 'unclear',
    'silence_watchlist:min_silence_in_gaps=None': 'unclear',
    'silence_watchlist:min_silence_in_gaps=complex': 'silent',
    'silence_watchlist:min_silence_in_gaps=3-D': 'unclear',
    "silence_watchlist:min_silence_in_gaps='3'": 'unclear',
    'silence_watchlist:min_silence_in_gaps=dict': 'unclear',
    'silence_watchlist:min_silence_in_gaps=masked': 'unclear',
    'silence_watchlist:min_silence_in_gaps=empty': 'unclear',
    'silence_watchlist:min_silence_in_gaps=object': 'unclear',
    'silence_watchlist:min_silence_in_gaps=nan-array': 'unclear',
    'silence_watchlist:min_silence_in_gaps=categorical': 'unclear',
    'silence_watchlist:min_silence_in_gaps=bytes': 'unclear',
    'silence_watchlist:min_silence_in_gaps=list-of-str': 'unclear',
    'silence_watchlist:min_silence_in_gaps=float32-nan': 'silent',
    'silence_watchlist:min_silence_in_gaps=tz-aware': 'unclear',
    'silence_watchlist:min_p_alive=nan': 'silent',
    'silence_watchlist:min_p_alive=inf': 'silent',
    'silence_watchlist:min_p_alive=-inf': 'silent',
    'silence_watchlist:min_p_alive=str': 'unclear',
    'silence_watchlist:min_p_alive=None': 'unclear',
    'silence_watchlist:min_p_alive=complex': 'silent',
    'silence_watchlist:min_p_alive=3-D': 'unclear',
    "silence_watchlist:min_p_alive='3'": 'unclear',
    'silence_watchlist:min_p_alive=dict': 'unclear',
    'silence_watchlist:min_p_alive=masked': 'unclear',
    'silence_watchlist:min_p_alive=empty': 'unclear',
    'silence_watchlist:min_p_alive=object': 'unclear',
    'silence_watchlist:min_p_alive=nan-array': 'unclear',
    'silence_watchlist:min_p_alive=categorical': 'unclear',
    'silence_watchlist:min_p_alive=bytes': 'unclear',
    'silence_watchlist:min_p_alive=list-of-str': 'unclear',
    'silence_watchlist:min_p_alive=float32-nan': 'silent',
    'silence_watchlist:min_p_alive=tz-aware': 'unclear',
    'silence_watchlist:top=nan': 'unclear',
    'silence_watchlist:top=inf': 'unclear',
    'silence_watchlist:top=-inf': 'unclear',
    'silence_watchlist:top=1e308': 'unclear',
    'silence_watchlist:top=-1e308': 'unclear',
    'silence_watchlist:top=5e-324': 'unclear',
    'silence_watchlist:top=str': 'unclear',
    'silence_watchlist:top=complex': 'unclear',
    'silence_watchlist:top=True': 'unclear',
    'silence_watchlist:top=False': 'unclear',
    'silence_watchlist:top=0-d': 'unclear',
    'silence_watchlist:top=3-D': 'unclear',
    'silence_watchlist:top=float32': 'unclear',
    'silence_watchlist:top=1.5': 'unclear',
    "silence_watchlist:top='3'": 'unclear',
    'silence_watchlist:top=dict': 'unclear',
    'silence_watchlist:top=masked': 'unclear',
    'silence_watchlist:top=empty': 'unclear',
    'silence_watchlist:top=object': 'unclear',
    'silence_watchlist:top=nan-array': 'unclear',
    'silence_watchlist:top=categorical': 'unclear',
    'silence_watchlist:top=-0.5': 'unclear',
    'silence_watchlist:top=1e-300': 'unclear',
    'silence_watchlist:top=bytes': 'unclear',
    'silence_watchlist:top=list-of-str': 'unclear',
    'silence_watchlist:top=float32-nan': 'unclear',
    'silence_watchlist:top=tz-aware': 'unclear',
    # slow (1.7 s alone, past the alarm on a loaded machine) for absurd horizons t
    'BetaGeo.predict:t=1e308': 'hang',
    'BetaGeo.predict:t=2**62': 'hang',
    'BetaGeo.predict:t=2**63': 'hang',
    'BetaGeo.predict:t=2**64': 'hang',
    'BetaGeo.predict:t=10**30': 'hang',
}


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


def test_generated_sweep_finds_no_crash_hang_silent_wrong_answer_or_unclear_error():
    outcomes = _run_sweep()
    table = pd.crosstab(pd.Series([c.split(":")[0] for c in outcomes], name="callable"),
                        pd.Series([o for o, _ in outcomes.values()], name="outcome"), margins=True)
    print("\n" + table.to_string())
    failures = {case: detail for case, (outcome, detail) in outcomes.items() if outcome in FAILURES}
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
        tc.Study([tc.Offer("a", [tc.OneTime("price", 100.0)])], horizon=4, discount_rate=1e308).evaluate()
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
