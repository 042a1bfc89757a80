"""Silence alarms: whom to call this week.

The surest sign of a deteriorating relationship is not complaints but their absence. A customer
who usually buys every two weeks and has been silent for ten is a worry; one who buys twice a
year and has been silent for ten weeks is not. The watchlist judges each customer's silence
against their own rhythm through a fitted purchase model (P(alive) of BG/NBD or Pareto/NBD) and
weighs it by what the relationship is worth if it is still alive.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._validation import as_float, check_int
from .rfm import summary_arrays

__all__ = ["silence_watchlist"]


def silence_watchlist(
    summary: pd.DataFrame,
    model,
    spend_model=None,
    horizon: float = 12.0,
    min_silence_in_gaps: float = 1.0,
    min_p_alive: float = 0.01,
    top: int | None = None,
    unit: str = "periods",
) -> pd.DataFrame:
    """Rank customers by how likely their silence means decay, weighted by the value at risk.

    For each customer with at least one repeat purchase:

    - ``silence`` = T - recency, time since the last purchase;
    - ``typical_gap`` = recency / frequency, their mean time between purchases;
    - ``silence_in_gaps`` = silence / typical_gap;
    - ``p_alive`` from ``model`` (BG/NBD or Pareto/NBD);
    - ``expected_purchases`` in the next ``horizon`` periods, and ``purchases_if_alive`` =
      expected_purchases / p_alive, what an active customer would buy;
    - ``value_if_alive`` = purchases_if_alive times the expected spend per purchase
      (``spend_model.expected_average_value`` if given, else ``monetary_value`` if present, else 1);
    - ``value_at_risk`` = (1 - p_alive) * value_if_alive, the expected value lost to dropout,
      which orders the list.

    Customers silent for less than ``min_silence_in_gaps`` typical gaps are within their rhythm and
    left out; one-time buyers have no rhythm yet; customers with P(alive) below ``min_p_alive`` are
    most likely lost already (a win-back case, not a call to keep the relationship). All three
    counts are reported in ``result.attrs["excluded"]``.

    Returns
    -------
    DataFrame indexed like ``summary``, sorted by ``value_at_risk`` (largest first), with a
    ``reason`` per row. When the filters select no customer the frame is empty (same columns) and
    ``attrs["note"]`` says which filter left each customer out.
    """
    missing = [c for c in ("frequency", "recency", "T") if c not in summary.columns]
    if missing:
        raise ValueError(f"summary must have columns frequency, recency, T; missing {missing}")
    horizon = as_float(horizon, "horizon")
    if not np.isfinite(horizon) or horizon <= 0:
        raise ValueError(f"horizon must be finite and > 0, got {horizon}")
    min_silence_in_gaps = as_float(min_silence_in_gaps, "min_silence_in_gaps")
    if not (np.isfinite(min_silence_in_gaps) and min_silence_in_gaps >= 0):
        raise ValueError(f"min_silence_in_gaps must be finite and >= 0 (typical gaps of silence), got {min_silence_in_gaps}")
    min_p_alive = as_float(min_p_alive, "min_p_alive")
    if not (0.0 <= min_p_alive <= 1.0):  # also refuses NaN
        raise ValueError(f"min_p_alive must be a probability in [0, 1], got {min_p_alive}")
    if top is not None:
        top = check_int(top, "top", 1, what="None (every customer) or a whole number")
    x, t_x, age, _ = summary_arrays(summary["frequency"], summary["recency"], summary["T"])
    repeat = x > 0
    gap = np.divide(t_x, x, out=np.full_like(t_x, np.nan), where=repeat)
    silence = age - t_x
    in_gaps = np.divide(silence, gap, out=np.full_like(t_x, np.nan), where=repeat & (gap > 0))
    rhythm_broken = repeat & (in_gaps >= min_silence_in_gaps)
    alive_all = np.full_like(x, np.nan)
    if rhythm_broken.any():  # the model is asked about the selected customers only
        alive_all[rhythm_broken] = model.p_alive(x[rhythm_broken], t_x[rhythm_broken], age[rhythm_broken])
    keep = rhythm_broken & (alive_all >= min_p_alive)
    alive = alive_all[keep]
    try:
        expected = (np.asarray(model.expected_purchases(horizon, x[keep], t_x[keep], age[keep]), dtype=float)
                    if keep.any() else np.zeros(0))
    except ValueError as exc:  # the engine's bound on its t ("t must be ... <= 2^53"): here the horizon
        raise ValueError(re.sub(r"^t must", "horizon must", str(exc))) from None
    if_alive = np.divide(expected, alive, out=np.zeros_like(expected), where=alive > 0)
    if spend_model is not None and "monetary_value" in summary.columns and keep.any():
        spend = np.asarray(spend_model.expected_average_value(x[keep], summary["monetary_value"].to_numpy(dtype=float)[keep]))
    elif "monetary_value" in summary.columns:
        spend = summary["monetary_value"].to_numpy(dtype=float)[keep]
    else:
        spend = np.ones(int(keep.sum()))
    value_if_alive = if_alive * spend
    out = pd.DataFrame(
        {
            "frequency": x[keep], "recency": t_x[keep], "T": age[keep], "silence": silence[keep],
            "typical_gap": gap[keep], "silence_in_gaps": in_gaps[keep], "p_alive": alive,
            "expected_purchases": expected, "purchases_if_alive": if_alive, "value_if_alive": value_if_alive,
            "value_at_risk": (1.0 - alive) * value_if_alive,
        },
        index=summary.index[keep],
    )
    out["reason"] = [
        f"silent {s:.1f} {unit} = {g:.1f}x their usual gap of {gap_:.1f}; P(alive) {a:.2f}; "
        f"{v:.2f} at risk of {w:.2f} if still active"
        for s, g, gap_, a, v, w in zip(out["silence"], out["silence_in_gaps"], out["typical_gap"], out["p_alive"],
                                        out["value_at_risk"], out["value_if_alive"])
    ]
    out = out.sort_values("value_at_risk", ascending=False, kind="stable")
    out.attrs["excluded"] = {
        "one-time buyers (no rhythm yet)": int((~repeat).sum()),
        f"silent less than {min_silence_in_gaps} typical gaps": int((repeat & ~rhythm_broken).sum()),
        f"P(alive) below {min_p_alive} (probably lost already)": int((rhythm_broken & ~keep).sum()),
    }
    if out.empty:
        # An empty watchlist is an answer (nobody to call), with the reason in attrs.
        out.attrs["note"] = ("the filters selected no customer: " + "; ".join(
            f"{count} {why}" for why, count in out.attrs["excluded"].items() if count) or "the summary is empty")
    return out if top is None else out.head(top)
