"""Lifetime cost of ownership: renewal function, studies, comparisons, replacement, files."""

from __future__ import annotations

import json
import math
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from trustcost import datasets
from trustcost import (
    Disposal,
    Exponential,
    Failures,
    Offer,
    OneTime,
    Periodic,
    Recurring,
    Residual,
    Study,
    Supplier,
    UsageBased,
    Weibull,
)
from trustcost.lcc.io import load_study, save_study, study_from_dict, study_to_dict


def machine(name="A", price=100_000.0, life=Weibull(2.0, 4.0), supplier=None, **extra):
    costs = [
        OneTime("price", price),
        OneTime("installation", 5_000.0, category="installation"),
        Recurring("service", 4_000.0, escalation=0.02, category="maintenance"),
        UsageBased("energy", 20_000.0, 0.15, growth=0.01),
        Failures("breakdowns", life, 2_500.0, downtime_hours=12, downtime_cost_per_hour=300,
                 preventive_interval=3.0, preventive_cost=1_500.0),
        Periodic("overhaul", 10_000.0, every=4),
        Residual("resale", 20_000.0),
        Disposal("removal", 2_000.0),
    ]
    return Offer(name, costs + list(extra.get("more", [])), supplier)


# ----------------------------------------------------------------------------- renewal function


def reference_renewal(shape, scale, t_max, n=6000):
    """Independent solution: the renewal *density* equation m = f + f * m by the trapezoid rule
    on a fine grid (a different discretisation from the C++ CDF-based midpoint scheme)."""
    h = t_max / n
    t = np.arange(n + 1) * h
    f = shape / scale * (t / scale) ** (shape - 1) * np.exp(-((t / scale) ** shape))
    m = np.zeros(n + 1)
    m[0] = f[0]
    for i in range(1, n + 1):
        conv = h * (0.5 * f[i] * m[0] + np.dot(f[i - 1:0:-1], m[1:i]))
        m[i] = (f[i] + conv) / (1 - 0.5 * h * f[0])
    cumulative = np.concatenate([[0.0], np.cumsum(0.5 * h * (m[1:] + m[:-1]))])
    return t, cumulative


def test_exponential_renewal_is_exact():
    t = np.array([0.0, 0.5, 3.0, 12.0])
    np.testing.assert_allclose(tc.renewal_function(Exponential(2.0), t), t / 2.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize("shape,scale", [(1.5, 2.0), (2.0, 3.0), (3.5, 5.0)])
def test_weibull_renewal_against_independent_solution(shape, scale):
    t, reference = reference_renewal(shape, scale, 15.0)
    years = np.arange(16)
    expected = np.diff(np.interp(years, t, reference))
    got = np.diff(tc.renewal_function(Weibull(shape, scale), years.astype(float)))
    # The issue asks for 0.5% on expected failures per year; both solutions agree far better.
    np.testing.assert_allclose(got, expected, rtol=5e-4)


def test_weibull_renewal_against_monte_carlo():
    rng = np.random.default_rng(20240501)
    shape, scale, paths = 2.0, 2.0, 200_000
    gaps = scale * rng.weibull(shape, size=(paths, 20))
    arrivals = np.cumsum(gaps, axis=1)
    times = np.array([1.0, 2.0, 4.0, 8.0])
    counts = (arrivals[:, :, None] <= times).sum(axis=1)
    estimate, error = counts.mean(axis=0), counts.std(axis=0) / math.sqrt(paths)
    got = tc.renewal_function(Weibull(shape, scale), times)
    assert np.all(np.abs(got - estimate) < 4 * error)


def test_naive_rate_is_wrong_early():
    # Why the renewal function matters: in year 1 a wear-out unit fails far less than 1/MTBF.
    life = Weibull(3.0, 5.0)
    first_year = tc.renewal_function(life, 1.0)
    assert first_year < 0.1 * (1.0 / life.mean)


# ----------------------------------------------------------------------------- evaluation


@pytest.mark.parametrize("timing", ["end", "mid", "begin"])
def test_result_tables_are_consistent(timing):
    study = Study([machine("A"), machine("B", price=90_000.0, life=Exponential(1.5))], horizon=12,
                  discount_rate=0.04, timing=timing)
    r = study.evaluate()
    assert list(r.costs.index.names) == ["offer", "year"]
    assert r.costs.shape == (2 * 13, len(r.categories))
    np.testing.assert_allclose(r.discounted.groupby(level="offer").sum().loc[r.by_category.index], r.by_category)
    np.testing.assert_allclose(r.shares.sum(axis=1), 1.0)
    np.testing.assert_allclose(r.eac, r.present_value * tc.crf(0.04, 12))
    assert r.summary["rank"].tolist() == [1, 2]
    assert "A" in r._repr_html_() and "B" in r._repr_html_()


def test_closed_forms_against_finance():
    offer = Offer("x", [OneTime("price", 1000.0), Recurring("fee", 100.0, escalation=0.03)])
    r = Study([offer], horizon=10, discount_rate=0.05).evaluate()
    # Escalation is counted from the first payment: 100 (1.03)^(t-1) in year t.
    assert r.present_value["x"] == pytest.approx(1000 + 100 / 1.03 * tc.upv(0.05, 10, 0.03))
    failures = Offer("f", [Failures("b", Exponential(2.0), 300.0)])
    r = Study([failures], horizon=8, discount_rate=0.06).evaluate()
    assert r.present_value["f"] == pytest.approx(150 * tc.upv(0.06, 8))


def test_supplier_risk_is_survival_weighted():
    offer = Offer("x", [OneTime("price", 0.0)], supplier=Supplier(0.1, 1000.0, support_premium=50.0))
    costs = Study([offer], horizon=3, discount_rate=0.0).evaluate().costs.loc["x", "supplier_risk"]
    np.testing.assert_allclose(costs.to_numpy(), [0, 100, 90 + 5, 81 + 9.5])


@pytest.mark.parametrize("timing", ["end", "mid", "begin"])
def test_present_value_of_costs_falls_with_the_rate(timing):
    offers = [machine("A"), machine("B", life=Exponential(1.2))]
    values = [Study(offers, 15, rate, timing=timing).evaluate().present_value.to_numpy() for rate in
              (-0.02, 0.0, 0.02, 0.05, 0.1)]
    # Costs only (residual aside, which is small here): every offer's PV falls as the rate rises.
    assert all(np.all(a > b) for a, b in zip(values, values[1:]))


def test_adding_a_cost_never_lowers_lcc():
    base = Study([machine("A")], 12, 0.04).evaluate().present_value["A"]
    for extra in (OneTime("fee", 1.0, year=12), Recurring("x", 0.01), Periodic("y", 5.0, every=6),
                  Failures("z", Weibull(0.8, 20.0), 1.0)):
        more = Study([machine("A", more=[extra])], 12, 0.04).evaluate().present_value["A"]
        assert more > base


def test_invariant_to_element_and_offer_order():
    a, b = machine("A"), machine("B", price=80_000.0, life=Weibull(1.4, 2.0), supplier=Supplier(0.05, 9_000.0))
    shuffled = Offer("B", tuple(reversed(b.costs)), b.supplier)
    one = Study([a, b], 12, 0.04).evaluate()
    two = Study([shuffled, a], 12, 0.04).evaluate()
    pd.testing.assert_series_equal(one.present_value.sort_index(), two.present_value.sort_index(), rtol=1e-13)
    pd.testing.assert_frame_equal(one.by_category.sort_index(), two.by_category.sort_index(), rtol=1e-13)
    assert one.ranking == two.ranking


def test_nominal_fixed_price_contract_is_deflated():
    nominal = Offer("n", [Recurring("contract", 1000.0, nominal=True)])
    real = Offer("r", [Recurring("contract", 1000.0 / 1.03, escalation=1 / 1.03 - 1)])
    r = Study([nominal, real], 6, 0.04, inflation=0.03).evaluate()
    assert r.present_value["n"] == pytest.approx(r.present_value["r"])


def test_break_even_price_really_ties():
    study = Study([machine("A"), machine("B", price=70_000.0, life=Exponential(1.0),
                                         supplier=Supplier(0.08, 50_000.0))], 12, 0.04)
    price = study.break_even_price("A", "B")
    tied = study.with_offers([machine("A", price=price), study.offer("B")]).evaluate().present_value
    assert tied["A"] == pytest.approx(tied["B"], rel=1e-12)
    premium = study.justified_premium("A", "B")
    assert premium == pytest.approx(price - 70_000.0)
    assert premium > 0  # A's lower after-sales cost is worth a higher price


def test_break_even_price_of_a_later_payment():
    # Paying the price in year 2 instead of year 0: the unit present value is 1.04^-2.
    a = Offer("A", [OneTime("price", 100.0, year=2), Recurring("fee", 10.0)])
    b = Offer("B", [OneTime("price", 150.0), Recurring("fee", 12.0)])
    study = Study([a, b], 5, 0.04)
    price = study.break_even_price("A", "B")
    lcc = study.with_offers([Offer("A", [OneTime("price", price, year=2), Recurring("fee", 10.0)]), b]).evaluate()
    assert lcc.present_value["A"] == pytest.approx(lcc.present_value["B"])


def test_compare_matches_nist_definitions():
    study = Study([machine("A"), machine("B", price=70_000.0, life=Exponential(1.0))], 12, 0.04)
    r = study.evaluate()
    table = r.compare("B")
    # Net savings of A over B equal the LCC difference (NIST Handbook 135 §6.2).
    assert table.loc["A", "net_savings"] == pytest.approx(r.present_value["B"] - r.present_value["A"])
    investment_b, operational_b = r.streams("B")
    investment_a, operational_a = r.streams("A")
    savings, extra = operational_b - operational_a, investment_a - investment_b
    assert table.loc["A", "sir"] == pytest.approx(tc.sir(savings, extra, 0.04))
    assert table.loc["A", "airr"] == pytest.approx((1.04) * table.loc["A", "sir"] ** (1 / 12) - 1)


def test_compare_reads_a_dominated_offer_as_no_ratio_without_warning():
    # A cheaper offer that costs more to run has no SIR or AIRR against a dearer, cheaper-running
    # baseline (dominated): NaN in the table, which is its reading (documented), while sir() on
    # the same streams, asked for one number, warns why.
    cheap = Offer("cheap", [OneTime("price", 50_000.0), Recurring("service", 9_000.0, category="maintenance")])
    dear = Offer("dear", [OneTime("price", 80_000.0), Recurring("service", 1_000.0, category="maintenance")])
    worse = Offer("worse", [OneTime("price", 50_000.0), Recurring("service", 12_000.0, category="maintenance")])
    result = Study([cheap, dear, worse], 10, 0.04).evaluate()
    with warnings.catch_warnings():
        warnings.simplefilter("error", tc.NoSolutionWarning)
        table = result.compare("cheap")
    assert np.isnan(table.loc["worse", ["sir", "airr"]].astype(float)).all()
    assert table.loc["dear", "sir"] > 1  # dear saves 8,000 a year for 30,000 more
    investment, operational = result.streams("worse")
    base_investment, base_operational = result.streams("cheap")
    with pytest.warns(tc.NoSolutionWarning, match=r"^sir: .*it is dominated"):
        tc.sir(base_operational - operational, investment - base_investment, 0.04)


def test_plots_draw():
    r = Study([machine("A"), machine("B", price=90_000.0)], 10, 0.03).evaluate()
    ax = r.plot_breakdown()
    assert len(ax.patches) == 2 * len(r.categories)
    assert len(r.plot_cumulative().lines) == 2
    import matplotlib.pyplot as plt

    plt.close("all")


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("make,match", [
    (lambda: Study([machine()], -1, 0.03), "horizon must be >= 1"),
    (lambda: Study([machine()], 0, 0.03), "horizon must be >= 1"),
    (lambda: Study([machine()], 10, -1.0), "discount_rate must be > -1"),
    (lambda: Weibull(0.0, 3.0), "shape must be > 0"),
    (lambda: Weibull(-2.0, 3.0), "shape must be > 0"),
    (lambda: Weibull(2.0, 0.0), "scale must be > 0"),
    (lambda: Exponential(-1.0), "mtbf must be > 0"),
    (lambda: Recurring("fee", 10.0, escalation=-1.0), "escalation must be > -1"),
    (lambda: UsageBased("energy", 10.0, 0.1, growth=-1.5), "growth must be > -1"),
    (lambda: Periodic("overhaul", 10.0, every=0), "every must be >= 1"),
    (lambda: Failures("b", Weibull(2, 3), 10.0, preventive_cost=5.0), "needs a preventive_interval"),
    (lambda: Failures("b", Weibull(2, 3), -10.0), "cost_per_failure must be >= 0"),
    (lambda: Supplier(1.5, 100.0), "annual_default_probability must be in"),
    (lambda: Residual("r"), "exactly one of value and schedule"),
    (lambda: OneTime("", 5.0), "name must be a non-empty string"),
    (lambda: OneTime("p", float("nan")), "amount must be finite"),
    (lambda: Offer("A", [OneTime("p", 1.0), OneTime("p", 2.0)]), "offer 'A': duplicate element name 'p'"),
    (lambda: Study([machine("A"), machine("A")], 10, 0.03), "duplicate offer name 'A'"),
    (lambda: Offer("A", []), "offer 'A': costs must not be empty"),
    (lambda: Study([], 10, 0.03), "offers must not be empty"),
    (lambda: Study([machine("A")], 10, 0.03, baseline="Z"), "baseline must be one of"),
    (lambda: Study([machine("A")], 10, 0.03, timing="middle"), "timing must be one of"),
])
def test_bad_input_raises_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("element,field", [
    (OneTime("late fee", 5.0, year=11), "year = 11"),
    (Recurring("contract", 5.0, start=3, end=14), "end = 14"),
    (Recurring("contract", 5.0, start=12), "start = 12"),
    (Periodic("overhaul", 5.0, every=4, start=20), "start = 20"),
    (Failures("wear", Weibull(2, 3), 5.0, end=11), "end = 11"),
    (Disposal("removal", 5.0, year=15), "year = 15"),
    (Residual.straight_line("resale", 100.0, life=5), None),
])
def test_element_outside_horizon_names_offer_element_and_field(element, field):
    offer = Offer("Vendor X", [OneTime("price", 1.0), element])
    if field is None:  # a depreciation schedule flat beyond its life is fine
        Study([offer], 10, 0.03)
        return
    with pytest.raises(ValueError, match=rf"offer 'Vendor X', element '{element.name}': {field}"):
        Study([offer], 10, 0.03)


def test_short_residual_schedule_is_an_error():
    offer = Offer("A", [Residual("resale", schedule=(100.0, 80.0, 60.0))])
    with pytest.raises(ValueError, match="offer 'A', element 'resale': schedule covers ages 0..2"):
        Study([offer], 5, 0.03)


def test_type_errors():
    with pytest.raises(TypeError, match="horizon must be a whole number"):
        Study([machine()], 10.5, 0.03)
    with pytest.raises(TypeError, match="life must be Weibull"):
        Failures("b", (2.0, 3.0), 10.0)
    with pytest.raises(TypeError, match="year must be a whole year"):
        OneTime("p", 1.0, year=1.5)


def test_break_even_needs_a_single_price():
    study = Study([Offer("A", [Recurring("fee", 1.0)]), machine("B")], 5, 0.03)
    with pytest.raises(ValueError, match="offer 'A' must have exactly one OneTime acquisition element"):
        study.break_even_price("A", "B")
    with pytest.raises(ValueError, match=r"offer must name an offer of the study, one of \['A', 'B'\], got 'C'"):
        study.break_even_price("C", "B")


# ----------------------------------------------------------------------------- economic life


def test_economic_life_blank_tarquin_example_11_2():
    # Blank & Tarquin, Engineering Economy, Example 11.2: P = $13,000, i = 10%; published total AW
    # $7,800, $6,276 and $6,132 for n = 1, 2, 3 and an economic service life of 3 years.
    result = tc.economic_life(13_000, [2_500, 2_700, 3_000, 3_500, 4_500], [9_000, 8_000, 6_000, 2_000, 0], 0.10)
    np.testing.assert_allclose(result.eac.to_numpy()[:3], [7_800, 6_276, 6_132], atol=0.5)
    assert result.best_age == 3


def test_economic_life_published_example():
    # Worked problem "A machine cost $200,000 ... MARR 10%" (solution at wizedu.com/questions/47490):
    # EUAC 170,000.00; 165,238.10; 177,250.8; 182,152.6 — economic service life 2 years.
    result = tc.economic_life(200_000, [50_000, 100_000, 150_000, 200_000], [100_000, 50_000, 0, 0], 0.10)
    np.testing.assert_allclose(result.eac.to_numpy(), [170_000.00, 165_238.10, 177_250.8, 182_152.6], atol=0.1)
    assert result.best_age == 2
    assert result.min_eac == pytest.approx(165_238.10, abs=0.01)
    assert "Economic life" in result._repr_html_()
    result.plot_eac()


def test_economic_life_matches_independent_formula():
    rng = np.random.default_rng(7)
    costs, salvage, price, rate = rng.uniform(1, 5, 9) * 1000, np.linspace(8000, 500, 9), 12_000.0, 0.07
    v = 1.07 ** -np.arange(1, 10)
    pv = price + np.cumsum(costs * v) - salvage * v
    expected = pv * rate / (1 - v)
    np.testing.assert_allclose(tc.economic_life(price, costs, salvage, rate).eac.to_numpy(), expected, rtol=1e-12)


def test_economic_life_bad_input():
    with pytest.raises(ValueError, match="salvage_values must have one value per year"):
        tc.economic_life(100.0, [1.0, 2.0], [1.0], 0.05)
    with pytest.raises(ValueError, match="rate must be > -1"):
        tc.economic_life(100.0, [1.0], [1.0], -1.0)


def test_optimal_replacement_against_brute_force():
    shape, scale, cp, cf = 2.5, 1000.0, 100.0, 800.0
    result = tc.optimal_replacement_interval(shape, scale, cp, cf)
    t = np.linspace(1, 3000, 300_001)
    reliability = np.exp(-((t / scale) ** shape))
    uptime = np.concatenate([[0], np.cumsum(0.5 * (reliability[1:] + reliability[:-1]) * np.diff(t))])
    uptime += 1.0 * (1 + np.exp(-((1 / scale) ** shape))) / 2  # the first unit of time, nearly R = 1
    rate = (cp * reliability + cf * (1 - reliability)) / uptime
    assert result.interval == pytest.approx(t[np.argmin(rate)], abs=1.0)
    assert result.cost_rate == pytest.approx(rate.min(), rel=1e-6)
    assert result.cost_rate < result.failure_only_cost_rate
    assert result.summary.loc["interval", "value"] == result.interval
    result.plot_cost_rate()


def test_no_preventive_replacement_without_wear_out():
    result = tc.optimal_replacement_interval(0.9, 100.0, 10.0, 50.0)
    assert math.isinf(result.interval)
    assert result.cost_rate == pytest.approx(50.0 / Weibull(0.9, 100.0).mean)
    with pytest.raises(ValueError, match="shape must be > 0"):
        tc.optimal_replacement_interval(-1.0, 100.0, 10.0, 50.0)


# ----------------------------------------------------------------------------- files


def full_study():
    a = machine("A", supplier=Supplier(0.02, 40_000.0, 3_000.0))
    b = Offer("B", [OneTime("price", 80_000.0), Recurring("contract", 9_000.0, nominal=True, category="support"),
                    Failures("breakdowns", Exponential(1.3), 4_000.0),
                    Residual.declining_balance("resale", 80_000.0, 0.2, 12), Disposal("removal", 1_000.0, year=11)])
    return Study([a, b], 12, 0.04, timing="mid", inflation=0.02, baseline="B")


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_round_trip_through_files(tmp_path, suffix):
    study = full_study()
    path = save_study(study, tmp_path / f"scenario{suffix}")
    again = load_study(path)
    assert study_to_dict(again) == study_to_dict(study)
    pd.testing.assert_series_equal(again.evaluate().present_value, study.evaluate().present_value)


def test_round_trip_through_dicts():
    study = full_study()
    data = study_to_dict(study)
    json.dumps(data)  # plain data only
    again = study_from_dict(data)
    assert study_to_dict(again) == data
    pd.testing.assert_frame_equal(again.evaluate().costs, study.evaluate().costs)


def test_unknown_key_in_file_names_file_and_key(tmp_path):
    path = tmp_path / "bad.toml"
    text = datasets.three_vendors_path().read_text().replace("cost_per_failure = 6500.0",
                                                                "cost_per_failure = 6500.0\ncost_per_falure = 1.0")
    path.write_text(text)
    with pytest.raises(ValueError, match=r"bad.toml: offers\[0\] \('Atlas'\)\.costs\[5\] \('spindle and drive "
                                         r"failures'\): unknown key\(s\) \['cost_per_falure'\]"):
        load_study(path)


@pytest.mark.parametrize("edit,match", [
    (("shape = 2.2", "shape = -2.2"), r"costs\[5\] \('spindle and drive failures'\)\.life: shape must be > 0"),
    (("horizon = 12", "horizon = -3"), r"study: horizon must be >= 1"),
    (("horizon = 12", "horizon = 12\nunits = 'EUR'"), r"study: unknown key\(s\) \['units'\]"),
    (('name = "Borealis"', 'name = "Atlas"'), r"duplicate offer name 'Atlas'"),
    (('distribution = "Weibull"', 'distribution = "LogNormal"'), r"life\.distribution: must be 'Weibull' or"),
    (('type = "periodic"', 'type = "sometimes"'), r"offers\[1\] \('Borealis'\)\.costs\[4\]\.type: must be one of"),
    (("escalation = 0.02", "escalation = -1.0"), r"\('service contract'\): escalation must be > -1"),
    (("every = 4", "every = 4\nend = 20"), r"offer 'Borealis', element 'overhaul': end = 20 is outside the horizon"),
])
def test_bad_scenario_files(tmp_path, edit, match):
    path = tmp_path / "scenario.toml"
    path.write_text(datasets.three_vendors_path().read_text().replace(*edit, 1))
    with pytest.raises(ValueError, match=r"scenario.toml: .*" + match):
        load_study(path)


def test_bad_file_type_and_syntax(tmp_path):
    (tmp_path / "s.yaml").write_text("x: 1")
    with pytest.raises(ValueError, match="s.yaml: scenario files must end in .toml or .json"):
        load_study(tmp_path / "s.yaml")
    (tmp_path / "s.toml").write_text("[study\n")
    with pytest.raises(ValueError, match="s.toml: not valid TOML"):
        load_study(tmp_path / "s.toml")


def test_bundled_scenario():
    study = datasets.load_three_vendors()
    assert [o.name for o in study.offers] == ["Atlas", "Borealis", "Cobalt"]
    r = study.evaluate()
    # The cheapest to buy is not the cheapest to own.
    assert r.ranking[-1] == "Cobalt"
    assert study.justified_premium("Atlas", "Cobalt") > 0


def test_results_do_not_depend_on_thread_count():
    offers = [machine(f"o{i}", price=50_000.0 + 1_000 * i, life=Weibull(1.2 + 0.02 * i, 2.0 + 0.05 * i))
              for i in range(150)]
    study = Study(offers, 20, 0.03)
    threads = tc.get_num_threads()
    try:
        tc.set_num_threads(1)
        one = study.evaluate().costs.to_numpy()
        tc.set_num_threads(2)
        two = study.evaluate().costs.to_numpy()
    finally:
        tc.set_num_threads(threads)
    assert np.array_equal(one, two)


def test_depreciation_schedules():
    straight = Residual.straight_line("resale", 100_000.0, life=8, salvage=20_000.0)
    assert straight.value_at(2) == pytest.approx(80_000.0)
    assert straight.value_at(12) == pytest.approx(20_000.0)
    declining = Residual.declining_balance("resale", 100_000.0, rate=0.2, years=10)
    assert declining.value_at(3) == pytest.approx(100_000.0 * 0.8 ** 3)
    r = Study([Offer("A", [OneTime("price", 100_000.0), declining])], 3, 0.0).evaluate()
    assert r.present_value["A"] == pytest.approx(100_000.0 * (1 - 0.8 ** 3))


def test_failures_with_block_replacement_against_monte_carlo():
    # Renewed at failure and, regardless of age, at every 1.5 years of service (block replacement):
    # the expected failures per study year from the engine match a simulation of that policy.
    shape, scale, tau, horizon, paths = 2.0, 2.0, 1.5, 6, 100_000
    offer = Offer("x", [Failures("b", Weibull(shape, scale), 1.0, preventive_interval=tau, preventive_cost=10.0)])
    costs = Study([offer], horizon, 0.0).evaluate().costs.loc["x"]
    rng = np.random.default_rng(11)
    counts = np.zeros((paths, horizon))
    for cycle in range(int(np.ceil(horizon / tau))):
        begin, end = cycle * tau, min((cycle + 1) * tau, horizon)
        arrivals = begin + np.cumsum(scale * rng.weibull(shape, size=(paths, 12)), axis=1)
        inside = arrivals < end
        years = np.ceil(arrivals[inside]).astype(int) - 1
        np.add.at(counts, (np.nonzero(inside)[0], years), 1)
    estimate, error = counts.mean(axis=0), counts.std(axis=0) / math.sqrt(paths)
    assert np.all(np.abs(costs["repair"].to_numpy()[1:] - estimate) < 4 * error + 1e-12)
    # Preventive renewals at 1.5, 3.0, 4.5 (none at the end of service, 6.0): years 2, 3, 5.
    np.testing.assert_allclose(costs["maintenance"].to_numpy(), [0, 0, 10, 10, 0, 10, 0])


def test_the_engine_view_is_built_once_and_is_what_evaluate_reports():
    import pickle

    from trustcost.lcc import StudyEngine

    study = Study([machine("A"), machine("B", price=110_000.0)], 10, 0.03)
    engine = study.engine()
    assert isinstance(engine, StudyEngine) and study.engine() is engine  # kept: the study is immutable
    result = study.evaluate()
    assert engine.offers == ("A", "B") and list(engine.categories) == result.categories
    np.testing.assert_array_equal(engine.present_values.sum(axis=1), result.present_value.to_numpy())
    np.testing.assert_array_equal(engine.costs, result.cost_array)
    spec = engine.spec
    assert (spec.horizon, spec.discount_rate, spec.categories) == (10, 0.03, len(engine.categories))
    copy = pickle.loads(pickle.dumps(engine))
    np.testing.assert_array_equal(copy.costs, engine.costs)
    assert (copy.spec.horizon, copy.spec.timing, copy.offers) == (10, "end", ("A", "B"))
    # A pickled study rebuilds its view on demand (the bound spec does not travel).
    again = pickle.loads(pickle.dumps(study))
    np.testing.assert_array_equal(again.engine().present_values, engine.present_values)
