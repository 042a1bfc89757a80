"""Writes notebooks/00_time_value_of_money.ipynb (sources only; the test command executes it)."""

from pathlib import Path

import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell(
        "# Time value of money with trustcost\n\n"
        "Every lifetime-cost comparison discounts cash flows. This notebook shows the finance engine "
        "on its own: NIST Handbook 135 factors, NPV and IRR over many series at once, dated flows, "
        "and the NIST comparison measures (net savings, SIR, AIRR, payback)."
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
    nbf.v4.new_code_cell("np.abs(tc.npv(rates[1:], flows[1:])).max()  # NPV at the IRR is ~0"),
    nbf.v4.new_markdown_cell(
        "Several sign changes can mean several rates. `irr` returns the one closest to zero (as "
        "numpy-financial does); `irr_all` shows them all."
    ),
    nbf.v4.new_code_cell("tc.irr([-5, 10.5, 1, -8, 1]), tc.irr_all([-5, 10.5, 1, -8, 1])"),
    nbf.v4.new_markdown_cell("## Dated flows\nActual/365 Fixed from the first date, as Excel's XNPV and XIRR."),
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
