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
    rel = tc.TrustProfile(trust=path, annual_spend=1.5e6, spend_escalation=0.02)
    result = _study({"partner": rel, "plain": None}).evaluate()
    # Lines of the study = the standalone batched function on the same trust path and spend.
    spend = 1.5e6 * 1.02 ** np.arange(HORIZON)
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
                     trust_profile=tc.TrustProfile(trust=0.1, annual_spend=1e6))
    trusted = tc.Offer("dearer, trusted", [tc.OneTime("price", 260_000), tc.Recurring("service", 6_000)],
                       trust_profile=tc.TrustProfile(trust=0.9, annual_spend=1e6))
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
    expected = model.interaction_hours * model.hourly_cost * (0.47 + (0.235 - 0.47) * tau[1:])
    np.testing.assert_allclose(result.costs.loc["A", "transaction"].iloc[1:].to_numpy(), expected)


def test_rate_paths_are_averaged_and_coefficients_come_from_the_interaction_profile():
    paths = tc.simulate_trust(rates={"promise_kept": 6, "contact": 12}, horizon=HORIZON, paths=30, seed=2)
    model = tc.TransactionCostModel(interaction_hours=1000, curvature=2.0)
    result = _study({"A": tc.TrustProfile(trust=paths, annual_spend=0.0, interaction=model)}).evaluate()
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
        tc.Offer("A", _costs(), trust_profile=tc.TrustProfile(trust=0.3, annual_spend=1e6, spend_escalation=0.01,
                                                             interaction=tc.TransactionCostModel(hourly_cost=120.0,
                                                                                                  disputes_per_year=(6.0, 1.0)))),
        tc.Offer("B", _costs(), trust_profile=tc.TrustProfile(trust=trajectory, annual_spend=2e6, end=5)),
        tc.Offer("C", _costs()),
    ]
    study = tc.Study(offers, horizon=HORIZON, discount_rate=0.04)
    loaded = tc.load_study(tc.save_study(study, tmp_path / f"scenario{suffix}"))
    pd.testing.assert_frame_equal(loaded.evaluate().by_category, study.evaluate().by_category)
    assert loaded.offer("A").trust_profile.interaction.disputes_per_year == (6.0, 1.0)


def test_bad_relationship_keys_in_scenarios_name_the_path():
    data = tc.study_to_dict(_study({"A": tc.TrustProfile(trust=0.5, annual_spend=1.0)}))
    data["offers"][0]["trust_profile"]["interaction"] = {"hours": 10}
    with pytest.raises(ValueError, match=r"offers\[0\] \('A'\).trust_profile.interaction: unknown key\(s\) \['hours'\]"):
        tc.study_from_dict(data)
    data["offers"][0]["trust_profile"] = {"trust": 1.5, "annual_spend": 1.0}
    with pytest.raises(ValueError, match=r"offers\[0\] \('A'\).trust_profile: trust_profile.trust must be in \[0, 1\]"):
        tc.study_from_dict(data)


def test_break_even_price_includes_the_relationship_lines():
    low = tc.Offer("low trust", [tc.OneTime("price", 200_000)], trust_profile=tc.TrustProfile(trust=0.1, annual_spend=1e6))
    high = tc.Offer("high trust", [tc.OneTime("price", 250_000)], trust_profile=tc.TrustProfile(trust=0.9, annual_spend=1e6))
    study = tc.Study([low, high], horizon=HORIZON, discount_rate=0.05)
    price = study.break_even_price("high trust", "low trust")
    result = study.evaluate()
    # The trusted offer may cost its rival's price plus the present value of the relationship savings.
    assert price == pytest.approx(200_000 + result.relationship_cost["low trust"] - result.relationship_cost["high trust"])
    tied = tc.Study([low, tc.Offer("high trust", [tc.OneTime("price", price)], trust_profile=high.trust_profile)],
                    horizon=HORIZON, discount_rate=0.05).evaluate().present_value
    assert tied["high trust"] == pytest.approx(tied["low trust"])
