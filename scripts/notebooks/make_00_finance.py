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
        "Which one does `irr` report? numpy-financial's rule: where rates of both signs exist keep the "
        "non-negative ones, then take the one smallest in magnitude. Both rates here are positive, so "
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
        "offers 'act/360' and '30/360'). Dates may come in any order; numbers are refused as dates "
        "(pass day numbers as `days=`)."
    ),
    nbf.v4.new_code_cell(
        "dates = pd.to_datetime(['2008-01-01', '2008-03-01', '2008-10-30', '2009-02-15', '2009-04-01'])\n"
        "amounts = [-10_000, 2_750, 4_250, 3_250, 2_750]\n"
        "tc.xnpv(0.09, amounts, dates), tc.xirr(amounts, dates)"
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
