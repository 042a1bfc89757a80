"""Writes notebooks/01_offer_comparison.ipynb (sources only; the test command executes it)."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell("""# Comparing offers by lifetime cost of ownership

A buyer choosing between suppliers of a machine pays far more than the purchase price: installation,
training, energy, service contracts, repairs, the production lost while the machine is down, the risk
that the supplier goes under and support must be bought elsewhere, and finally disposal, minus what the
machine can be sold for. **Life-cycle cost (LCC)** adds all of these up as an expected present value
(NIST Handbook 135, ASTM E917), so offers can be compared on what they cost to *own*, not to *buy*.

This notebook walks through `trustcost`'s LCC engine with the bundled three-vendor scenario:

1. load and evaluate a scenario;
2. read the cost tables and charts;
3. why breakdowns need the *renewal function*, not `years / MTBF`;
4. NIST comparison measures, break-even price and the premium a better offer can justify;
5. sensitivity to the supplier's health, evaluated as one batch;
6. when to replace: economic life and optimal preventive replacement;
7. building and saving your own scenario."""),
    new_code_cell("""import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

import trustcost as tc
from trustcost import datasets

pd.options.display.float_format = "{:,.0f}".format"""),
    new_markdown_cell("""## 1. The scenario

Three vendors bid for one CNC machining centre, to be used for 12 years. The scenario is a TOML file an
analyst can edit (`python -m trustcost compare my_scenario.toml` prints the same comparison)."""),
    new_code_cell("""print(datasets.three_vendors_path().read_text()[:1400])"""),
    new_code_cell("""study = datasets.load_three_vendors()
for offer in study.offers:
    print(f"{offer.name:9s} price {offer.price_element().amount:>9,.0f}   elements: {[e.name for e in offer.costs]}")
print("horizon", study.horizon, "years, real discount rate", study.discount_rate, ", inflation", study.inflation)"""),
    new_markdown_cell("""## 2. Evaluate

`study.evaluate()` computes the expected cost of every offer in every year and category in one batched
C++ call and returns a result object. In Jupyter it shows itself as a table."""),
    new_code_cell("""result = study.evaluate()
result"""),
    new_markdown_cell("""The present value by category shows *where* the money goes. The cheapest machine to buy (Cobalt)
loses its price advantage to downtime, repairs and supplier risk:"""),
    new_code_cell("""result.by_category.loc[result.ranking].T"""),
    new_code_cell("""(result.shares.loc[result.ranking].T * 100).round(1).rename_axis("share of LCC, %")"""),
    new_markdown_cell("""Expected yearly costs (real money of year 0, undiscounted) are in `result.costs`, indexed by offer and
year; `result.discounted` holds the same discounted to year 0."""),
    new_code_cell("""result.costs.loc["Borealis"].head(6)"""),
    new_code_cell("""fig, axes = plt.subplots(1, 2, figsize=(13, 4))
result.plot_breakdown(ax=axes[0])
result.plot_cumulative(ax=axes[1])
fig.tight_layout()"""),
    new_markdown_cell("""The cumulative chart shows where the cheap-to-buy offer stops being the cheap one to own.

## 3. Why the renewal function

A repairable unit with a Weibull life fails, on average, `M(t)` times by time `t`, where `M` is the
*renewal function*, the solution of `M(t) = F(t) + ∫ M(t − x) dF(x)`. Dividing by the MTBF
(`t / MTBF`) is right only for the exponential distribution. A wear-out machine (shape > 1) hardly fails
in its first year, so the naive rate overstates early repairs and their (heavily weighted) present value."""),
    new_code_cell("""life = tc.Weibull(shape=2.2, scale=4.5)
years = np.arange(0, 13, dtype=float)
renewal = tc.renewal_function(life, years)
table = pd.DataFrame({
    "renewal function": np.diff(renewal),
    "naive 1/MTBF": np.full(12, 1 / life.mean),
}, index=pd.RangeIndex(1, 13, name="year"))
table.style.format("{:.3f}")"""),
    new_code_cell("""ax = table.plot(marker="o", figsize=(6, 3.5))
ax.set_ylabel("expected failures in the year")
ax.set_title("Weibull(2.2, 4.5): failures per year");"""),
    new_markdown_cell("""The renewal density settles at `1 / MTBF` only after a few lives. The C++ solver is checked in the
test suite against the Smith & Leadbetter (1963) power series, Monte Carlo and an independent numerical
solution; here is a quick Monte Carlo check:"""),
    new_code_cell("""rng = np.random.default_rng(0)
arrivals = np.cumsum(life.scale * rng.weibull(life.shape, size=(100_000, 15)), axis=1)
monte_carlo = np.array([(arrivals <= t).sum(axis=1).mean() for t in years])
pd.DataFrame({"renewal_function": renewal, "monte_carlo": monte_carlo}, index=years).T.style.format("{:.3f}")"""),
    new_markdown_cell("""## 4. Comparing against a baseline

NIST Handbook 135 compares each alternative with a base case: **net savings** (base LCC minus
alternative LCC), the **savings-to-investment ratio** (operational savings over additional investment),
the **adjusted internal rate of return** and the **discounted payback**. Acquisition, installation,
training, disposal and residual value count as investment; everything else as operational cost. The
scenario names Cobalt, the cheapest to buy, as baseline."""),
    new_code_cell("""result.compare().style.format("{:,.2f}")"""),
    new_markdown_cell("""**Break-even price**: the purchase price at which an offer's LCC equals another's. LCC is linear in the
price, so it is solved exactly. The difference to the rival's price is the **premium** that the offer's
lower after-sales cost justifies — the number a seller competing on value wants to show the buyer."""),
    new_code_cell("""for offer in ["Atlas", "Borealis"]:
    price = study.break_even_price(offer, against="Cobalt")
    premium = study.justified_premium(offer, against="Cobalt")
    actual = study.offer(offer).price_element().amount - study.offer("Cobalt").price_element().amount
    print(f"{offer:9s} break-even price {price:>10,.0f}   justified premium {premium:>10,.0f}   actual premium {actual:>10,.0f}")"""),
    new_markdown_cell("""## 5. Sensitivity: how much does the supplier's health matter?

A study can hold thousands of offers, and they are evaluated together in one batched C++ call. Here we
make 200 copies of Cobalt with annual default probabilities from 0% to 20% and see where its LCC
crosses Borealis'."""),
    new_code_cell("""from dataclasses import replace

cobalt, borealis = study.offer("Cobalt"), study.offer("Borealis")
probabilities = np.linspace(0, 0.2, 200)
variants = [replace(cobalt, name=f"p={p:.4f}", supplier=replace(cobalt.supplier, annual_default_probability=p))
            for p in probabilities]
sweep = study.with_offers(variants + [borealis]).evaluate()
lcc = sweep.present_value.iloc[:-1].to_numpy()
ax = plt.figure(figsize=(7, 3.5), layout="constrained").gca()
ax.plot(probabilities * 100, lcc / 1e3, label="Cobalt")
ax.axhline(sweep.present_value["Borealis"] / 1e3, color="grey", linestyle="--", label="Borealis")
ax.set_xlabel("Cobalt's annual default probability, %")
ax.set_ylabel(f"LCC (thousand {study.currency})")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1));"""),
    new_markdown_cell("""## 6. When to replace

**Economic life**: keeping an asset longer spreads its price over more years but raises operating costs
and lowers the resale value. The age with the lowest equivalent annual cost is its economic life
(Blank & Tarquin, *Engineering Economy*, ch. 11). The classic worked problem: a $200,000 machine, resale
$100,000 after a year, $50,000 after two, nothing after three; operating costs $50,000 rising by $50,000
a year; MARR 10%."""),
    new_code_cell("""life_result = tc.economic_life(200_000, [50_000, 100_000, 150_000, 200_000, 250_000],
                               [100_000, 50_000, 0, 0, 0], rate=0.10)
life_result"""),
    new_markdown_cell("""**Optimal age replacement**: replacing a wear-out part before it fails costs less than a breakdown.
Barlow & Proschan's cost rate `C(T) = (cp R(T) + cf F(T)) / ∫₀ᵀ R(t) dt` is minimised by a bracketed
root search in C++. Say the failures of Atlas' machine (Weibull 2.2, 4.5 years) come from its spindle
bearings: a planned bearing change costs 2,000, a breakdown 6,500 + 24 h × 450 = 17,300:"""),
    new_code_cell("""policy = tc.optimal_replacement_interval(shape=2.2, scale=4.5, preventive_cost=2_000, failure_cost=17_300)
pd.options.display.float_format = "{:,.3f}".format
display(policy.summary)
policy.plot_cost_rate();"""),
    new_markdown_cell("""## 7. Your own scenario

Offers are plain Python objects; studies load from and save to TOML or JSON."""),
    new_code_cell("""mine = tc.Offer("Delta", [
    tc.OneTime("purchase price", 340_000),
    tc.OneTime("installation", 15_000, category="installation"),
    tc.Recurring("service contract", 16_000, category="maintenance", escalation=0.01),
    tc.UsageBased("electricity", 65_000, 0.16, escalation=0.01),
    tc.Failures("breakdowns", tc.Weibull(1.8, 3.5), cost_per_failure=7_000,
                downtime_hours=30, downtime_cost_per_hour=450, preventive_interval=2.0, preventive_cost=6_000),
    tc.Residual.straight_line("resale value", 340_000, life=15, salvage=20_000),
    tc.Disposal("removal", 8_000),
], supplier=tc.Supplier(annual_default_probability=0.02, switching_cost=70_000, support_premium=6_000))

import tempfile
from pathlib import Path

bigger = study.with_offers(list(study.offers) + [mine])
with tempfile.TemporaryDirectory() as folder:  # a scratch file: running the notebook leaves nothing behind
    path = tc.save_study(bigger, Path(folder) / "four_vendors.toml")
    print(path.read_text()[:300])
    again = tc.load_study(path)
pd.options.display.float_format = "{:,.0f}".format
again.evaluate().summary"""),
    new_markdown_cell("""Mistakes are reported with the offer, element and field (and, for files, the file and key):"""),
    new_code_cell("""try:
    tc.Study([tc.Offer("X", [tc.Recurring("contract", 1_000, end=15)])], horizon=10, discount_rate=0.04)
except ValueError as error:
    print("ValueError:", error)"""),
]

notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                              "language": "python"}})
path = Path(__file__).resolve().parents[2] / "notebooks" / "01_offer_comparison.ipynb"
nbformat.write(notebook, path)
print("wrote", path)
