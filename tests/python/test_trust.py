"""Trust-adjusted total cost: calibration to Dyer & Chu (2003) / Dyer (1997), beta-reputation
dynamics (Jøsang & Ismail 2002), promise ledger and sourcing comparison."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import trustcost as tc
from trustcost.trust import EVENT_KINDS, LINES
from trustcost.trust.sourcing import break_even_years, trust_paths

# ----------------------------------------------------------------------------- cost model


def test_the_reputation_is_a_bound_struct_validated_in_cpp():
    rep = tc._core.Reputation(baseline=0.4, half_life=2.0)
    assert (rep.baseline, rep.prior_weight, rep.half_life) == (0.4, 2.0, 2.0)
    np.testing.assert_array_equal(rep.weights, [1.0, 3.0, 1.0, 3.0, 0.1])
    with pytest.raises(ValueError, match="weights must have one value per event kind \\(5\\), got 2"):
        rep.weights = [1.0, 2.0]
    with pytest.raises(ValueError, match="baseline"):
        rep.baseline = 1.5
    assert rep.baseline == 0.4
    dynamics = tc.TrustDynamics(baseline=0.4, half_life=2.0)
    assert tc._core.trust_start(rep, 0.4, 2.0) == tc._core.trust_start(dynamics._reputation(), 0.4, 2.0)


def test_event_kinds_and_lines_come_from_the_engine():
    # Python names them from _core's enums (one owner per fact), in the engine's order.
    assert EVENT_KINDS == tuple(k.name.lower() for k in tc._core.TrustEvent.__members__.values())
    assert [int(tc._core.TrustEvent.__members__[k.upper()]) for k in EVENT_KINDS] == list(range(len(EVENT_KINDS)))
    assert LINES == tuple(k.name.lower() for k in tc._core.TrustLine.__members__.values())
    assert LINES[-1] == "information_sharing" and "promise_broken" in EVENT_KINDS


def test_calibration_reproduces_published_ratios():
    frame = tc.TransactionCostModel().costs([0.0, 1.0], spend=2e6)
    low, high = frame.loc[0.0], frame.loc[1.0]
    # Dyer & Chu 2003: 47% of face-to-face time at the least trusted, about half that at the most.
    assert low["transaction"] == pytest.approx(400 * 90 * 0.47)
    assert low["transaction"] / high["transaction"] == pytest.approx(2.0)
    # Procurement costs up to five times higher at the least trusted.
    assert low["procurement"] / high["procurement"] == pytest.approx(5.0)
    # The most trusted buyers did not inspect suppliers' materials.
    assert high["inspection"] == 0.0
    table = tc.TransactionCostModel().calibration()
    np.testing.assert_allclose(table["model"].to_numpy(float), table["published"].to_numpy(float))


def test_more_trust_never_raises_cost_with_defaults():
    frame = tc.TransactionCostModel().costs(np.linspace(0, 1, 201), spend=5e5)
    for column in [*LINES, "total"]:
        assert (np.diff(frame[column].to_numpy()) <= 1e-9).all(), column


def test_linear_interpolation_and_curvature_match_the_formula():
    model = tc.TransactionCostModel(curvature=0.5, disputes_per_year=(6.0, 2.0), cost_per_dispute=1000.0)
    tau = np.array([0.0, 0.25, 0.64, 1.0])
    got = model.costs(tau)["disputes"].to_numpy()
    np.testing.assert_allclose(got, 1000.0 * (6.0 + (2.0 - 6.0) * np.sqrt(tau)))
    linear = tc.TransactionCostModel().costs([0.5])["transaction"].iloc[0]
    assert linear == pytest.approx(200 * 90 * (0.47 + 0.235) / 2)  # 200 hours per million, spend 1e6


def test_every_coefficient_can_be_overridden():
    model = tc.TransactionCostModel().with_(interaction_hours=1000, hourly_cost=50, information_sharing=(0.01, 0.03))
    row = model.costs([1.0], spend=1e6).iloc[0]
    assert row["transaction"] == pytest.approx(1000 * 50 * 0.235)
    assert row["information_sharing"] == pytest.approx(-0.03 * 1e6)


def test_relationship_costs_present_value_is_the_npv_of_each_line():
    trust = np.array([[0.1, 0.2, 0.4, 0.6], [0.9, 0.9, 0.8, 0.95]])
    spend = np.array([0.0, 1e6, 1.05e6, 1.1e6])
    result = tc.relationship_costs(trust, spend, discount_rate=0.07, names=["bidding", "partner"])
    model = tc.TransactionCostModel()
    for name, row in zip(["bidding", "partner"], trust):
        yearly = np.stack([model.costs([t], spend=s).iloc[0][list(LINES)].to_numpy() for t, s in zip(row, spend)])
        np.testing.assert_allclose(result.costs.loc[name, list(LINES)].to_numpy(), yearly)
        for k, line in enumerate(LINES):
            assert result.by_line.loc[name, line] == pytest.approx(tc.npv(0.07, yearly[:, k]))
    assert "mean_trust" in result.summary.columns
    later = tc.relationship_costs(trust[:, 1:], spend[1:], discount_rate=0.07, first_year=1, names=["bidding", "partner"])
    for k, line in enumerate(LINES):  # service years 1..3 discounted as years 1..3
        assert later.by_line.loc["partner", line] == pytest.approx(
            result.by_line.loc["partner", line] - result.costs.loc[("partner", 0), line])
    assert "<table" in result._repr_html_()
    result.plot_lines("partner")


# ----------------------------------------------------------------------------- dynamics


def _one(kind, dynamics, initial_weight):
    events = pd.DataFrame({"time": [1.0], "kind": [kind]})
    return tc.simulate_trust(events, dynamics=dynamics, initial_trust=0.5, initial_weight=initial_weight).events["trust"].iloc[0]


@pytest.mark.parametrize("evidence", [0.0, 10.0, 1e4])
def test_broken_promise_costs_more_than_kept_one_gains_by_the_ratio(evidence):
    dynamics = tc.TrustDynamics(half_life=math.inf, gain=1.0, loss_ratio=3.0)
    gain = _one("promise_kept", dynamics, evidence) - 0.5
    loss = 0.5 - _one("promise_broken", dynamics, evidence)
    n = evidence + dynamics.prior_weight
    # From tau = a = 1/2: gain = w+ / 2 / (N + w+), loss = w- / 2 / (N + w-) (closed form).
    assert gain == pytest.approx(0.5 / (n + 1))
    assert loss == pytest.approx(1.5 / (n + 3))
    assert loss > gain
    assert loss / gain == pytest.approx(3.0 * (n + 1) / (n + 3))
    if evidence > 1e3:  # the marginal ratio is the configured one
        assert loss / gain == pytest.approx(3.0, rel=1e-3)


def test_trust_decays_toward_the_baseline_without_contact():
    dynamics = tc.TrustDynamics(baseline=0.3, half_life=2.0)
    path = tc.simulate_trust(rates={}, horizon=40, dynamics=dynamics, initial_trust=0.9, initial_weight=20,
                             expected=True).trust[0].to_numpy()
    gap = path - 0.3
    assert gap[0] == pytest.approx(0.6)
    assert (np.diff(gap) < 0).all() and (gap > 0).all()
    assert gap[-1] == pytest.approx(0.0, abs=1e-4)
    # After one half-life the evidence is halved: tau = (r / 2 + W a) / (20 / 2 + W).
    r0, _ = dynamics.start(0.9, 20)
    assert path[24] == pytest.approx((r0 / 2 + 2 * 0.3) / (10 + 2))


def test_contact_slows_the_decay():
    dynamics = tc.TrustDynamics(half_life=1.0)
    quiet = tc.simulate_trust(rates={}, horizon=3, dynamics=dynamics, initial_trust=0.8, initial_weight=10, expected=True)
    visited = tc.simulate_trust(rates={"contact": 24}, horizon=3, dynamics=dynamics, initial_trust=0.8,
                                initial_weight=10, expected=True)
    assert visited.trust[0].iloc[-1] > quiet.trust[0].iloc[-1]


def test_rate_paths_are_reproducible_and_match_an_equivalent_event_log():
    rates = {"promise_kept": 8, "promise_broken": 1, "contact": 12}
    a = tc.simulate_trust(rates=rates, horizon=3, paths=20, seed=7)
    b = tc.simulate_trust(rates=rates, horizon=3, paths=20, seed=7)
    pd.testing.assert_frame_equal(a.trust, b.trust)
    assert not a.trust.equals(tc.simulate_trust(rates=rates, horizon=3, paths=20, seed=8).trust)
    # Expected counts in monthly steps equal an event log with those (fractional) strengths.
    expected = tc.simulate_trust(rates=rates, horizon=1, expected=True)
    times = np.repeat(np.arange(1, 13) / 12, 3)
    kinds = ["promise_kept", "promise_broken", "contact"] * 12
    strength = np.tile([8 / 12, 1 / 12, 1.0], 12)
    log = tc.simulate_trust(pd.DataFrame({"time": times, "kind": kinds, "strength": strength}), horizon=1)
    np.testing.assert_allclose(log.trust["trust"].to_numpy(), expected.trust[0].to_numpy())


def test_rate_paths_use_trustcosts_streams_whatever_the_thread_count_and_path_count():
    rates = {"promise_kept": 8, "promise_broken": 1, "contact": 12}
    before = tc.get_num_threads()
    try:
        tc.set_num_threads(1)
        one = tc.simulate_trust(rates=rates, horizon=2, paths=300, seed=3)
        tc.set_num_threads(2)
        two = tc.simulate_trust(rates=rates, horizon=2, paths=300, seed=3)
    finally:
        tc.set_num_threads(before)
    pd.testing.assert_frame_equal(one.trust, two.trust, check_exact=True)
    few = tc.simulate_trust(rates=rates, horizon=2, paths=7, seed=3)  # the first paths of a bigger run
    pd.testing.assert_frame_equal(few.trust, one.trust.iloc[:, :7], check_exact=True)


def test_random_counts_give_the_exact_expected_trust():
    """One step of a year with promises kept at rate 6: trust after it is f(N), N ~ Poisson(6), and
    f(n) is the replay of one event of strength n. The Monte Carlo mean over paths matches
    E[f(N)] = sum_n P(N = n) f(n) (Poisson pmf from scipy) within 5 standard errors."""
    from scipy import stats

    rate, paths = 6.0, 20_000
    mc = tc.simulate_trust(rates={"promise_kept": rate}, horizon=1, step=1.0, paths=paths, seed=11).trust.iloc[-1]
    n = np.arange(60)
    f = np.array([tc.simulate_trust(pd.DataFrame({"time": [1.0], "kind": ["promise_kept"], "strength": [float(k)]}),
                                    horizon=1, step=1.0).trust["trust"].iloc[-1] for k in n])
    exact = float(np.sum(stats.poisson.pmf(n, rate) * f))
    assert abs(mc.mean() - exact) <= 5 * mc.std(ddof=1) / np.sqrt(paths)
    # and the spread is the one of f(N): the same variance within 10%.
    variance = float(np.sum(stats.poisson.pmf(n, rate) * (f - exact) ** 2))
    assert mc.var(ddof=1) == pytest.approx(variance, rel=0.1)


def test_event_counts_are_poisson_and_independent_between_kinds():
    rates = np.array([8.0, 1.0, 0.0, 3.0, 12.0])
    counts = tc._core.trust_event_counts(rates, 2_000, 24, 1 / 12, 4)
    flat = counts.reshape(-1, 5)
    lam, n = rates / 12, len(flat)
    assert np.all(np.abs(flat.mean(axis=0) - lam) <= 5 * np.sqrt(lam / n))
    assert np.all(np.abs(flat.var(axis=0) - lam) <= 5 * np.sqrt((2 * lam**2 + lam) / n))  # dispersion 1
    assert (flat[:, 2] == 0).all() and np.all(flat == np.round(flat))
    corr = np.corrcoef(flat[:, [0, 1, 3, 4]].T)[np.triu_indices(4, 1)]
    assert np.all(np.abs(corr) < 5 / np.sqrt(n))
    with pytest.raises(ValueError, match="rates must have one value per event kind"):
        tc._core.trust_event_counts(rates[:3], 2, 2, 0.5, 1)


def test_yearly_trust_is_the_mean_over_each_year():
    events = pd.DataFrame({"time": [0.5, 1.5], "kind": ["promise_kept", "promise_broken"]})
    trajectory = tc.simulate_trust(events, horizon=2)
    yearly = trajectory.yearly()
    months = (np.arange(12) + 0.5) / 12
    assert yearly[0] == pytest.approx(0.5)
    assert yearly[1] == pytest.approx(trajectory.at(months).mean())
    assert yearly[2] == pytest.approx(trajectory.at(1 + months).mean())
    # The trajectory drives per-year relationship costs.
    costs = tc.relationship_costs(yearly, 1e6)
    np.testing.assert_allclose(costs.trust.to_numpy()[0], yearly)


def test_datetime_event_logs_count_years_from_the_start_date():
    events = pd.DataFrame({"time": pd.to_datetime(["2024-01-01", "2024-07-01", "2025-01-01"]),
                           "kind": ["contact", "promise_kept", "promise_kept"]})
    numeric = events.assign(time=[0.0, 182 / 365.25, 366 / 365.25])
    a, b = tc.simulate_trust(events), tc.simulate_trust(numeric)
    np.testing.assert_allclose(a.events["trust"], b.events["trust"])
    assert a.origin == pd.Timestamp("2024-01-01")


def test_trajectory_summary_and_plot():
    trajectory = tc.simulate_trust(rates={"promise_kept": 4}, horizon=2, paths=5, seed=1)
    assert trajectory.summary.shape == (5, 5)
    assert trajectory.yearly().shape == (5, 3)
    trajectory.plot()
    assert "<table" in trajectory._repr_html_()


# ----------------------------------------------------------------------------- ledger


def _ledger():
    return pd.DataFrame({
        "promise": ["delivery_date", "delivery_date", "uptime", "response_time", "uptime"],
        "promised_by": ["sales", "sales", "sales", "key_account", "key_account"],
        "delivered_by": ["logistics", "logistics", "service", "service", "service"],
        "promised": [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01"), 0.99, 4.0, 0.97],
        "delivered": [pd.Timestamp("2024-02-27"), pd.Timestamp("2024-04-09"), 0.985, 3.5, 0.975],
        "time": [0.2, 0.3, 1.0, 0.5, 1.0],
    })


def test_promise_ledger_checks_each_promise_and_tallies_by_promiser_and_deliverer():
    ledger = tc.PromiseLedger(_ledger())  # dates and numbers mixed in one ledger
    # 2024 is a leap year: 27 Feb is 3 days before 1 Mar; 9 Apr is 8 days after 1 Apr.
    np.testing.assert_allclose(ledger.checked["margin"], [3.0, -8.0, -0.005, 0.5, 0.005])
    assert ledger.checked["kept"].tolist() == [True, False, False, True, True]
    numbers = tc.PromiseLedger(_ledger().iloc[2:].astype({"promised": float, "delivered": float}))
    assert numbers.checked["kept"].tolist() == [False, True, True]
    summary = numbers.summary
    assert summary.loc[("key_account", "service"), "kept"] == 2
    assert summary.loc[("sales", "service"), "broken"] == 1
    assert ledger.summary.loc[("sales", "logistics"), "kept_share"] == 0.5
    assert numbers.by_kind().loc["uptime", "promises"] == 2
    events = numbers.to_events()
    assert events["kind"].tolist() == ["promise_kept", "promise_broken", "promise_kept"]
    trajectory = tc.simulate_trust(events)
    assert len(trajectory.events) == 3
    numbers.plot()
    assert "<table" in numbers._repr_html_()


def test_ledger_tolerance_and_undelivered_promises():
    frame = pd.DataFrame({"promise": ["response_time"] * 3, "promised_by": ["sales"] * 3,
                          "delivered_by": ["service"] * 3, "promised": [4.0, 4.0, 4.0],
                          "delivered": [4.5, 4.5, np.nan], "time": [1.0, 2.0, 3.0], "tolerance": [1.0, 0.0, 1.0]})
    assert tc.PromiseLedger(frame).checked["kept"].tolist() == [True, False, False]


# ----------------------------------------------------------------------------- sourcing

AGGRESSIVE = dict(annual_spend=1_000_000, trust=0.15)
PARTNERSHIP = dict(annual_spend=1_010_000, trust=0.4, trust_target=0.9, trust_speed=0.35, setup_cost=60_000)


def _direct_costs(spend, setup, tau, model, horizon):
    """Year-by-year cost from the published formulas, computed here without the C++ engine."""
    share, proc, insp, info = (model.transactional_share, model.procurement_cost, model.inspection_rate,
                               model.information_sharing)
    # The defaults state hours, lots and disputes per million of spend.
    hours, lots = (model.interaction_hours_per_million * spend / 1e6, model.lots_per_million * spend / 1e6)
    disp = tuple(d * spend / 1e6 for d in model.disputes_per_million)
    lerp = lambda pair, t: pair[0] + (pair[1] - pair[0]) * t  # noqa: E731
    costs = [setup]
    for y in range(1, horizon + 1):
        t = tau[y]
        costs.append(spend + hours * model.hourly_cost * lerp(share, t) + spend * lerp(proc, t)
                     + lots * model.cost_per_lot * lerp(insp, t) + model.cost_per_dispute * lerp(disp, t)
                     - spend * lerp(info, t))
    return np.array(costs)


def test_break_even_year_matches_a_direct_computation():
    result = tc.compare_sourcing(AGGRESSIVE, PARTNERSHIP, horizon=12, discount_rate=0.06)
    model = tc.TransactionCostModel()
    tau_a = [0.15] * 13
    tau_p = [0.9 - (0.9 - 0.4) * 0.65 ** y for y in range(13)]
    a = _direct_costs(1_000_000, 0.0, tau_a, model, 12)
    p = _direct_costs(PARTNERSHIP["annual_spend"], 60_000, tau_p, model, 12)
    factors = 1.06 ** -np.arange(13)
    np.testing.assert_allclose(result.present_value["total"].to_numpy(), [a @ factors, p @ factors])
    cumulative_a, cumulative_p = np.cumsum(a * factors), np.cumsum(p * factors)
    expected = next(y for y in range(13) if all(cumulative_p[k] <= cumulative_a[k] for k in range(y, 13)))
    assert result.break_even_year == expected
    assert 0 < expected < 12
    assert cumulative_p[expected - 1] > cumulative_a[expected - 1]


def test_break_even_definition():
    gaps = np.array([[-5.0, -1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0], [-1.0, 1.0, -1.0, 1.0], [-1.0, -2.0, -3.0, -1.0]])
    np.testing.assert_array_equal(break_even_years(gaps), [2.0, 0.0, 3.0, np.nan])


def test_monte_carlo_is_seeded_and_consistent_with_its_draws():
    partnership = dict(PARTNERSHIP, trust_target=tc.Beta(9, 2), trust_speed=tc.Uniform(0.1, 0.5))
    a = tc.compare_sourcing(AGGRESSIVE, partnership, horizon=10, draws=500, seed=3)
    b = tc.compare_sourcing(AGGRESSIVE, partnership, horizon=10, draws=500, seed=3)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    draws = a.draws
    assert a.probability_partnership_cheaper == pytest.approx((draws["partnership"] < draws["aggressive"]).mean())
    assert 0 < a.probability_partnership_cheaper < 1
    # A draw is cheaper over the horizon exactly when it has broken even by the horizon.
    np.testing.assert_array_equal(draws["break_even_year"].notna(), draws["partnership"] <= draws["aggressive"])
    # Recompute one draw directly from its sampled parameters.
    target = tc.Beta(9, 2).sample(500, seed=3, stream="partnership.trust_target")[17]
    speed = tc.Uniform(0.1, 0.5).sample(500, seed=3, stream="partnership.trust_speed")[17]
    tau = trust_paths(0.4, target, speed, 10)[0]
    p = _direct_costs(PARTNERSHIP["annual_spend"], 60_000, tau, tc.TransactionCostModel(), 10)
    assert draws["partnership"].iloc[17] == pytest.approx(p @ 1.05 ** -np.arange(11))
    summary = a.break_even
    assert summary["break_even_year_p10"] <= summary["break_even_year_p50"] <= summary["break_even_year_p90"]
    table = a.summary
    assert table.loc["partnership", "lifetime_cost_mean"] == pytest.approx(draws["partnership"].mean())
    assert table.loc["partnership", "lifetime_cost_p10"] <= table.loc["partnership", "lifetime_cost_p90"]
    a.plot()
    assert "<table" in a._repr_html_()


def test_sourcing_summary_splits_lifetime_cost():
    result = tc.compare_sourcing(AGGRESSIVE, PARTNERSHIP, horizon=8)
    s = result.summary
    np.testing.assert_allclose(s["purchases"] + s["relationship_costs"] + s["information_sharing"], s["lifetime_cost"])
    assert result.draws is None
    assert s.loc["partnership", "mean_trust"] > s.loc["aggressive", "mean_trust"]
    np.testing.assert_allclose(result.trust["partnership"], [0.9 - 0.5 * 0.65 ** y for y in range(9)])
    assert s.loc["partnership", "mean_trust"] == pytest.approx(result.trust["partnership"].iloc[1:].mean())


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("trust", [-0.1, 1.5, np.nan])
def test_trust_outside_unit_interval(trust):
    with pytest.raises(ValueError, match="trust"):
        tc.TransactionCostModel().costs([0.5, trust])
    with pytest.raises(ValueError, match=r"trust\[0, 1\] must be in \[0, 1\]"):
        tc.relationship_costs([[0.5, trust]], 1.0)


@pytest.mark.parametrize("field, value, match", [
    ("interaction_hours", -1.0, "interaction_hours must be >= 0"),
    ("interaction_hours_per_million", -1.0, "interaction_hours_per_million must be >= 0"),
    ("lots_per_million", -2.0, "lots_per_million must be >= 0"),
    ("disputes_per_million", (1.0, -0.5), "disputes_per_million high-trust anchor must be >= 0"),
    ("hourly_cost", -5.0, "hourly_cost must be >= 0"),
    ("cost_per_lot", -1.0, "cost_per_lot must be >= 0"),
    ("cost_per_dispute", -1.0, "cost_per_dispute must be >= 0"),
    ("transactional_share", (0.47, 1.2), "transactional_share high-trust anchor must be in"),
    ("procurement_cost", (-0.1, 0.0), "procurement_cost low-trust anchor must be >= 0"),
    ("curvature", 0.0, "curvature must be > 0"),
])
def test_negative_hours_or_costs_name_the_field(field, value, match):
    with pytest.raises(ValueError, match=match):
        tc.TransactionCostModel(**{field: value})


def test_negative_spend_names_the_cell():
    with pytest.raises(ValueError, match=r"spend\[0, 2\] must be >= 0"):
        tc.relationship_costs([[0.5, 0.5, 0.5]], [1.0, 1.0, -1.0])
    with pytest.raises(ValueError, match="aggressive.annual_spend must be >= 0"):
        tc.compare_sourcing(dict(annual_spend=-1, trust=0.2), PARTNERSHIP)


def test_events_out_of_time_order_name_the_row():
    events = pd.DataFrame({"time": [0.0, 2.0, 1.0], "kind": ["contact"] * 3})
    with pytest.raises(ValueError, match=r"'time' \(row 2\): events out of time order"):
        tc.simulate_trust(events)


def test_unknown_event_kind_names_the_row():
    events = pd.DataFrame({"time": [0.0, 1.0], "kind": ["contact", "bribe"]})
    with pytest.raises(ValueError, match=r"'kind' \(row 1\): unknown event kind 'bribe'"):
        tc.simulate_trust(events)
    with pytest.raises(ValueError, match="rates: unknown event kind 'gift'"):
        tc.simulate_trust(rates={"gift": 1}, horizon=1)


def test_other_bad_dynamics_inputs():
    with pytest.raises(ValueError, match="missing column"):
        tc.simulate_trust(pd.DataFrame({"t": [1.0], "kind": ["contact"]}))
    with pytest.raises(ValueError, match="strength' \\(row 0\\) must be >= 0"):
        tc.simulate_trust(pd.DataFrame({"time": [1.0], "kind": ["contact"], "strength": [-1.0]}))
    with pytest.raises(ValueError, match="initial_trust must be in"):
        tc.simulate_trust(rates={}, horizon=1, initial_trust=0.99, initial_weight=1.0)
    with pytest.raises(ValueError, match="initial_trust must be in \\[0, 1\\]"):
        tc.simulate_trust(rates={}, horizon=1, initial_trust=1.3)
    with pytest.raises(ValueError, match="baseline must be in"):
        tc.TrustDynamics(baseline=-0.2)
    with pytest.raises(ValueError, match="loss_ratio must be >= 0"):
        tc.TrustDynamics(loss_ratio=-1)
    with pytest.raises(ValueError, match="either events"):
        tc.simulate_trust()


def test_bad_sourcing_and_ledger_inputs():
    with pytest.raises(ValueError, match="partnership.trust_target must lie in \\[0, 1\\]"):
        tc.compare_sourcing(AGGRESSIVE, dict(PARTNERSHIP, trust_target=tc.Normal(0.9, 0.1)))
    with pytest.raises(ValueError, match="partnership.trust must lie in"):
        tc.compare_sourcing(AGGRESSIVE, dict(PARTNERSHIP, trust=1.4))
    with pytest.raises(ValueError, match="unknown field"):
        tc.compare_sourcing(AGGRESSIVE, dict(PARTNERSHIP, price=3))
    frame = _ledger().iloc[2:].astype({"promised": float, "delivered": float}).assign(promise="warranty")
    with pytest.raises(ValueError, match="promises row 0: promise kind 'warranty' has no default direction"):
        tc.PromiseLedger(frame)


def test_event_kinds_match_the_engine_order():
    assert EVENT_KINDS == ("promise_kept", "promise_broken", "complaint_resolved", "complaint_ignored", "contact")


def test_relationship_names_come_from_a_dataframe_index_and_models_can_differ():
    trust = pd.DataFrame([[0.2, 0.4], [0.8, 0.9]], index=["bidder", "partner"])
    models = [tc.TransactionCostModel(), tc.TransactionCostModel(hourly_cost=200.0)]
    result = tc.relationship_costs(trust, 1e6, model=models)
    assert list(result.by_line.index) == ["bidder", "partner"]
    # 200 hours per million of spend (the default), spend one million, 200 an hour.
    assert result.costs.loc[("partner", 0), "transaction"] == pytest.approx(200 * 200 * (0.47 - 0.235 * 0.8))
    with pytest.raises(ValueError, match="one per relationship"):
        tc.relationship_costs(trust, 1e6, model=models[:1])
    assert "Transaction-cost model" in tc.TransactionCostModel()._repr_html_()
