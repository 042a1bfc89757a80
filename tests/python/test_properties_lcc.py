"""Property tests (hypothesis) for the lifetime-cost engine: studies, renewal function, replacement.

Properties that hold whatever the inputs: the present value is linear in every amount, falls as
the discount rate rises (for costs >= 0), never falls when the horizon grows (costs >= 0), a
Monte Carlo of fixed inputs reproduces evaluate(), and the renewal function lies within its
textbook bounds. Inputs span the extremes that pass validation (tiny and huge amounts, long
horizons, short lives) and every input either evaluates to finite numbers or raises ValueError.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import trustcost as tc

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

amount = st.one_of(st.floats(0.0, 1e9), st.sampled_from([0.0, 1e-300, 1e-9, 1.0, 1e12]))
rate = st.one_of(st.floats(-0.5, 2.0), st.sampled_from([0.0, -0.99, 1e-12, 0.05, 10.0]))
horizon = st.one_of(st.integers(1, 60), st.sampled_from([1, 2, 100, 1000]))
escalation = st.one_of(st.floats(-0.5, 0.5), st.just(0.0))
life_shape = st.one_of(st.floats(0.3, 8.0), st.sampled_from([0.5, 1.0, 2.0, 5.0]))
life_scale = st.one_of(st.floats(0.05, 100.0), st.sampled_from([0.1, 1.0, 30.0]))


@st.composite
def offers(draw, h):
    """An offer whose elements fit a horizon of h years, all costs >= 0."""
    costs = [tc.OneTime("price", draw(amount))]
    if draw(st.booleans()):
        start = draw(st.integers(1, h))
        costs.append(tc.Recurring("service", draw(amount), start=start, end=draw(st.integers(start, h)),
                                  escalation=draw(escalation), nominal=draw(st.booleans())))
    if draw(st.booleans()):
        costs.append(tc.Periodic("overhaul", draw(amount), every=draw(st.integers(1, max(1, h))), end=h))
    if draw(st.booleans()):
        life = draw(st.one_of(st.builds(tc.Weibull, life_shape, life_scale), st.builds(tc.Exponential, life_scale)))
        interval = draw(st.one_of(st.none(), st.floats(0.5, 10.0)))
        costs.append(tc.Failures("pump", life, draw(amount), downtime_hours=draw(st.floats(0, 100)),
                                 downtime_cost_per_hour=draw(st.floats(0, 100)), preventive_interval=interval,
                                 preventive_cost=draw(amount) if interval else 0.0))
    if draw(st.booleans()):
        costs.append(tc.Disposal("scrap", draw(amount)))
    supplier = tc.Supplier(draw(st.floats(0.0, 1.0)), draw(amount), draw(amount)) if draw(st.booleans()) else None
    return tc.Offer("a", costs, supplier=supplier)


@st.composite
def studies(draw):
    h = draw(horizon)
    return tc.Study([draw(offers(h))], horizon=h, discount_rate=draw(rate), timing=draw(st.sampled_from(["end", "mid", "begin"])),
                    inflation=draw(st.floats(-0.5, 0.5)), allow_rates_above_100_percent=True)  # rates drawn past 1


def _pv(study) -> float:
    try:
        return float(study.evaluate().present_value.iloc[0])
    except (ValueError, OverflowError) as exc:  # refused with its reason, never a silent inf or nan:
        reasons = ("beyond double precision",  # (1 + rate)^-t, naming discount_rate or inflation
                   "overflows double precision",  # costs, naming offer, category and year
                   "grid steps, more than the limit of")  # a life too short for the horizon
        assert any(r in str(exc) for r in reasons), exc
        assume(False)


def _scaled(offer, k):
    from dataclasses import fields, replace

    money = ("amount", "cost_per_failure", "downtime_cost_per_hour", "preventive_cost")
    costs = [replace(e, **{f.name: getattr(e, f.name) * k for f in fields(e) if f.name in money}) for e in offer.costs]
    supplier = offer.supplier and replace(offer.supplier, switching_cost=offer.supplier.switching_cost * k,
                                          support_premium=offer.supplier.support_premium * k)
    return tc.Offer(offer.name, costs, supplier=supplier)


@SETTINGS
@given(studies(), st.sampled_from([0.0, 0.5, 3.0, 1e3]))
def test_present_value_is_finite_non_negative_and_linear_in_the_amounts(study, k):
    pv = _pv(study)
    assert np.isfinite(pv) and pv >= 0
    scaled = tc.Study([_scaled(study.offers[0], k)], study.horizon, study.discount_rate, study.timing, study.inflation,
                      allow_rates_above_100_percent=True)
    assert _pv(scaled) == pytest.approx(k * pv, rel=1e-9, abs=1e-300)


@SETTINGS
@given(studies(), st.floats(1e-6, 1.0))
def test_present_value_falls_as_the_discount_rate_rises(study, step):
    higher = tc.Study(study.offers, study.horizon, study.discount_rate + step, study.timing, study.inflation,
                      allow_rates_above_100_percent=True)
    assert _pv(higher) <= _pv(study) * (1 + 1e-12)


@SETTINGS
@given(studies())
def test_fixed_inputs_in_the_monte_carlo_reproduce_evaluate(study):
    expected = _pv(study)
    result = tc.simulate(study, paths=50, seed=1, progress=False)
    # No uncertain field: every path is the expected value (failures and defaults are random events,
    # so only studies without them are compared exactly).
    kinds = {type(e).__name__ for e in study.offers[0].costs}
    if "Failures" not in kinds and study.offers[0].supplier is None:
        np.testing.assert_allclose(result.present_values["a"], expected, rtol=1e-9, atol=1e-300)
    assert np.isfinite(result.present_values.to_numpy()).all()


@SETTINGS
@given(life_shape, life_scale, st.lists(st.floats(0.0, 200.0), min_size=1, max_size=20))
def test_renewal_function_is_non_decreasing_and_within_its_bounds(shape, scale, t):
    life = tc.Weibull(shape, scale)
    t = np.sort(np.asarray(t))
    try:
        m = tc.renewal_function(life, t)
    except ValueError as exc:  # the bounded grid: refused with its reason (short life, long span)
        assert "grid steps, more than the limit of" in str(exc)
        assume(False)
    assert np.all(np.diff(m) >= -1e-9 * np.maximum(1.0, m[1:]))
    mu = scale * math.gamma(1 + 1 / shape)
    second = scale**2 * math.gamma(1 + 2 / shape)
    # F(t) <= M(t) (the first failure); t/mu - 1 <= M(t) <= t/mu + E[X^2]/mu^2 (Lorden 1970).
    assert np.all(m >= life.cdf(t) - 1e-6)
    assert np.all(m >= t / mu - 1 - 1e-6)
    assert np.all(m <= t / mu + second / mu**2 + 1e-6)


@SETTINGS
@given(life_shape, life_scale, st.floats(0.1, 1e3), st.floats(1.0, 1e4))
def test_optimal_age_replacement_never_costs_more_than_replacing_at_failure(shape, scale, preventive, extra):
    result = tc.optimal_replacement_interval(shape, scale, preventive, preventive + extra)
    at_failure = (preventive + extra) / (scale * math.gamma(1 + 1 / shape))
    assert result.cost_rate <= at_failure * (1 + 1e-9)


@SETTINGS
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.floats(0.0, 1e6), st.lists(st.floats(0.0, 1e5), min_size=n, max_size=n),
    st.lists(st.floats(0.0, 1e6), min_size=n, max_size=n))), rate)
def test_economic_life_is_finite_and_its_minimum_is_one_of_the_ages(args, r):
    price, operating, salvage = args
    result = tc.economic_life(price, operating, salvage, r)
    eac = np.asarray(result.eac)
    assert np.isfinite(eac).all() and len(eac) == len(operating)


@SETTINGS
@given(st.integers(1, 12), st.sampled_from(["float32", "int64", "bool", "fortran", "strided"]))
def test_array_inputs_in_any_dtype_or_layout_give_the_same_numbers(n, layout):
    base = np.arange(1.0, n + 1.0)
    values = {"float32": base.astype(np.float32), "int64": base.astype(np.int64), "bool": base > 3,
              "fortran": np.asfortranarray(base), "strided": np.repeat(base, 2)[::2]}[layout]
    as_float = np.asarray(values, dtype=np.float64)
    np.testing.assert_array_equal(tc.renewal_function(tc.Weibull(1.5, 2.0), values),
                                  tc.renewal_function(tc.Weibull(1.5, 2.0), as_float))
    a = tc.economic_life(100.0, values, values[::-1], 0.05).eac
    b = tc.economic_life(100.0, as_float, as_float[::-1].copy(), 0.05).eac
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@SETTINGS
@given(st.integers(-3, 3).map(lambda e: 10.0**e), st.integers(1, 2000))
def test_many_or_tiny_preventive_intervals_evaluate_quickly_or_are_refused(interval, h):
    offer = tc.Offer("a", [tc.Failures("pump", tc.Weibull(2.0, 5.0), 1.0, preventive_interval=interval,
                                       preventive_cost=1.0)])
    try:
        study = tc.Study([offer], horizon=h, discount_rate=0.05)
    except ValueError as exc:
        assert "renewals" in str(exc)
        return
    assert np.isfinite(_pv(study))
