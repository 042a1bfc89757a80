"""Warning and error classes of trustcost."""


class TrustcostWarning(UserWarning):
    """Base class of trustcost's warnings."""


class NumericalWarning(TrustcostWarning):
    """Non-fatal numerical trouble: slow convergence, a clipped value, an approximation used."""


class ConvergenceError(RuntimeError):
    """An optimiser or solver did not converge; the message says what was tried."""
