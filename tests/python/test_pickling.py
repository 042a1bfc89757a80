"""Every public object pickles, cloudpickles and deep-copies with the same numbers (issue 11).

The walker goes through ``trustcost.__all__``: every public class needs a factory in ``EXAMPLES``
(a class without one fails the test, so a new class must be added here), and every round trip
must give back an object whose numbers (evaluate, summary, sample, quantiles) are equal.
"""

from __future__ import annotations

import copy
import pickle
import types

import cloudpickle
import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from trustcost import _core

WEIBULL = tc.Weibull(2.0, 5.0)

DISTRIBUTIONS = {
    "Fixed": lambda: tc.Fixed(3.5),
    "Uniform": lambda: tc.Uniform(1.0, 4.0),
    "Triangular": lambda: tc.Triangular(1.0, 2.0, 5.0),
    "PERT": lambda: tc.PERT(1.0, 2.0, 5.0, lambda_=6.0),
    "Normal": lambda: tc.Normal(10.0, 2.0, lower=7.0, upper=20.0),
    "LogNormal": lambda: tc.LogNormal(median=2.0, p90=5.0),
    "Gamma": lambda: tc.Gamma(0.7, 3.0),
    "Beta": lambda: tc.Beta(2.0, 5.0, low=10.0, high=20.0),
    "Weibull": lambda: WEIBULL,
    "Empirical": lambda: tc.Empirical([3.0, 1.0, 2.0, 2.0]),
}


def _offer():
    costs = [tc.OneTime("price", 1000.0), tc.Recurring("service", tc.Normal(50.0, 10.0, lower=0.0), escalation=0.01),
             tc.Periodic("overhaul", 200.0, every=2), tc.UsageBased("energy", tc.LogNormal(100.0, 20.0), 0.2),
             tc.Failures("breakdowns", tc.Exponential(tc.Uniform(2.0, 4.0)), 100.0, downtime_hours=5.0,
                         downtime_cost_per_hour=20.0, preventive_interval=2.5, preventive_cost=30.0),
             tc.Residual("resale", 100.0), tc.Disposal("scrap", 40.0)]
    return tc.Offer("a", costs, supplier=tc.Supplier(tc.Beta(1.0, 30.0), 500.0, 20.0),
                    trust_profile=tc.TrustProfile(trust=0.4, annual_spend=5e3))


def _study():
    # Both offers carry a trust profile (a study warns when only some do).
    return tc.Study([_offer(), tc.Offer("b", [tc.OneTime("price", 1200.0), tc.Recurring("service", 30.0)],
                                        trust_profile=tc.TrustProfile(trust=0.6, annual_spend=1e3))],
                    horizon=6, discount_rate=0.05)


def _ledger():
    return tc.PromiseLedger(pd.DataFrame({
        "promise": ["delivery_date", "uptime"], "promised_by": ["sales", "sales"], "delivered_by": ["logistics", "service"],
        "promised": [pd.Timestamp("2024-03-01"), 0.99], "delivered": [pd.Timestamp("2024-02-27"), 0.985],
        "time": [0.2, 1.0]}))


def _cdnow():
    return tc.datasets.load_cdnow_summary().iloc[:400]


def _bgnbd():
    cd = _cdnow()
    return tc.BetaGeo().fit(cd["frequency"], cd["recency"], cd["T"])


def _pareto():
    cd = _cdnow()
    return tc.ParetoNBD().fit(cd["frequency"], cd["recency"], cd["T"])


def _gamma_gamma():
    cd = _cdnow()
    cd = cd[cd["frequency"] > 0]
    return tc.GammaGamma().fit(cd["frequency"], cd["monetary_value"])


# Factories of one example per public class, and the numbers compared after a round trip.
EXAMPLES = {
    **DISTRIBUTIONS,
    "OneTime": lambda: tc.OneTime("price", tc.Triangular(900.0, 1000.0, 1300.0), year=1),
    "Recurring": lambda: tc.Recurring("service", 50.0, start=2, end=5, escalation=tc.Uniform(0.0, 0.03)),
    "Periodic": lambda: tc.Periodic("overhaul", 200.0, every=3, nominal=True),
    "UsageBased": lambda: tc.UsageBased("energy", 1000.0, tc.Normal(0.2, 0.05, lower=0.0), growth=0.02),
    "Failures": lambda: tc.Failures("breakdowns", WEIBULL, 100.0, preventive_interval=2.0, preventive_cost=10.0),
    "Residual": lambda: tc.Residual.straight_line("resale", 1000.0, life=8),
    "Disposal": lambda: tc.Disposal("scrap", 40.0, year=3),
    "Exponential": lambda: tc.Exponential(3.0),
    "Supplier": lambda: tc.Supplier(0.05, 1000.0, 10.0),
    "Offer": _offer,
    "Study": _study,
    "LccResult": lambda: _study().evaluate(),
    "SimulationResult": lambda: tc.simulate(_study(), paths=200, seed=3, keep_years=True),
    "EconomicLifeResult": lambda: tc.economic_life(1000.0, [100.0, 200.0, 300.0], [800.0, 600.0, 400.0], 0.05),
    "ReplacementResult": lambda: tc.optimal_replacement_interval(2.0, 5.0, 100.0, 1000.0),
    "TransactionCostModel": lambda: tc.TransactionCostModel(curvature=0.5),
    "TrustProfile": lambda: tc.TrustProfile(trust=np.linspace(0.2, 0.9, 7), annual_spend=1e6),
    "RelationshipCosts": lambda: tc.relationship_costs([[0.2, 0.5], [0.6, 0.7]], [1e6, 1.1e6], names=["x", "y"]),
    "TrustDynamics": lambda: tc.TrustDynamics(half_life=2.0),
    "TrustTrajectory": lambda: tc.simulate_trust(rates={"promise_kept": 4, "promise_broken": 1}, horizon=2, paths=5,
                                                 seed=1),
    "PromiseLedger": _ledger,
    "SourcingStrategy": lambda: tc.SourcingStrategy(name="partner", annual_spend=1e6, trust=tc.Uniform(0.3, 0.5)),
    "SourcingComparison": lambda: tc.compare_sourcing(dict(annual_spend=1e6, trust=0.15),
                                                      dict(annual_spend=1.03e6, trust=0.4, setup_cost=6e4), draws=50),
    # Fitted relationship models (owned by the workflow/models helpers): they already pickle.
    "BetaGeo": _bgnbd,
    "ParetoNBD": _pareto,
    "GammaGamma": _gamma_gamma,
    "BetaGeoBetaBinom": lambda: tc.BetaGeoBetaBinom().fit([0, 1, 2, 3, 2, 6], [0, 1, 4, 5, 6, 6], 6,
                                                          weights=[30, 12, 8, 6, 9, 10]),
    "ModifiedBetaGeo": lambda: tc.ModifiedBetaGeo().fit(_cdnow()["frequency"], _cdnow()["recency"], _cdnow()["T"]),
    "BetaGeoCovariates": lambda: tc.BetaGeoCovariates().fit(_cdnow()["frequency"], _cdnow()["recency"], _cdnow()["T"],
                                                            covariates=np.arange(400.0) % 3),
    "ParetoNBDCovariates": lambda: tc.ParetoNBDCovariates().fit(_cdnow()["frequency"], _cdnow()["recency"],
                                                                _cdnow()["T"], covariates=np.arange(400.0) % 3),
    "ShiftedBetaGeometric": lambda: tc.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241]),
    "BetaDiscreteWeibull": lambda: tc.BetaDiscreteWeibull().fit([1000, 631, 468, 382, 326, 289, 262, 241]),
    # Errors and warnings: exceptions users may send back from workers.
    "ConvergenceError": lambda: tc.ConvergenceError("no convergence after 10 iterations"),
    "NumericalWarning": lambda: tc.NumericalWarning("lost digits"),
    "NoSolutionWarning": lambda: tc.NoSolutionWarning("nper: 1 of 1 element(s) have no solution (NaN)"),
    "RelationshipWarning": lambda: tc.RelationshipWarning("offer 'A': relationship lines exceed its spend"),
    "NoRealSolutionError": lambda: tc.NoRealSolutionError("no real solution"),
    "IterationsExceededError": lambda: tc.IterationsExceededError("maximum iterations exceeded"),
    "TrustcostWarning": lambda: tc.TrustcostWarning("careful"),
}


def _public_classes():
    return sorted(name for name in tc.__all__ if isinstance(getattr(tc, name), type))


def _numbers(obj):
    """What must survive a round trip: the object's numbers, by what it is."""
    if isinstance(obj, tc.stats.Distribution):
        return [obj.mean, obj.std, obj.quantile([0.01, 0.5, 0.99]), obj.cdf([1.0, 3.0]), obj.sample(300, seed=5),
                obj.to_dict()]
    if isinstance(obj, tc.Study):
        result = obj.evaluate()
        return [obj.horizon, obj.discount_rate, result.summary, result.costs,
                tc.simulate(obj, paths=64, seed=2).present_values]
    if isinstance(obj, tc.Offer):
        return _numbers(tc.Study([obj], horizon=6, discount_rate=0.04))
    if isinstance(obj, tc.Exponential):
        return [obj, obj.mean, tc.renewal_function(obj, [1.0, 5.0])]
    if isinstance(obj, (tc.lcc.elements.CostElement, tc.Supplier)):
        return [obj, obj.items(8)]  # frozen dataclasses: == compares every field
    if isinstance(obj, tc.BetaGeo | tc.ParetoNBD):
        return [obj.params_, obj.summary, obj.expected_purchases(10.0, [1, 2], [5.0, 20.0], [30.0, 30.0])]
    if isinstance(obj, tc.ModifiedBetaGeo):
        return [obj.params_, obj.summary, obj.expected_purchases(10.0, [1, 2], [5.0, 20.0], [30.0, 30.0])]
    if isinstance(obj, tc.BetaGeoBetaBinom):
        return [obj.params_, obj.summary, obj.expected_purchases(3, [1, 2], [1, 4], [6, 6])]
    if isinstance(obj, tc.BetaGeoCovariates | tc.ParetoNBDCovariates):
        return [obj.params_, obj.summary, obj.p_alive([1, 2], [5.0, 20.0], [30.0, 30.0], [0.0, 2.0])]
    if isinstance(obj, tc.ShiftedBetaGeometric):
        return [obj.params_, obj.summary, obj.residual_lifetime([0, 4], 0.1)]
    if isinstance(obj, tc.BetaDiscreteWeibull):
        return [obj.params_, obj.summary, obj.retention([1, 4])]
    if isinstance(obj, tc.GammaGamma):
        return [obj.params_, obj.summary, obj.expected_average_value([1, 3], [20.0, 40.0])]
    if isinstance(obj, BaseException):
        return [type(obj), obj.args]
    if isinstance(obj, tc.TrustProfile):
        return [obj.trust_path(6), obj.annual_spend, obj.spend_escalation, obj.interaction, obj.start, obj.end]
    if isinstance(obj, tc.TransactionCostModel):
        return [obj, obj.costs([0.0, 0.5, 1.0], spend=1e6)]
    if isinstance(obj, tc.TrustDynamics):
        return [obj, tc.simulate_trust(rates={"contact": 6}, horizon=2, dynamics=obj, expected=True).trust]
    if isinstance(obj, tc.SourcingStrategy):
        return [obj]
    if isinstance(obj, tc.PromiseLedger):
        return [obj.checked, obj.summary, obj.to_events()]
    if isinstance(obj, tc.SimulationResult):
        return [obj.summary, obj.present_values, obj.category_means, obj.tornado, obj.yearly, obj.importance]
    if isinstance(obj, tc.TrustTrajectory):
        return [obj.trust, obj.summary, obj.yearly()]
    if isinstance(obj, tc.SourcingComparison):
        return [obj.summary, obj.present_value, obj.break_even_year]
    return [obj.summary]  # LccResult, EconomicLifeResult, ReplacementResult, RelationshipCosts


def _assert_same(a, b, where="value"):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, (list, tuple)) and not hasattr(a, "_fields"):
        assert type(a) is type(b) and len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b)):
            _assert_same(x, y, f"{where}[{k}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


ROUND_TRIPS = {
    "pickle5": lambda obj: pickle.loads(pickle.dumps(obj, protocol=5)),
    "cloudpickle": lambda obj: cloudpickle.loads(cloudpickle.dumps(obj)),
    "deepcopy": copy.deepcopy,
}


def test_every_public_class_has_an_example():
    missing = [name for name in _public_classes() if name not in EXAMPLES]
    assert not missing, f"add a factory to EXAMPLES in {__file__} for: {missing}"


@pytest.mark.parametrize("how", sorted(ROUND_TRIPS))
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_round_trip_gives_the_same_numbers(name, how):
    obj = EXAMPLES[name]()
    assert type(obj).__name__ == name  # the factory builds what it names
    copied = ROUND_TRIPS[how](obj)
    assert type(copied) is type(obj)
    _assert_same(_numbers(obj), _numbers(copied), name)


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_bound_distribution_pickles_and_copies_on_its_own(name):
    impl = DISTRIBUTIONS[name]()._impl
    for how, trip in ROUND_TRIPS.items():
        copied = trip(impl)
        assert copied.family == impl.family and copied.parameters == impl.parameters, how
        assert copied.samples == impl.samples, how
        np.testing.assert_array_equal(copied.sample(100, 1, 2), impl.sample(100, 1, 2))
    assert copy.copy(impl).mean() == impl.mean()


@pytest.mark.parametrize("state, message", [
    (("Normal", [0.0, -1.0, -np.inf, np.inf], []), "sd must be > 0"),
    (("Gamma", [1.0], []), "Gamma takes 2 parameters, got 1"),
    (("Nope", [], []), "unknown distribution family 'Nope'"),
    (("Empirical", [], []), "samples must not be empty"),
    (("Fixed", [1.0], [2.0]), "Fixed takes no samples"),
    (("Fixed", [1.0]), "state must be"),
])
def test_bound_distribution_state_is_validated(state, message):
    fresh = _core.Distribution.__new__(_core.Distribution)  # what unpickling starts from
    with pytest.raises(ValueError, match=message):
        fresh.__setstate__(state)


def test_a_process_pool_evaluates_studies_sent_to_it():
    # What the round trips are for: studies and distributions cross to worker processes.
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing

    study = _study()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        remote = pool.submit(study.evaluate).result()  # the study goes out, an LccResult comes back
    pd.testing.assert_frame_equal(remote.summary, study.evaluate().summary, check_exact=True)


def test_public_functions_and_modules_pickle_by_reference():
    for name in tc.__all__:
        value = getattr(tc, name)
        if isinstance(value, types.FunctionType):
            assert pickle.loads(pickle.dumps(value)) is value, name
    assert pickle.loads(pickle.dumps(_core.Distribution)) is _core.Distribution
