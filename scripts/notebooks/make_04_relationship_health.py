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
        "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
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
        "## How sure is that value? CLV with its parameter uncertainty\n\n"
        "The seven parameters are estimates, and each customer's CLV inherits their uncertainty. The delta "
        "method carries it over: var CLV_i = g_i' Sigma g_i, with Sigma the covariance of the estimates (the "
        "inverse of the analytic Hessian of each fit; the two fits are separate, so Sigma is block-diagonal) "
        "and g_i the gradient of CLV_i, here by central differences of the one-pass C++ CLV (14 evaluations "
        "of the whole customer base). Neither lifetimes nor pymc-marketing gives this in milliseconds."
    ),
    new_code_cell(
        "import time\n"
        "names = list(bgnbd.params_.index) + list(spend.params_.index)\n"
        "theta = np.concatenate([bgnbd.params_.to_numpy(), spend.params_.to_numpy()])\n"
        "sigma = np.zeros((7, 7))\n"
        "sigma[:4, :4], sigma[4:, 4:] = bgnbd.covariance_.to_numpy(), spend.covariance_.to_numpy()\n\n"
        "def clv_at(values):\n"
        "    purchases = tc.BetaGeo.from_params(dict(zip(names[:4], values[:4])))\n"
        "    money = tc.GammaGamma.from_params(dict(zip(names[4:], values[4:])))\n"
        "    return tc.customer_lifetime_value(purchases, money, cdnow, time=12, discount_rate=0.01, freq='W').to_numpy()\n\n"
        "start = time.perf_counter()\n"
        "gradient = np.empty((len(cdnow), 7))\n"
        "for j in range(7):\n"
        "    step = np.zeros(7)\n"
        "    step[j] = 1e-5 * theta[j]\n"
        "    gradient[:, j] = (clv_at(theta + step) - clv_at(theta - step)) / (2 * step[j])\n"
        "se = np.sqrt(np.einsum('ij,jk,ik->i', gradient, sigma, gradient))\n"
        "total = gradient.sum(axis=0)\n"
        "print(f'{time.perf_counter() - start:.3f} s for {len(cdnow):,} customers')\n"
        "print(f'total 12-month CLV {clv.sum():,.0f} +- {1.96 * np.sqrt(total @ sigma @ total):,.0f} (95%)')\n"
        "top = clv.sort_values(ascending=False).index[:15]\n"
        "fig, ax = plt.subplots(figsize=(7, 3.5))\n"
        "where = np.arange(len(top))\n"
        "ax.errorbar(where, clv[top], yerr=1.96 * se[cdnow.index.get_indexer(top)], fmt='o', capsize=3)\n"
        "ax.set(xticks=where, xlabel='the 15 most valuable customers', ylabel='12-month CLV',\n"
        "       title='CLV with a 95% interval from the parameter uncertainty');"
    ),
    new_markdown_cell(
        "## The whole workflow on 150,000 customers, beside lifetimes\n\n"
        "A simulated BG/NBD population (about half a million weekly transactions): summary, BG/NBD fit, "
        "Gamma-Gamma fit and 12-month CLV, each step timed for trustcost and, when it is installed, for "
        "lifetimes on the same data (`benchmarks/bench_relationship.py --workflow` times every step with "
        "medians of several runs)."
    ),
    new_code_cell(
        "rng = np.random.default_rng(2005)\n"
        "n = 150_000\n"
        "join = rng.integers(0, 26 * 7, n) / 7.0  # weeks\n"
        "rate, dropout, nu = rng.gamma(0.5, 1 / 3.0, n), rng.beta(0.8, 2.5, n), rng.gamma(3.8, 1 / 15.0, n)\n"
        "ids, when, clock, active = [np.arange(n)], [join], join.copy(), np.arange(n)\n"
        "while active.size:  # exponential gaps, dropout after each purchase, until week 52\n"
        "    clock[active] += rng.exponential(1 / rate[active])\n"
        "    bought = active[clock[active] <= 52]\n"
        "    ids.append(bought)\n"
        "    when.append(clock[bought])\n"
        "    active = bought[rng.random(bought.size) >= dropout[bought]]\n"
        "ids, when = np.concatenate(ids), np.concatenate(when)\n"
        "log = pd.DataFrame({'customer': ids, 'date': pd.Timestamp('2024-01-01') + pd.to_timedelta(np.floor(when * 7), unit='D'),\n"
        "                    'value': np.round(rng.gamma(6.0, 1 / nu[ids]), 2)})\n"
        "end = pd.Timestamp('2024-01-01') + pd.Timedelta(weeks=52)\n\n"
        "def workflow(lib):\n"
        "    steps = {}\n"
        "    clock = time.perf_counter()\n"
        "    if lib == 'trustcost':\n"
        "        data = tc.rfm_summary(log, 'customer', 'date', 'value', freq='W', observation_period_end=end)\n"
        "    else:\n"
        "        data = lifetimes.utils.summary_data_from_transaction_data(log, 'customer', 'date', 'value', freq='W',\n"
        "                                                                  observation_period_end=end)\n"
        "    steps['summary'], clock = time.perf_counter() - clock, time.perf_counter()\n"
        "    cols = (data['frequency'], data['recency'], data['T'])\n"
        "    model = (tc.BetaGeo() if lib == 'trustcost' else lifetimes.BetaGeoFitter()).fit(*cols)\n"
        "    steps['BG/NBD fit'], clock = time.perf_counter() - clock, time.perf_counter()\n"
        "    repeat = data[data['frequency'] > 0]\n"
        "    money = (tc.GammaGamma(penalizer=1e-4) if lib == 'trustcost' else lifetimes.GammaGammaFitter(penalizer_coef=1e-4))\n"
        "    money.fit(repeat['frequency'], repeat['monetary_value'])\n"
        "    steps['Gamma-Gamma fit'], clock = time.perf_counter() - clock, time.perf_counter()\n"
        "    if lib == 'trustcost':\n"
        "        value = tc.customer_lifetime_value(model, money, data, time=12, discount_rate=0.01, freq='W')\n"
        "    else:\n"
        "        value = money.customer_lifetime_value(model, *cols, data['monetary_value'], time=12, discount_rate=0.01, freq='W')\n"
        "    steps['CLV, 12 months'] = time.perf_counter() - clock\n"
        "    steps['whole workflow'] = sum(steps.values())\n"
        "    return pd.Series(steps, name=lib), value\n\n"
        "ours, value = workflow('trustcost')\n"
        "timing = [ours]\n"
        "try:\n"
        "    import warnings\n"
        "    with warnings.catch_warnings():\n"
        "        warnings.simplefilter('ignore')  # lifetimes warns on pandas deprecations\n"
        "        import lifetimes, lifetimes.utils\n"
        "        theirs, their_value = workflow('lifetimes')\n"
        "    timing.append(theirs)\n"
        "    print(f'total CLV {value.sum():,.0f} (trustcost) and {their_value.sum():,.0f} (lifetimes), each from its own fits')\n"
        "except ImportError:\n"
        "    print('lifetimes is not installed: trustcost timings only')\n"
        "table = pd.DataFrame(timing).T.mul(1000).round(1).add_suffix(' (ms)')\n"
        "if len(timing) == 2:\n"
        "    table['speed-up'] = (timing[1] / timing[0]).round(1)\n"
        "print(f'{len(log):,} transactions, {log.customer.nunique():,} customers')\n"
        "table"
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
