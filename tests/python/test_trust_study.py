"""Trust-adjusted total cost inside a lifetime-cost Study: the relationship lines are computed by
the same batched evaluation as the lifetime cost (item kind Trust of trustcost::lcc::evaluate)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from trustcost import _core
from trustcost.trust import LINES

HORIZON = 8


def _costs():
    return [tc.OneTime("price", 200_000), tc.Recurring("service", 6_000)]


def _study(relationships, rate=0.05):
    offers = [tc.Offer(name, _costs(), trust_profile=rel) for name, rel in relationships.items()]
    return tc.Study(offers, horizon=HORIZON, discount_rate=rate)


def test_relationship_lines_equal_the_standalone_engine_and_plain_lcc_is_unchanged():
    path = np.linspace(0.2, 0.9, HORIZON + 1)
    rel = tc.TrustProfile(trust=path, annual_spend=3e5, spend_escalation=0.02)
    with pytest.warns(tc.RelationshipWarning, match=r"offers \['partner'\] carry a trust profile and offers \['plain'\] do not"):
        study = _study({"partner": rel, "plain": None})
    result = study.evaluate()
    # Lines of the study = the standalone batched function on the same trust path and spend.
    spend = 3e5 * 1.02 ** np.arange(HORIZON)
    alone = tc.relationship_costs(path[1:], spend, first_year=1, discount_rate=0.05)
    study_lines = result.costs.loc["partner", list(LINES)].iloc[1:].to_numpy()
    np.testing.assert_allclose(study_lines, alone.costs[list(LINES)].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(result.by_category.loc["partner", list(LINES)].to_numpy(),
                               alone.by_line[list(LINES)].to_numpy()[0], rtol=1e-12)
    assert (result.costs.loc[("partner", 0), list(LINES)] == 0).all()  # no operations in year 0
    # The plain lifetime cost is what the study gives without relationships.
    plain = _study({"partner": None, "plain": None}).evaluate().present_value
    np.testing.assert_allclose(result.lifetime_cost.to_numpy(), plain.to_numpy())
    assert result.relationship_cost["plain"] == 0.0
    np.testing.assert_allclose(result.present_value, result.lifetime_cost + result.relationship_cost)


def test_summary_shows_both_totals_and_trust_can_change_the_ranking():
    cheap = tc.Offer("cheap, low trust", [tc.OneTime("price", 180_000), tc.Recurring("service", 6_000)],
                     trust_profile=tc.TrustProfile(trust=0.1, annual_spend=6e5))
    trusted = tc.Offer("dearer, trusted", [tc.OneTime("price", 260_000), tc.Recurring("service", 6_000)],
                       trust_profile=tc.TrustProfile(trust=0.9, annual_spend=6e5))
    result = tc.Study([cheap, trusted], horizon=HORIZON, discount_rate=0.05).evaluate()
    summary = result.summary
    assert {"lifetime_cost", "relationship_cost", "present_value", "lifetime_rank"} <= set(summary.columns)
    assert summary.loc["cheap, low trust", "lifetime_rank"] == 1
    assert result.ranking == ["dearer, trusted", "cheap, low trust"]
    yearly = result.yearly_totals
    np.testing.assert_allclose(yearly["trust_adjusted"], yearly["lifetime_cost"] + yearly["relationship_cost"])
    factors = result.discount_factors
    for offer in ("cheap, low trust", "dearer, trusted"):
        assert yearly.loc[offer, "relationship_cost"].to_numpy() @ factors == pytest.approx(
            result.relationship_cost[offer])


def test_a_trust_trajectory_drives_the_yearly_lines():
    events = pd.DataFrame({"time": [0.5, 1.5, 2.5, 4.0], "kind": ["promise_kept", "promise_broken",
                                                               "complaint_ignored", "promise_kept"]})
    trajectory = tc.simulate_trust(events, horizon=HORIZON)
    model = tc.TransactionCostModel()
    result = _study({"A": tc.TrustProfile(trust=trajectory, annual_spend=1e6, interaction=model)}).evaluate()
    tau = trajectory.yearly(HORIZON)
    hours = model.interaction_hours_per_million  # per million of spend; the spend is one million
    expected = hours * model.hourly_cost * (0.47 + (0.235 - 0.47) * tau[1:])
    np.testing.assert_allclose(result.costs.loc["A", "transaction"].iloc[1:].to_numpy(), expected)


def test_rate_paths_are_averaged_and_coefficients_come_from_the_interaction_profile():
    paths = tc.simulate_trust(rates={"promise_kept": 6, "contact": 12}, horizon=HORIZON, paths=30, seed=2)
    model = tc.TransactionCostModel(interaction_hours=1000, curvature=2.0)
    study = _study({"A": tc.TrustProfile(trust=paths, annual_spend=0.0, interaction=model)})
    with pytest.warns(tc.RelationshipWarning, match=r"'A' \(.* against 0: transaction .*\): relationship cost lines"):
        result = study.evaluate()  # absolute hours with no spend at all: said, and still computed
    tau = paths.yearly(HORIZON).mean(axis=0)
    np.testing.assert_allclose(result.costs.loc["A", "transaction"].iloc[1:].to_numpy(),
                               1000 * 90 * (0.47 + (0.235 - 0.47) * tau[1:] ** 2))
    assert (result.costs.loc["A", "procurement"] == 0).all()  # no spend


def test_bad_relationship_inputs_name_the_field():
    with pytest.raises(ValueError, match=r"trust_profile.trust\[2\] must be in \[0, 1\], got 1.3"):
        tc.TrustProfile(trust=[0.5, 0.5, 1.3], annual_spend=1.0)
    with pytest.raises(ValueError, match="trust_profile.annual_spend must be >= 0"):
        tc.TrustProfile(trust=0.5, annual_spend=-1.0)
    with pytest.raises(ValueError, match="offer 'A': trust_profile.trust must have one value per study year"):
        _study({"A": tc.TrustProfile(trust=[0.5, 0.6], annual_spend=1.0)})
    with pytest.raises(ValueError, match="offer 'A': trust_profile years"):
        _study({"A": tc.TrustProfile(trust=0.5, annual_spend=1.0, end=HORIZON + 3)})
    with pytest.raises(TypeError, match="trust_profile must be a TrustProfile"):
        tc.Offer("A", _costs(), trust_profile={"trust": 0.5})


def test_engine_rejects_trust_items_without_or_with_bad_trust_paths():
    kind = np.array([6], dtype=np.int32)
    category = np.array([0], dtype=np.int32)
    params = np.array([[100.0, 1, 2, 0, 0, 0.5, 0.2, 1.0]])
    start = np.array([0, 1], dtype=np.int64)
    spec = _core.StudySpec(horizon=2, discount_rate=0.05)
    with pytest.raises(ValueError, match=r"item 0 \(offer 0\): needs the study's trust paths"):
        _core.lcc_evaluate(spec, kind, category, params, start)
    with pytest.raises(ValueError, match=r"item 0 \(offer 0\): trust in year 2 must be in \[0, 1\], got 1.5"):
        _core.lcc_evaluate(spec, kind, category, params, start, np.array([[0.5, 0.5, 1.5]]))
    costs, _ = _core.lcc_evaluate(spec, kind, category, params, start, np.array([[0, 0.5, 1.0]]))
    np.testing.assert_allclose(costs[0, :, 0], [0, 100 * (0.5 - 0.3 * 0.5), 100 * 0.2])


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_relationships_round_trip_through_scenario_files(tmp_path, suffix):
    trajectory = tc.simulate_trust(rates={"promise_kept": 6}, horizon=HORIZON, expected=True)
    offers = [
        tc.Offer("A", _costs(), trust_profile=tc.TrustProfile(trust=0.3, annual_spend=5e5, spend_escalation=0.01,
                                                             interaction=tc.TransactionCostModel(hourly_cost=120.0,
                                                                                                  disputes_per_year=(0.6, 0.1)))),
        tc.Offer("B", _costs(), trust_profile=tc.TrustProfile(trust=trajectory, annual_spend=8e5, end=5)),
        tc.Offer("C", _costs()),
    ]
    with pytest.warns(tc.RelationshipWarning, match="'C'"):
        study = tc.Study(offers, horizon=HORIZON, discount_rate=0.04)
    with pytest.warns(tc.RelationshipWarning, match="'C'"):
        loaded = tc.load_study(tc.save_study(study, tmp_path / f"scenario{suffix}"))
    pd.testing.assert_frame_equal(loaded.evaluate().by_category, study.evaluate().by_category)
    assert loaded.offer("A").trust_profile.interaction.disputes_per_year == (0.6, 0.1)
    assert loaded.offer("A").trust_profile.interaction.disputes_per_million is None


def test_bad_relationship_keys_in_scenarios_name_the_path():
    data = tc.study_to_dict(_study({"A": tc.TrustProfile(trust=0.5, annual_spend=1.0)}))
    data["offers"][0]["trust_profile"]["interaction"] = {"hours": 10}
    with pytest.raises(ValueError, match=r"offers\[0\] \('A'\).trust_profile.interaction: unknown key\(s\) \['hours'\]"):
        tc.study_from_dict(data)
    data["offers"][0]["trust_profile"] = {"trust": 1.5, "annual_spend": 1.0}
    with pytest.raises(ValueError, match=r"offers\[0\] \('A'\).trust_profile: trust_profile.trust must be in \[0, 1\]"):
        tc.study_from_dict(data)


def test_break_even_price_includes_the_relationship_lines():
    low = tc.Offer("low trust", [tc.OneTime("price", 200_000)], trust_profile=tc.TrustProfile(trust=0.1, annual_spend=4e5))
    high = tc.Offer("high trust", [tc.OneTime("price", 250_000)], trust_profile=tc.TrustProfile(trust=0.9, annual_spend=4e5))
    study = tc.Study([low, high], horizon=HORIZON, discount_rate=0.05)
    price = study.break_even_price("high trust", "low trust")
    result = study.evaluate()
    # The trusted offer may cost its rival's price plus the present value of the relationship savings.
    assert price == pytest.approx(200_000 + result.relationship_cost["low trust"] - result.relationship_cost["high trust"])
    tied = tc.Study([low, tc.Offer("high trust", [tc.OneTime("price", price)], trust_profile=high.trust_profile)],
                    horizon=HORIZON, discount_rate=0.05).evaluate().present_value
    assert tied["high trust"] == pytest.approx(tied["low trust"])


# ----------------------------------------------------------------------------- defaults that scale


def _forklifts(model=None):
    """Issue 20's forklift case: Electric 48,000 USD at trust 0.6 and 15,000 a year of spend with the
    seller; Diesel 36,000 USD at trust 0.4 and 22,000 a year; 8 years at 5%."""
    electric = tc.Offer("Electric", [tc.OneTime("price", 48_000)],
                        trust_profile=tc.TrustProfile(trust=0.6, annual_spend=15_000, interaction=model))
    diesel = tc.Offer("Diesel", [tc.OneTime("price", 36_000)],
                      trust_profile=tc.TrustProfile(trust=0.4, annual_spend=22_000, interaction=model))
    return tc.Study([electric, diesel], horizon=8, discount_rate=0.05, currency="USD")


def test_forklift_relationship_lines_stay_below_half_the_discounted_spend_they_serve():
    result = _forklifts().evaluate()  # filterwarnings=error: no RelationshipWarning either
    annuity = (1 - 1.05 ** -8) / 0.05  # present value of 1 a year for 8 years at 5%
    for offer, spend in (("Electric", 15_000), ("Diesel", 22_000)):
        discounted_spend = spend * annuity
        assert 0 < result.relationship_cost[offer] < 0.5 * discounted_spend
        assert result.study.offer(offer).trust_profile.discounted_spend(result.discount_factors) == pytest.approx(
            discounted_spend)
    assert 15_000 * annuity == pytest.approx(96_948, abs=1)  # the issue's "96,948 discounted"


def test_the_old_absolute_defaults_reproduce_the_issue_and_now_warn_naming_offer_and_lines():
    absolute = tc.TransactionCostModel(interaction_hours=400, lots_per_year=200, disputes_per_year=(4.0, 0.5))
    study = _forklifts(absolute)
    with pytest.warns(tc.RelationshipWarning) as caught:
        result = study.evaluate()
    # Issue 20's figures for Electric: transaction 76,550, inspection 77,559, disputes 98,241.
    lines = result.by_category.loc["Electric"]
    assert (lines["transaction"], lines["inspection"], lines["disputes"]) == pytest.approx((76_550, 77_559, 98_241), abs=1)
    assert result.relationship_cost["Electric"] == pytest.approx(253_028, abs=1)  # net of shared ideas (582)
    messages = [str(w.message) for w in caught]
    spend = [m for m in messages if "above the discounted spend with the seller" in m]
    assert len(spend) == 1 and spend[0].startswith("2 offers: ") and "'Electric' (253,610 against 96,948: disputes 98,241, inspection 77,559, transaction 76,550" in spend[0]
    lifetime = [m for m in messages if "above the offer's lifetime cost" in m]
    assert len(lifetime) == 1 and "'Electric' (253,610 against 48,000:" in lifetime[0]
    assert lifetime[0].startswith("2 offers: ")  # Diesel's lines exceed its spend and price too: one warning each


@pytest.mark.parametrize("tau", [0.0, 0.4, 1.0])
def test_each_default_line_scales_with_spend_and_absolute_figures_do_not(tau):
    spends = np.array([15_000.0, 22_000.0, 1e6, 8e6])
    model = tc.TransactionCostModel()
    per_unit = np.stack([model.costs([tau], spend=s).iloc[0][list(LINES)].to_numpy() / s for s in spends])
    np.testing.assert_allclose(per_unit, np.broadcast_to(per_unit[0], per_unit.shape), rtol=1e-12)
    # Per million of spend, by hand from the documented defaults.
    lerp = lambda low, high: low + (high - low) * tau  # noqa: E731
    expected = [200 * 90 * lerp(0.47, 0.235), 1e6 * lerp(0.025, 0.005), 50 * 150 * lerp(1.0, 0.0),
                8000 * lerp(1.0, 0.125), -1e6 * lerp(0.0, 0.01)]
    np.testing.assert_allclose(per_unit[0] * 1e6, expected, rtol=1e-12, atol=1e-9)
    # Counts given per year stay put whatever the spend.
    fixed = model.with_(interaction_hours=400, lots_per_year=200, disputes_per_year=(4.0, 0.5))
    small, large = (fixed.costs([tau], spend=s).iloc[0] for s in (15_000, 8e6))
    for line in ("transaction", "inspection", "disputes"):
        assert small[line] == pytest.approx(large[line])
    assert fixed.line_terms(15_000).loc["transaction", "scales_with_spend"] == np.False_
    assert model.line_terms(15_000)["scales_with_spend"].all()


def test_a_count_is_stated_one_way():
    with pytest.raises(ValueError, match="give interaction_hours_per_million .* or interaction_hours .*, not both"):
        tc.TransactionCostModel(interaction_hours=400, interaction_hours_per_million=100)
    switched = tc.TransactionCostModel().with_(lots_per_year=12)
    assert switched.lots_per_million is None and switched.lots_per_year == 12
    assert switched.with_(lots_per_million=3).lots_per_year is None


def test_one_trust_profile_among_several_offers_warns_naming_them():
    offers = [tc.Offer("Atlas", _costs(), trust_profile=tc.TrustProfile(trust=0.5, annual_spend=1e5)),
              tc.Offer("Borealis", _costs()), tc.Offer("Cobalt", _costs())]
    with pytest.warns(tc.RelationshipWarning, match=r"offers \['Atlas'\] carry a trust profile and offers "
                                                    r"\['Borealis', 'Cobalt'\] do not"):
        tc.Study(offers, horizon=HORIZON, discount_rate=0.05)


# ----------------------------------------------------------------------------- rates as entered


@pytest.mark.parametrize("field", ["discount_rate", "inflation"])
def test_a_rate_above_100_percent_is_refused_with_the_percent_hint(field):
    settings = {"discount_rate": 0.05, field: 5}
    with pytest.raises(ValueError, match=rf"{field} = 5 is 500% a year; .*did you mean 0.05 for 5%\?"):
        tc.Study([tc.Offer("A", _costs())], horizon=HORIZON, **settings)
    meant = tc.Study([tc.Offer("A", _costs())], horizon=HORIZON, allow_rates_above_100_percent=True, **settings)
    assert getattr(meant, field) == 5.0
    assert tc.study_from_dict(tc.study_to_dict(meant)).allow_rates_above_100_percent is True


def test_a_scenario_rate_above_100_percent_is_refused_unless_meant():
    data = tc.study_to_dict(tc.Study([tc.Offer("A", _costs())], horizon=HORIZON, discount_rate=0.05))
    data["study"]["discount_rate"] = 5
    with pytest.raises(ValueError, match=r"study: .*did you mean 0.05 for 5%\?"):
        tc.study_from_dict(data)
    data["study"]["allow_rates_above_100_percent"] = True
    assert tc.study_from_dict(data).discount_rate == 5.0
    with pytest.raises(TypeError, match="allow_rates_above_100_percent must be True or False"):
        tc.Study([tc.Offer("A", _costs())], horizon=HORIZON, discount_rate=0.05, allow_rates_above_100_percent="yes")


def test_scenario_errors_name_the_key_path_and_give_the_hint_that_fits():
    data = {"study": {"horizon": 8, "discount_rate": 0.05},
            "offers": [{"name": "A", "costs": [{"type": "one_time", "name": "price", "amount": 1.0}],
                        "trust_profile": {"trust": [0.5, 0.6], "annual_spend": 100.0}}]}
    # A short trust list names the offer's key path, not "study: offer ...".
    with pytest.raises(ValueError, match=r"^x.toml: offers\[0\] \('A'\): trust_profile.trust must have one value per "
                                         r"study year 0..8 \(9 values\), got 2 values$"):
        tc.study_from_dict(data, "x.toml")
    # A Normal that is not truncated gets the truncation hint, not the Residual one.
    data["offers"][0]["trust_profile"]["trust"] = 0.5
    data["offers"][0]["costs"][0] = {"type": "recurring", "name": "service",
                                     "amount": {"distribution": "Normal", "mean": 1.0, "sd": 2.0}}
    with pytest.raises(ValueError, match=r"truncate it, e.g. Normal\(..., lower=0\)\)$") as caught:
        tc.study_from_dict(data, "x.toml")
    assert "Residual" not in str(caught.value)
    with pytest.raises(ValueError, match="is a Residual element"):  # a negative number still gets it
        tc.OneTime("price", -5.0)


def test_discounted_spend_counts_the_relationship_years_with_escalation():
    factors = np.concatenate([[1.0], 1.05 ** -np.arange(1, 9)])
    profile = tc.TrustProfile(trust=0.5, annual_spend=1000.0, spend_escalation=0.03, start=2, end=5)
    by_hand = sum(1000.0 * 1.03 ** (y - 2) * 1.05 ** -y for y in range(2, 6))
    assert profile.discounted_spend(factors) == pytest.approx(by_hand, rel=1e-13)
    from trustcost.trust.profile import discounted_spends

    np.testing.assert_allclose(discounted_spends([profile, None, profile], factors), [by_hand, 0.0, by_hand], rtol=1e-13)
