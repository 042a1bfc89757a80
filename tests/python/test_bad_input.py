"""Bad and extreme input to the public functions of lcc, stats, trust and uncertainty (issue 11).

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
        for call in (lambda h: _core.lcc_evaluate(kind, category, params, offer_start, h, 0.05, "end", 0.0, 1),):
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
            _core.lcc_evaluate(kind, category, params, np.array([0, 1], dtype=np.int64), 30, 0.05, "end", 0.0, 1)
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
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        start = time.perf_counter()
        try:
            for _ in range(20):  # ~2 s each at the step limit
                _core.renewal_function(0.5, 1.0, [1e6], 42.9)
        except KeyboardInterrupt:
            print("interrupted after", time.perf_counter() - start)
    """, timeout=60)
    assert done.stdout.startswith("interrupted after")
    assert float(done.stdout.split()[-1]) < 1.5  # within the solve, not after it
