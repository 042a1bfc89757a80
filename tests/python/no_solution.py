"""The no-solution policy (README, Conventions) as a test helper: a NaN result comes with a
NoSolutionWarning, and an answer without NaN comes without one."""

from __future__ import annotations

import warnings

import numpy as np

import trustcost as tc


def solved(call):
    """``call()``'s result, after checking that it warned exactly when some element is NaN."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", tc.NoSolutionWarning)
        result = call()
    warned = any(issubclass(w.category, tc.NoSolutionWarning) for w in caught)
    has_nan = bool(np.isnan(np.asarray(result, dtype=float)).any())
    assert warned == has_nan, f"NaN {has_nan} but NoSolutionWarning {warned}"
    return result
