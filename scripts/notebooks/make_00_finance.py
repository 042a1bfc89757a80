"""Writes notebooks/00_time_value_of_money.ipynb (sources only; the test command executes it)."""

from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Time value of money with trustcost\n\n"
        "Every lifetime-cost comparison discounts cash flows. This notebook shows the finance engine "
        "on its own: NIST Handbook 135 factors, a loan's schedule, NPV and IRR over many series at "
        "once, a project with an overhaul year (two IRRs), dated flows, and the NIST comparison "
        "measures (net savings, SIR, AIRR, payback)."
    ),
    nbf.v4.new_code_cell("import numpy as np\nimport pandas as pd\nimport trustcost as tc"),
    nbf.v4.new_markdown_cell(
        "## Factors\nSingle present value (SPV), uniform present value (UPV), its escalating form "
        "(UPV\\*) and the capital recovery factor, with end-of-year or mid-year timing."
    ),
    nbf.v4.new_code_cell(
        "pd.DataFrame({\n"
        "    'spv': tc.spv(0.03, np.arange(1, 11)),\n"
        "    'upv': tc.upv(0.03, np.arange(1, 11)),\n"
        "    'upv* (e=2%)': tc.upv(0.03, np.arange(1, 11), escalation=0.02),\n"
        "    'upv mid-year': tc.upv(0.03, np.arange(1, 11), timing='mid'),\n"
        "}, index=pd.Index(np.arange(1, 11), name='years'))"
    ),
    nbf.v4.new_markdown_cell(
        "## A loan\nThe annuity functions have numpy-financial's names, arguments and sign convention "
        "(money paid out is negative). A 250,000 loan over 20 years at 4.5% a year, paid monthly: the "
        "payment, and how each payment splits into interest and principal. All arguments broadcast like "
        "numpy ufuncs, so the whole schedule is one call per column."
    ),
    nbf.v4.new_code_cell(
        "rate, years, principal = 0.045 / 12, 20, 250_000\n"
        "n = years * 12\n"
        "payment = tc.pmt(rate, n, principal)\n"
        "month = np.arange(1, n + 1)\n"
        "schedule = pd.DataFrame({\n"
        "    'payment': np.full(n, payment),\n"
        "    'interest': tc.ipmt(rate, month, n, principal),\n"
        "    'principal': tc.ppmt(rate, month, n, principal),\n"
        "}, index=pd.Index(month, name='month'))\n"
        "schedule['balance'] = principal + schedule['principal'].cumsum()\n"
        "schedule.iloc[[0, 1, 2, 119, 238, 239]].round(2)"
    ),
    nbf.v4.new_code_cell(
        "# The principal parts repay the loan; interest paid over the term:\n"
        "round(-schedule['principal'].sum(), 6), round(-schedule['interest'].sum(), 2)"
    ),
    nbf.v4.new_markdown_cell(
        "## NPV and IRR of many series at once\nOne row per series; the work runs in C++ on all cores, "
        "with results that do not depend on the thread count. A series whose flows never change sign "
        "has no IRR: it gets NaN instead of stopping the batch."
    ),
    nbf.v4.new_code_cell(
        "rng = np.random.default_rng(1)\n"
        "flows = rng.uniform(100, 400, size=(100_000, 20))\n"
        "flows[:, 0] = -rng.uniform(1_000, 3_000, size=100_000)\n"
        "flows[0] = np.abs(flows[0])  # a series with no sign change\n"
        "rates = tc.irr(flows)\n"
        "pd.Series(rates).describe()"
    ),
    nbf.v4.new_code_cell(
        "# NPV of each series at its own IRR is ~0 (pairwise: row i at rate i)\n"
        "np.abs(tc.npv(rates[1:], flows[1:], pairwise=True)).max()"
    ),
    nbf.v4.new_markdown_cell(
        "## A project with an overhaul year: two IRRs\n"
        "A machine costs 100, earns 230 in its first year, and then needs an overhaul that costs 132 "
        "(the flows change sign twice). Its NPV is zero at two rates, 10% and 20%: Descartes' rule allows "
        "up to two, and `irr_all` finds both (each isolated first, then solved and checked)."
    ),
    nbf.v4.new_code_cell(
        "project = [-100, 230, -132]\n"
        "tc.irr_all(project)"
    ),
    nbf.v4.new_code_cell(
        "r = np.linspace(0.0, 0.3, 31)\n"
        "pd.Series(tc.npv(r, project), index=pd.Index(r.round(2), name='rate'), name='NPV').iloc[::3]"
    ),
    nbf.v4.new_markdown_cell(
        "Which one does `irr` report? The plausible one: among the rates in (-99%, +1000%), numpy-financial's "
        "rule (where rates of both signs exist keep the non-negative ones, then take the one smallest in "
        "magnitude). Both rates here are positive and plausible, so "
        "`irr` gives **10%**. Neither is a hurdle-rate test on its own: the NPV is positive only *between* "
        "10% and 20%, so at a 7% cost of capital this project loses value although both IRRs exceed 7%. "
        "Use `npv` at your rate (or `mirr`) to decide; pass `selection_logic=` or `guess=` to choose "
        "another root, and `xirr` picks the same one on yearly dates."
    ),
    nbf.v4.new_code_cell(
        "(tc.irr(project), tc.irr(project, selection_logic=np.max), tc.irr(project, guess=0.25),\n"
        " tc.xirr(project, days=[0, 365, 730]), tc.npv(0.07, project), tc.mirr(project, 0.07, 0.07))"
    ),
    nbf.v4.new_markdown_cell(
        "## Dated flows\nActual/365 Fixed from the earliest date, as Excel's XNPV and XIRR (`day_count=` "
        "offers 'act/360', '30/360', '30e/360', '30/360 sia' and 'act/act isda'). Dates may come in any "
        "order; numbers are refused as dates (pass day numbers as `days=`), and so are two-digit years."
    ),
    nbf.v4.new_code_cell(
        "dates = pd.to_datetime(['2008-01-01', '2008-03-01', '2008-10-30', '2009-02-15', '2009-04-01'])\n"
        "amounts = [-10_000, 2_750, 4_250, 3_250, 2_750]\n"
        "tc.xnpv(0.09, amounts, dates), tc.xirr(amounts, dates)"
    ),
    nbf.v4.new_markdown_cell(
        "## A portfolio: XIRR per fund from one transactions table\n"
        "A fund-of-funds keeps one table of capital calls (negative) and distributions (positive), "
        "rows in booking order, funds interleaved. `xirr(..., by=fund)` gives every fund's rate in one "
        "C++ call (threaded, with the GIL released), as a Series indexed by fund; each value is exactly "
        "the one `xirr` gives on that fund's rows alone."
    ),
    nbf.v4.new_code_cell(
        "rng = np.random.default_rng(7)\n"
        "rows = []\n"
        "for k, fund in enumerate(['Alder I', 'Birch II', 'Cedar III', 'Dogwood IV', 'Elm V', 'Fir VI']):\n"
        "    vintage = pd.Timestamp(2015 + k % 3, 1 + 2 * k, 15)\n"
        "    calls = vintage + pd.to_timedelta(np.sort(rng.integers(0, 4 * 365, 8)), unit='D')\n"
        "    paid = rng.uniform(2e6, 6e6, 8)\n"
        "    distributions = vintage + pd.to_timedelta(np.sort(rng.integers(3 * 365, 9 * 365, 10)), unit='D')\n"
        "    returned = rng.uniform(0.6, 1.8) * paid.sum() * rng.dirichlet(np.ones(10))\n"
        "    rows += [(fund, d, -a) for d, a in zip(calls, paid)] + [(fund, d, a) for d, a in zip(distributions, returned)]\n"
        "transactions = pd.DataFrame(rows, columns=['fund', 'date', 'amount']).sort_values('date', ignore_index=True)\n"
        "transactions.head()"
    ),
    nbf.v4.new_code_cell(
        "by_fund = transactions.groupby('fund', sort=False)['amount']\n"
        "funds = pd.DataFrame({\n"
        "    'paid in': -by_fund.apply(lambda a: a[a < 0].sum()),\n"
        "    'distributed': by_fund.apply(lambda a: a[a > 0].sum()),\n"
        "})\n"
        "funds['multiple'] = funds['distributed'] / funds['paid in']\n"
        "funds['xirr'] = tc.xirr(transactions['amount'], transactions['date'], by=transactions['fund'])\n"
        "# or, naming the table's columns:\n"
        "funds['npv at 8%'] = tc.xnpv(0.08, 'amount', 'date', by='fund', data=transactions)\n"
        "funds.round({'paid in': 0, 'distributed': 0, 'multiple': 2, 'xirr': 4, 'npv at 8%': 0})"
    ),
    nbf.v4.new_code_cell(
        "# One fund alone gives the same bits:\n"
        "alder = transactions[transactions['fund'] == 'Alder I']\n"
        "tc.xirr(alder['amount'], alder['date']) == funds.loc['Alder I', 'xirr']"
    ),
    nbf.v4.new_code_cell(
        "from trustcost._plotting import axes, series_color, share_axis\n"
        "ax = axes(figsize=(7.5, 3.2))\n"
        "order = funds['xirr'].sort_values()\n"
        "ax.barh(order.index, order.to_numpy(), color=[series_color(0 if r >= 0.08 else 3) for r in order])\n"
        "ax.axvline(0.08, color='black', linewidth=1, linestyle='--', label='8% cost of capital')\n"
        "share_axis(ax, 'x')\n"
        "ax.set_xlabel('XIRR per fund (Actual/365F)')\n"
        "ax.legend(frameon=False, loc='lower right');"
    ),
    nbf.v4.new_markdown_cell(
        "## Is the efficient chiller worth its price?\nThe bundled example: NIST's measures of the "
        "high-efficiency chiller against the standard one."
    ),
    nbf.v4.new_code_cell(
        "from trustcost.cli import cashflow_comparison\n"
        "from trustcost import datasets\n"
        "cashflow_comparison(datasets.load_example_cashflows(), base='standard', rate=0.03)"
    ),
]
notebook = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
nbf.write(notebook, Path(__file__).resolve().parents[2] / "notebooks" / "00_time_value_of_money.ipynb")
