"""Offers, studies and their evaluation: the lifetime cost of ownership of competing offers.

The model is an expected-value life-cycle cost (NIST Handbook 135; ASTM E917): every cost
element gives an expected cost per study year in real money of year 0, discounted at a real
rate. All offers are evaluated in one batched C++ call (``trustcost::lcc::evaluate``) with the
GIL released and offers split over threads.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np
import pandas as pd

from .. import _core, _plotting, finance
from .._core import ItemKind
from .._display import ResultDisplay
from .._errors import NoSolutionWarning
from .._validation import as_rate, check_choice, check_choices, check_flag, check_horizon, check_names
from .engine import StudyEngine
from .elements import CATEGORIES, INVESTMENT_CATEGORIES, CostElement, Item, OneTime, Supplier, _item, stack
from ..trust.profile import RELATIONSHIP_CATEGORIES, TrustProfile, warn_partial_profiles, warn_relationship_scale


def _as_tuple(values, name: str) -> tuple:
    """A list, tuple or other collection as a tuple; a 0-d array, a string or a mapping refused."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__") or np.ndim(values) == 0 and \
            isinstance(values, np.ndarray):
        raise TypeError(f"{name} must be a list, got {type(values).__name__} {values!r}")
    return tuple(values)


@dataclass(frozen=True)
class Offer:
    """One seller's offer: its cost elements and, optionally, the seller's financial health.

    Parameters
    ----------
    name : str
        Unique within a study.
    costs : sequence of CostElement
        Element names must be unique within the offer (they name the element in errors).
    supplier : Supplier, optional
        Adds the expected cost of losing support (category ``supplier_risk``).
    trust_profile : TrustProfile, optional
        Trust, annual spend and interaction profile with this seller: adds the relationship lines
        (categories ``transaction``, ``procurement``, ``inspection``, ``disputes``,
        ``information_sharing``) — the trust-adjusted total cost (Dyer & Chu 2003).
    """

    name: str
    costs: tuple[CostElement, ...]
    supplier: Supplier | None = None
    trust_profile: TrustProfile | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"offer name must be a non-empty string, got {self.name!r}")
        if isinstance(self.costs, CostElement) or not hasattr(self.costs, "__iter__") or isinstance(self.costs, (str, dict)):
            raise TypeError(f"offer {self.name!r}: costs must be a list of cost elements, got "
                            f"{type(self.costs).__name__} {self.costs!r}" + (" (pass [element])" if isinstance(
                                self.costs, CostElement) else ""))
        costs = _as_tuple(self.costs, f"offer {self.name!r}: costs")
        seen: set[str] = set()
        for k, element in enumerate(costs):
            if not isinstance(element, CostElement):
                raise TypeError(f"offer {self.name!r}: costs[{k}] must be a cost element, got {element!r}")
            if element.name in seen:
                raise ValueError(f"offer {self.name!r}: duplicate element name {element.name!r}")
            seen.add(element.name)
        object.__setattr__(self, "costs", costs)
        if self.supplier is not None and not isinstance(self.supplier, Supplier):
            raise TypeError(f"offer {self.name!r}: supplier must be a Supplier, got {self.supplier!r}")
        if self.trust_profile is not None and not isinstance(self.trust_profile, TrustProfile):
            raise TypeError(f"offer {self.name!r}: trust_profile must be a TrustProfile, got {self.trust_profile!r}")
        if not costs and self.supplier is None and self.trust_profile is None:
            raise ValueError(f"offer {self.name!r}: costs must not be empty")

    def element(self, name: str) -> CostElement:
        for element in self.costs:
            if element.name == name:
                return element
        raise ValueError(f"offer {self.name!r} has no element {name!r}; it has {[e.name for e in self.costs]}")

    def price_element(self) -> OneTime:
        """The purchase price: the offer's one ``OneTime`` element of category ``acquisition``."""
        found = [e for e in self.costs if isinstance(e, OneTime) and e.category == "acquisition"]
        if len(found) != 1:
            raise ValueError(f"offer {self.name!r} must have exactly one OneTime acquisition element to act as "
                             f"its price, found {len(found)}; name one with element=")
        return found[0]

    def items(self, horizon: int):
        out = []
        for element in self.costs:
            try:
                out.extend(element.items(horizon))
            except ValueError as exc:
                raise ValueError(f"offer {self.name!r}, element {element.name!r}: {exc}") from None
        if self.supplier is not None:
            out.extend(self.supplier.items(horizon))
        if self.trust_profile is not None:
            try:
                out.extend(_trust_items(self.trust_profile, horizon))
            except ValueError as exc:
                raise ValueError(f"offer {self.name!r}: {exc}") from None
        return out

    def trust_path(self, horizon: int) -> np.ndarray:
        """Trust per study year (zeros without a trust profile: no Trust item reads them)."""
        if self.trust_profile is None:
            return np.zeros(horizon + 1)
        try:
            return self.trust_profile.trust_path(horizon)
        except ValueError as exc:
            raise ValueError(f"offer {self.name!r}: {exc}") from None


def _trust_items(profile: TrustProfile, horizon: int) -> list[Item]:
    """One engine item per relationship line of a trust profile (kind ``Trust``)."""
    end = horizon if profile.end is None else profile.end
    if profile.start > horizon or end > horizon or end < profile.start:
        raise ValueError(f"trust_profile years start = {profile.start}, end = {end} must satisfy "
                         f"start <= end <= horizon = {horizon}")
    terms = profile.interaction.line_terms(profile.annual_spend)  # the engine's line_base per line
    return [
        _item(ItemKind.TRUST, line, amount=row.base, start=profile.start, end=end,
              escalation=profile.spend_escalation if row.scales_with_spend else 0.0, shape=row.low, scale=row.high,
              interval=profile.interaction.curvature)
        for line, row in terms.iterrows()
    ]


def _refuse_percent(name: str, rate: float) -> None:
    """A rate above 100% is far more often a percent typed as a number than meant."""
    raise ValueError(f"{name} = {rate:g} is {rate:.0%} a year; rates are fractions: did you mean {rate / 100:g} "
                     f"for {rate:g}%? If {rate:.0%} is meant, pass allow_rates_above_100_percent=True (in a scenario: "
                     f"allow_rates_above_100_percent = true under [study])")


def _categories(items_per_offer) -> list[str]:
    """Standard categories in reporting order, then the relationship lines, then user categories
    alphabetically: the layout does not depend on the order of elements or offers."""
    used = {item.category for items in items_per_offer for item in items}
    known = [*CATEGORIES, *RELATIONSHIP_CATEGORIES]
    return [c for c in known if c in used] + sorted(used - set(known))


def _build_engine(study: "Study") -> StudyEngine:
    items = study.__dict__["_items"]
    categories = _categories(items)
    arrays = stack(items, categories)
    spec = _core.StudySpec(horizon=study.horizon, discount_rate=study.discount_rate, timing=study.timing,
                           inflation=study.inflation, categories=len(categories))
    trust = study.__dict__["_trust"]
    costs, pv = _core.lcc_evaluate(spec, *arrays, trust)
    bad = np.argwhere(~np.isfinite(costs))
    if bad.size:  # finite inputs whose costs overflow (huge amounts, escalation over many years)
        offer, year, category = bad[0]
        raise OverflowError(f"offer {study.offers[offer].name!r}: the {categories[category]} cost of year {year} "
                            f"overflows double precision ({costs[offer, year, category]}); the amounts or "
                            f"escalation are too large for the horizon of {study.horizon} years")
    bad = np.argwhere(~np.isfinite(pv))
    if bad.size:
        offer, category = bad[0]
        raise OverflowError(f"offer {study.offers[offer].name!r}: the present value of its {categories[category]} "
                            f"costs overflows double precision ({pv[offer, category]}); the amounts are too large")
    return StudyEngine(spec=spec, offers=tuple(o.name for o in study.offers), categories=tuple(categories),
                       items=tuple(tuple(i) for i in items), arrays=arrays, trust=trust, costs=costs,
                       present_values=pv)


@dataclass(frozen=True)
class Study:
    """A comparison of offers over ``horizon`` years at a real ``discount_rate``.

    Parameters
    ----------
    offers : sequence of Offer
        Offer names must be unique.
    horizon : int
        Study period in years after year 0 (>= 1).
    discount_rate : float
        Real discount rate per year, > -1 (NIST Handbook 135 §4.2).
    timing : {"end", "mid", "begin"}
        Where a year's costs fall within it; year 0 is always at time 0.
    inflation : float
        General inflation per year: deflates elements given in nominal money (``nominal=True``)
        to real money of year 0 by ``(1 + inflation) ** -t``.
    baseline : str, optional
        Offer that comparisons measure the others against by default.
    currency : str, optional
        Currency the amounts are stated in (``"EUR"``, ``"USD"``...): a label for tables, charts
        and reports, never converted. Default ``None``: amounts are labelled "money".
    allow_rates_above_100_percent : bool
        Rates are fractions (0.05 is 5%); a ``discount_rate`` or ``inflation`` above 1 (100%) is
        refused as a likely percent typed as a number unless this is True.
    """

    offers: tuple[Offer, ...]
    horizon: int
    discount_rate: float
    timing: str = "end"
    inflation: float = 0.0
    baseline: str | None = None
    currency: str | None = None
    allow_rates_above_100_percent: bool = False

    def __post_init__(self):
        if isinstance(self.offers, Offer) or not hasattr(self.offers, "__iter__") or isinstance(self.offers, (str, dict)):
            raise TypeError(f"offers must be a list of Offer objects, got {type(self.offers).__name__}"
                            + (f" {self.offers.name!r} (pass [offer])" if isinstance(self.offers, Offer)
                               else f" {self.offers!r}"))
        offers = _as_tuple(self.offers, "offers")
        if not offers:
            raise ValueError("offers must not be empty")
        for k, offer in enumerate(offers):
            if not isinstance(offer, Offer):
                raise TypeError(f"offers[{k}] must be an Offer, got {type(offer).__name__} {offer!r}")
        names = [o.name for o in offers]
        for k, offer in enumerate(offers):
            if names.index(offer.name) != k:
                raise ValueError(f"duplicate offer name {offer.name!r} (offers[{names.index(offer.name)}] and offers[{k}])")
        object.__setattr__(self, "offers", offers)
        object.__setattr__(self, "horizon", check_horizon(self.horizon))
        object.__setattr__(self, "discount_rate", as_rate(self.discount_rate, "discount_rate"))
        check_choice(self.timing, "timing", finance.TIMINGS)
        object.__setattr__(self, "inflation", as_rate(self.inflation, "inflation"))
        allow = check_flag(self.allow_rates_above_100_percent, "allow_rates_above_100_percent")
        object.__setattr__(self, "allow_rates_above_100_percent", allow)
        for name in ("discount_rate", "inflation"):
            if getattr(self, name) > 1 and not allow:
                _refuse_percent(name, getattr(self, name))
        # Flattening validates that every element fits (raising naming offer, element and field);
        # the study is immutable, so evaluate() reuses the items.
        object.__setattr__(self, "_items", [offer.items(self.horizon) for offer in offers])
        trust = None
        if any(o.trust_profile is not None for o in offers):  # offers x years, read by Trust items
            trust = np.stack([o.trust_path(self.horizon) for o in offers])
            warn_partial_profiles(names, [o.trust_profile is not None for o in offers], stacklevel=4)
        object.__setattr__(self, "_trust", trust)
        if self.currency is not None and (not isinstance(self.currency, str) or not self.currency.strip()):
            raise ValueError(f"currency must be a non-empty string such as 'EUR', got {self.currency!r}")
        if self.baseline is not None and (not isinstance(self.baseline, str) or self.baseline not in names):
            raise ValueError(f"baseline must be one of {names}, got {self.baseline!r}")

    def offer(self, name: str, argument: str = "name") -> Offer:
        """The offer called ``name`` (``argument`` names the parameter in the error)."""
        if isinstance(name, str):
            for offer in self.offers:
                if offer.name == name:
                    return offer
        raise ValueError(f"{argument} must name an offer of the study, one of {[o.name for o in self.offers]}, "
                         f"got {name!r}")

    def evaluate(self) -> "LccResult":
        """Expected cost per year and category of every offer, and their present values.

        One batched C++ call for all offers. Expected failures come from the renewal function
        (see :class:`trustcost.Failures`), supplier risk from survival-weighted default
        probabilities (see :class:`trustcost.Supplier`), relationship lines from each offer's
        yearly trust (see :class:`trustcost.TrustProfile`) in the same call.
        """
        result = LccResult(self)
        if self.engine().trust is not None:
            warn_relationship_scale(list(result.present_value.index), [o.trust_profile for o in self.offers],
                                    result.by_category, result.lifetime_cost, result.discount_factors)
        return result

    def engine(self) -> StudyEngine:
        """The study as the engine sees it (items, arrays, trust paths, expected costs), built on
        the first call and kept: the study is immutable. Raises ``OverflowError`` where finite
        inputs give a cost beyond double precision (README, Conventions)."""
        engine = self.__dict__.get("_engine")
        if engine is None:
            engine = _build_engine(self)
            object.__setattr__(self, "_engine", engine)
        return engine

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_engine", None)  # rebuilt on demand; the C++ spec need not travel
        return state

    def _price_pv(self, offer: Offer, element: str | None) -> tuple[OneTime | CostElement, float]:
        """The price element and the present value of one unit of its amount."""
        price = offer.price_element() if element is None else offer.element(element)
        if not hasattr(price, "amount"):
            raise ValueError(f"offer {offer.name!r}, element {price.name!r}: has no amount to solve for")
        unit = self.with_offers([Offer("unit", [replace(price, amount=1.0)])])
        return price, float(unit.evaluate().present_value.iloc[0])

    def break_even_price(self, offer: str, against: str, element: str | None = None) -> float:
        """The amount of ``offer``'s price element at which its LCC equals ``against``'s.

        The present value is linear in any element's amount, ``LCC = LCC_0 + amount * u`` with
        ``u`` the present value of one unit of it, so the tie is solved in closed form
        (no iterative root finding is needed): ``amount* = amount + (LCC_against - LCC) / u``.

        Parameters
        ----------
        offer, against : str
            Offer names.
        element : str, optional
            Element of ``offer`` whose amount is the price; default its one ``OneTime`` of category
            ``acquisition``.
        """
        mine, theirs = self.offer(offer, "offer"), self.offer(against, "against")
        price, unit = self._price_pv(mine, element)
        result = self.with_offers([mine, theirs]).evaluate()
        lcc = result.present_value
        return price.amount + (lcc[theirs.name] - lcc[mine.name]) / unit

    def justified_premium(self, offer: str, against: str) -> float:
        """How much more than ``against``'s price ``offer`` may cost and still tie on LCC: the
        price premium its lower after-sales cost justifies (negative: it must be cheaper)."""
        return self.break_even_price(offer, against) - self.offer(against, "against").price_element().amount

    def with_offers(self, offers: Sequence[Offer]) -> "Study":
        """The same study settings with other offers (and no baseline)."""
        return replace(self, offers=_as_tuple(offers, "offers"), baseline=None)


class LccResult(ResultDisplay):
    """Expected lifetime cost of every offer in a :class:`Study`.

    Attributes
    ----------
    costs : pandas.DataFrame
        Expected cost per year (real money of year 0, undiscounted); index (offer, year),
        one column per category.
    discounted : pandas.DataFrame
        The same, discounted to year 0.
    by_category : pandas.DataFrame
        Present value per offer (rows) and category (columns).
    present_value : pandas.Series
        The life-cycle cost (LCC) of each offer.
    eac : pandas.Series
        Equivalent annual cost: ``present_value * crf(discount_rate, horizon)``.
    shares : pandas.DataFrame
        Share of each category in each offer's LCC.
    cost_array : numpy.ndarray
        The raw expected costs, shape (offers, horizon + 1, categories), as the engine returned them.
    lifetime_cost, relationship_cost : pandas.Series
        Present value without and of the relationship lines; ``present_value`` is their sum, the
        trust-adjusted total (equal to ``lifetime_cost`` when no offer has a relationship).
    relationship_categories : list of str
        The relationship lines present (empty without relationships).
    """

    def __init__(self, study: Study):
        if not isinstance(study, Study):
            raise TypeError(f"study must be a Study, got {type(study).__name__} {study!r}")
        engine = study.engine()
        self.study = study
        self.categories = categories = list(engine.categories)
        self.cost_array = costs = engine.costs
        present_values = engine.present_values
        names = list(engine.offers)
        years = np.arange(study.horizon + 1)
        index = pd.MultiIndex.from_product([names, years], names=["offer", "year"])
        columns = pd.Index(categories, name="category")
        self.costs = pd.DataFrame(costs.reshape(-1, len(categories)), index=index, columns=columns)
        factors = np.concatenate([[1.0], finance.discount_factors(study.discount_rate, study.horizon, study.timing)])
        self.discount_factors = factors
        self.discounted = self.costs.mul(np.tile(factors, len(names)), axis=0)
        self.by_category = pd.DataFrame(present_values, index=pd.Index(names, name="offer"), columns=columns)
        self.present_value = self.by_category.sum(axis=1).rename("present_value")
        what = f"the equivalent annual cost at discount_rate {study.discount_rate}"
        try:
            eac = finance.eac(self.present_value.to_numpy(), study.discount_rate, study.horizon)
        except OverflowError:  # finance names its own arguments; the study's user gave discount_rate
            raise OverflowError(f"{what} overflows double precision for this discount_rate (too large)") from None
        self.eac = pd.Series(eac, index=self.present_value.index, name="eac")
        self.shares = self.by_category.div(self.present_value, axis=0)
        self.relationship_categories = [c for c in categories if c in RELATIONSHIP_CATEGORIES]
        self.relationship_cost = self.by_category[self.relationship_categories].sum(axis=1).rename("relationship_cost")
        self.lifetime_cost = (self.present_value - self.relationship_cost).rename("lifetime_cost")

    @property
    def yearly_totals(self) -> pd.DataFrame:
        """Per offer and year (undiscounted): the plain lifetime cost, the relationship lines and
        their sum, the trust-adjusted total."""
        relationship = self.costs[self.relationship_categories].sum(axis=1)
        total = self.costs.sum(axis=1)
        return pd.DataFrame({"lifetime_cost": total - relationship, "relationship_cost": relationship,
                             "trust_adjusted": total})

    @property
    def ranking(self) -> list[str]:
        """Offer names from the lowest LCC to the highest (ties keep the study's order)."""
        return list(self.present_value.sort_values(kind="stable").index)

    @property
    def summary(self) -> pd.DataFrame:
        """Rank, LCC, EAC and the gap to the cheapest offer, one row per offer, cheapest first.

        With relationships, ``present_value`` is the trust-adjusted total and the table shows
        the plain ``lifetime_cost`` (and its rank) and the ``relationship_cost`` beside it."""
        table = pd.DataFrame({
            "rank": self.present_value.rank(method="min").astype(int),
            "present_value": self.present_value,
            "eac": self.eac,
            "above_best": self.present_value - self.present_value.min(),
        })
        if self.relationship_categories:
            table.insert(1, "lifetime_cost", self.lifetime_cost)
            table.insert(2, "relationship_cost", self.relationship_cost)
            table.insert(1, "lifetime_rank", self.lifetime_cost.rank(method="min").astype(int))
        return table.loc[self.ranking]

    def streams(self, offer: str, investment_categories=INVESTMENT_CATEGORIES) -> tuple[np.ndarray, np.ndarray]:
        """Yearly (investment-related, operational) expected costs of one offer, years 0..horizon.

        ``investment_categories`` must name known categories (the standard ones, the relationship
        lines, or a category of this study): a misspelt name would silently count as operational."""
        engine = self.study.engine()
        if not isinstance(offer, str) or offer not in engine.offers:
            raise ValueError(f"offer must be one of {list(engine.offers)}, got {offer!r}")
        known = dict.fromkeys([*CATEGORIES, *RELATIONSHIP_CATEGORIES, *engine.categories])
        chosen = check_choices(investment_categories, "investment_categories", tuple(known))
        costs = engine.costs[engine.offers.index(offer)]
        investment = np.isin(np.array(engine.categories, dtype=object), np.array(chosen, dtype=object))
        return costs[:, investment].sum(axis=1), costs[:, ~investment].sum(axis=1)

    def compare(self, baseline: str | None = None, investment_categories=INVESTMENT_CATEGORIES) -> pd.DataFrame:
        """NIST Handbook 135 supplementary measures of every offer against ``baseline``.

        Costs in ``investment_categories`` (default acquisition, installation, training, disposal,
        residual) are investment-related, all others operational. Savings are the baseline's
        operational costs minus the offer's; additional investment the offer's investment-related
        costs minus the baseline's. Computed with :func:`trustcost.net_savings`,
        :func:`trustcost.sir`, :func:`trustcost.airr` and the discounted :func:`trustcost.payback`
        (years until cumulative discounted net savings turn non-negative, interpolated within the
        year; payback always discounts at year ends, whatever the study's timing). ``sir`` and
        ``airr`` are NaN, without the standalone functions' warning, for an offer that costs no
        more to buy than the baseline but more to run (dominated: read it the other way round) or
        that differs in nothing; ``airr`` also for one that costs more on both counts (SIR < 0).

        Parameters
        ----------
        baseline : str, optional
            Offer the others are measured against; default the study's baseline, else the offer
            with the lowest LCC.
        """
        baseline = self.study.baseline or self.ranking[0] if baseline is None else baseline
        if not isinstance(baseline, str) or baseline not in self.present_value.index:
            raise ValueError(f"baseline must be one of {list(self.present_value.index)}, got {baseline!r}")
        if not check_names(investment_categories, "investment_categories"):
            raise ValueError("investment_categories must name at least one category: without investment costs "
                             "the savings-to-investment ratio and AIRR are undefined")
        s = self.study
        base_investment, base_operational = self.streams(baseline, investment_categories)
        rows = {}
        for offer in self.present_value.index:
            if offer == baseline:
                continue
            investment, operational = self.streams(offer, investment_categories)
            savings, extra = base_operational - operational, investment - base_investment
            with warnings.catch_warnings():  # a dominated offer's NaN ratio is a reading of the table
                warnings.simplefilter("ignore", NoSolutionWarning)
                rows[offer] = {
                    "net_savings": finance.net_savings(savings, extra, s.discount_rate, s.timing),
                    "sir": finance.sir(savings, extra, s.discount_rate, s.timing),
                    "airr": finance.airr(savings, extra, s.discount_rate, timing=s.timing),
                    "discounted_payback": finance.payback(savings - extra, rate=s.discount_rate, fractional=True),
                }
        columns = ["net_savings", "sir", "airr", "discounted_payback"]
        return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis(f"offer vs {baseline}")

    # ------------------------------------------------------------------ display (result protocol)

    @property
    def currency(self) -> str | None:
        """The study's currency label (``None``: not stated)."""
        return self.study.currency

    def _headline(self) -> str:
        s = self.study
        return (f"Lifetime cost of {len(s.offers)} offers over {s.horizon} years at a real discount rate of "
                f"{s.discount_rate:.2%} (timing {s.timing!r}), amounts in {s.currency or 'money'} of year 0")

    def _tables(self):
        return [("", self.summary), ("Present value by category", self.by_category.loc[self.ranking].T)]

    def to_frame(self) -> pd.DataFrame:
        """Every expected cost as one tidy table: one row per offer, year and category, with the
        undiscounted ``cost`` and its ``present_value``."""
        cost = self.costs.stack().rename("cost")
        return pd.concat([cost, self.discounted.stack().rename("present_value")], axis=1).reset_index()

    def plot_breakdown(self, ax=None):
        """Stacked bars of discounted cost by category, one bar per offer (cheapest first); credits
        (residual value) below zero and a diamond at each offer's net total (its LCC).

        Returns the Axes (``ax.figure.savefig(...)`` writes the chart)."""
        ax = _plotting.axes(ax, figsize=(8, 4.5))
        _plotting.stacked_bars(ax, self.by_category.loc[self.ranking], self.currency,
                               "present value, real money of year 0", standard=CATEGORIES)
        ax.set_title(f"Lifetime cost over {self.study.horizon} years at {self.study.discount_rate:.1%}")
        return ax

    def plot_cumulative(self, ax=None):
        """Cumulative discounted cost of each offer by year: where the lines cross, the cheaper
        offer to buy stops being the cheaper one to own."""
        ax = _plotting.axes(ax)
        for k, offer in enumerate(self.present_value.index):
            yearly = self.discounted.loc[offer].sum(axis=1)
            ax.plot(yearly.index, yearly.cumsum(), marker="o", markersize=3, label=offer,
                    color=_plotting.series_color(k))
        ax.set_xlabel("year")
        _plotting.money_axis(ax, self.currency, "y", "cumulative discounted cost")
        ax.grid(alpha=0.3)
        _plotting.legend_outside(ax)
        return ax

    def __repr__(self) -> str:
        return f"LccResult(offers={len(self.study.offers)}, horizon={self.study.horizon}, best={self.ranking[0]!r})"


__all__ = ["Offer", "Study", "LccResult"]
