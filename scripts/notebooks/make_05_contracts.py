"""Writes notebooks/05_contracts_and_covariates.ipynb (without outputs): python scripts/notebooks/make_05_contracts.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# Contracts and covariates: what a service-contract base is worth, and who drifts away faster\n\n"
        "Most of a capital-equipment seller's after-sales revenue comes under contract: service agreements "
        "and maintenance contracts renewed year by year. There, unlike the shop-floor purchases of notebook 04, "
        "the seller *sees* a customer leave — the contract is not renewed. The shifted-beta-geometric (sBG) "
        "model of Fader & Hardie (2007, *J. Interactive Marketing* 21(1)) describes such a base: each customer "
        "renews with their own probability, and those probabilities differ across customers (a beta "
        "distribution). Because the loyal ones stay, the renewal rate of a cohort *rises* with tenure, and a "
        "customer who has renewed four times is worth more than a new one (Fader & Hardie 2010, *Marketing "
        "Science* 29(1))."
    ),
    new_code_cell(
        "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\nimport trustcost as tc\n\n"
        "# Fader & Hardie (2007): a 'regular' cohort of 1,000 customers, alive at the start of years 0..7\n"
        "regular = [1000, 631, 468, 382, 326, 289, 262, 241]\n"
        "sbg = tc.ShiftedBetaGeometric().fit(regular)\n"
        "sbg.summary  # the paper: alpha = 0.704, beta = 1.182"
    ),
    new_markdown_cell(
        "## Retention rises with tenure\n\nThe fitted survival curve against the cohort, and the renewal rate "
        "by year: a constant-churn (geometric) model would draw a flat line and undervalue the base."
    ),
    new_code_cell(
        "years = np.arange(0, 13)\n"
        "fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))\n"
        "left.plot(range(len(regular)), np.array(regular) / regular[0], 'o', label='observed (years 0-7)')\n"
        "left.plot(years, sbg.survival(years), '-', label='sBG fit and projection')\n"
        "left.set_xlabel('year'); left.set_ylabel('share of the cohort still under contract'); left.legend()\n"
        "right.plot(years[1:], sbg.retention(years[1:]), '-o')\n"
        "right.set_xlabel('year'); right.set_ylabel('renewal rate'); right.set_title('retention rises with tenure')\n"
        "fig.tight_layout()"
    ),
    new_markdown_cell(
        "## What the base is worth\n\nDiscounted expected residual lifetime (DERL) of a customer who has "
        "renewed *n* times, times the margin of a contract year, is that customer's residual value. Summed "
        "over the customers by tenure, it is the value of the whole contract base. With a yearly margin of "
        "12,000 per contract and a 10% discount rate:"
    ),
    new_code_cell(
        "margin, rate = 12_000, 0.10\n"
        "base = pd.Series({0: 120, 1: 85, 2: 60, 3: 41, 4: 30, 5: 22}, name='contracts')  # by renewals made\n"
        "by_tenure = pd.DataFrame({\n"
        "    'contracts': base,\n"
        "    'DERL (years)': sbg.residual_lifetime(base.index.to_numpy(), rate),\n"
        "    'value per contract': sbg.residual_value(base.index.to_numpy(), margin, rate),\n"
        "})\n"
        "by_tenure['value'] = by_tenure['contracts'] * by_tenure['value per contract']\n"
        "print(f\"The base of {base.sum()} contracts is worth {sbg.contract_base_value(base, margin, rate):,.0f}.\")\n"
        "print(f\"A customer who has renewed 4 times is worth {sbg.residual_value(4, margin, rate):,.0f}; \"\n"
        "      f\"a new one {sbg.lifetime_value(margin, rate):,.0f}.\")\n"
        "by_tenure.round(2)"
    ),
    new_markdown_cell(
        "## Several cohorts\n\nCohorts acquired in different years are fitted together (rows are cohorts, "
        "columns years since acquisition; the later cohorts are shorter, padded with NaN)."
    ),
    new_code_cell(
        "cohorts = pd.DataFrame([[1000, 631, 468, 382, 326, 289, 262, 241],\n"
        "                        [800, 510, 380, 309, 262, np.nan, np.nan, np.nan],\n"
        "                        [900, 566, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan]],\n"
        "                       index=['2018', '2021', '2024'])\n"
        "tc.ShiftedBetaGeometric().fit(cohorts).summary"
    ),
    new_markdown_cell(
        "## Covariates: who buys more, and who drifts away faster\n\n"
        "Customers differ in observable ways — segment, contract size, region. `BetaGeoCovariates` and "
        "`ParetoNBDCovariates` let time-invariant covariates move the purchase and dropout rates (the "
        "parameterisation of CLVTools: alpha_i = alpha exp(-gamma z_i) for purchases, a_i = a exp(gamma_a z_i), "
        "b_i = b exp(gamma_b z_i) for dropout), fitted by maximum likelihood with a standard error per "
        "coefficient.\n\nTo show the fit recovers a known effect we plant one: customers shaped like CDNOW "
        "(their observation periods T, and CDNOW's fitted BG/NBD parameters) with a synthetic 'key account' "
        "flag that doubles the purchase rate (gamma = log 2 = 0.693) and leaves dropout alone."
    ),
    new_code_cell(
        "cdnow = tc.datasets.load_cdnow_summary()\n"
        "base_fit = tc.BetaGeo().fit(cdnow['frequency'], cdnow['recency'], cdnow['T'])\n"
        "r, alpha, a, b = base_fit.params_[['r', 'alpha', 'a', 'b']]\n"
        "rng = np.random.default_rng(2026)\n"
        "T = np.tile(cdnow['T'].to_numpy(), 3)                 # 7,071 customers with CDNOW's periods\n"
        "key = rng.integers(0, 2, T.size).astype(float)         # the planted covariate\n"
        "lam = rng.gamma(r, 1 / (alpha * np.exp(-np.log(2) * key)))\n"
        "p = rng.beta(a, b, T.size)\n"
        "x, t_x, clock = np.zeros(T.size), np.zeros(T.size), np.zeros(T.size)\n"
        "active = np.arange(T.size)\n"
        "while active.size:                                     # the BG/NBD story, customer by customer\n"
        "    clock[active] += rng.exponential(1 / lam[active])\n"
        "    bought = active[clock[active] <= T[active]]\n"
        "    x[bought] += 1; t_x[bought] = clock[bought]\n"
        "    active = bought[rng.random(bought.size) >= p[bought]]\n"
        "customers = pd.DataFrame({'frequency': x, 'recency': t_x, 'T': T, 'key_account': key})\n"
        "model = tc.BetaGeoCovariates().fit(customers['frequency'], customers['recency'], customers['T'],\n"
        "                                   covariates=customers[['key_account']])\n"
        "model.summary"
    ),
    new_markdown_cell(
        "The purchase coefficient should be near the planted 0.693 (within about two standard errors), and "
        "the dropout coefficients near 0. Each customer's P(alive) and expected purchases now use their own "
        "rates:"
    ),
    new_code_cell(
        "planted = np.log(2)\n"
        "row = model.summary.loc['purchase[key_account]']\n"
        "print(f\"purchase effect {row.iloc[0]:.3f} (planted {planted:.3f}), z = {(row.iloc[0] - planted) / row.iloc[1]:+.2f}\")\n"
        "customers.assign(p_alive=model.p_alive(customers['frequency'], customers['recency'], customers['T'],\n"
        "                                       customers[['key_account']]),\n"
        "                 next_year=model.expected_purchases(52, customers['frequency'], customers['recency'],\n"
        "                                                    customers['T'], customers[['key_account']])\n"
        "                 ).groupby('key_account')[['frequency', 'p_alive', 'next_year']].mean().round(3)"
    ),
]

notebook = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
out = Path(__file__).resolve().parents[2] / "notebooks" / "05_contracts_and_covariates.ipynb"
nbformat.write(notebook, out)
print(f"wrote {out}")
