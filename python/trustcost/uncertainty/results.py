"""The result of a Monte Carlo lifetime-cost simulation: tables, comparisons and plots."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _plotting
from .._display import ResultDisplay
from .._validation import as_float_array

PERCENTILES = (5, 25, 50, 75, 95)


def _rank_correlation(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman correlation of every column of x with every column of y (average ranks for ties)."""
    rx = pd.DataFrame(x).rank().to_numpy()
    ry = pd.DataFrame(y).rank().to_numpy()
    rx = (rx - rx.mean(0)) / np.where(rx.std(0) > 0, rx.std(0), np.nan)
    ry = (ry - ry.mean(0)) / np.where(ry.std(0) > 0, ry.std(0), np.nan)
    return rx.T @ ry / len(rx)


def _percents(q) -> np.ndarray:
    """Percent levels: a number or a list of numbers in [0, 100]."""
    levels = np.atleast_1d(as_float_array(q, "q", ndim=(0, 1)))
    outside = levels[~((levels >= 0) & (levels <= 100))]
    if outside.size:
        raise ValueError(f"q must be percents in [0, 100], got {outside[0]}")
    return levels


@dataclass(repr=False)
class SimulationResult(ResultDisplay):
    """Present value per path and offer, with the summaries a decision maker asks for.

    Attributes
    ----------
    present_values : pandas.DataFrame
        One row per path, one column per offer: the discounted lifetime cost on that path.
    category_means, category_std_errors : pandas.DataFrame
        Mean present value by offer (rows) and category (columns), and its standard error.
    inputs : pandas.DataFrame
        Sampled uncertain inputs (one column each) on the first paths, for importance.
    tornado : pandas.DataFrame
        One-at-a-time swings of each input from its 10th to its 90th percentile.
    expected : pandas.Series
        The expected-value LCC of each offer with every input at its mean (``Study.evaluate``).
    yearly : numpy.ndarray or None
        paths x offers x years costs, only when asked for (``keep_years=True``).
    seed : int
        The seed that reproduces this result.
    first_path : int
        Number of the first path (rows are paths ``first_path, first_path + 1, ...``).
    currency : str or None
        The study's currency label.
    """

    present_values: pd.DataFrame
    category_means: pd.DataFrame
    category_std_errors: pd.DataFrame
    inputs: pd.DataFrame
    tornado: pd.DataFrame
    expected: pd.Series
    seed: int
    yearly: np.ndarray | None = field(default=None, repr=False)
    first_path: int = 0
    currency: str | None = None
    # The engine's streaming sums by offer and category (trustcost._core.PathSums): what
    # uncertainty.merge combines, bit for bit, with the sums of adjacent ranges.
    _sums: object = field(default=None, repr=False)

    @classmethod
    def _from_engine(cls, pv, sums, sampled, yearly, *, offers, categories, inputs, seed, tornado, expected,
                     currency=None):
        """The result of the engine's arrays for paths ``sums.first_path ..`` (wrapped, not copied)."""
        mean, se = (a.reshape(len(offers), len(categories)) for a in sums.summarize())
        first = sums.first_path
        return cls(
            # The engine's arrays are ours alone: wrap them rather than copy (pandas 3 copies by default).
            present_values=pd.DataFrame(pv, columns=offers, index=pd.RangeIndex(first, first + len(pv), name="path"),
                                        copy=False),
            category_means=pd.DataFrame(mean, index=offers, columns=categories),
            category_std_errors=pd.DataFrame(se, index=offers, columns=categories),
            inputs=pd.DataFrame(sampled, columns=inputs, index=pd.RangeIndex(first, first + len(sampled), name="path"),
                                copy=False),
            tornado=tornado, expected=expected, seed=seed, yearly=yearly, first_path=first, _sums=sums,
            currency=currency)

    @property
    def offers(self) -> list[str]:
        return list(self.present_values.columns)

    @property
    def paths(self) -> int:
        return len(self.present_values)

    @property
    def mean(self) -> pd.Series:
        return self.present_values.mean()

    @property
    def std_error(self) -> pd.Series:
        return self.present_values.std(ddof=1) / np.sqrt(self.paths)

    @property
    def probability_cheapest(self) -> pd.Series:
        """Share of paths on which each offer has the lowest present value (ties split)."""
        pv = self.present_values.to_numpy()
        low = pv == pv.min(axis=1, keepdims=True)
        share = (low / low.sum(axis=1, keepdims=True)).mean(axis=0)
        return pd.Series(share, index=self.offers, name="probability_cheapest")

    def percentiles(self, q=PERCENTILES) -> pd.DataFrame:
        """Percentiles of each offer's present value (rows: offers); ``q`` in [0, 100]."""
        q = _percents(q)
        values = np.percentile(self.present_values.to_numpy(), q, axis=0).T
        return pd.DataFrame(values, index=self.offers, columns=[f"p{p:g}" for p in q])

    @property
    def summary(self) -> pd.DataFrame:
        """Per offer: mean with standard error, spread, percentiles and chance of being cheapest."""
        table = pd.DataFrame({"expected_lcc": self.expected, "mean": self.mean, "std_error": self.std_error,
                              "std": self.present_values.std(ddof=1)})
        table = table.join(self.percentiles()).join(self.probability_cheapest)
        return table.rename_axis("offer").sort_values("mean")

    def differences(self, baseline: str | None = None, q=PERCENTILES) -> pd.DataFrame:
        """Distribution of ``PV(offer) - PV(baseline)`` for every other offer.

        Paired sampling makes these differences tight: both offers saw the same draws of every
        input they share. Negative means the offer is cheaper than the baseline.
        """
        baseline = self.summary.index[0] if baseline is None else baseline
        q = _percents(q)
        if not isinstance(baseline, str) or baseline not in self.offers:
            raise ValueError(f"baseline must be one of {self.offers}, got {baseline!r}")
        rows = {}
        for offer in self.offers:
            if offer == baseline:
                continue
            d = (self.present_values[offer] - self.present_values[baseline]).to_numpy()
            row = {"mean": d.mean(), "std_error": d.std(ddof=1) / np.sqrt(len(d)), "probability_cheaper": float(np.mean(d < 0))}
            row |= {f"p{p:g}": v for p, v in zip(q, np.percentile(d, q))}
            rows[f"{offer} - {baseline}"] = row
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("difference")

    @property
    def importance(self) -> pd.DataFrame:
        """Spearman rank correlation of each sampled input (rows) with each offer's present value."""
        n = len(self.inputs)
        if self.inputs.shape[1] == 0:
            return pd.DataFrame(index=pd.Index([], name="input"), columns=self.offers, dtype=float)
        rho = _rank_correlation(self.inputs.to_numpy(), self.present_values.to_numpy()[:n])
        return pd.DataFrame(rho, index=self.inputs.columns, columns=self.offers).rename_axis("input")

    # ------------------------------------------------------------------ display (result protocol)

    def _headline(self) -> str:
        return (f"Monte Carlo lifetime cost: {self.paths:,} simulated lives, seed {self.seed}, amounts in "
                f"{self.currency or 'money'} of year 0")

    def to_frame(self) -> pd.DataFrame:
        """Every simulated present value as one tidy table: one row per path and offer."""
        return self.present_values.rename_axis(columns="offer").stack().rename("present_value").reset_index()

    def plot_cdf(self, ax=None):
        """Cumulative distribution of each offer's present value: the further left, the cheaper."""
        ax = _plotting.axes(ax)
        for k, offer in enumerate(self.offers):
            values = np.sort(self.present_values[offer].to_numpy())
            ax.plot(values, np.arange(1, len(values) + 1) / len(values), label=offer, color=_plotting.series_color(k))
        _plotting.money_axis(ax, self.currency, "x", "present value of lifetime cost")
        _plotting.share_axis(ax, "y")
        ax.set_ylabel("probability of costing at most this")
        ax.set_ylim(0, 1)
        ax.set_title(f"Lifetime cost, {self.paths:,} paths")
        ax.grid(alpha=0.3)
        _plotting.legend_outside(ax)
        return ax

    def plot_tornado(self, offer: str | None = None, ax=None, top: int = 10):
        """One-at-a-time swings of ``offer``'s expected LCC as each input moves from p10 to p90."""
        offer = self.summary.index[0] if offer is None else offer
        if offer not in self.offers:
            raise ValueError(f"offer must be one of {self.offers}, got {offer!r}")
        table = self.tornado[self.tornado["offer"] == offer].copy()
        table["swing"] = (table["high"] - table["low"]).abs()
        table = table.sort_values("swing").tail(top)
        ax = _plotting.axes(ax, figsize=(8, 0.45 * len(table) + 1.5))
        base = self.expected[offer]
        labels = table["input"].tolist()
        ax.barh(labels, table["low"] - base, left=base, color=_plotting.series_color(0), label="input at p10")
        ax.barh(labels, table["high"] - base, left=base, color=_plotting.series_color(1), label="input at p90")
        ax.axvline(base, color="black", lw=1)
        _plotting.money_axis(ax, self.currency, "x", f"expected lifetime cost of {offer}")
        ax.set_title("What drives the lifetime cost (one input at a time)")
        _plotting.legend_outside(ax)
        return ax

    def __repr__(self) -> str:
        return f"SimulationResult({self.paths:,} paths, seed {self.seed})\n{self.summary.to_string()}"
