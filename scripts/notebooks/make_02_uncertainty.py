"""Writes notebooks/02_uncertainty.ipynb (sources only; the test command executes it)."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell("""# How sure are we that the offer is cheaper? Monte Carlo lifetime cost

The expected-value comparison (notebook 01) says which offer is cheapest *on average*. A decision maker
asks more: how likely is it that the cheaper-looking offer really is cheaper, how bad can it get, and
which assumption drives the answer? This notebook makes the inputs of the three-vendor scenario uncertain
and simulates the lives of the machines:

1. uncertain inputs as distributions (three-point estimates, lognormal repair costs, an uncertain failure rate);
2. `tc.simulate(study, ...)`: failures and supplier defaults drawn as events on each path;
3. the chance each offer is cheapest, and the distribution of the difference;
4. why paired sampling (common random numbers) matters;
5. what drives the result: tornado and rank-correlation importance;
6. reproducibility and speed."""),
    new_code_cell("""import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

import trustcost as tc
from trustcost import datasets

base = tc.load_study(datasets.path("three_vendors.toml"))
base.evaluate()  # the result shows its tables with money rounded and thousands separators"""),
    new_markdown_cell("""## 1. Uncertain inputs

Any number in a cost element can be a distribution. Here the energy price, the service contracts, the cost
and downtime of a breakdown, the resale value, the supplier's chance of failing and Cobalt's failure rate
become uncertain. An analyst's *minimum / most likely / maximum* is a `PERT` or `Triangular`; a repair bill
is right-skewed, so a `LogNormal` from its median and the value exceeded one time in ten (p90); a
probability is a `Beta`. Cobalt's breakdowns come at random (an exponential life), but nobody knows its
mean time between failures well: an uncertain `mtbf` is an uncertain failure rate, drawn once per
simulated life."""),
    new_code_cell("""def uncertain(element):
    \"\"\"The same element with its main numbers made uncertain.\"\"\"
    name = type(element).__name__
    if name == "UsageBased":
        return tc.UsageBased(element.name, units_per_year=element.units_per_year,
                             cost_per_unit=tc.PERT(0.12, element.cost_per_unit, 0.26), escalation=element.escalation)
    if name == "Recurring":
        a = element.amount
        return tc.Recurring(element.name, tc.Triangular(0.9 * a, a, 1.3 * a), category=element.category,
                            nominal=element.nominal, start=element.start, end=element.end, escalation=element.escalation)
    if name == "Failures":
        c = element.cost_per_failure
        life = element.life
        if isinstance(life, tc.Exponential):  # an uncertain failure rate: 0.7 to 2 years between failures
            life = tc.Exponential(mtbf=tc.PERT(0.7, life.mtbf, 2.0))
        return tc.Failures(element.name, life=life, cost_per_failure=tc.LogNormal(median=c, p90=2.5 * c),
                           downtime_hours=tc.PERT(0.5 * element.downtime_hours, element.downtime_hours,
                                                  3 * element.downtime_hours),
                           downtime_cost_per_hour=element.downtime_cost_per_hour,
                           preventive_interval=element.preventive_interval, preventive_cost=element.preventive_cost)
    if name == "Residual":
        return tc.Residual(element.name, value=tc.Uniform(0.5 * element.value, 1.2 * element.value))
    return element


def supplier(s):
    p = s.annual_default_probability
    # A Beta with mean p and the weight of about 50 years of evidence.
    return tc.Supplier(annual_default_probability=tc.Beta(50 * p, 50 * (1 - p)), switching_cost=s.switching_cost,
                       support_premium=s.support_premium)


study = base.with_offers([tc.Offer(o.name, [uncertain(e) for e in o.costs], supplier=supplier(o.supplier))
                          for o in base.offers])
study.offer("Cobalt").element("spindle and drive failures")  # an uncertain cost and failure rate"""),
    new_markdown_cell("""The expected-value model still works on the uncertain study: it uses each input's mean."""),
    new_code_cell("study.evaluate().summary"),
    new_markdown_cell("""## 2. Simulate

On every path each uncertain input is drawn once, each machine's breakdowns are drawn as events of its
renewal process (a Weibull life, renewed at each failure and at each preventive overhaul), and each
supplier's default is drawn as an event. 100,000 lives of three machines take well under a second."""),
    new_code_cell("""result = tc.simulate(study, paths=100_000, seed=2026)
result"""),
    new_markdown_cell("""The Monte Carlo mean agrees with the expected-value LCC within a few standard errors where inputs enter
linearly; where they enter non-linearly (a default *probability* that is itself uncertain) the two differ
by Jensen's inequality, and the simulation is the one to trust."""),
    new_code_cell("result.summary[['expected_lcc', 'mean', 'std_error', 'p5', 'p50', 'p95', 'probability_cheapest']]"),
    new_code_cell("""ax = result.plot_cdf()
# A few rare disasters (a supplier failing early) stretch the axis far to the right; show the range
# where 99.5% of every offer's lives fall, so the curves can be told apart.
ax.set_xlim(result.present_values.quantile(0.001).min() * 0.98, result.present_values.quantile(0.995).max());"""),
    new_markdown_cell("""## 3. How sure is the ranking?

`differences` gives the distribution of each offer's cost minus the best one's, path by path."""),
    new_code_cell("result.differences()"),
    new_markdown_cell("""## 4. Paired sampling

Each input's random stream is named by its element and field, so offers that share an element name
(`electricity`) see the *same* energy-price draw on each path: the comparison is not blurred by noise that
affects both offers alike. Switching pairing off leaves the averages unchanged but widens the difference."""),
    new_code_cell("""independent = tc.simulate(study, paths=100_000, seed=2026, paired=False, progress=False)
pd.DataFrame({
    "paired": result.differences().loc[:, ["mean", "std_error"]].stack(),
    "independent": independent.differences().loc[:, ["mean", "std_error"]].stack(),
})"""),
    new_markdown_cell("""## 5. What drives the lifetime cost?

The tornado moves one input at a time from its 10th to its 90th percentile (others at their means) and
re-evaluates the expected LCC — all swings in one batched evaluation. Rank correlation (Spearman) of each
sampled input with the simulated LCC measures importance with every input varying at once."""),
    new_code_cell("result.plot_tornado('Atlas');"),
    new_code_cell("result.importance.round(3).sort_values('Atlas', key=abs, ascending=False).head(8)"),
    new_markdown_cell("""**Reading this table with paired sampling.** Cobalt's resale value appears as a driver of *Atlas's*
cost. It is not one: every offer has an element named `resale value`, so their values are drawn from the
same stream on each path (that is what pairing means) and move together. Cobalt's resale value is high
exactly when Atlas's is, so it correlates with Atlas's cost as strongly as Atlas's own. The same holds for
the electricity prices. The columns of shared inputs say *which kind* of input matters, not whose.

To see each offer's own drivers, rank them on a run without pairing (the `independent` run above), where
every offer's inputs are its own, and keep each offer's inputs for its own cost:"""),
    new_code_cell("""own = pd.concat({
    offer: independent.importance[offer][independent.importance.index.str.startswith(offer + ":")]
    .sort_values(key=abs, ascending=False).head(4)
    for offer in independent.offers
})
own.rename("rank correlation with the offer's own LCC").round(3).to_frame()"""),
    new_markdown_cell("""Cobalt's uncertain failure rate (`mtbf`) now shows among its drivers: fewer years between breakdowns
mean more repairs and more downtime."""),
    new_markdown_cell("""## 6. Reproducible and fast

The same seed gives bit-identical results on any number of threads: every path is a pure function of the
seed and its index. Long runs show a progress bar after about two seconds and stop cleanly on
Ctrl-C (`KeyboardInterrupt`)."""),
    new_code_cell("""tc.set_num_threads(1)
one = tc.simulate(study, 20_000, seed=7, progress=False)
tc.set_num_threads(2)
two = tc.simulate(study, 20_000, seed=7, progress=False)
one.present_values.equals(two.present_values)"""),
]

notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
nbformat.write(notebook, Path(__file__).resolve().parents[2] / "notebooks" / "02_uncertainty.ipynb")
