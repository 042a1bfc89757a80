"""Lifetime cost of ownership (LCC): offers, after-sales cost elements, failures and downtime,
supplier risk, comparisons and replacement decisions.

The pieces live in small modules, gathered here:

- :mod:`trustcost.lcc.elements` — cost elements, lives (``Exponential``, and the ``Weibull`` of
  :mod:`trustcost.stats`), Supplier;
- :mod:`trustcost.lcc.study` — Offer, Study and the evaluated LccResult;
- :mod:`trustcost.lcc.replacement` — renewal function, economic life, age replacement;
- :mod:`trustcost.lcc.io` — dicts, JSON and TOML scenario files.

Examples
--------
>>> from trustcost import Study, Offer, OneTime, Recurring, Failures, Weibull
>>> offer = Offer("A", [OneTime("price", 100_000), Recurring("service", 4_000),
...                     Failures("breakdowns", Weibull(2.0, 4.0), cost_per_failure=2_500)])
>>> result = Study([offer], horizon=10, discount_rate=0.03).evaluate()
>>> result.ranking
['A']
"""

from __future__ import annotations

from .elements import (
    CATEGORIES,
    INVESTMENT_CATEGORIES,
    CostElement,
    Disposal,
    Exponential,
    Failures,
    OneTime,
    Periodic,
    Recurring,
    Residual,
    Supplier,
    UsageBased,
    Weibull,
)
from .io import load_study, save_study, study_from_dict, study_to_dict, to_toml
from .replacement import (
    EconomicLifeResult,
    ReplacementResult,
    economic_life,
    optimal_replacement_interval,
    renewal_function,
)
from .engine import StudyEngine
from .study import LccResult, Offer, Study

__all__ = [
    "CATEGORIES",
    "INVESTMENT_CATEGORIES",
    "CostElement",
    "OneTime",
    "Recurring",
    "Periodic",
    "UsageBased",
    "Failures",
    "Residual",
    "Disposal",
    "Weibull",
    "Exponential",
    "Supplier",
    "Offer",
    "Study",
    "LccResult",
    "StudyEngine",
    "renewal_function",
    "economic_life",
    "EconomicLifeResult",
    "optimal_replacement_interval",
    "ReplacementResult",
    "load_study",
    "save_study",
    "study_from_dict",
    "study_to_dict",
    "to_toml",
]
