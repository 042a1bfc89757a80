"""MBG/NBD: BG/NBD in which a customer may also drop out right after the first purchase.

In BG/NBD a customer who never returned is certainly alive (P(alive) = 1 at x = 0); MBG/NBD lets
her drop out at time 0 with the same beta-distributed probability as after every repeat
purchase, which fits data with many one-time buyers better. Same fitter API as :class:`BetaGeo`.

References
----------
E. P. Batislam, M. Denizel and A. Filiztekin (2007), "Empirical validation and comparison of
models for customer base analysis", International Journal of Research in Marketing 24(3),
201-209. Parameterised as lifetimes' ``ModifiedBetaGeoFitter`` and R's BTYDplus (``mbgcnbd``
with k = 1).
"""

from __future__ import annotations

from .. import _core
from .models import _CountModel

__all__ = ["ModifiedBetaGeo"]


class ModifiedBetaGeo(_CountModel):
    """MBG/NBD model (Batislam, Denizel & Filiztekin 2007) with parameters ``r, alpha, a, b``.

    Purchases while active: Poisson(lambda), lambda ~ Gamma(r, alpha). At the first purchase and
    after each repeat purchase the customer drops out with probability p ~ Beta(a, b).

    Examples
    --------
    >>> model = ModifiedBetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    >>> model.params_   # CDNOW: r 0.525, alpha 6.183, a 0.891, b 1.614 (as BTYDplus)
    """

    _engine = _core.mbgnbd
    _scoring = _core.CountModel.mbgnbd
    _advice = "Check that the data hold repeat purchases and customers silent since their last one; try rescaling time."
    # Degenerate data (no repeat purchases, one customer or history, nobody silent after the last
    # purchase) are refused in C++ with a message that says what they lack.
