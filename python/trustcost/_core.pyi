"""Type stubs of the C++ extension module (only the sections written so far)."""

import numpy as np
import numpy.typing as npt

# --- lcc (cpp/bindings/lcc.cpp) ------------------------------------------------------------------

def lcc_evaluate(
    kind: npt.ArrayLike,
    category: npt.ArrayLike,
    params: npt.ArrayLike,
    offer_start: npt.ArrayLike,
    horizon: int,
    discount_rate: float,
    timing: str,
    inflation: float,
    categories: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(costs[offer, year, category], present_values[offer, category])."""

def renewal_function(shape: float, scale: float, t: npt.ArrayLike, steps_per_scale: float = 0.0) -> npt.NDArray[np.float64]: ...
def economic_life_eac(price: float, operating_costs: npt.ArrayLike, salvage_values: npt.ArrayLike, rate: float) -> npt.NDArray[np.float64]: ...
def age_replacement_cost_rate(shape: npt.ArrayLike, scale: npt.ArrayLike, preventive_cost: npt.ArrayLike, failure_cost: npt.ArrayLike, interval: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
def optimal_age_replacement(shape: float, scale: float, preventive_cost: float, failure_cost: float) -> tuple[float, float]: ...
