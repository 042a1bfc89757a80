"""A promise ledger: what was promised before the sale, checked against what was delivered.

The people who make promises (sales, key account managers) are often not the ones who have to
keep them (operations, service, logistics). The ledger records each promise — a delivery date,
an uptime, a response time — with who promised it and who delivered, marks it kept or broken,
summarises the record by promiser and deliverer, and turns it into ``promise_kept`` /
``promise_broken`` events for :func:`trustcost.simulate_trust`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _plotting
from .._display import ResultDisplay

DIRECTIONS = ("at_most", "at_least")
"""``at_most``: kept when delivered <= promised (dates, response times); ``at_least``: kept when
delivered >= promised (uptime, capacity)."""

DEFAULT_DIRECTIONS = {
    "delivery_date": "at_most",
    "response_time": "at_most",
    "lead_time": "at_most",
    "resolution_time": "at_most",
    "uptime": "at_least",
    "availability": "at_least",
    "capacity": "at_least",
}
"""Direction of the usual promise kinds; other kinds need a ``direction`` column."""

_REQUIRED = ("promise", "promised_by", "delivered_by", "promised", "delivered", "time")


def _gap(promised: pd.Series, delivered: pd.Series) -> np.ndarray:
    """delivered - promised per row: days for dates, the values' own unit otherwise. One ledger
    may mix delivery dates and uptimes, so mixed (object) columns are compared row by row."""
    out = np.empty(len(promised))
    for row, (p, d) in enumerate(zip(promised, delivered)):
        if pd.isna(p):  # nothing to check delivery against: neither kept nor broken
            raise ValueError(f"promises row {row}: promised is missing ({p!r}), so the promise cannot be checked; "
                             f"fill it in or drop the row")
        if pd.isna(d):
            out[row] = np.nan  # not delivered
            continue
        dated = isinstance(p, (pd.Timestamp, np.datetime64)), isinstance(d, (pd.Timestamp, np.datetime64))
        if all(dated):
            out[row] = (pd.Timestamp(d) - pd.Timestamp(p)) / pd.Timedelta(days=1)
        elif any(dated):
            raise TypeError(f"promises row {row}: promised and delivered must both be dates or both numbers, "
                            f"got {p!r} and {d!r}")
        else:
            try:
                out[row] = float(d) - float(p)
            except (TypeError, ValueError):
                raise TypeError(f"promises row {row}: promised and delivered must be numbers or dates, "
                                f"got {p!r} and {d!r}") from None
    return out


class PromiseLedger(ResultDisplay):
    """Promises made before the sale, checked against delivery.

    Parameters
    ----------
    promises : pandas.DataFrame
        One row per promise with columns ``promise`` (kind, e.g. ``"delivery_date"``,
        ``"uptime"``, ``"response_time"``), ``promised_by``, ``delivered_by``, ``promised`` and
        ``delivered`` (numbers or dates; a missing ``delivered`` is a promise not delivered:
        broken; a missing ``promised`` is an error naming the row), ``time`` (when it fell due: years or dates, used as the event time).
        Optional: ``direction`` (:data:`DIRECTIONS`, overrides :data:`DEFAULT_DIRECTIONS`) and
        ``tolerance`` (slack in the values' unit, days for dates; default 0).

    Attributes
    ----------
    checked : pandas.DataFrame
        The promises with ``direction``, ``margin`` (how far delivery beat the promise; < 0 is a
        shortfall) and ``kept``.
    """

    def __init__(self, promises: pd.DataFrame):
        if not isinstance(promises, pd.DataFrame):
            raise TypeError(f"promises must be a DataFrame, got {type(promises).__name__}")
        missing = [c for c in _REQUIRED if c not in promises.columns]
        if missing:
            raise ValueError(f"promises is missing column(s) {missing}; it has {list(promises.columns)}")
        frame = promises.reset_index(drop=True).copy()
        given = frame["direction"] if "direction" in frame.columns else pd.Series([None] * len(frame))
        directions = []
        for row, (kind, direction) in enumerate(zip(frame["promise"], given)):
            if direction is None or (isinstance(direction, float) and np.isnan(direction)):
                if kind not in DEFAULT_DIRECTIONS:
                    raise ValueError(f"promises row {row}: promise kind {kind!r} has no default direction; add a "
                                     f"'direction' column ({' or '.join(DIRECTIONS)}) or use one of "
                                     f"{sorted(DEFAULT_DIRECTIONS)}")
                direction = DEFAULT_DIRECTIONS[kind]
            if direction not in DIRECTIONS:
                raise ValueError(f"promises row {row}: direction must be one of {DIRECTIONS}, got {direction!r}")
            directions.append(direction)
        tolerance = (frame["tolerance"].to_numpy(dtype=np.float64) if "tolerance" in frame.columns
                     else np.zeros(len(frame)))
        bad = np.flatnonzero(~(tolerance >= 0))
        if bad.size:
            raise ValueError(f"promises row {bad[0]}: tolerance must be >= 0, got {tolerance[bad[0]]}")
        gap = _gap(frame["promised"], frame["delivered"])
        sign = np.where(np.array(directions) == "at_most", -1.0, 1.0)
        margin = sign * gap  # > 0: delivered better than promised
        frame["direction"] = directions
        frame["margin"] = margin
        frame["kept"] = np.nan_to_num(margin, nan=-np.inf) >= -tolerance  # not delivered: broken
        self.checked = frame

    @property
    def summary(self) -> pd.DataFrame:
        """Promises, kept, broken and share kept by who promised and who delivered."""
        return self._tally(["promised_by", "delivered_by"])

    def by_kind(self) -> pd.DataFrame:
        """The same tally by promise kind."""
        return self._tally(["promise"])

    def _tally(self, keys) -> pd.DataFrame:
        grouped = self.checked.groupby(keys, sort=True)["kept"]
        table = pd.DataFrame({"promises": grouped.size(), "kept": grouped.sum().astype(int)})
        table["broken"] = table["promises"] - table["kept"]
        table["kept_share"] = table["kept"] / table["promises"]
        return table

    def to_events(self, strength: str | None = None) -> pd.DataFrame:
        """``promise_kept`` / ``promise_broken`` events at each promise's ``time``, in time order.

        Parameters
        ----------
        strength : str, optional
            Column to use as the events' strength (e.g. the order value or a severity score).
        """
        events = pd.DataFrame({
            "time": self.checked["time"],
            "kind": np.where(self.checked["kept"], "promise_kept", "promise_broken"),
            "promise": self.checked["promise"],
        })
        if strength is not None:
            if strength not in self.checked.columns:
                raise ValueError(f"strength must be a column of the ledger, got {strength!r}")
            events["strength"] = self.checked[strength].to_numpy(dtype=np.float64)
        return events.sort_values("time", kind="stable").reset_index(drop=True)

    def plot(self, ax=None):
        """Share of promises kept by who promised (bars split by who delivered)."""
        ax = _plotting.axes(ax, figsize=(7, 3.8))
        shares = self.summary["kept_share"].unstack("delivered_by")
        shares.plot.bar(ax=ax, color=[_plotting.series_color(k) for k in range(shares.shape[1])], rot=0)
        ax.set_ylim(0, 1)
        _plotting.share_axis(ax, "y")
        ax.set_ylabel("share of promises kept")
        ax.set_xlabel("promised by")
        ax.grid(axis="y", alpha=0.3)
        _plotting.legend_outside(ax, title="delivered by")
        return ax

    def _headline(self) -> str:
        return f"Promise ledger: {len(self.checked)} promises, {int(self.checked['kept'].sum())} kept"

    def to_frame(self) -> pd.DataFrame:
        """Every promise with its direction, margin and whether it was kept."""
        return self.checked.copy()

    def __repr__(self) -> str:
        return f"PromiseLedger(promises={len(self.checked)}, kept={int(self.checked['kept'].sum())})"


__all__ = ["PromiseLedger", "DIRECTIONS", "DEFAULT_DIRECTIONS"]
