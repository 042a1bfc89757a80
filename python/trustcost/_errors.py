"""Warning and error classes of trustcost."""


class TrustcostWarning(UserWarning):
    """Base class of trustcost's warnings."""


class NumericalWarning(TrustcostWarning):
    """Non-fatal numerical trouble: slow convergence, a clipped value, an approximation used."""


class RelationshipWarning(TrustcostWarning):
    """A trust-adjusted comparison a buyer could not defend as it stands: an offer's relationship
    lines exceed what it will spend with the seller or dominate its lifetime cost, or only some
    offers carry a trust profile (the others then carry no relationship cost at all)."""


class NoSolutionWarning(TrustcostWarning, RuntimeWarning):
    """Some elements of a result have no solution and are NaN (numpy-financial's convention, so
    arrays keep their shape): no number of periods reaches ``fv``, no rate makes the value zero,
    no payment before the first period, no savings-to-investment ratio for a dominated
    alternative. The message names the function, how many elements, the
    first one's index and arguments, and the reason. Functions with ``raise_exceptions=True``
    raise instead. Turn it into an error with ``warnings.simplefilter("error", NoSolutionWarning)``.
    """


class ConvergenceError(RuntimeError):
    """An optimiser or solver did not converge; the message says what was tried."""


class NoRealSolutionError(ValueError):
    """Flows have no real rate of return (as numpy-financial's error of the same name).

    Raised only with ``raise_exceptions=True``; otherwise the result is NaN.
    """


class IterationsExceededError(ConvergenceError):
    """A root finder reached its iteration cap (as numpy-financial's error of the same name).

    Raised only with ``raise_exceptions=True``; otherwise the result is NaN.
    """
