"""Time units of the relationship package: one table, used by every function that takes ``freq``.

A unit is named by a pandas period alias; the spellings in :data:`ALIASES` (lifetimes' "H" for
hours among them) are accepted everywhere and mean the same thing.
"""

from __future__ import annotations

__all__ = ["ALIASES", "PERIODS_PER_MONTH", "time_unit"]

#: Accepted spellings -> canonical pandas period alias.
ALIASES: dict[str, str] = {
    "h": "h", "H": "h", "hour": "h", "hours": "h",
    "D": "D", "d": "D", "day": "D", "days": "D",
    "W": "W", "w": "W", "week": "W", "weeks": "W",
    "M": "M", "month": "M", "months": "M",
    "Q": "Q", "quarter": "Q", "quarters": "Q",
    "Y": "Y", "A": "Y", "year": "Y", "years": "Y",
}

#: Model time units per month, as lifetimes converts a monthly CLV horizon (30 days, 4.345 weeks,
#: 720 hours a month).
PERIODS_PER_MONTH: dict[str, float] = {"h": 30.0 * 24.0, "D": 30.0, "W": 4.345, "M": 1.0, "Q": 1.0 / 3.0, "Y": 1.0 / 12.0}


def time_unit(freq, name: str = "freq") -> str:
    """The canonical alias of ``freq`` ('h', 'D', 'W', 'M', 'Q' or 'Y'), or ValueError listing the choices."""
    if isinstance(freq, str) and freq in ALIASES:
        return ALIASES[freq]
    raise ValueError(f"{name} must be one of {sorted(set(ALIASES))} (hours, days, weeks, months, quarters, years), got {freq!r}")
