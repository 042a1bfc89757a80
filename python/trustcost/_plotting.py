"""The one plotting style of trustcost: colours, money axes, legends and net-total markers.

Every ``plot_*`` method in the package draws through these helpers, so a category has the same
colour in every chart, money axes carry thousands separators and the currency, and legends sit
outside the bars they would cover. The methods return the Axes they drew on (its ``.figure``
saves to a file); a new figure is made with pyplot only when no ``ax`` is given, so it shows in
Jupyter, and nothing here ever calls ``show()`` or switches the backend.

matplotlib is optional (``pip install trustcost[plot]``): it is imported when a chart is drawn.
"""

from __future__ import annotations

import importlib
import math

import numpy as np

from ._core import TrustLine  # the engine's relationship lines; plotting sits below the trust package

# Kelly's colours of maximum contrast (K. L. Kelly, "Twenty-two colors of maximum contrast",
# Color Engineering 3(6), 1965), without white and black: distinct for 11 cost categories, the
# 5 relationship lines and a few user categories.
KELLY = ("#0067A5", "#A1CAF1", "#875692", "#F38400", "#008856", "#BE0032", "#E68FAC", "#C2B280", "#882D17",
         "#848482", "#8DB600", "#F3C300", "#604E97", "#2B3D26", "#B3446C", "#654522", "#F99379", "#E25822",
         "#F6A600", "#DCD300")

N_COST_COLORS = 11
"""The first Kelly colours go to the standard cost categories (in the order the caller's
``standard`` gives, :data:`trustcost.CATEGORIES` for lifetime cost), the next to the relationship lines."""

LINE_COLORS = dict(zip((name.lower() for name in TrustLine.__members__), KELLY[N_COST_COLORS:]))
"""Fixed colour of every relationship line (the same in every chart)."""

SERIES_COLORS = ("#0067A5", "#F38400", "#008856", "#BE0032", "#875692", "#882D17", "#E68FAC", "#848482")
"""Colours of offers, strategies and paths drawn as lines (one per series, in order)."""

NET_MARKER = dict(marker="D", color="black", markersize=6, linestyle="none", zorder=5)

PLOT_EXTRA = "pip install trustcost[plot]"


def pyplot():
    """matplotlib.pyplot, or an ImportError that says how to install it."""
    try:
        return importlib.import_module("matplotlib.pyplot")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] != "matplotlib":
            raise
        raise ImportError(f"charts need matplotlib: {PLOT_EXTRA}") from None


def axes(ax=None, figsize=(7.5, 4.0)):
    """``ax`` itself, or the Axes of a new pyplot figure (constrained layout leaves room for an
    outside legend)."""
    if ax is not None:
        return ax
    return pyplot().subplots(figsize=figsize, layout="constrained")[1]


def figure(figsize=(7.5, 4.0)):
    """A figure outside pyplot (nothing to show or close): for files and reports."""
    pyplot()  # the friendly error when matplotlib is missing
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained")


def category_colors(categories, standard=()) -> list[str]:
    """Colours for ``categories``: a fixed colour for each of the ``standard`` cost categories (by
    position) and for each relationship line, so a category looks the same in every chart; unused
    Kelly colours for user categories in order."""
    fixed = dict(zip(list(standard)[:N_COST_COLORS], KELLY)) | LINE_COLORS
    spare = [c for c in KELLY if c not in {fixed.get(k) for k in categories}]
    return [fixed[name] if name in fixed else spare.pop(0) if spare else "#555555" for name in categories]


def series_color(k: int) -> str:
    return SERIES_COLORS[k % len(SERIES_COLORS)]


def money_label(what: str, currency: str | None, per: str = "") -> str:
    """Axis label: ``"present value (EUR)"``, ``"cost (money/year)"``."""
    unit = currency or "money"
    return f"{what} ({unit}{'/' + per if per else ''})"


def money_text(value: float) -> str:
    """A money amount for reading: thousands separators, whole units from 100 up."""
    if not math.isfinite(value):
        return "-" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return f"{value:,.0f}" if abs(value) >= 100 or value == 0 else f"{value:,.2f}"


def money_axis(ax, currency: str | None = None, axis: str = "y", label: str | None = None, per: str = "") -> None:
    """Thousands separators on a money axis (millions as ``1.2M`` from ten million up) and the
    currency in its label."""
    from matplotlib.ticker import FuncFormatter

    def tick(value, _pos):
        if abs(value) >= 1e7:
            return f"{value / 1e6:,.1f}M"
        return f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:,.2g}"

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(tick))
    if label is not None:
        (ax.set_ylabel if axis == "y" else ax.set_xlabel)(money_label(label, currency, per))


def share_axis(ax, axis: str = "y") -> None:
    """Percent ticks on an axis of shares or probabilities in [0, 1]."""
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0, decimals=0))


def legend_outside(ax, **kwargs) -> None:
    """Legend to the right of the plot area, where it covers nothing."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False,
                  **kwargs)


def stacked_bars(ax, frame, currency: str | None = None, label: str = "present value", standard=(),
                 annotate: bool = True):
    """Stacked bars of ``frame`` (rows: bars, columns: parts), positive parts up and negative parts
    (credits) down from zero, a diamond at each bar's net total with its value."""
    labels = [str(i) for i in frame.index]
    x = np.arange(len(frame))
    up, down = np.zeros(len(frame)), np.zeros(len(frame))
    for category, color in zip(frame.columns, category_colors(list(frame.columns), standard)):
        values = np.nan_to_num(frame[category].to_numpy(dtype=float))
        base = np.where(values >= 0, up, down)
        ax.bar(x, values, bottom=base, color=color, label=str(category), width=0.65, edgecolor="white", linewidth=0.4)
        up += np.clip(values, 0, None)
        down += np.clip(values, None, 0)
    net = frame.sum(axis=1).to_numpy(dtype=float)
    ax.plot(x, net, label="net total", **NET_MARKER)
    span = max(up.max(), 0) - min(down.min(), 0) or 1.0
    for xi, top, value in zip(x, up, net) if annotate else ():
        ax.annotate(money_text(value), (xi, top + 0.02 * span), ha="center", va="bottom", fontsize="small")
    ax.set_ylim(min(down.min(), 0) - 0.05 * span * (down.min() < 0), max(up.max(), 0) + 0.1 * span)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, labels, rotation=30 if len(labels) > 5 or max(map(len, labels), default=0) > 14 else 0,
                  ha="right" if len(labels) > 5 or max(map(len, labels), default=0) > 14 else "center")
    money_axis(ax, currency, "y", label)
    ax.grid(axis="y", alpha=0.3)
    legend_outside(ax)
    return ax


def informative_limits(values: np.ndarray, keep: float = 0.9, pad: float = 0.1) -> tuple[float, float, bool]:
    """A y-range covering the bulk of ``values`` when a few extreme points (a spike) would flatten
    the rest: the central ``keep`` share of the finite values, padded. Returns (low, high,
    clipped), ``clipped`` telling whether some values lie outside."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0, 1.0, False
    low, high = float(finite.min()), float(finite.max())
    q_low, q_high = np.quantile(finite, [(1 - keep) / 2, 1 - (1 - keep) / 2])
    core = q_high - q_low
    clipped = core > 0 and (high - q_high > 2 * core or q_low - low > 2 * core)
    if clipped:
        low, high = min(q_low, 0.0) if q_low >= 0 else q_low, q_high
    span = high - low or abs(high) or 1.0
    return low - pad * span, high + pad * span, bool(clipped)


def note(ax, text: str) -> None:
    """A small note in the lower-left corner of the plot (e.g. that the range is clipped)."""
    ax.text(0.01, 0.01, text, transform=ax.transAxes, fontsize="x-small", color="#555555", ha="left", va="bottom")


__all__ = ["KELLY", "LINE_COLORS", "SERIES_COLORS", "PLOT_EXTRA", "pyplot", "axes", "category_colors",
           "series_color", "money_label", "money_text", "money_axis", "share_axis", "legend_outside", "stacked_bars",
           "informative_limits", "note"]
