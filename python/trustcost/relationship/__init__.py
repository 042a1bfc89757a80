"""Relationship decay: repeat-purchase models, customer value, silence alarms, health and Markov value."""

from __future__ import annotations

from . import plotting, units
from .alarms import silence_watchlist
from .bgbb import BetaGeoBetaBinom
from .contractual import BetaDiscreteWeibull, ShiftedBetaGeometric
from .covariates import BetaGeoCovariates, ParetoNBDCovariates
from .health import health_path, maintenance_cost, maintenance_effort, time_to_threshold
from .holdout import HoldoutValidation, calibration_and_holdout_data, expected_cumulative_transactions, holdout_validation
from .markov import markov_customer_value, recency_transition_matrix
from .mbgnbd import ModifiedBetaGeo
from .models import BetaGeo, ParetoNBD
from .rfm import rfm_summary, summary_data_from_transaction_data
from .value import GammaGamma, customer_lifetime_value

#: lifetimes' class names, for users switching over (same classes).
BetaGeoFitter = BetaGeo
ParetoNBDFitter = ParetoNBD
GammaGammaFitter = GammaGamma

__all__ = [
    "BetaGeo",
    "BetaGeoBetaBinom",
    "BetaGeoCovariates",
    "BetaGeoFitter",
    "GammaGamma",
    "GammaGammaFitter",
    "HoldoutValidation",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "ParetoNBDCovariates",
    "ParetoNBDFitter",
    "BetaDiscreteWeibull",
    "ShiftedBetaGeometric",
    "calibration_and_holdout_data",
    "customer_lifetime_value",
    "expected_cumulative_transactions",
    "holdout_validation",
    "health_path",
    "maintenance_cost",
    "maintenance_effort",
    "markov_customer_value",
    "plotting",
    "recency_transition_matrix",
    "rfm_summary",
    "summary_data_from_transaction_data",
    "silence_watchlist",
    "time_to_threshold",
    "units",
]
