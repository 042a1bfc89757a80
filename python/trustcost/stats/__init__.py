"""Distributions for uncertain inputs and lives, sampled from counter-based random streams."""

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

__all__ = ["Distribution", "Fixed", "Uniform", "Triangular", "PERT", "Normal", "LogNormal", "Gamma", "Beta",
           "Weibull", "Empirical", "as_distribution"]
