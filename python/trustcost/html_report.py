"""A self-contained HTML report of a comparison: a file an analyst can mail.

One HTML file with everything inline: the settings, the summary and by-category tables, the
charts as inline SVG, the Monte Carlo results when given, the definition of every measure and the
inputs (the scenario itself). No script, no stylesheet or image to fetch: it opens the same from
a mail attachment, a shared drive or a browser without network access.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import re
from pathlib import Path

import pandas as pd

from . import _plotting
from ._display import MEASURES, frame_html as _frame_html, unit_label
from ._version import __version__
from .lcc.io import study_to_dict, to_toml
from .lcc.study import LccResult
from .uncertainty.results import SimulationResult

_STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 70em;
       color: #222; line-height: 1.4; padding: 0 1em; }
.table-wrap { max-width: 100%; overflow-x: auto; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.8em;
     border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
.meta { color: #555; font-size: 0.9em; }
table.trustcost-table { border-collapse: collapse; font-size: 0.9em; margin: 0.6em 0; }
table.trustcost-table th, table.trustcost-table td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
table.trustcost-table td { text-align: right; font-variant-numeric: tabular-nums; }
table.trustcost-table thead th { background: #f3f3f3; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #555; }
dl dt { font-weight: bold; margin-top: 0.4em; } dl dd { margin-left: 1.5em; }
pre { background: #f7f7f7; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
"""


def _svg(draw, figsize) -> str:
    """A chart as inline SVG markup (drawn on a figure outside pyplot)."""
    figure = _plotting.figure(figsize)
    draw(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: HTML5 takes the element itself


def _breakable(header: str) -> str:
    """A column header that may wrap after its underscores and before its unit, never mid-word:
    ``discounted_<wbr>payback <wbr>[years]``."""
    return header.replace("_", "_<wbr>").replace(" [", " <wbr>[")


def frame_html(frame: pd.DataFrame, currency) -> str:
    """A table that fits the page: headers wrap (``discounted_payback [years]``), and a table still
    too wide scrolls inside its own box instead of widening the page."""
    table = re.sub(r"<th>([^<]*)</th>", lambda m: f"<th>{_breakable(m.group(1))}</th>", _frame_html(frame, currency))
    return f'<div class="table-wrap">{table}</div>'


def _chart(chart_id: str, caption: str, draw, figsize=(8, 4.5)) -> str:
    return (f'<figure class="chart" id="{chart_id}">{_svg(draw, figsize)}'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _definitions(columns, currency) -> str:
    items = []
    seen = set()
    for column in columns:
        key = "pv_<category>" if str(column).startswith("pv_") else str(column)
        if key in MEASURES and key not in seen:
            seen.add(key)
            kind, text = MEASURES[key]
            unit = unit_label(kind, currency, percent=True)  # the unit the tables above show
            items.append(f"<dt>{html.escape(key)}{f' [{html.escape(unit)}]' if unit else ''}</dt>"
                         f"<dd>{html.escape(text)}</dd>")
    return "<dl>" + "".join(items) + "</dl>"


def report(result: LccResult, path: str | Path | None = None, *, simulation: SimulationResult | None = None,
           baseline: str | None = None, title: str | None = None, source: str | Path | None = None) -> str:
    """A self-contained HTML report of a lifetime-cost comparison.

    Parameters
    ----------
    result : LccResult
        From :meth:`Study.evaluate`.
    path : str or Path, optional
        Where to write the file (UTF-8); the HTML is returned either way.
    simulation : SimulationResult, optional
        From :func:`trustcost.simulate` on the same study: adds its percentiles, the chance of
        each offer being the cheapest, the paired differences and the distribution chart.
    baseline : str, optional
        Offer the savings measures are taken against (default: the study's, else the cheapest).
    title : str, optional
        Heading of the report.
    source : str or Path, optional
        The scenario file the study came from (its name is shown; its text is the inputs section).
        Without it the inputs are the study written back as TOML.

    Returns
    -------
    str
        The HTML document. Needs matplotlib for the charts (``pip install trustcost[plot]``).
    """
    if not isinstance(result, LccResult):
        raise TypeError(f"result must be an LccResult (from Study.evaluate()), got {type(result).__name__}")
    if simulation is not None and not isinstance(simulation, SimulationResult):
        raise TypeError(f"simulation must be a SimulationResult (from trustcost.simulate), got "
                        f"{type(simulation).__name__}")
    study, currency = result.study, result.currency
    if simulation is not None and sorted(simulation.offers) != sorted(result.present_value.index):
        raise ValueError(f"simulation must be of the same offers {list(result.present_value.index)}, "
                         f"got {simulation.offers}")
    for name, value in (("baseline", baseline), ("title", title)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be a str or None, got {type(value).__name__} {value!r}")
    # One baseline for every comparison in the report: the savings measures and the paired
    # differences are both taken against it, and the settings say which offer it is and why.
    why = ("chosen for this report" if baseline else "the study's baseline" if study.baseline
           else "the cheapest to own")
    baseline = baseline or study.baseline or result.ranking[0]
    summary = result.summary.join(result.compare(baseline))
    name = Path(source).name if source is not None else None
    title = title or f"Lifetime cost of ownership{f': {name}' if name else ''}"
    money = currency or "money"
    settings = pd.DataFrame({"value": {
        "offers": ", ".join(result.ranking), "horizon": f"{study.horizon} years",
        "real discount rate": f"{study.discount_rate:.2%} per year", "timing of yearly costs": study.timing,
        "general inflation": f"{study.inflation:.2%} per year", "currency": money,
        "baseline": f"{baseline} ({why}): net savings, SIR, AIRR, payback and the paired differences "
                    f"are measured against it"}})

    parts = [f"<h1>{html.escape(title)}</h1>",
             f'<p class="meta">trustcost {html.escape(__version__)}, '
             f"{_dt.date.today().isoformat()}. Amounts in {html.escape(money)}, real money of year 0, "
             f"discounted to year 0.</p>",
             "<h2>Settings</h2>", settings.to_html(classes="trustcost-table", escape=True),
             "<h2>Summary</h2>",
             f"<p>Cheapest to own: <b>{html.escape(result.ranking[0])}</b> "
             f"(present value {_plotting.money_text(result.present_value.min())} {html.escape(money)}).</p>",
             frame_html(summary, currency),
             "<h2>Present value by cost category</h2>",
             frame_html(result.by_category.loc[result.ranking].T, currency),
             _chart("chart-breakdown", "Present value by cost category; credits (resale value) below zero, the "
                    "diamond is each offer's net total.", lambda f: result.plot_breakdown(ax=f.add_subplot())),
             _chart("chart-cumulative", "Cumulative discounted cost by year: where lines cross, the cheaper offer "
                    "to buy stops being the cheaper to own.", lambda f: result.plot_cumulative(ax=f.add_subplot()))]
    columns = list(summary.columns)
    if simulation is not None:
        sim = simulation.summary
        columns += list(sim.columns)
        parts += ["<h2>Monte Carlo simulation</h2>",
                  f"<p>{simulation.paths:,} simulated lives (seed {simulation.seed}): failures and supplier "
                  "defaults drawn as events, uncertain inputs sampled.</p>",
                  frame_html(sim, currency),
                  f"<p>Paired differences against the baseline, {html.escape(baseline)} (both offers on the "
                  "same draws; negative: cheaper than the baseline)</p>",
                  frame_html(simulation.differences(baseline), currency),
                  _chart("chart-cdf", "Distribution of the lifetime cost: the further left, the cheaper.",
                         lambda f: simulation.plot_cdf(ax=f.add_subplot()))]
    source_text = Path(source).read_text(encoding="utf-8") if source is not None else to_toml(study_to_dict(study))
    parts += ["<h2>Measures</h2>", _definitions(columns, currency),
              "<h2>Inputs</h2>", f"<p>The scenario{f' ({html.escape(name)})' if name else ''}:</p>",
              f"<pre>{html.escape(source_text)}</pre>"]
    document = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
                + "\n".join(parts) + "\n</body>\n</html>\n")
    if path is not None:
        Path(path).write_text(document, encoding="utf-8")
    return document


__all__ = ["report"]
