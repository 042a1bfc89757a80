"""One result protocol: every result class has ``summary``, ``to_frame()``, ``_repr_html_``,
``_repr_pretty_`` and its ``plot_*``, money shows readably, and charts follow the one style."""

from __future__ import annotations

import inspect
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from IPython.lib.pretty import pretty
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import trustcost as tc
from trustcost import _plotting, datasets


def _ledger():
    return pd.DataFrame({
        "promise": ["delivery_date", "delivery_date", "uptime", "response_time"],
        "promised_by": ["sales", "sales", "sales", "key_account"],
        "delivered_by": ["logistics", "logistics", "service", "service"],
        "promised": [3.0, 4.0, 0.99, 4.0],
        "delivered": [2.0, 6.0, 0.985, 3.5],
        "time": [0.2, 0.3, 1.0, 0.5],
    })


STUDY = datasets.load_three_vendors()
AGGRESSIVE = tc.SourcingStrategy("bidding", annual_spend=2_000_000, trust=0.15)
PARTNERSHIP = tc.SourcingStrategy("partnership", annual_spend=2_020_000, trust=0.35, trust_target=0.9,
                                  trust_speed=0.3, setup_cost=150_000)

# One instance of every result class, built as a user would.
RESULTS = {
    "LccResult": lambda: STUDY.evaluate(),
    "SimulationResult": lambda: tc.simulate(STUDY, 2000, seed=1),
    "EconomicLifeResult": lambda: tc.economic_life(100_000, [5_000 * 1.3 ** k for k in range(12)],
                                                   [100_000 * 0.8 ** (k + 1) for k in range(12)], 0.06),
    "ReplacementResult": lambda: tc.optimal_replacement_interval(2.5, 4.0, 2_000, 20_000),
    "RelationshipCosts": lambda: tc.relationship_costs(np.array([[0.2] * 6, [0.8] * 6]), 1_000_000,
                                                       discount_rate=0.07, names=["bidding", "partner"]),
    "SourcingComparison": lambda: tc.compare_sourcing(AGGRESSIVE, PARTNERSHIP, horizon=10, discount_rate=0.06),
    "TrustTrajectory": lambda: tc.simulate_trust(rates={"promise_kept": 4, "promise_broken": 1}, horizon=3, paths=5,
                                                 seed=1),
    "PromiseLedger": lambda: tc.PromiseLedger(_ledger()),
}

# Public classes with a summary that are not results: fitted models (the workflow's own protocol)
# and the inputs of a computation.
NOT_RESULTS = {"BetaGeo", "ParetoNBD", "GammaGamma", "BetaGeoBetaBinom", "ModifiedBetaGeo", "ShiftedBetaGeometric",
               "BetaGeoCovariates", "ParetoNBDCovariates", "TransactionCostModel", "TrustDynamics", "SourcingStrategy",
               "Study", "Offer", "TrustProfile"}


def _public_classes():
    return {name: getattr(tc, name) for name in tc.__all__ if inspect.isclass(getattr(tc, name))}


def test_every_result_class_is_walked():
    # Fitted relationship models (trustcost.relationship) follow the fitters' protocol of their owners.
    looks_like_result = {name for name, cls in _public_classes().items()
                         if (hasattr(cls, "summary") or any(a.startswith("plot") for a in dir(cls)))
                         and not issubclass(cls, (Exception, Warning))
                         and not cls.__module__.startswith("trustcost.relationship")}
    assert looks_like_result - NOT_RESULTS - set(RESULTS) == set(), "a new result class needs an entry in RESULTS"
    for name in RESULTS:
        assert name in _public_classes()


def _plot_methods(obj):
    return [name for name in dir(type(obj)) if name == "plot" or name.startswith("plot_")]


@pytest.fixture(params=sorted(RESULTS), scope="module")
def result(request):
    return RESULTS[request.param]()


def test_summary_and_to_frame_are_frames(result):
    assert isinstance(result.summary, pd.DataFrame) and len(result.summary) > 0
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    # Tidy: plain columns, a plain index (no MultiIndex left to unpick).
    assert not isinstance(frame.columns, pd.MultiIndex) and not isinstance(frame.index, pd.MultiIndex)


def test_reprs_show_money_readably(result):
    html = result._repr_html_()
    assert html.startswith("<p><b>") and "<table" in html
    assert not re.search(r"\d\.\d+e[+-]\d", html), "money in scientific notation"
    text = pretty(result)
    assert text.splitlines()[0] == result._headline()
    assert not re.search(r"\d\.\d+e[+-]\d", text)
    # No amount of a thousand or more without a thousands separator.
    for cell in re.findall(r"<td>([^<]*)</td>", html):
        assert not re.fullmatch(r"-?\d{4,}(\.\d+)?", cell), cell


def test_plots_return_axes_and_draw(result):
    methods = _plot_methods(result)
    assert methods, f"{type(result).__name__} has no plot method"
    for name in methods:
        out = getattr(result, name)()
        axes = list(np.atleast_1d(out))
        assert all(isinstance(ax, Axes) for ax in axes)
        ax = axes[0]
        assert ax.lines or ax.patches or ax.collections, f"{name} drew nothing"
        assert ax.get_legend() is not None or len(ax.lines) <= 1, f"{name}: several series without a legend"
        matplotlib.pyplot.close(ax.figure)


def test_plots_draw_on_the_axes_given(result):
    for name in _plot_methods(result):
        figure = Figure()
        ax = figure.add_subplot()
        out = getattr(result, name)(ax=ax) if "ax" in inspect.signature(getattr(result, name)).parameters else None
        if out is not None:
            assert ax in list(np.atleast_1d(out))


def test_every_cost_category_and_line_has_its_own_colour():
    names = [*tc.CATEGORIES, *tc.trust.LINES]
    colours = _plotting.category_colors(names, tc.CATEGORIES)
    assert len(set(colours)) == len(names) == 16
    # A user category takes a colour no standard category in the chart uses.
    mixed = _plotting.category_colors(["acquisition", "residual", "my category"], tc.CATEGORIES)
    assert len(set(mixed)) == 3


def test_breakdown_marks_net_totals_and_formats_money():
    result = STUDY.evaluate()
    ax = result.plot_breakdown()
    net = [line for line in ax.lines if line.get_label() == "net total"][0]
    order = result.ranking
    np.testing.assert_allclose(net.get_ydata(), result.present_value.loc[order].to_numpy())
    assert "EUR" in ax.get_ylabel()
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert any("," in t for t in ticks), ticks
    # The legend sits outside the bars (right of the plot area).
    legend = ax.get_legend()
    assert legend.get_bbox_to_anchor().x0 >= ax.get_window_extent().x1 - 1
    matplotlib.pyplot.close(ax.figure)


def test_sourcing_chart_plots_the_difference_and_its_break_even():
    result = tc.compare_sourcing(AGGRESSIVE, PARTNERSHIP, horizon=10, discount_rate=0.06)
    ax = result.plot()[0]
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), result.cumulative["partnership"] - result.cumulative["bidding"])
    assert np.isfinite(result.break_even_year)
    # The difference changes sign at the break-even year, so the marker sits where the curve crosses.
    diff = result.difference
    assert diff.loc[int(result.break_even_year)] <= 0 < diff.loc[int(result.break_even_year) - 1]
    assert any(f"year {result.break_even_year:g}" in text for text in ax.get_legend_handles_labels()[1])
    matplotlib.pyplot.close(ax.figure)


def test_replacement_curve_is_not_flattened_by_its_spike():
    result = tc.optimal_replacement_interval(2.5, 4.0, 2_000, 20_000)
    ax = result.plot_cost_rate()
    low, high = ax.get_ylim()
    curve = ax.lines[0].get_ydata()
    assert curve.max() > high  # C(T) -> inf as T -> 0 ...
    assert high <= 2.0 * result.failure_only_cost_rate + 1e-9  # ... but the optimum stays readable
    assert result.cost_rate > low + 0.2 * (high - low)
    notes = [t.get_text() for t in ax.texts]
    assert any("as T -> 0" in t for t in notes)  # the chart says it is cut
    matplotlib.pyplot.close(ax.figure)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install trustcost\[plot\]"):
        STUDY.evaluate().plot_breakdown()
