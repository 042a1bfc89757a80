"""Uncertainty: Monte Carlo lifetime cost of a study whose inputs are distributions."""

from .results import SimulationResult
from .simulation import merge, simulate

__all__ = ["simulate", "merge", "SimulationResult"]
