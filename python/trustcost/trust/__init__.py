"""Trust-adjusted total cost: what a relationship costs to run as a function of trust, trust
as a state moved by kept and broken promises, and sourcing strategies compared on both.

Modules: :mod:`.cost_model` (transaction-cost model, Dyer & Chu 2003), :mod:`.costs` (batched
yearly lines), :mod:`.dynamics` (beta reputation, Jøsang & Ismail 2002), :mod:`.ledger`
(promise ledger), :mod:`.sourcing` (aggressive bidding versus partnership), :mod:`.profile` (the trust profile an
:class:`trustcost.Offer` carries for the trust-adjusted total cost).
"""

from .cost_model import LINES, TransactionCostModel
from .costs import RelationshipCosts, relationship_costs
from .dynamics import EVENT_KINDS, TrustDynamics, TrustTrajectory, simulate_trust
from .ledger import PromiseLedger
from .profile import RELATIONSHIP_CATEGORIES, TrustProfile
from .sourcing import SourcingComparison, SourcingStrategy, compare_sourcing

__all__ = [
    "LINES",
    "TransactionCostModel",
    "RelationshipCosts",
    "relationship_costs",
    "EVENT_KINDS",
    "TrustDynamics",
    "TrustTrajectory",
    "simulate_trust",
    "PromiseLedger",
    "TrustProfile",
    "RELATIONSHIP_CATEGORIES",
    "SourcingComparison",
    "SourcingStrategy",
    "compare_sourcing",
]
