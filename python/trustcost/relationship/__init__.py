"""Relationship decay: repeat-purchase models, customer value, silence alarms, health and Markov value."""

from __future__ import annotations

from .models import BetaGeo, ParetoNBD
from .rfm import rfm_summary

__all__ = ["BetaGeo", "ParetoNBD", "rfm_summary"]
