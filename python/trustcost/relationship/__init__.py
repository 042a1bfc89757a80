"""Relationship decay: repeat-purchase models, customer value, silence alarms, health and Markov value."""

from __future__ import annotations

from .alarms import silence_watchlist
from .bgbb import BetaGeoBetaBinom
from .contractual import ShiftedBetaGeometric
from .covariates import BetaGeoCovariates, ParetoNBDCovariates
from .health import health_path, maintenance_cost, maintenance_effort, time_to_threshold
from .markov import markov_customer_value, recency_transition_matrix
from .mbgnbd import ModifiedBetaGeo
from .models import BetaGeo, ParetoNBD
from .rfm import rfm_summary
from .value import GammaGamma, customer_lifetime_value

__all__ = [
    "BetaGeo",
    "BetaGeoBetaBinom",
    "BetaGeoCovariates",
    "GammaGamma",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "ParetoNBDCovariates",
    "ShiftedBetaGeometric",
    "customer_lifetime_value",
    "health_path",
    "maintenance_cost",
    "maintenance_effort",
    "markov_customer_value",
    "recency_transition_matrix",
    "rfm_summary",
    "silence_watchlist",
    "time_to_threshold",
]
