"""Writes notebooks/04_relationship_health.ipynb (without outputs): python scripts/notebooks/make_04_relationship_health.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# Relationship health: who has gone quiet, and what is it worth?\n\n"
        "The surest sign of a deteriorating relationship is not complaints but silence. This notebook fits "
        "repeat-purchase models to the CDNOW customers (Fader, Hardie & Lee 2005), values each customer, "
        "ranks the silent ones against their own rhythm, and models the health of accounts that have no "
        "purchase data at all."
    ),
    new_code_cell(
        "import numpy as np\nimport matplotlib.pyplot as plt\n"
        "import trustcost as tc\nfrom trustcost.relationship import plotting\n"
        "from trustcost.datasets import load_cdnow_summary, load_cdnow_transactions\n\n"
        "cdnow = load_cdnow_summary()  # weeks; 39-week calibration period\ncdnow.describe()"
    ),
    new_markdown_cell(
        "## Repeat-purchase models\n\nBG/NBD should give r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, "
        "log-likelihood -9582.4 (FHL 2005); Pareto/NBD r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67, -9595.0."
    ),
    new_code_cell(
        "bgnbd = tc.BetaGeo().fit(cdnow['frequency'], cdnow['recency'], cdnow['T'])\n"
        "pareto = tc.ParetoNBD().fit(cdnow['frequency'], cdnow['recency'], cdnow['T'])\n"
        "print(bgnbd)\nprint(pareto)\nbgnbd.summary"
    ),
    new_code_cell(
        "weeks = np.linspace(0, 78, 79)\n"
        "fig, ax = plt.subplots(figsize=(6, 3.5))\n"
        "ax.plot(weeks, bgnbd.expected_purchases_population(weeks), label='BG/NBD')\n"
        "ax.plot(weeks, pareto.expected_purchases_population(weeks), '--', label='Pareto/NBD')\n"
        "ax.set(xlabel='weeks since first purchase', ylabel='expected repeat purchases', title='A new customer')\n"
        "ax.legend();"
    ),
    new_markdown_cell(
        "## Does the model predict? Calibration and holdout\n\n"
        "The everyday check: split the transaction log at the end of week 39, fit on the calibration "
        "period, predict each customer's purchases in the 39 holdout weeks, and compare with what they "
        "did (FHL 2005, section 4). lifetimes users know these as `calibration_and_holdout_data` and "
        "`plot_calibration_purchases_vs_holdout_purchases`; the same names work here."
    ),
    new_code_cell(
        "transactions = load_cdnow_transactions()\n"
        "split = tc.relationship.calibration_and_holdout_data(\n"
        "    transactions, 'customer_id', 'date', calibration_period_end='1997-09-30',\n"
        "    observation_period_end='1998-06-30', freq='D', freq_multiplier=7, monetary_value_col='value')\n"
        "calibrated = tc.BetaGeo().fit(split['frequency_cal'], split['recency_cal'], split['T_cal'])\n"
        "check = tc.relationship.holdout_validation(calibrated, split)\n"
        "check"
    ),
    new_code_cell(
        "fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))\n"
        "plotting.plot_period_transactions(calibrated, split['frequency_cal'], split['recency_cal'], split['T_cal'], ax=axes[0])\n"
        "check.plot(ax=axes[1]);"
    ),
    new_markdown_cell(
        "Cumulative repeat transactions of the whole cohort, week by week: the model is fitted on the "
        "first 39 weeks only, the dotted line marks where the forecast starts (BTYD's tracking plot)."
    ),
    new_code_cell(
        "ax = plotting.plot_cumulative_transactions(calibrated, transactions, 'date', 'customer_id',\n"
        "                                           t=78 * 7, t_cal=39 * 7, freq='D', freq_multiplier=7)"
    ),
    new_markdown_cell(
        "Who is still there, and who will buy: P(alive) and the expected purchases of the next 13 weeks "
        "by frequency and recency, for customers observed the full 39 weeks."
    ),
    new_code_cell(
        "fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))\n"
        "plotting.plot_probability_alive_matrix(bgnbd, max_frequency=20, T=39, ax=axes[0])\n"
        "plotting.plot_frequency_recency_matrix(bgnbd, t=13, max_frequency=20, T=39, ax=axes[1]);"
    ),
    new_markdown_cell(
        "The whole distribution of a customer's next purchases, not only the mean: P(n purchases in the "
        "next 39 weeks) for a customer with 2 repeat purchases, the last in week 30 of 39."
    ),
    new_code_cell(
        "n = np.arange(8)\n"
        "p_n = bgnbd.conditional_probability_of_n_purchases(n, 39, 2, 30.43, 38.86)\n"
        "print(f'P(n) sums to {p_n.sum():.3f} over n < 8; mean over all n = {bgnbd.expected_purchases(39, 2, 30.43, 38.86):.3f}')\n"
        "dict(zip(n, p_n.round(3)))"
    ),
    new_markdown_cell(
        "## Same history length, different silence\n\nTwo customers with five repeat purchases: one bought "
        "recently, one went quiet 25 weeks ago."
    ),
    new_code_cell(
        "bgnbd.p_alive([5, 5], [36.0, 11.0], [38.0, 38.0])"
    ),
    new_markdown_cell("## Spend and customer lifetime value (12 months, 1% a month)"),
    new_code_cell(
        "spend = tc.GammaGamma().fit(cdnow['frequency'], cdnow['monetary_value'])\n"
        "print(spend)\n"
        "clv = tc.customer_lifetime_value(bgnbd, spend, cdnow, time=12, discount_rate=0.01, freq='W')\n"
        "clv.describe()"
    ),
    new_markdown_cell(
        "## Whom to call this week\n\nCustomers silent for longer than their usual gap, ranked by the value "
        "that is lost if their silence means they have gone."
    ),
    new_code_cell(
        "watch = tc.silence_watchlist(cdnow, bgnbd, spend, horizon=13, unit='weeks', top=10)\n"
        "print(watch.attrs['excluded'])\nwatch[['silence', 'typical_gap', 'p_alive', 'value_at_risk', 'reason']]"
    ),
    new_markdown_cell(
        "## Recency states as a Markov chain (Pfeifer & Carraway 2000)\n\nFive recency states; margin 40 "
        "and a mailing costing 4 per period while the customer is on the list."
    ),
    new_code_cell(
        "tc.markov_customer_value([0.30, 0.20, 0.15, 0.05, 0.0], [36, -4, -4, -4, 0], discount_rate=0.01)"
    ),
    new_markdown_cell(
        "## Accounts without purchase data: health decay\n\n"
        "dh/dt = -delta h + k u(t) (1 - h) (Vidale & Wolfe 1957 with health for market share). "
        "Health erodes at 10% a month; one engineer-day a month restores at rate k = 0.05."
    ),
    new_code_cell(
        "decay, effect = 0.10, 0.05\n"
        "hold = tc.maintenance_effort(0.7, decay, effect)\n"
        "print(f'effort to hold 0.7: {hold:.2f} days a month; cost over 24 months at 800 a day, 5% a year: '\n"
        "      f'{tc.maintenance_cost(0.7, decay, effect, 800.0, 24.0, 0.05 / 12):,.0f}')\n"
        "print(f'a silent account falls from 0.9 to 0.7 in {tc.time_to_threshold(0.9, 0.7, decay, effect):.1f} months')\n"
        "months = np.linspace(0, 36, 145)\n"
        "path = tc.health_path(0.9, decay, effect, [0, 6, 18], [0.0, 2 * hold, hold], months)\n"
        "ax = path.plot(figsize=(6, 3.5), title='silence for 6 months, then catch-up, then maintenance')\n"
        "ax.axhline(0.7, color='grey', linestyle=':');"
    ),
]

notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
path = Path(__file__).resolve().parents[2] / "notebooks" / "04_relationship_health.ipynb"
path.parent.mkdir(exist_ok=True)
nbformat.write(notebook, path)
print(f"wrote {path}")
