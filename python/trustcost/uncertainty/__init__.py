"""Uncertainty: distributions for uncertain inputs and Monte Carlo lifetime cost."""

from .distributions import (
    PERT,
    Beta,
    Distribution,
    Empirical,
    Fixed,
    Gamma,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    Weibull,
    as_distribution,
)

from .results import SimulationResult
from .simulation import simulate

__all__ = ["simulate", "SimulationResult", "Distribution", "Fixed", "Uniform", "Triangular", "PERT", "Normal", "LogNormal", "Gamma", "Beta", "Weibull", "Empirical", "as_distribution"]
