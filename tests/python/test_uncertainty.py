"""Monte Carlo lifetime cost (Study.simulate): convergence to the expected-value model,
reproducibility, paired sampling, sensitivity, progress and interruption, bad input.

Tolerances are multiples of the Monte Carlo standard error with fixed seeds: deterministic, and
loose only by the noise the estimate really has.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import signal
import sys
import threading
import _thread

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trustcost as tc

matplotlib.use("Agg")


def make_study(paired_names=True, uncertain=True, horizon=10):
    """Two offers of one machine; amounts linear in their inputs so the MC mean equals evaluate()."""
    u = (lambda dist, value: dist) if uncertain else (lambda dist, value: value)
    suffix = "" if paired_names else " (B)"
    a = tc.Offer("A", [
        tc.OneTime("price", 100_000),
        tc.Recurring("service", u(tc.Triangular(4_000, 5_000, 7_000), 5_000), escalation=0.02),
        tc.UsageBased("energy", units_per_year=u(tc.Normal(50_000, 5_000, lower=0), 50_000),
                      cost_per_unit=u(tc.Uniform(0.12, 0.20), 0.16)),
        tc.Failures("drive", life=tc.Weibull(2.0, 4.0), cost_per_failure=u(tc.LogNormal(6_000, 2_000), 6_000),
                    downtime_hours=u(tc.PERT(10, 20, 40), 20), downtime_cost_per_hour=400,
                    preventive_interval=3, preventive_cost=5_000),
        tc.Residual("resale", value=u(tc.Uniform(10_000, 30_000), 20_000)),
    ], supplier=tc.Supplier(annual_default_probability=0.03, switching_cost=u(tc.Gamma(4, 5_000), 20_000),
                            support_premium=2_000))
    b = tc.Offer("B", [
        tc.OneTime("price", 80_000),
        tc.Recurring("service" + suffix, u(tc.Triangular(6_000, 7_000, 10_000), 7_000), escalation=0.02),
        tc.UsageBased("energy" + suffix, units_per_year=u(tc.Normal(60_000, 6_000, lower=0), 60_000),
                      cost_per_unit=u(tc.Uniform(0.12, 0.20), 0.16)),
        tc.Failures("drive" + suffix, life=tc.Exponential(3.0), cost_per_failure=u(tc.LogNormal(6_000, 2_000), 6_000)),
    ], supplier=tc.Supplier(annual_default_probability=0.08, switching_cost=30_000))
    return tc.Study([a, b], horizon=horizon, discount_rate=0.04)


@pytest.fixture(scope="module")
def study():
    return make_study()


@pytest.fixture(scope="module")
def result(study):
    return tc.simulate(study, 100_000, seed=11, progress=False)


def test_mean_converges_to_the_expected_value_model(study, result):
    expected = study.evaluate()
    gap = (result.mean - expected.present_value).abs()
    assert (gap < 5 * result.std_error).all(), (gap / result.std_error).to_dict()
    # Category by category too (failures, preventive renewals, defaults, uncertain amounts).
    gaps = (result.category_means - expected.by_category).abs()
    assert (gaps <= 5 * result.category_std_errors + 1e-6 * expected.by_category.abs()).all().all()


def test_an_uncertain_failure_rate_and_support_premium_bind_to_their_own_columns():
    # Regression: the effect constant SCALE once shadowed the parameter column SCALE, so these
    # two inputs were written into the item's start year.
    from trustcost.uncertainty.simulation import _inputs

    offer = tc.Offer("A", [tc.Failures("valve", life=tc.Exponential(mtbf=tc.Uniform(1.0, 3.0)), cost_per_failure=200.0)],
                     supplier=tc.Supplier(annual_default_probability=0.03, switching_cost=500.0,
                                          support_premium=tc.Uniform(50.0, 150.0)))
    names, _, _, bindings, _ = _inputs(tc.Study([offer], horizon=10, discount_rate=0.03).engine(), paired=True)
    columns = {names[b[3]]: b[1] for b in bindings}
    assert columns == {"A: valve.life.mtbf": tc._core.Param.SCALE, "A: supplier.support_premium": tc._core.Param.SCALE}


def test_an_uncertain_mtbf_raises_expected_failures_by_e_of_one_over_mtbf():
    # Exponential lives make failures a Poisson process: expected failures in a year are 1 / mtbf,
    # so with mtbf ~ Uniform(1, 3) the repair cost is evaluate()'s (at mtbf 2) times
    # 2 E[1/M] = 2 ln(3) / 2 = ln 3 (Jensen's inequality, computed in closed form).
    offer = tc.Offer("A", [tc.Failures("valve", life=tc.Exponential(mtbf=tc.Uniform(1.0, 3.0)), cost_per_failure=200.0)],
                     supplier=tc.Supplier(annual_default_probability=0.03, switching_cost=500.0,
                                          support_premium=tc.Uniform(50.0, 150.0)))
    study = tc.Study([offer], horizon=15, discount_rate=0.03)
    expected = study.evaluate().by_category.loc["A"]
    result = tc.simulate(study, 100_000, seed=4, progress=False)
    means, errors = result.category_means.loc["A"], result.category_std_errors.loc["A"]
    assert abs(means["repair"] - np.log(3.0) * expected["repair"]) < 5 * errors["repair"]
    # The support premium enters linearly: its mean is the expected value at the mean premium.
    assert abs(means["supplier_risk"] - expected["supplier_risk"]) < 5 * errors["supplier_risk"]


def _near(value: float) -> tc.Uniform:
    """A distribution that is all but the number itself."""
    return tc.Uniform(value * (1 - 1e-9), value * (1 + 1e-9))


# Every field that takes a distribution, given one that is all but its mean: the simulated mean
# must be evaluate()'s, whatever the field (a field bound to the wrong engine column would not be).
_FIELDS = {
    "OneTime.amount": lambda d: dict(elements=[tc.OneTime("x", d(5_000.0), year=2)]),
    "Recurring.amount": lambda d: dict(elements=[tc.Recurring("x", d(1_000.0), escalation=0.02)]),
    "Recurring.escalation": lambda d: dict(elements=[tc.Recurring("x", 1_000.0, escalation=d(0.03))]),
    "Periodic.amount": lambda d: dict(elements=[tc.Periodic("x", d(4_000.0), every=3, escalation=0.01)]),
    "Periodic.escalation": lambda d: dict(elements=[tc.Periodic("x", 4_000.0, every=3, escalation=d(0.02))]),
    "UsageBased.units_per_year": lambda d: dict(elements=[tc.UsageBased("x", d(9_000.0), 0.2, growth=0.01)]),
    "UsageBased.cost_per_unit": lambda d: dict(elements=[tc.UsageBased("x", 9_000.0, d(0.2), growth=0.01)]),
    "UsageBased.growth": lambda d: dict(elements=[tc.UsageBased("x", 9_000.0, 0.2, growth=d(0.02), escalation=0.01)]),
    "UsageBased.escalation": lambda d: dict(elements=[tc.UsageBased("x", 9_000.0, 0.2, growth=0.01, escalation=d(0.02))]),
    "Failures.cost_per_failure": lambda d: dict(elements=[tc.Failures("x", tc.Weibull(1.8, 2.0), d(700.0))]),
    "Failures.life.mtbf": lambda d: dict(elements=[tc.Failures("x", tc.Exponential(mtbf=d(1.5)), 700.0)]),
    "Failures.downtime_hours": lambda d: dict(elements=[tc.Failures("x", tc.Weibull(1.8, 2.0), 700.0, downtime_hours=d(4.0),
                                                                     downtime_cost_per_hour=100.0)]),
    "Failures.downtime_cost_per_hour": lambda d: dict(elements=[tc.Failures("x", tc.Weibull(1.8, 2.0), 700.0, downtime_hours=4.0,
                                                                             downtime_cost_per_hour=d(100.0))]),
    "Failures.preventive_cost": lambda d: dict(elements=[tc.Failures("x", tc.Weibull(1.8, 2.0), 700.0, preventive_interval=2.5,
                                                                      preventive_cost=d(300.0))]),
    "Failures.escalation": lambda d: dict(elements=[tc.Failures("x", tc.Weibull(1.8, 2.0), 700.0, escalation=d(0.03))]),
    "Residual.value": lambda d: dict(elements=[tc.Residual("x", d(20_000.0))]),
    "Disposal.amount": lambda d: dict(elements=[tc.Disposal("x", d(3_000.0))]),
    "Supplier.switching_cost": lambda d: dict(supplier=tc.Supplier(0.05, d(8_000.0), support_premium=500.0)),
    "Supplier.annual_default_probability": lambda d: dict(supplier=tc.Supplier(d(0.05), 8_000.0, support_premium=500.0)),
    "Supplier.support_premium": lambda d: dict(supplier=tc.Supplier(0.05, 8_000.0, support_premium=d(500.0))),
}


@pytest.mark.parametrize("field", sorted(_FIELDS))
def test_every_uncertain_field_reproduces_the_expected_value_at_its_mean(field):
    spec = _FIELDS[field](_near)
    offer = tc.Offer("A", [tc.OneTime("price", 10_000.0), *spec.get("elements", [])], supplier=spec.get("supplier"))
    study = tc.Study([offer], horizon=12, discount_rate=0.04, inflation=0.02)
    expected = study.evaluate().present_value["A"]
    result = tc.simulate(study, 40_000, seed=11, progress=False)
    assert len(result.inputs.columns) == 1, field
    assert abs(result.mean["A"] - expected) <= 5 * result.std_error["A"] + 1e-6 * abs(expected), field


def test_the_engine_owns_the_layout_and_the_effect_formula(study):
    """Kinds, columns and effects reach Python only from _core: the items carry _core's objects,
    and no Python module keeps its own copy of them."""
    from trustcost.lcc import elements
    from trustcost.uncertainty import simulation

    core = tc._core
    for item in (it for items in study.engine().items for it in items):
        assert item.kind is getattr(core.ItemKind, item.kind.name)
        for u in item.uncertain:
            assert u.param is getattr(core.Param, u.param.name) and u.effect is getattr(core.Effect, u.effect.name)
    for module in (elements, simulation):
        copies = {"ONE_TIME", "FAILURES", "TRUST", "AMOUNT", "SCALE", "INTERVAL", "N_PARAMS", "REPLACE", "MULTIPLY"}
        assert copies.isdisjoint(vars(module)), module.__name__
    assert [k.name for k in core.ItemKind.__members__.values()] == [
        "ONE_TIME", "RECURRING", "PERIODIC", "FAILURES", "PREVENTIVE", "SUPPLIER_RISK", "TRUST"]
    assert core.N_PARAMS == len(core.Param.__members__) == len(study.engine().items[0][0].params)


@settings(max_examples=60, deadline=None)
@given(effect=st.sampled_from([0, 1, 2]), mean=st.floats(0.01, 1e6), parameter=st.floats(-0.5, 1e6))
def test_a_field_at_its_mean_leaves_the_parameter_at_its_expected_value(effect, mean, parameter):
    # Replace binds fields that are the parameter itself (p = mean); the others scale it.
    core = tc._core
    effect = core.Effect(effect)
    p = mean if effect == core.Effect.REPLACE else parameter
    factor = core.effect_factor(effect, mean)
    assert core.bound_value(effect, factor, p, mean) == pytest.approx(p, rel=1e-12, abs=1e-12)
    if effect != core.Effect.REPLACE:  # and doubling the field doubles p (or 1 + p)
        one_plus = effect == core.Effect.MULTIPLY_ONE_PLUS
        twice = core.bound_value(effect, factor, p, 2 * mean + one_plus)
        assert twice == pytest.approx(2 * p + one_plus, rel=1e-12, abs=1e-9)


def test_effect_factor_refuses_means_it_cannot_divide_by():
    core = tc._core
    with pytest.raises(ValueError, match="mean must not be 0"):
        core.effect_factor(core.Effect.MULTIPLY, 0.0)
    with pytest.raises(ValueError, match="mean must not be -1"):
        core.effect_factor(core.Effect.MULTIPLY_ONE_PLUS, -1.0)
    with pytest.raises(ValueError, match="effect must be 0..2, got 5"):
        core.bound_value(5, 1.0, 1.0, 1.0)


def test_the_engine_takes_a_study_spec_and_a_simulation_plan_validated_in_cpp(study):
    core = tc._core
    plan = core.SimulationPlan(paths=100, seed=3, first_path=10)
    assert (plan.paths, plan.seed, plan.first_path, plan.inputs, plan.keep_years) == (100, 3, 10, [], False)
    with pytest.raises(ValueError, match="paths must be > 0, got 0"):
        plan.paths = 0
    assert plan.paths == 100  # a refused value leaves the plan as it was
    with pytest.raises(ValueError, match="first_path \\+ paths must be < 2\\*\\*64"):
        plan.first_path = 2**64 - 50
    with pytest.raises(ValueError, match="binding 0: input must be < 0, got 0"):
        plan.bindings = [core.Binding(item=0, param=core.Param.AMOUNT, effect=core.Effect.REPLACE, input=0, factor=1.0)]
    with pytest.raises(ValueError, match="factor must be finite, got nan"):
        core.Binding(item=0, param=core.Param.AMOUNT, effect=core.Effect.MULTIPLY, input=0, factor=float("nan"))
    with pytest.raises(TypeError):
        core.SimulationPlan(100, 3)  # keywords only: no positional lists
    spec = core.StudySpec(horizon=10, discount_rate=0.04, timing="mid", categories=3)
    assert (spec.horizon, spec.discount_rate, spec.timing, spec.inflation, spec.categories) == (10, 0.04, "mid", 0.0, 3)
    with pytest.raises(ValueError, match="discount_rate must be > -1, got -1.5"):
        spec.discount_rate = -1.5
    with pytest.raises(ValueError, match="timing must be 'end', 'mid' or 'begin'"):
        spec.timing = "soon"
    assert spec.discount_rate == 0.04 and spec.timing == "mid"
    # The plan the public simulate() builds gives its result through the bound structs alone.
    engine = study.engine()
    events = [core.stream_id(f"{o}/{it.events}") for o, items in zip(engine.offers, engine.items) for it in items]
    pv, sums, sampled, yearly = core.lcc_simulate(engine.spec, *engine.arrays,
                                                  core.SimulationPlan(paths=50, seed=1, event_streams=events))
    assert pv.shape == (50, 2) and sums.paths == 50 and sampled.shape == (0, 0) and yearly is None
    with pytest.raises(ValueError, match="event_streams must have one key per item"):
        core.lcc_simulate(engine.spec, *engine.arrays, core.SimulationPlan(paths=5, seed=1))


def test_the_pyi_file_names_every_entry_point_of_the_compiled_module():
    """python/trustcost/_core.pyi is kept in sync with the bindings: the same top-level names."""
    import ast
    import pathlib

    tree = ast.parse((pathlib.Path(tc.__file__).parent / "_core.pyi").read_text())
    declared = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    declared |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    compiled = {name for name in dir(tc._core) if not name.startswith("__")}
    assert compiled - declared == set()
    assert declared - compiled == {"_Enum"}  # the .pyi file's own base class for the bound enums


def test_failures_are_drawn_as_events_not_expected_counts(study):
    fixed = make_study(uncertain=False)
    r = tc.simulate(fixed, 20_000, seed=2, progress=False)
    repair = r.present_values["B"] - r.present_values["B"].min()
    assert repair.std() > 0  # failures and defaults vary even with every amount known
    # Exponential lives give Poisson counts: the repair category's spread is far from zero.
    assert r.category_std_errors.loc["B", "repair"] * np.sqrt(r.paths) > 1_000


def test_same_seed_same_result_whatever_the_thread_count(study):
    before = tc.get_num_threads()
    try:
        tc.set_num_threads(1)
        one = tc.simulate(study, 30_001, seed=5, progress=False)
        tc.set_num_threads(2)
        two = tc.simulate(study, 30_001, seed=5, progress=False)
    finally:
        tc.set_num_threads(before)
    pd.testing.assert_frame_equal(one.present_values, two.present_values, check_exact=True)
    pd.testing.assert_frame_equal(one.category_means, two.category_means, check_exact=True)
    assert not tc.simulate(study, 1_000, seed=6, progress=False).present_values.equals(one.present_values.iloc[:1_000])


def test_ranges_of_paths_merge_into_one_run_bit_for_bit(study):
    """Adjacent ranges (cut inside and on the edges of the engine's blocks of paths, each run on
    its own thread count) give exactly the full run's rows and summaries."""
    block = tc._core.PATH_BLOCK
    options = dict(seed=4, keep_years=True, importance_paths=3_000, progress=False)
    before = tc.get_num_threads()
    try:
        tc.set_num_threads(2)
        whole = tc.simulate(study, 5_000, **options)
        cuts = [0, 1, 700, block, block + 6, 2 * block, 4_100, 5_000]
        parts = []
        for k, (a, b) in enumerate(zip(cuts, cuts[1:])):
            tc.set_num_threads(1 + k % 2)
            parts.append(tc.simulate(study, b - a, first_path=a, **options))
    finally:
        tc.set_num_threads(before)
    assert parts[3].present_values.index[0] == block and parts[3].first_path == block
    for merged in (tc.uncertainty.merge(parts), tc.uncertainty.merge(parts[::-1]),
                   pickle.loads(pickle.dumps(tc.uncertainty.merge(parts)))):
        for name in ("present_values", "inputs", "category_means", "category_std_errors", "summary", "percentiles"):
            a, b = getattr(merged, name), getattr(whole, name)
            pd.testing.assert_frame_equal(a() if callable(a) else a, b() if callable(b) else b, check_exact=True)
        np.testing.assert_array_equal(merged.yearly, whole.yearly)
        assert merged.paths == whole.paths and merged.first_path == 0
    # A range is the same rows wherever the run starts; ranges merge from any first path.
    tail = tc.simulate(study, 3_000, first_path=2_000, **options)
    pd.testing.assert_frame_equal(tail.present_values, whole.present_values.iloc[2_000:], check_exact=True)
    pd.testing.assert_frame_equal(tail.inputs, whole.inputs.iloc[2_000:], check_exact=True)
    halves = [tc.simulate(study, 1_500, first_path=a, **options) for a in (2_000, 3_500)]
    pd.testing.assert_frame_equal(tc.uncertainty.merge(halves).category_means, tail.category_means, check_exact=True)
    assert tc.simulate(study, 10, first_path=3_000, **options).inputs.shape == (0, whole.inputs.shape[1])


def test_merge_refuses_ranges_that_do_not_fit(study):
    a = tc.simulate(study, 100, seed=1, progress=False)
    with pytest.raises(ValueError, match="part 1 must start at path 100"):
        tc.uncertainty.merge([a, tc.simulate(study, 100, seed=1, first_path=101, progress=False)])
    with pytest.raises(ValueError, match="one seed"):
        tc.uncertainty.merge([a, tc.simulate(study, 100, seed=2, first_path=100, progress=False)])
    with pytest.raises(ValueError, match="same study"):
        tc.uncertainty.merge([a, tc.simulate(make_study(horizon=5), 100, seed=1, first_path=100, progress=False)])
    with pytest.raises(ValueError, match="must not be empty"):
        tc.uncertainty.merge([])
    sums = tc._core.PathSums.__new__(tc._core.PathSums)  # a tampered pickle is refused, not read out of bounds
    with pytest.raises(ValueError, match="PathSums state has 3 sums and 0 edge values, expected 4 and 20"):
        sums.__setstate__((0, 10, 2, np.zeros(3), np.zeros(0)))


def test_every_vector_build_gives_the_same_paths(study):
    before = tc.get_simd()
    runs = {}
    try:
        for name in tc._core.simd_available():
            tc.set_simd(name)
            assert tc.get_simd() == name
            runs[name] = tc.simulate(study, 5_001, seed=8, progress=False).present_values
    finally:
        tc.set_simd(before)
    assert "portable" in runs
    for name, pv in runs.items():  # log and exp differ by a few ulps between builds, nothing more
        np.testing.assert_allclose(pv.to_numpy(), runs["portable"].to_numpy(), rtol=1e-9, err_msg=name)


def test_simd_log_and_exp_match_numpy_on_every_build():
    x = np.geomspace(1e-300, 1e300, 1001)
    y = np.linspace(-700, 700, 1001)
    before = tc.get_simd()
    try:
        for name in tc._core.simd_available():
            tc.set_simd(name)
            np.testing.assert_allclose(tc._core.simd_log(x), np.log(x), rtol=1e-15, err_msg=name)
            out = np.empty_like(y)
            assert tc._core.simd_exp(y, out) is not None
            np.testing.assert_allclose(out, np.exp(y), rtol=1e-15, err_msg=name)
    finally:
        tc.set_simd(before)
    with pytest.raises(ValueError, match="out must be a C-contiguous float64 array of x's size 1001, got size 3"):
        tc._core.simd_log(x, np.empty(3))


def test_simd_choice_is_validated():
    with pytest.raises(ValueError, match="name must name a build this CPU runs .*portable.*got 'sse9'"):
        tc.set_simd("sse9")
    with pytest.raises(TypeError, match="name must be a string"):
        tc.set_simd(2)


@pytest.mark.parametrize("value, expected", [("portable", "portable"), ("sse9", "TRUSTCOST_SIMD must name a build")])
def test_simd_build_from_the_environment(value, expected):
    code = "import trustcost as tc\ntry:\n    print(tc.get_simd())\nexcept ValueError as e:\n    print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "TRUSTCOST_SIMD": value})
    assert expected in out.stdout


def test_paired_sampling_tightens_the_difference():
    study = make_study()
    paired = tc.simulate(study, 50_000, seed=8, progress=False)
    independent = tc.simulate(study, 50_000, seed=8, paired=False, progress=False)
    d_paired = paired.present_values["A"] - paired.present_values["B"]
    d_indep = independent.present_values["A"] - independent.present_values["B"]
    # Same marginals (means agree within noise), much smaller variance of the difference.
    assert abs(d_paired.mean() - d_indep.mean()) < 5 * d_indep.std() / np.sqrt(50_000)
    assert d_paired.var() < 0.6 * d_indep.var()


def test_summary_percentiles_and_probabilities(result):
    summary = result.summary
    assert list(summary.columns[:4]) == ["expected_lcc", "mean", "std_error", "std"]
    assert summary["probability_cheapest"].sum() == pytest.approx(1.0)
    p = result.percentiles()
    assert (p.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    diff = result.differences(baseline="A")
    d = result.present_values["B"] - result.present_values["A"]
    assert diff.loc["B - A", "mean"] == pytest.approx(d.mean())
    assert diff.loc["B - A", "probability_cheaper"] == pytest.approx(np.mean(d < 0))
    assert "Monte Carlo" in result._repr_html_()


def test_tornado_swings_equal_direct_evaluation(study, result):
    row = result.tornado.query("offer == 'A' and input == 'price'")
    assert row.empty  # the price is known: no swing
    row = result.tornado.query("offer == 'A' and input == 'resale.value'").iloc[0]
    offer = study.offer("A")
    low_value = tc.Uniform(10_000, 30_000).quantile(0.1)
    costs = [tc.Residual("resale", value=low_value) if e.name == "resale" else e for e in offer.costs]
    direct = study.with_offers([tc.Offer("A", costs, supplier=offer.supplier)]).evaluate().present_value["A"]
    assert row["low"] == pytest.approx(direct, rel=1e-12)
    # A higher resale value lowers the cost.
    assert row["high"] < row["low"]


def test_importance_ranks_the_dominant_input_first():
    offer = tc.Offer("X", [tc.OneTime("price", tc.Uniform(50_000, 150_000)),
                           tc.Recurring("service", tc.Uniform(900, 1_100))])
    r = tc.simulate(tc.Study([offer], horizon=5, discount_rate=0.03), 20_000, seed=1, progress=False)
    imp = r.importance["X"]
    assert imp.idxmax() == "X: price.amount" and imp.max() > 0.99
    assert 0 < imp["X: service.amount"] < 0.2


def test_keep_years_gives_the_yearly_matrix_consistent_with_present_values(study):
    r = tc.simulate(study, 500, seed=3, keep_years=True, progress=False)
    assert r.yearly.shape == (500, 2, study.horizon + 1)
    factors = np.concatenate([[1.0], tc.discount_factors(study.discount_rate, study.horizon)])
    np.testing.assert_allclose(r.yearly @ factors, r.present_values.to_numpy(), rtol=1e-10)
    assert tc.simulate(study, 500, seed=3, progress=False).yearly is None


def test_progress_callback_reports_every_path(study):
    seen = []
    tc.simulate(study, 200_000, seed=1, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (200_000, 200_000)
    assert all(d <= t for d, t in seen)


def test_exception_in_progress_callback_stops_the_run(study):
    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tc.simulate(study, 2_000_000, seed=1, progress=stop)
    assert tc.simulate(study, 100, seed=1, progress=False).paths == 100  # the module still works


def test_ctrl_c_interrupts_a_long_run_cleanly():
    long_study = make_study(horizon=40)
    # A shell starts background jobs with SIGINT ignored (interrupt_main then does nothing): use Python's handler.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            tc.simulate(long_study, 50_000_000, seed=1, progress=False)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)


def test_plots(result):
    assert result.plot_cdf().get_lines()
    assert result.plot_tornado("A").patches


def test_scenario_files_keep_distributions(study, tmp_path):
    for suffix in (".json", ".toml"):
        path = tc.save_study(study, tmp_path / f"scenario{suffix}")
        again = tc.load_study(path)
        assert tc.study_to_dict(again) == tc.study_to_dict(study)
        assert isinstance(again.offer("A").element("service").amount, tc.Triangular)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda s: tc.simulate(s, 0), ValueError, "paths must be > 0, got 0"),
        (lambda s: tc.simulate(s, -5), ValueError, "paths must be > 0, got -5"),
        (lambda s: tc.simulate(s, 10.5), TypeError, "paths must be an integer"),
        (lambda s: tc.simulate(s, 10, seed="x"), TypeError, "seed must be an integer"),
        (lambda s: tc.simulate(s, 10, progress="loud"), ValueError, "progress must be"),
        (lambda s: tc.simulate(s, 10, first_path=-1), ValueError, r"first_path must be in \[0, 2\*\*64 - paths\), got -1"),
        (lambda s: tc.simulate(s, 10, first_path=2**64 - 5), ValueError, "first_path must be in"),
        (lambda s: tc.simulate(s, 10, first_path=1.0), TypeError, "first_path must be an integer"),
    ],
)
def test_bad_simulation_arguments(study, call, error, match):
    with pytest.raises(error, match=match):
        call(study)


def test_uncertain_fields_must_respect_their_range():
    with pytest.raises(ValueError, match=r"cost_per_failure must be >= 0, but Normal\(mean=100.0, sd=50.0\) ranges"):
        tc.Failures("f", life=tc.Exponential(2), cost_per_failure=tc.Normal(100, 50))
    with pytest.raises(ValueError, match=r"annual_default_probability must be in \[0, 1\]"):
        tc.Supplier(annual_default_probability=tc.Uniform(0.5, 1.5), switching_cost=1)
    with pytest.raises(ValueError, match="mtbf must be > 0"):
        tc.Exponential(tc.Uniform(0, 2))
    with pytest.raises(ValueError, match="mean must not be 0"):
        tc.Study([tc.Offer("X", [tc.UsageBased("u", units_per_year=tc.Uniform(0.5, 1), cost_per_unit=tc.Fixed(0.0))])],
                 horizon=2, discount_rate=0.03)
