"""trustcost: the economics of buyer-supplier relationships after the sale.

Lifetime cost of ownership, trust-adjusted total cost and relationship decay, computed by a C++
core and driven from Python with numpy arrays and pandas DataFrames.
"""

from __future__ import annotations

from . import _core
from ._errors import (ConvergenceError, IterationsExceededError, NoRealSolutionError, NoSolutionWarning, NumericalWarning,
                      RelationshipWarning, TrustcostWarning)
from .stats import PERT, Beta, Empirical, Fixed, Gamma, LogNormal, Normal, Triangular, Uniform, Weibull
from .finance import (
    airr,
    crf,
    cumipmt,
    cumprinc,
    discount_factors,
    eac,
    fv,
    ipmt,
    irr,
    irr_all,
    mirr,
    net_savings,
    nominal_rate,
    nfv,
    nper,
    npv,
    payback,
    pmt,
    ppmt,
    pv,
    rate,
    real_rate,
    sir,
    spv,
    upv,
    xfv,
    xirr,
    xirr_all,
    xnfv,
    xnpv,
    year_fraction,
)
from .lcc import (
    CATEGORIES,
    Disposal,
    EconomicLifeResult,
    Exponential,
    Failures,
    LccResult,
    Offer,
    OneTime,
    Periodic,
    Recurring,
    ReplacementResult,
    Residual,
    Study,
    Supplier,
    UsageBased,
    economic_life,
    load_study,
    optimal_replacement_interval,
    renewal_function,
    save_study,
    study_from_dict,
    study_to_dict,
)
from .trust import (
    PromiseLedger,
    RelationshipCosts,
    SourcingComparison,
    SourcingStrategy,
    TransactionCostModel,
    TrustDynamics,
    TrustProfile,
    TrustTrajectory,
    compare_sourcing,
    relationship_costs,
    simulate_trust,
)
from .relationship import (
    BetaGeo,
    BetaGeoBetaBinom,
    BetaGeoCovariates,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    ParetoNBDCovariates,
    BetaDiscreteWeibull,
    ShiftedBetaGeometric,
    customer_lifetime_value,
    health_path,
    maintenance_cost,
    maintenance_effort,
    markov_customer_value,
    recency_transition_matrix,
    rfm_summary,
    silence_watchlist,
    time_to_threshold,
)
from .uncertainty import SimulationResult, simulate
from .html_report import report
from . import datasets
from ._version import __version__
from ._validation import check_int

MAX_THREADS = 2**16
"""Most threads :func:`set_num_threads` accepts (far beyond any machine's cores)."""


def set_num_threads(n: int) -> None:
    """Set how many threads batch computations use (default: all cores). Results do not change."""
    _core.set_num_threads(check_int(n, "n", 1, MAX_THREADS))


def get_num_threads() -> int:
    """Number of threads batch computations use."""
    return _core.num_threads()


def set_simd(name: str) -> None:
    """Choose the vector build of the Monte Carlo kernels: ``"avx512"``, ``"avx2"`` or ``"portable"``.

    By default the widest build this CPU runs is used (or the one the ``TRUSTCOST_SIMD``
    environment variable names). Results are bit-identical across thread counts on any build;
    across builds they agree to a few units in the last place of log and exp. ``"portable"``
    takes the same code path on every machine (for comparing runs across machines), at a
    fraction of the speed.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__} {name!r}")
    _core.simd_use(name)


def get_simd() -> str:
    """The vector build the Monte Carlo kernels use (see :func:`set_simd`)."""
    return _core.simd_build()


__all__ = [
    "ConvergenceError",
    "IterationsExceededError",
    "NoRealSolutionError",
    "NoSolutionWarning",
    "NumericalWarning",
    "RelationshipWarning",
    "TrustcostWarning",
    "set_num_threads",
    "get_num_threads",
    "set_simd",
    "get_simd",
    "airr",
    "crf",
    "cumipmt",
    "cumprinc",
    "discount_factors",
    "eac",
    "fv",
    "ipmt",
    "irr",
    "irr_all",
    "mirr",
    "net_savings",
    "nominal_rate",
    "nfv",
    "nper",
    "npv",
    "payback",
    "pmt",
    "ppmt",
    "pv",
    "rate",
    "real_rate",
    "sir",
    "spv",
    "upv",
    "xfv",
    "xirr",
    "xirr_all",
    "xnfv",
    "xnpv",
    "year_fraction",
    "BetaGeo",
    "BetaGeoBetaBinom",
    "BetaGeoCovariates",
    "GammaGamma",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "ParetoNBDCovariates",
    "BetaDiscreteWeibull",
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
    "Fixed",
    "Uniform",
    "Triangular",
    "PERT",
    "Normal",
    "LogNormal",
    "Gamma",
    "Beta",
    "Weibull",
    "Empirical",
    # lifetime cost of ownership
    "CATEGORIES",
    "OneTime",
    "Recurring",
    "Periodic",
    "UsageBased",
    "Failures",
    "Residual",
    "Disposal",
    "Exponential",
    "Supplier",
    "Offer",
    "Study",
    "LccResult",
    "renewal_function",
    "economic_life",
    "EconomicLifeResult",
    "optimal_replacement_interval",
    "ReplacementResult",
    "load_study",
    "simulate",
    "SimulationResult",
    "datasets",
    "report",
    "save_study",
    "study_from_dict",
    "study_to_dict",
    # trust-adjusted total cost
    "TransactionCostModel",
    "TrustProfile",
    "RelationshipCosts",
    "relationship_costs",
    "TrustDynamics",
    "TrustTrajectory",
    "simulate_trust",
    "PromiseLedger",
    "SourcingStrategy",
    "SourcingComparison",
    "compare_sourcing",
]
