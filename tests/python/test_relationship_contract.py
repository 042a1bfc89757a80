"""The repeat-purchase model contract (cpp/include/trustcost/relationship/model.hpp): every model
is one engine submodule of ``_core`` registered by one template, the engine refuses what the
public API refuses, the row rule has one owner, and the fitters hold their engine object."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import trustcost as tc
from trustcost import _core

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(tc.__file__).parent
MODELS = {
    "bgnbd": tc.BetaGeo, "mbgnbd": tc.ModifiedBetaGeo, "pareto_nbd": tc.ParetoNBD, "bgbb": tc.BetaGeoBetaBinom,
    "sbg": tc.ShiftedBetaGeometric, "gamma_gamma": tc.GammaGamma,
}
SUMMARY_ENGINES = ["bgnbd", "mbgnbd", "pareto_nbd"]


def _python_sources():
    return {p: p.read_text() for p in PACKAGE.rglob("*.py")}


def test_no_core_function_is_looked_up_by_a_name_string():
    offenders = [str(p) for p, text in _python_sources().items() if re.search(r"getattr\(\s*_core", text)]
    assert offenders == []


@pytest.mark.parametrize("name, fitter", sorted(MODELS.items()))
def test_each_fitter_holds_its_engine_and_takes_its_parameter_names_from_it(name, fitter):
    engine = getattr(_core, name)
    assert fitter._engine is engine
    assert fitter._param_names == tuple(engine.parameters)


def test_the_row_rule_has_one_owner():
    # The rule's words (recency <= T, whole frequency, recency 0 without repeats) appear in exactly
    # one C++ function for the (frequency, recency, T) rows, and nowhere in the Python package.
    rule = ["recency must be <= T", "recency must be 0 when frequency is 0"]
    owners = {}
    for path in list((ROOT / "cpp").rglob("*.cpp")) + list((ROOT / "cpp").rglob("*.hpp")):
        for phrase in rule:
            if phrase in path.read_text():
                owners.setdefault(phrase, []).append(path.relative_to(ROOT).as_posix())
    assert owners["recency must be <= T"] == ["cpp/src/relationship/rfm.cpp"]
    # BG/BB's discrete rows (0 <= x <= t_x <= n) have their own rule, in bgbb.cpp only.
    assert sorted(owners["recency must be 0 when frequency is 0"]) == ["cpp/src/relationship/bgbb.cpp",
                                                                       "cpp/src/relationship/rfm.cpp"]
    python_rule = re.compile(r"\brecency must be|\bfrequency must be (a )?whole|(x|frequency)\s*==\s*np\.floor|"
                             r"\b(t_x|recency)\s*>\s*(T|age|n)\b|\b(t_x|recency)\s*<=\s*(T|age|n)\b|_check_identifiable")
    offenders = [f"{p.relative_to(PACKAGE)}: {m.group(0)}" for p, text in _python_sources().items()
                 if p.parent.name == "relationship" and p.name != "rfm.py" for m in python_rule.finditer(text)]
    assert offenders == []


def test_the_spend_rule_has_one_owner():
    # Gamma-Gamma's (frequency, monetary_value) rule is check_spend_rows (model.cpp): its fit, its
    # predictions and CLV call it; no Python module restates it.
    owners = [p.relative_to(ROOT).as_posix() for p in (ROOT / "cpp").rglob("*.[ch]pp")
              if "monetary_value must be finite" in p.read_text()]
    assert owners == ["cpp/src/relationship/model.cpp"]
    python_rule = re.compile(r"monetary_value must be|\b(m|monetary_value|values)\s*(<=?|>=?)\s*0\b")
    offenders = [f"{p.relative_to(PACKAGE)}: {m.group(0)}" for p, text in _python_sources().items()
                 if p.name == "value.py" for m in python_rule.finditer(text)]
    assert offenders == []


def test_one_template_registers_every_model():
    text = (ROOT / "cpp/bindings/relationship_models.cpp").read_text()
    registered = re.findall(r"register_model<(\w+)>\(m, \"(\w+)\"", text)
    assert {name for _, name in registered} >= set(MODELS) | {"bgnbd_covariates", "pareto_nbd_covariates"}
    for path in (ROOT / "cpp/bindings").glob("relationship*.cpp"):
        assert not re.search(r"m\.def\(\"(bgnbd|mbgnbd|pareto_nbd|bgbb|sbg|gamma_gamma)\w*_fit\"", path.read_text())


def test_fit_result_is_a_class_and_fit_options_validate_in_cpp():
    ok = _core.FitOptions(penalizer=0.1, max_iterations=50)
    assert (ok.penalizer, ok.max_iterations) == (0.1, 50)
    for kwargs, message in [({"penalizer": -1.0}, "penalizer must be >= 0, got -1"),
                            ({"penalizer": float("nan")}, "penalizer must be finite"),
                            ({"max_iterations": 0}, "max_iterations must be >= 1, got 0"),
                            ({"gradient_tolerance": 0.0}, "gradient_tolerance must be > 0")]:
        with pytest.raises(ValueError, match=re.escape(message)):
            _core.FitOptions(**kwargs)
    with pytest.raises(ValueError, match="penalizer"):
        ok.penalizer = -1.0
    assert ok.penalizer == 0.1  # a refused assignment leaves the options as they were
    cdnow = tc.datasets.load_cdnow_summary()
    columns = [cdnow[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")]
    result = _core.bgnbd.fit(*columns, np.ones(len(cdnow)), _core.FitOptions())
    assert isinstance(result, _core.FitResult)
    assert result.converged and result.params.shape == (4,) and result.hessian.shape == (4, 4)
    # The public API and the engine share one FitOptions: the model refuses the same values.
    with pytest.raises(ValueError, match="penalizer must be >= 0"):
        tc.BetaGeo(penalizer=-1.0)


@pytest.mark.parametrize("name", SUMMARY_ENGINES)
def test_engine_refuses_what_the_public_api_refuses(name):
    engine = getattr(_core, name)
    good = [np.array([1.0, 2.0]), np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    with pytest.raises(ValueError, match="frequency must be a whole number >= 0, got 1.5 at row 0"):
        engine.fit(np.array([1.5, 2.0]), good[1], good[2], np.ones(2), _core.FitOptions())
    params = np.ones(4)
    with pytest.raises(ValueError, match="recency must be <= T, got recency 5 > T 3 at row 0"):
        engine.p_alive(params, np.array([1.0]), np.array([5.0]), np.array([3.0]))
    with pytest.raises(ValueError, match="recency must be 0 when frequency is 0"):
        engine.expected_purchases(params, np.array([1.0]), np.array([0.0]), np.array([1.0]), np.array([3.0]))
    with pytest.raises(ValueError, match="t must be finite and >= 0, got -1 at row 0"):
        engine.expected_purchases(params, np.array([-1.0]), *[g[:1] for g in good])
    with pytest.raises(ValueError, match="n must be whole numbers >= 0, got 0.5"):
        engine.conditional_probability_of_n_purchases(params, np.array([0.5]), np.array([1.0]), *[g[:1] for g in good])
    with pytest.raises(ValueError, match="must be 1-D"):
        engine.p_alive(params, np.ones((1, 2)), np.ones((1, 2)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="params must have 4 values, got 3"):
        engine.p_alive(np.ones(3), *good)
    with pytest.raises(ValueError, match="weights must be finite and >= 0, got -1"):
        engine.fit(*good, np.array([1.0, -1.0]), _core.FitOptions())


def test_bgbb_and_sbg_engines_refuse_bad_rows_and_arguments():
    p = np.ones(4)
    with pytest.raises(ValueError, match="0 <= frequency <= recency <= n_periods"):
        _core.bgbb.p_alive(p, np.zeros(1), np.array([3.0]), np.array([2.0]), np.array([6.0]))
    with pytest.raises(ValueError, match=r"periods_ahead must be whole numbers in \[0, 1000000\], got 0.5"):
        _core.bgbb.p_alive(p, np.array([0.5]), np.array([1.0]), np.array([2.0]), np.array([6.0]))
    with pytest.raises(ValueError, match="lost must be 0 or 1, got 2"):
        _core.sbg.fit(np.array([1.0, 2.0]), np.array([2.0, 0.0]), np.ones(2), _core.FitOptions())
    with pytest.raises(ValueError, match="t must be whole numbers >= 1, got 0"):
        _core.sbg.retention(np.ones(2), np.array([0.0]))


# ----------------------------------------------------------------------------- issue 18's reproducers

def _run_isolated(code: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter (faulthandler on): a crash fails the test instead of pytest."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(tc.__path__[0]), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout, env=env)
    assert done.returncode == 0, f"exit code {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done


def test_gamma_gamma_refuses_purchase_counts_beyond_exact_doubles():
    # Segfaulted: 1e306 purchases went on to the likelihood's index arithmetic.
    done = _run_isolated("""
        import trustcost as tc
        try:
            tc.GammaGamma().fit([1e306, 2e306, 3e306], [10., 20., 15.])
        except ValueError as exc:
            print(exc)
    """)
    assert done.stdout.startswith("frequency must be <= 9007199254740992 (2^53, whole numbers exact in a double), "
                                  "got 1e+306 at row 0")


@pytest.mark.parametrize("spend", ["1e-300", "5e-324"])
def test_gamma_gamma_refuses_a_spend_too_small_for_the_likelihood(spend):
    # Segfaulted: 1/(v + x m)^2 overflowed at the start, the fit returned no parameters and q's
    # shift indexed the empty vector. The model contract's spend rule now refuses it.
    done = _run_isolated(f"""
        import trustcost as tc
        try:
            tc.GammaGamma().fit([1.0, 2.0, 3.0, 2.0], {spend})
        except ValueError as exc:
            print(exc)
    """)
    assert done.stdout.startswith("monetary_value must be >= 1e-100 for customers with repeat purchases"), done.stdout


def test_gamma_gamma_spend_scale_does_not_change_p_and_q():
    # v is in money units: a spend in units of 1e-90 (the smallest scale the contract keeps) scales v
    # alone, the independent check that the floor refuses only units errors, not valid data.
    d = tc.datasets.load_cdnow_summary().query("frequency > 0").head(300)
    a = tc.GammaGamma().fit(d.frequency, d.monetary_value)
    b = tc.GammaGamma().fit(d.frequency, d.monetary_value * 1e-90)
    # rtol: the fit stops at its gradient tolerance, not at the exact optimum
    np.testing.assert_allclose(b.params_[["p", "q"]], a.params_[["p", "q"]], rtol=1e-3)
    np.testing.assert_allclose(b.params_["v"] * 1e90, a.params_["v"], rtol=1e-3)


def test_pareto_covariate_fit_refuses_a_covariate_of_1e300_at_once():
    # Ran past 60 s: exp(coefficient * 1e300) overflowed for every step the optimiser tried.
    rng = np.random.default_rng(3)
    T = rng.uniform(20, 40, 300)
    x = rng.poisson(2, T.size).astype(float)
    t_x = np.where(x > 0, rng.random(T.size) * T, 0.0)
    z = rng.normal(size=(T.size, 1))
    z[5, 0] = 1e300
    with pytest.raises(ValueError, match=r"covariates must be finite with \|value\| <= 1000000 .* at row 5, column 'x0'"):
        tc.ParetoNBDCovariates().fit(x, t_x, T, z)


@pytest.mark.parametrize("weights, error", [
    (np.array([1 + 1j, 2, 3, 1, 1, 2]), TypeError),
    (np.ma.masked_array([1.0, 2, 3, 1, 1, 2], mask=[0, 1, 0, 0, 0, 0]), TypeError),
    (np.ones((1, 2, 3)), ValueError),
])
def test_bgbb_fit_refuses_complex_masked_or_3d_weights(weights, error):
    rows = ([0, 1, 2, 3, 1, 2], [0, 2, 4, 5, 1, 6], [6, 6, 6, 6, 6, 6])
    with pytest.raises(error, match="weights"):
        tc.BetaGeoBetaBinom().fit(*rows, weights=weights)


_SIGINT = """
    import os, signal, threading, time
    import numpy as np
    import trustcost as tc
    # A shell starts background jobs with SIGINT ignored, and Python keeps that: restore Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    rng = np.random.default_rng(1)
    {data}
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    start = time.perf_counter()
    try:
        model.fit(*rows)
        print("finished", time.perf_counter() - start)
    except KeyboardInterrupt:
        print("interrupted after", time.perf_counter() - start)
"""


@pytest.mark.parametrize("data", [
    # BG/BB on 1e6 customers with up to 400 opportunities: the fit takes minutes.
    """n = rng.integers(1, 400, 1_000_000).astype(float)
    t_x = np.floor(rng.random(n.size) * (n + 1))
    x = np.where(t_x > 0, 1 + np.floor(rng.random(n.size) * t_x), 0.0)
    model, rows = tc.BetaGeoBetaBinom(), (x, t_x, n)""",
    # Pareto/NBD on 1e6 distinct customers: seconds per fit, each evaluation ~0.1 s.
    """T = rng.uniform(10, 100, 1_000_000)
    x = rng.poisson(3, T.size).astype(float)
    t_x = np.where(x > 0, rng.random(T.size) * T, 0.0)
    model, rows = tc.ParetoNBD(), (x, t_x, T)""",
], ids=["bgbb", "pareto_nbd"])
def test_ctrl_c_stops_a_fit_on_a_million_rows_within_two_seconds(data):
    done = _run_isolated(_SIGINT.format(data=data))
    assert done.stdout.startswith("interrupted after"), done.stdout
    assert float(done.stdout.split()[-1]) < 2.5  # the signal at 0.5 s, honoured within 2 s


@pytest.mark.parametrize("call, names", [
    (lambda d, m: m.fit(d.frequency[:-1], d.recency, d["T"]), r"frequency, recency and T .* frequency \(19,\)"),
    (lambda d, m: m.predict(2.0, d.frequency, d.recency[:3], d["T"]), r"frequency, recency and T .* recency \(3,\)"),
    (lambda d, m: m.conditional_probability_alive(d.frequency, d.recency, d["T"][:2]), r"T \(2,\)"),
    (lambda d, m: tc.GammaGamma().fit([1.0, 2.0], [1.0, 2.0, 3.0]), r"frequency and monetary_value .* \(3,\)"),
])
def test_unequal_lengths_name_the_arguments(call, names):
    # Said numpy's "Mismatch is between arg 0 with shape (8,) and arg 2 with shape (7,)".
    d = tc.datasets.load_cdnow_summary().head(20)
    fitted = tc.BetaGeo().fit(tc.datasets.load_cdnow_summary().frequency, tc.datasets.load_cdnow_summary().recency,
                              tc.datasets.load_cdnow_summary()["T"])
    with pytest.raises(ValueError, match=names):
        call(d, fitted)


def test_counts_refuse_booleans():
    # frequency=True was read as 1 purchase for every customer and ended in a ConvergenceError.
    d = tc.datasets.load_cdnow_summary().head(50)
    with pytest.raises(TypeError, match="frequency must be numbers, not booleans"):
        tc.BetaGeo().fit(True, d.recency, d["T"])
    with pytest.raises(TypeError, match="recency must be numbers, not booleans"):
        tc.BetaGeo().fit(d.frequency, np.zeros(50, dtype=bool), d["T"])


@pytest.mark.parametrize("change, note", [
    (dict(T=10**12), r"Implausible data: T reaches 1e\+12, over a million times the longest recency"),
    (dict(frequency=3), r"Implausible data: frequency is 3 for every customer"),
])
def test_a_failed_fit_names_the_implausible_argument(change, note):
    # Said only "the data show too little dropout": the argument at fault went unnamed.
    d = tc.datasets.load_cdnow_summary().head(8)
    data = dict(dict(frequency=d.frequency.to_numpy(), recency=d.recency.to_numpy(), T=d["T"].to_numpy()), **change)
    with pytest.raises(tc.ConvergenceError, match=note):
        tc.BetaGeo().fit(**data)

