"""Sourcing strategies: competitive bidding at low trust versus a partnership at high trust.

Aggressive buyers who pit suppliers against each other may get lower prices but pay for it
in transaction costs, inspection and disputes, and forgo the design and process ideas that
trusting suppliers share (Dyer 1997; Dyer & Chu 2003). :func:`compare_sourcing` puts a number
on that: the lifetime cost of each strategy, the year the partnership breaks even and — when
trust parameters are uncertain — how sure that is.

Each strategy's cost in year ``y >= 1`` is its purchases ``annual_spend (1 + escalation)^(y-1)``
plus the relationship lines of :class:`TransactionCostModel` at trust ``tau_y``; year 0 carries
its ``setup_cost`` (supplier development, a bidding round). Trust moves from ``trust`` toward
``trust_target`` closing a share ``trust_speed`` of the gap each year:
``tau_y = target - (target - trust) (1 - speed)^y`` — the expected path of a relationship that
keeps its promises (see :func:`trustcost.simulate_trust` for event-driven paths).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Mapping

import numpy as np
import pandas as pd

from .. import _core, _plotting, finance
from .._display import ResultDisplay
from .._validation import as_nonnegative, as_rate, check_choice, check_horizon, check_int, check_seed
from ..stats import Distribution, as_distribution
from .cost_model import LINES, TransactionCostModel

_UNCERTAIN = ("trust", "trust_target", "trust_speed")


@dataclass(frozen=True)
class SourcingStrategy:
    """One way of buying the same supply over the study.

    Parameters
    ----------
    name : str
    annual_spend : float
        Purchases per year at this strategy's prices (>= 0).
    trust : float or Distribution
        Trust in year 0, in [0, 1].
    trust_target : float or Distribution, optional
        Trust the relationship moves toward (default: stays at ``trust``).
    trust_speed : float or Distribution
        Share of the gap to the target closed each year, in [0, 1].
    setup_cost : float
        One-time cost in year 0 (>= 0).
    spend_escalation : float
        Real change of the annual spend per year (> -1).
    model : TransactionCostModel, optional
        Relationship-cost coefficients (default :class:`TransactionCostModel`).
    """

    name: str
    annual_spend: float
    trust: float | Distribution
    trust_target: float | Distribution | None = None
    trust_speed: float | Distribution = 0.0
    setup_cost: float = 0.0
    spend_escalation: float = 0.0
    model: TransactionCostModel | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        for field in ("annual_spend", "setup_cost"):
            object.__setattr__(self, field, as_nonnegative(getattr(self, field), f"{self.name}.{field}"))
        object.__setattr__(self, "spend_escalation", as_rate(self.spend_escalation, f"{self.name}.spend_escalation"))
        if self.trust_target is None:
            object.__setattr__(self, "trust_target", self.trust)
        for field in _UNCERTAIN:
            value = as_distribution(getattr(self, field), f"{self.name}.{field}")
            _check_unit(value, f"{self.name}.{field}")
            object.__setattr__(self, field, value)
        model = TransactionCostModel() if self.model is None else self.model
        if not isinstance(model, TransactionCostModel):
            raise TypeError(f"{self.name}.model must be a TransactionCostModel, got {model!r}")
        object.__setattr__(self, "model", model)

    @property
    def uncertain(self) -> bool:
        return any(not _is_fixed(getattr(self, f)) for f in _UNCERTAIN)

    def point(self) -> dict[str, float]:
        """Trust parameters at their means (the deterministic case)."""
        return {f: getattr(self, f).mean for f in _UNCERTAIN}

    def draws(self, size: int, seed: int) -> dict[str, np.ndarray]:
        """Reproducible draws of the trust parameters (one named stream each: independent)."""
        return {f: getattr(self, f).sample(size, seed=seed, stream=f"{self.name}.{f}") for f in _UNCERTAIN}


def _is_fixed(d: Distribution) -> bool:
    return type(d).__name__ == "Fixed"


def _check_unit(d: Distribution, name: str) -> None:
    """Every draw must be a share: no probability mass below 0 or above 1."""
    below, up_to_one = d.cdf(-1e-12), d.cdf(1.0)
    if below > 0 or up_to_one < 1:
        raise ValueError(f"{name} must lie in [0, 1], got a distribution with P(< 0) = {below:.3g} and "
                         f"P(> 1) = {1 - up_to_one:.3g} ({d!r}; use a Beta, a PERT or a Normal truncated to [0, 1])")


def _as_strategy(value, name: str) -> SourcingStrategy:
    if isinstance(value, SourcingStrategy):
        return value
    if isinstance(value, Mapping):
        spec = {"name": name, **value}
        unknown = set(spec) - {f.name for f in fields(SourcingStrategy)}
        if unknown:
            raise ValueError(f"{name}: unknown field(s) {sorted(unknown)}")
        return SourcingStrategy(**spec)
    raise TypeError(f"{name} must be a SourcingStrategy or a dict of its fields, got {value!r}")


def trust_paths(trust, target, speed, horizon: int) -> np.ndarray:
    """``tau_y = target - (target - trust) (1 - speed)^y`` for years 0..horizon, row per draw."""
    trust, target, speed = (np.atleast_1d(np.asarray(x, dtype=float))[:, None] for x in (trust, target, speed))
    return target - (target - trust) * (1.0 - speed) ** np.arange(horizon + 1)[None, :]


def _yearly(strategy: SourcingStrategy, tau: np.ndarray, horizon: int) -> np.ndarray:
    """Cost per draw, year and column (purchases, setup, the relationship lines): one C++ call."""
    draws = tau.shape[0]
    spend = strategy.annual_spend * (1 + strategy.spend_escalation) ** np.arange(horizon)
    spend = np.ascontiguousarray(np.broadcast_to(spend, (draws, horizon)))
    models = np.tile(strategy.model._engine_row(), (draws, 1))
    out = np.zeros((draws, horizon + 1, 2 + len(LINES)))
    out[:, 1:, 0] = spend
    out[:, 0, 1] = strategy.setup_cost
    out[:, 1:, 2:] = _core.trust_lines(models, np.ascontiguousarray(tau[:, 1:]), spend)  # no operations in year 0
    return out


def break_even_years(cumulative_gap: np.ndarray) -> np.ndarray:
    """First year from which the partnership's cumulative discounted cost stays at or below the
    aggressive strategy's to the horizon (``cumulative_gap`` = aggressive - partnership, rows =
    draws); NaN if it is dearer at the horizon."""
    gap = np.atleast_2d(cumulative_gap)
    dearer = gap < 0
    last_dearer = np.where(dearer.any(axis=1), gap.shape[1] - 1 - np.argmax(dearer[:, ::-1], axis=1), -1)
    years = (last_dearer + 1).astype(float)
    years[dearer[:, -1]] = np.nan
    return years


def compare_sourcing(aggressive, partnership, *, horizon: int = 10, discount_rate: float = 0.05,
                     timing: str = "end", draws: int = 2000, seed: int = 0) -> "SourcingComparison":
    """Lifetime cost of competitive bidding versus a partnership, and when the partnership pays off.

    Parameters
    ----------
    aggressive, partnership : SourcingStrategy or dict
        The two strategies (a dict gives :class:`SourcingStrategy` fields; the name defaults to
        the argument's). Typically the aggressive one has the lower ``annual_spend`` and low
        trust, the partnership a higher spend, a ``setup_cost``, and trust rising to a high target.
    horizon : int
        Study years after year 0.
    discount_rate : float
        Real discount rate (> -1).
    timing : {"end", "mid", "begin"}
        Where a year's costs fall within it.
    draws : int
        Monte Carlo draws when a trust parameter is a Distribution.
    seed : int
        Seed of the draws: same seed, same result.

    Returns
    -------
    SourcingComparison
    """
    strategies = (_as_strategy(aggressive, "aggressive"), _as_strategy(partnership, "partnership"))
    if strategies[0].name == strategies[1].name:
        strategies = (replace(strategies[0], name=f"{strategies[0].name} (aggressive)"), strategies[1])
    horizon = check_horizon(horizon)
    seed = check_seed(seed)
    rate = as_rate(discount_rate, "discount_rate")
    check_choice(timing, "timing", finance.TIMINGS)
    factors = np.concatenate([[1.0], finance.discount_factors(rate, horizon, timing)])
    point = [_yearly(s, trust_paths(**_path_args(s.point()), horizon=horizon), horizon)[0] for s in strategies]
    monte_carlo = None
    if any(s.uncertain for s in strategies):
        draws = check_int(draws, "draws", 2)
        totals = []
        for s in strategies:
            d = s.draws(int(draws), seed)
            totals.append(_yearly(s, trust_paths(**_path_args(d), horizon=horizon), horizon).sum(axis=2))
        monte_carlo = _MonteCarlo(totals[0] @ factors, totals[1] @ factors,
                                  break_even_years(np.cumsum((totals[0] - totals[1]) * factors, axis=1)))
    return SourcingComparison(strategies, point, factors, horizon, rate, timing, monte_carlo, seed)


def _path_args(values: Mapping[str, float | np.ndarray]) -> dict:
    return {"trust": values["trust"], "target": values["trust_target"], "speed": values["trust_speed"]}


@dataclass(frozen=True)
class _MonteCarlo:
    aggressive: np.ndarray   # lifetime cost per draw
    partnership: np.ndarray
    break_even: np.ndarray   # year per draw, NaN = not within the horizon


class SourcingComparison(ResultDisplay):
    """Result of :func:`compare_sourcing`.

    Attributes
    ----------
    yearly : pandas.DataFrame
        Cost per year (rows) by strategy and line (columns), trust parameters at their means.
    present_value : pandas.DataFrame
        Present value by strategy (rows) and line (columns), with ``total`` (the lifetime cost).
    trust : pandas.DataFrame
        Trust per year (rows) and strategy (columns), parameters at their means.
    break_even_year : float
        First year from which the partnership stays no dearer in cumulative discounted cost
        (NaN: not within the horizon).
    draws : pandas.DataFrame or None
        Monte Carlo draws: lifetime cost of each strategy and the break-even year per draw.
    """

    COLUMNS = ("purchases", "setup", *LINES)

    def __init__(self, strategies, point, factors, horizon, rate, timing, monte_carlo, seed):
        self.strategies, self.horizon, self.discount_rate, self.timing, self.seed = strategies, horizon, rate, timing, seed
        self.names = [s.name for s in strategies]
        columns = pd.MultiIndex.from_product([self.names, self.COLUMNS], names=["strategy", "line"])
        self.yearly = pd.DataFrame(np.concatenate(point, axis=1), index=pd.RangeIndex(horizon + 1, name="year"),
                                   columns=columns)
        self.discount_factors = factors
        self.present_value = pd.DataFrame([p.T @ factors for p in point], index=pd.Index(self.names, name="strategy"),
                                          columns=list(self.COLUMNS))
        self.present_value["total"] = self.present_value.sum(axis=1)
        totals = np.stack([p.sum(axis=1) for p in point])
        self.cumulative = pd.DataFrame(np.cumsum(totals * factors, axis=1).T, index=self.yearly.index,
                                       columns=pd.Index(self.names, name="strategy"))
        self.break_even_year = float(break_even_years(self.cumulative.iloc[:, 0] - self.cumulative.iloc[:, 1])[0])
        self.trust = pd.DataFrame(
            np.stack([trust_paths(**_path_args(s.point()), horizon=horizon)[0] for s in strategies]).T,
            index=self.yearly.index, columns=pd.Index(self.names, name="strategy"))
        self.draws = None
        if monte_carlo is not None:
            self.draws = pd.DataFrame({self.names[0]: monte_carlo.aggressive, self.names[1]: monte_carlo.partnership,
                                       "break_even_year": monte_carlo.break_even})

    @property
    def probability_partnership_cheaper(self) -> float:
        """Share of draws in which the partnership's lifetime cost is lower (needs uncertainty)."""
        if self.draws is None:
            return float(self.present_value["total"].iloc[1] < self.present_value["total"].iloc[0])
        return float((self.draws[self.names[1]] < self.draws[self.names[0]]).mean())

    @property
    def summary(self) -> pd.DataFrame:
        """Lifetime cost and its parts per strategy (trust parameters at their means); with Monte
        Carlo also the mean and the 10% and 90% quantiles of the lifetime cost over the draws."""
        pv = self.present_value
        table = pd.DataFrame({
            "lifetime_cost": pv["total"],
            "purchases": pv["purchases"] + pv["setup"],
            "relationship_costs": pv[[c for c in LINES if c != "information_sharing"]].sum(axis=1),
            "information_sharing": pv["information_sharing"],
            "mean_trust": self.trust.iloc[1:].mean(),
        })
        table["above_cheapest"] = table["lifetime_cost"] - table["lifetime_cost"].min()
        if self.draws is not None:
            draws = self.draws[self.names]
            table["lifetime_cost_mean"] = draws.mean()
            table["lifetime_cost_p10"] = draws.quantile(0.1)
            table["lifetime_cost_p90"] = draws.quantile(0.9)
        return table

    @property
    def break_even(self) -> pd.Series:
        """Break-even year of the partnership: point estimate and, with Monte Carlo, its spread."""
        out = {"break_even_year": self.break_even_year,
               "probability_partnership_cheaper": self.probability_partnership_cheaper}
        if self.draws is not None:
            years = self.draws["break_even_year"]
            out["probability_break_even_within_horizon"] = float(years.notna().mean())
            for q in (0.1, 0.5, 0.9):  # never (NaN) sorts last, as inf; no interpolation between years
                out[f"break_even_year_p{int(q * 100)}"] = float(
                    np.quantile(years.fillna(np.inf).to_numpy(), q, method="inverted_cdf"))
            out["draws"] = len(years)
        return pd.Series(out, name=f"{self.names[1]} vs {self.names[0]}")

    @property
    def difference(self) -> pd.Series:
        """Cumulative discounted cost of the partnership minus the aggressive strategy, by year:
        where it turns negative (and stays), the partnership has paid for itself."""
        return (self.cumulative[self.names[1]] - self.cumulative[self.names[0]]).rename(
            f"{self.names[1]} - {self.names[0]}")

    def plot(self, ax=None):
        """The cumulative difference in discounted cost (partnership minus aggressive) with the
        break-even year marked, and with Monte Carlo the break-even year's distribution.

        The difference, not the two cumulative totals: both grow to millions while the gap that
        decides is a few percent of them."""
        if ax is None:
            ncols = 2 if self.draws is not None else 1
            fig = _plotting.pyplot().figure(figsize=(6.5 * ncols, 4), layout="constrained")
            ax = fig.subplots(1, ncols, squeeze=False)[0]
        ax = np.atleast_1d(ax)
        diff = self.difference
        years, values = diff.index.to_numpy(), diff.to_numpy()
        ax[0].plot(years, values, marker="o", markersize=3, color="black", label=diff.name)
        ax[0].fill_between(years, values, 0, where=values > 0, interpolate=True, color=_plotting.series_color(3),
                           alpha=0.25, label=f"{self.names[1]} dearer so far")
        ax[0].fill_between(years, values, 0, where=values <= 0, interpolate=True, color=_plotting.series_color(2),
                           alpha=0.25, label=f"{self.names[1]} cheaper so far")
        ax[0].axhline(0, color="black", linewidth=0.8)
        if np.isfinite(self.break_even_year):
            ax[0].axvline(self.break_even_year, color="grey", linestyle="--",
                          label=f"break-even: year {self.break_even_year:g}")
        ax[0].set_xlabel("year")
        _plotting.money_axis(ax[0], None, "y", "cumulative discounted cost difference")
        ax[0].set_title(f"{self.names[1]} minus {self.names[0]}")
        ax[0].grid(alpha=0.3)
        ax[0].legend(fontsize="small", loc="best")
        if self.draws is not None and len(ax) > 1:
            years = self.draws["break_even_year"]
            counts = years.value_counts().reindex(range(self.horizon + 1), fill_value=0)
            ax[1].bar(counts.index, counts.to_numpy() / len(years), color=_plotting.series_color(0),
                      label="breaks even in year")
            ax[1].bar([self.horizon + 1.5], [years.isna().mean()], color=_plotting.series_color(3),
                      label="not within horizon")
            ax[1].set_xlabel("break-even year")
            ax[1].set_ylabel("share of draws")
            _plotting.share_axis(ax[1], "y")
            ax[1].legend(fontsize="small", loc="best")
        return ax

    def _headline(self) -> str:
        return (f"Sourcing: {self.names[1]} vs {self.names[0]} over {self.horizon} years at "
                f"{self.discount_rate:.2%}, real money")

    _column_kinds = {"mean_trust": "trust"}

    def _tables(self):
        return [("", self.summary), ("Break-even", self.break_even.to_frame().T)]

    def to_frame(self) -> pd.DataFrame:
        """Per year: each strategy's trust and cumulative discounted cost, and their difference."""
        out = self.cumulative.add_prefix("cumulative_").join(self.trust.add_prefix("trust_"))
        out["difference"] = self.difference
        return out.reset_index()

    def __repr__(self) -> str:
        return f"SourcingComparison({self.names[1]!r} vs {self.names[0]!r}, break_even_year={self.break_even_year})"


__all__ = ["SourcingStrategy", "SourcingComparison", "compare_sourcing", "trust_paths", "break_even_years"]
