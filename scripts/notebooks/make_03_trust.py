"""Writes notebooks/03_trust_and_sourcing.ipynb (sources only; the test command executes it)."""

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

cells = [
    md("# Trust, transaction costs and sourcing strategy\n\n"
       "A relationship with more trust is cheaper to run. In the automotive studies of Dyer (1997, "
       "*Strategic Management Journal* 18(7)) and Dyer & Chu (2003, *Organization Science* 14(1)), "
       "people at the least-trusted automaker spent about **47%** of their face-to-face time with "
       "suppliers negotiating and assigning blame — the most trusted about half that; procurement "
       "costs were up to **five times** higher at the least trusted; and the most trusted did not "
       "inspect incoming materials.\n\n"
       "This notebook puts those findings to work: a transaction-cost model as a function of trust, "
       "trust as a state moved by kept and broken promises, a promise ledger, and a comparison of "
       "aggressive bidding against a partnership — with Monte Carlo for how sure the answer is."),
    code("import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\nimport trustcost as tc"),
    md("## 1. What a relationship costs as a function of trust\n\n"
       "Each line is `base x level(trust)`; `level` interpolates linearly between a low-trust anchor "
       "(trust 0, the least-trusted buyer in the studies) and a high-trust anchor (trust 1). The "
       "anchors for transactional time, procurement cost ratio and inspection come from the papers. "
       "The counts scale with the relationship: hours, incoming lots and disputes are stated per "
       "million of annual spend, so each line is a share of the spend (about 4.9% at trust 0 with "
       "the defaults). Their levels are checked against procurement benchmarks where these exist "
       "(CAPS Research, APQC, IACCM; see `tc.trust.cost_model`) and otherwise **illustrative** — "
       "replace them with your own, per million of spend or as absolute figures per year."),
    code("model = tc.TransactionCostModel()\nmodel.calibration()"),
    code("costs = model.costs(np.linspace(0, 1, 11), spend=2_000_000)\ncosts.round(0)"),
    code("from matplotlib.ticker import StrMethodFormatter\n\n"
         "fig, ax = plt.subplots(figsize=(8, 4), layout='constrained')\n"
         "lines = costs.drop(columns=['total', 'information_sharing'])  # costs stacked up...\n"
         "ax.stackplot(lines.index, lines.T, labels=lines.columns, alpha=0.85)\n"
         "ax.fill_between(costs.index, costs['information_sharing'], color='tab:olive', alpha=0.85,\n"
         "                label='information_sharing (a saving)')  # ...the value of shared ideas below 0\n"
         "ax.plot(costs.index, costs['total'], color='white', lw=3.5)  # a halo, so the net line reads as a line\n"
         "ax.plot(costs.index, costs['total'], color='black', lw=1.6, ls='--', marker='o', ms=4, label='net total')\n"
         "ax.axhline(0, color='grey', lw=0.8)\n"
         "ax.yaxis.set_major_formatter(StrMethodFormatter('{x:,.0f}'))\n"
         "ax.set_xlabel('trust'); ax.set_ylabel('cost per year [USD]')\n"
         "ax.set_title('Relationship cost vs trust, annual spend 2,000,000 USD')\n"
         "ax.legend(fontsize='small', loc='upper left', bbox_to_anchor=(1.01, 1));  # beside the chart, not over it"),
    md("Every coefficient can be overridden. Here a buyer with a larger team, a higher share of "
       "ideas from trusted suppliers, and savings that come mostly early (`curvature < 1`):"),
    code("mine = model.with_(interaction_hours=1200, hourly_cost=110, information_sharing=(0.0, 0.02), curvature=0.6)\n"
         "pd.concat({'default': model.costs([0, 0.5, 1])['total'], 'mine': mine.costs([0, 0.5, 1])['total']}, axis=1)"),
    md("## 2. Trust moves with events\n\n"
       "Trust is a beta reputation (Jøsang & Ismail 2002): kept promises and resolved complaints add "
       "positive evidence, broken promises and ignored complaints negative evidence — three times "
       "as much by default (`loss_ratio`), because trust is lost faster than it is won. Evidence is "
       "forgotten with a half-life, so a relationship left alone drifts back to its baseline."),
    code("events = pd.DataFrame({\n"
         "    'time': [0.2, 0.5, 0.8, 1.1, 1.3, 1.6, 2.0, 2.4, 3.0],\n"
         "    'kind': ['contact', 'promise_kept', 'promise_kept', 'promise_broken', 'complaint_ignored',\n"
         "             'complaint_resolved', 'promise_kept', 'promise_kept', 'contact'],\n"
         "})\n"
         "trajectory = tc.simulate_trust(events, horizon=6, initial_trust=0.5)\n"
         "trajectory.plot();\ntrajectory.events"),
    md("One broken promise against one kept promise, from the same state: the loss is larger, and "
       "the ratio approaches `loss_ratio` as the relationship accumulates history."),
    code("rows = []\n"
         "for history in [0, 5, 20, 100]:\n"
         "    moves = {}\n"
         "    for kind in ['promise_kept', 'promise_broken']:\n"
         "        one = tc.simulate_trust(pd.DataFrame({'time': [0.0], 'kind': [kind]}), initial_weight=history)\n"
         "        moves[kind] = one.events['trust'].iloc[0] - 0.5\n"
         "    rows.append({'history (evidence)': history, 'gain': moves['promise_kept'], 'loss': -moves['promise_broken'],\n"
         "                 'loss / gain': -moves['promise_broken'] / moves['promise_kept']})\n"
         "pd.DataFrame(rows)"),
    md("### Event rates and uncertainty\nWith rates instead of a log, event counts are Poisson per "
       "month (seeded). A supplier that keeps 10 promises a year, breaks 1, and visits monthly:"),
    code("paths = tc.simulate_trust(rates={'promise_kept': 10, 'promise_broken': 1, 'contact': 12},\n"
         "                          horizon=8, paths=200, seed=42)\n"
         "paths.plot();\npaths.summary.describe().round(3)"),
    md("## 3. Promises made before the sale, checked after\n\n"
       "Sales promises delivery dates, uptime and response times; logistics and service have to "
       "deliver them. The ledger checks each promise and tallies who promised against who delivered."),
    code("ledger = tc.PromiseLedger(pd.DataFrame({\n"
         "    'promise': ['delivery_date', 'delivery_date', 'uptime', 'response_time', 'response_time', 'uptime'],\n"
         "    'promised_by': ['sales', 'sales', 'sales', 'key_account', 'key_account', 'key_account'],\n"
         "    'delivered_by': ['logistics', 'logistics', 'service', 'service', 'service', 'service'],\n"
         "    'promised': [pd.Timestamp('2024-03-01'), pd.Timestamp('2024-06-01'), 0.995, 4.0, 4.0, 0.98],\n"
         "    'delivered': [pd.Timestamp('2024-03-08'), pd.Timestamp('2024-05-30'), 0.990, 3.0, 6.5, 0.985],\n"
         "    'time': [0.17, 0.42, 1.0, 0.3, 0.8, 1.0],\n"
         "}))\n"
         "ledger.checked[['promise', 'promised_by', 'delivered_by', 'margin', 'kept']]"),
    code("ledger.summary"),
    code("from_ledger = tc.simulate_trust(ledger.to_events(), horizon=3)\nfrom_ledger.yearly()"),
    md("The yearly trust of the service years 1-3 drives their relationship cost (one batched C++ "
       "call over relationships x years; here one relationship, columns are years 1-3):"),
    code("yearly = tc.relationship_costs(from_ledger.yearly()[1:], spend=2e6, discount_rate=0.05,\n"
         "                               first_year=1, names=['this supplier'])\n"
         "yearly.plot_lines();\nyearly.summary.round(2)"),
    md("## 4. Aggressive bidding or partnership?\n\n"
       "Competitive bidding buys at 2% less but keeps trust low. The partnership pays more and "
       "invests in supplier development up front; trust rises toward a high target. When does it "
       "pay off — and how sure is that when we do not know how far or how fast trust will grow?"),
    code("aggressive = tc.SourcingStrategy('bidding', annual_spend=2_000_000, trust=0.15)\n"
         "partnership = tc.SourcingStrategy('partnership', annual_spend=2_040_000, trust=0.35,\n"
         "                                  trust_target=tc.Beta(8, 2), trust_speed=tc.PERT(0.1, 0.3, 0.6),\n"
         "                                  setup_cost=80_000)\n"
         "result = tc.compare_sourcing(aggressive, partnership, horizon=10, discount_rate=0.06, draws=4000, seed=1)\n"
         "result"),
    code("result.break_even"),
    code("result.plot();"),
    md("Which assumption drives the answer? Draws in which the partnership loses have slow trust "
       "growth or a low target:"),
    code("draws = result.draws.assign(\n"
         "    target=partnership.trust_target.sample(4000, seed=1, stream='partnership.trust_target'),\n"
         "    speed=partnership.trust_speed.sample(4000, seed=1, stream='partnership.trust_speed'),\n"
         "    partnership_cheaper=lambda d: d['partnership'] < d['bidding'])\n"
         "draws.groupby('partnership_cheaper')[['target', 'speed']].mean()"),
    md("## 5. Trust-adjusted total cost of competing offers\n\n"
       "An `Offer` can carry a `TrustProfile`: trust (a level, a yearly path, or a trajectory from "
       "`simulate_trust`), annual spend and the interaction profile. `Study.evaluate()` then adds "
       "the relationship lines to the lifetime cost — in the same batched C++ evaluation — and the "
       "summary shows the plain lifetime cost, the relationship cost and the trust-adjusted total."),
    code("rising = tc.simulate_trust(rates={'promise_kept': 10, 'promise_broken': 0.5, 'contact': 12},\n"
         "                           horizon=10, initial_trust=0.4, expected=True)\n"
         "offers = [\n"
         "    tc.Offer('low bid', [tc.OneTime('price', 900_000), tc.Recurring('service', 40_000)],\n"
         "             trust_profile=tc.TrustProfile(trust=0.15, annual_spend=1_500_000)),\n"
         "    tc.Offer('partner', [tc.OneTime('price', 1_050_000), tc.Recurring('service', 35_000)],\n"
         "             trust_profile=tc.TrustProfile(trust=rising, annual_spend=1_500_000)),\n"
         "]\n"
         "study_result = tc.Study(offers, horizon=10, discount_rate=0.05).evaluate()\n"
         "study_result.summary.round(0)"),
    md("Per year: the plain lifetime cost, the relationship lines and the trust-adjusted total."),
    code("study_result.yearly_totals.unstack('offer').round(0)"),
    code("study_result.costs.loc['partner', list(tc.trust.LINES)].round(0)"),
    code("study_result.plot_breakdown();"),
    md("## Where the numbers come from\n"
       "* Dyer, J. H. & Chu, W. (2003). *Organization Science* 14(1), 57–68 — 47% vs about half; "
       "procurement costs up to 5x.\n"
       "* Dyer, J. H. (1997). *Strategic Management Journal* 18(7), 535–556 — transaction costs and "
       "inspection at Japanese vs US automakers.\n"
       "* Jøsang, A. & Ismail, R. (2002). The Beta Reputation System. 15th Bled eCommerce Conference.\n"
       "* Slovic, P. (1993). Perceived risk, trust, and democracy. *Risk Analysis* 13(6) — trust "
       "asymmetry.\n\n"
       "Levels not in these sources (hours, costs per lot and dispute, value of shared ideas) are "
       "illustrative defaults."),
]
notebook = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
nbf.write(notebook, Path(__file__).resolve().parents[2] / "notebooks" / "03_trust_and_sourcing.ipynb")
