"""Relationship decay: repeat-purchase models, customer value, silence alarms, health and Markov value."""

from __future__ import annotations

from .models import BetaGeo, ParetoNBD
from .rfm import rfm_summary
from .value import GammaGamma, customer_lifetime_value

__all__ = ["BetaGeo", "GammaGamma", "ParetoNBD", "customer_lifetime_value", "rfm_summary"]
