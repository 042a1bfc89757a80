"""Cost elements of an offer: what the buyer pays, when, and in which cost category.

Every element turns into one or more flat *items* that the C++ engine evaluates in one batch
(``trustcost::lcc::evaluate``). Amounts are in real money of year 0 unless ``nominal=True``
(then-current money, deflated by the study's general inflation). Years are whole study years:
year 0 is the purchase, year ``t`` the ``t``-th year of service.

References
----------
S. K. Fuller and S. R. Petersen, *Life-Cycle Costing Manual for the Federal Energy Management
Program*, NIST Handbook 135 (1995) — cost categories, real vs nominal money, residual value.
R. E. Barlow and F. Proschan, *Mathematical Theory of Reliability* (1965), ch. 4 — renewal and
block replacement.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Sequence

import numpy as np

from .. import _core
from .._core import Effect, ItemKind, Param
from .._validation import as_float, as_rate, check_flag, check_year
from ..stats import Distribution, Weibull, as_distribution  # one Weibull for inputs and lives

CATEGORIES = (
    "acquisition",
    "installation",
    "training",
    "operation",
    "maintenance",
    "repair",
    "downtime",
    "support",
    "supplier_risk",
    "disposal",
    "residual",
)
"""Standard cost categories, in reporting order; any other string is a user category."""

INVESTMENT_CATEGORIES = frozenset({"acquisition", "installation", "training", "disposal", "residual"})
"""Investment-related categories (NIST Handbook 135 §6.3): the rest are operational."""

# Item kinds (ItemKind), parameter columns (Param, N_PARAMS) and how a sampled field sets a
# parameter (Effect, with its factor from effect_factor) are the C++ engine's, used from _core.


@dataclass(frozen=True)
class Uncertain:
    """An uncertain field of an element bound to one parameter of one of its items."""

    param: Param
    effect: Effect
    label: str  # "element.field": the stream that pairs it across offers
    distribution: Distribution
    factor: float


@dataclass(frozen=True)
class Item:
    """One flat row for the engine: kind, category, its parameter vector (uncertain fields at
    their means), the uncertain fields bound to it, and the key of its random events."""

    kind: ItemKind
    category: str
    params: tuple[float, ...]
    uncertain: tuple[Uncertain, ...] = ()
    events: str = ""


def _item(kind: ItemKind, category: str, *, amount: float = 0.0, start: int = 0, end: int = 0, escalation: float = 0.0,
          nominal: bool = False, shape: float = 0.0, scale: float = 0.0, interval: float = 0.0,
          uncertain: tuple[Uncertain, ...] = (), events: str = "") -> Item:
    return Item(kind, category, (amount, start, end, escalation, float(nominal), shape, scale, interval), uncertain, events)


def _m(value):
    """A field's value for the expected-value model: the mean where it is uncertain."""
    return value.mean if isinstance(value, Distribution) else value


def _bindings(owner, name: str, *links) -> tuple[Uncertain, ...]:
    """Bindings of ``owner``'s uncertain fields, each link ``(param, effect, field[, sign])``."""
    out = []
    for param, effect, field_name, *sign in links:
        value = owner
        for part in field_name.split("."):
            value = getattr(value, part)
        if not isinstance(value, Distribution):
            continue
        try:
            factor = _core.effect_factor(effect, value.mean) * (sign[0] if sign else 1.0)
        except ValueError as error:
            raise ValueError(f"{field_name} is uncertain: {error}") from None
        out.append(Uncertain(param, effect, f"{name}.{field_name}", value, factor))
    return tuple(out)


def _support(dist: Distribution) -> tuple[float, float]:
    """Smallest and largest value a distribution can take (infinite where unbounded)."""
    def at(q, unbounded):
        try:
            return float(dist.quantile(q))
        except (OverflowError, ValueError):
            return unbounded
    return at(0.0, -np.inf), at(1.0, np.inf)


def _number(value, field_name: str, low: float = -np.inf, high: float = np.inf, *, open_low: bool = False):
    """A real number or a Distribution (also from its dict form) within [low, high]."""
    if isinstance(value, dict):
        value = as_distribution(value, field_name)
    if isinstance(value, Distribution):
        lo, hi = _support(value)
        if lo < low or (open_low and lo <= low) or hi > high:
            bound = f"> {low:g}" if open_low else f">= {low:g}" if high == np.inf else f"in [{low:g}, {high:g}]"
            raise ValueError(f"{field_name} must be {bound}, but {value!r} ranges over [{lo:g}, {hi:g}]"
                             + (" (truncate it, e.g. Normal(..., lower=0))" if lo == -np.inf else ""))
        return value
    value = as_float(value, field_name)
    if value < low or (open_low and value <= low) or value > high:
        raise ValueError(f"{field_name} must be {'> ' if open_low else '>= '}{low:g}, got {value}" if high == np.inf
                         else f"{field_name} must be in [{low:g}, {high:g}], got {value}")
    return value


def _escalation(value, field_name: str = "escalation"):
    if not isinstance(value, (Distribution, dict)):
        as_rate(value, field_name)
    return _number(value, field_name, -1.0, open_low=True)


def _non_negative(value, field_name: str):
    return _number(value, field_name, 0.0)


def _cost(value, field_name: str):
    """A cost: >= 0. Negative amounts would silently rank an offer first, so credits have their
    own element (Residual: resale value, trade-in or a rebate in any year)."""
    try:
        return _number(value, field_name, 0.0)
    except ValueError as exc:
        if isinstance(value, (Distribution, dict)):  # a distribution reaching below 0: its own hint says how to truncate
            raise
        raise ValueError(f"{exc}. A credit (resale value, trade-in, rebate) is a Residual "
                         f"element (type = \"residual\" in a scenario file), which counts as a negative cost") from None


def _positive(value, field_name: str):
    return _number(value, field_name, 0.0, open_low=True)


# ----------------------------------------------------------------------------- lives


@dataclass(frozen=True)
class Exponential:
    """Exponential time to failure with mean time between failures ``mtbf`` (years): a Weibull of
    shape 1, for which the renewal function is exactly ``t / mtbf``. (Lives with wear-out or
    infant mortality use :class:`trustcost.Weibull`.) ``mtbf`` may be a distribution: an uncertain
    failure rate, sampled by :meth:`Study.simulate`."""

    mtbf: float

    def __post_init__(self):
        object.__setattr__(self, "mtbf", _positive(self.mtbf, "mtbf"))

    shape: ClassVar[float] = 1.0

    @property
    def scale(self):
        return self.mtbf

    @property
    def mean(self) -> float:
        return _m(self.mtbf)


Life = Weibull | Exponential


# ----------------------------------------------------------------------------- elements


@dataclass(frozen=True, kw_only=True)
class CostElement(ABC):
    """Base of all cost elements: a category and whether amounts are nominal."""

    category: str = ""
    nominal: bool = False
    default_category: ClassVar[str] = "operation"

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        category = self.category
        if isinstance(category, str) and not category:
            category = self.default_category
        if not isinstance(category, str):
            raise TypeError(f"category must be a string, got {type(category).__name__} {category!r}")
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "nominal", check_flag(self.nominal, "nominal"))
        self._check()

    def _check(self) -> None:  # per-element field checks
        pass

    def __repr__(self) -> str:
        # Name first, then the element's own fields, then category/nominal where not the default.
        own = [f for f in dataclasses.fields(self) if f.name not in ("name", "category", "nominal")]
        parts = [repr(self.name)] + [f"{f.name}={getattr(self, f.name)!r}" for f in own
                                     if getattr(self, f.name) != f.default]
        if self.category != self.default_category:
            parts.append(f"category={self.category!r}")
        if self.nominal:
            parts.append("nominal=True")
        return f"{type(self).__name__}({', '.join(parts)})"

    @abstractmethod
    def items(self, horizon: int) -> list[Item]:
        """Flat engine items over a study of ``horizon`` years; raises naming the field when the
        element does not fit inside the horizon."""

    def _span(self, start: int, end: int | None, horizon: int, start_field: str = "start") -> tuple[int, int]:
        last = horizon if end is None else end
        if start > horizon:
            raise ValueError(f"{start_field} = {start} is outside the horizon of {horizon} years")
        if last > horizon:
            raise ValueError(f"end = {last} is outside the horizon of {horizon} years")
        if last < start:
            raise ValueError(f"end = {last} is before {start_field} = {start}")
        return start, last


@dataclass(frozen=True, repr=False)
class OneTime(CostElement):
    """A single payment ``amount`` in ``year`` (default: the purchase, year 0)."""

    name: str
    amount: float
    year: int = 0
    default_category: ClassVar[str] = "acquisition"

    def _check(self):
        object.__setattr__(self, "amount", _cost(self.amount, "amount"))
        object.__setattr__(self, "year", check_year(self.year, "year"))

    def items(self, horizon):
        if self.year > horizon:
            raise ValueError(f"year = {self.year} is outside the horizon of {horizon} years")
        return [_item(ItemKind.ONE_TIME, self.category, amount=_m(self.amount), start=self.year, end=self.year, nominal=self.nominal,
                      uncertain=_bindings(self, self.name, (Param.AMOUNT, Effect.REPLACE, "amount")))]


@dataclass(frozen=True, repr=False)
class Recurring(CostElement):
    """``amount`` every year from ``start`` to ``end`` (default: the horizon), growing by
    ``escalation`` per year (real differential escalation, NIST Handbook 135 §4.4)."""

    name: str
    amount: float
    start: int = 1
    end: int | None = None
    escalation: float = 0.0

    def _check(self):
        object.__setattr__(self, "amount", _cost(self.amount, "amount"))
        object.__setattr__(self, "start", check_year(self.start, "start"))
        if self.end is not None:
            object.__setattr__(self, "end", check_year(self.end, "end"))
        object.__setattr__(self, "escalation", _escalation(self.escalation))

    def items(self, horizon):
        start, end = self._span(self.start, self.end, horizon)
        return [_item(ItemKind.RECURRING, self.category, amount=_m(self.amount), start=start, end=end,
                      escalation=_m(self.escalation), nominal=self.nominal,
                      uncertain=_bindings(self, self.name, (Param.AMOUNT, Effect.REPLACE, "amount"), (Param.ESCALATION, Effect.REPLACE, "escalation")))]


@dataclass(frozen=True, repr=False)
class Periodic(CostElement):
    """``amount`` every ``every`` years — e.g. an overhaul every 4 years — in years ``start``,
    ``start + every``, ... up to ``end`` (default ``start = every``, ``end`` = horizon)."""

    name: str
    amount: float
    every: int
    start: int | None = None
    end: int | None = None
    escalation: float = 0.0
    default_category: ClassVar[str] = "maintenance"

    def _check(self):
        object.__setattr__(self, "amount", _cost(self.amount, "amount"))
        object.__setattr__(self, "every", check_year(self.every, "every", minimum=1))
        object.__setattr__(self, "start", self.every if self.start is None else check_year(self.start, "start"))
        if self.end is not None:
            object.__setattr__(self, "end", check_year(self.end, "end"))
        object.__setattr__(self, "escalation", _escalation(self.escalation))

    def items(self, horizon):
        start, end = self._span(self.start, self.end, horizon)
        return [_item(ItemKind.PERIODIC, self.category, amount=_m(self.amount), start=start, end=end,
                      escalation=_m(self.escalation), nominal=self.nominal, shape=self.every,
                      uncertain=_bindings(self, self.name, (Param.AMOUNT, Effect.REPLACE, "amount"), (Param.ESCALATION, Effect.REPLACE, "escalation")))]


@dataclass(frozen=True, repr=False)
class UsageBased(CostElement):
    """Consumption cost ``units_per_year * cost_per_unit``: energy, consumables, service hours.

    Units grow by ``growth`` and the unit price by ``escalation`` per year, so the yearly cost
    grows by ``(1 + growth)(1 + escalation) - 1``.
    """

    name: str
    units_per_year: float
    cost_per_unit: float
    growth: float = 0.0
    escalation: float = 0.0
    start: int = 1
    end: int | None = None

    def _check(self):
        object.__setattr__(self, "units_per_year", _non_negative(self.units_per_year, "units_per_year"))
        object.__setattr__(self, "cost_per_unit", _cost(self.cost_per_unit, "cost_per_unit"))
        object.__setattr__(self, "growth", _escalation(self.growth, "growth"))
        object.__setattr__(self, "escalation", _escalation(self.escalation))
        object.__setattr__(self, "start", check_year(self.start, "start"))
        if self.end is not None:
            object.__setattr__(self, "end", check_year(self.end, "end"))

    def items(self, horizon):
        start, end = self._span(self.start, self.end, horizon)
        yearly_growth = (1.0 + _m(self.growth)) * (1.0 + _m(self.escalation)) - 1.0
        uncertain = _bindings(self, self.name, (Param.AMOUNT, Effect.MULTIPLY, "units_per_year"), (Param.AMOUNT, Effect.MULTIPLY, "cost_per_unit"),
                              (Param.ESCALATION, Effect.MULTIPLY_ONE_PLUS, "growth"), (Param.ESCALATION, Effect.MULTIPLY_ONE_PLUS, "escalation"))
        return [_item(ItemKind.RECURRING, self.category, amount=_m(self.units_per_year) * _m(self.cost_per_unit), start=start,
                      end=end, escalation=yearly_growth, nominal=self.nominal, uncertain=uncertain)]


@dataclass(frozen=True, repr=False)
class Failures(CostElement):
    """Breakdowns of a unit renewed at each failure (minimal assumption: repair as good as new).

    Expected failures in service year ``a`` are ``M(a) - M(a - 1)`` with ``M`` the renewal
    function of ``life`` (exact ``t / mtbf`` for the exponential; for the Weibull a numerical
    solution of the renewal equation, see :func:`trustcost.renewal_function`). Each failure costs
    ``cost_per_failure`` (category ``repair``) plus ``downtime_hours * downtime_cost_per_hour``
    (category ``downtime``). With ``preventive_interval`` the unit is also renewed every that many
    years of service at ``preventive_cost`` (category ``maintenance``; block replacement,
    Barlow & Proschan 1965 ch. 4), which resets the renewal clock. Service starts at the
    beginning of year ``start``; ``escalation`` raises all three unit costs per year.
    """

    name: str
    life: Life
    cost_per_failure: float
    downtime_hours: float = 0.0
    downtime_cost_per_hour: float = 0.0
    preventive_interval: float | None = None
    preventive_cost: float = 0.0
    start: int = 1
    end: int | None = None
    escalation: float = 0.0
    default_category: ClassVar[str] = "repair"

    def _check(self):
        if not isinstance(self.life, (Weibull, Exponential)):
            raise TypeError(f"life must be Weibull(shape, scale) or Exponential(mtbf), got {self.life!r}")
        object.__setattr__(self, "cost_per_failure", _non_negative(self.cost_per_failure, "cost_per_failure"))
        object.__setattr__(self, "downtime_hours", _non_negative(self.downtime_hours, "downtime_hours"))
        object.__setattr__(self, "downtime_cost_per_hour",
                           _non_negative(self.downtime_cost_per_hour, "downtime_cost_per_hour"))
        if self.preventive_interval is not None:  # a number: the engine does not sample it
            interval = as_float(self.preventive_interval, "preventive_interval")
            if interval <= 0:
                raise ValueError(f"preventive_interval must be > 0 years, got {interval}")
            object.__setattr__(self, "preventive_interval", interval)
        object.__setattr__(self, "preventive_cost", _non_negative(self.preventive_cost, "preventive_cost"))
        if _m(self.preventive_cost) > 0 and self.preventive_interval is None:
            raise ValueError(f"preventive_cost = {self.preventive_cost} needs a preventive_interval")
        object.__setattr__(self, "start", check_year(self.start, "start", minimum=1))
        if self.end is not None:
            object.__setattr__(self, "end", check_year(self.end, "end", minimum=1))
        object.__setattr__(self, "escalation", _escalation(self.escalation))

    def items(self, horizon):
        start, end = self._span(self.start, self.end, horizon)
        service = end - start + 1
        if self.preventive_interval is not None and service / self.preventive_interval > _core.MAX_RENEWALS:
            raise ValueError(f"preventive_interval = {self.preventive_interval} years gives "
                             f"{service / self.preventive_interval:.3g} renewals over {service} years of service, "
                             f"more than the engine's limit of {_core.MAX_RENEWALS:.0f}")
        # Failure cost and downtime share one key, so on each path they follow the same breakdowns.
        common = dict(start=start, end=end, escalation=_m(self.escalation), nominal=self.nominal, shape=self.life.shape,
                      scale=_m(self.life.scale), interval=self.preventive_interval or 0.0, events=f"{self.name}.failures")
        shared = ((Param.ESCALATION, Effect.REPLACE, "escalation"),) + (
            ((Param.SCALE, Effect.REPLACE, "life.mtbf"),) if isinstance(self.life, Exponential) else ())
        out = [_item(ItemKind.FAILURES, self.category, amount=_m(self.cost_per_failure), **common,
                     uncertain=_bindings(self, self.name, (Param.AMOUNT, Effect.REPLACE, "cost_per_failure"), *shared))]
        downtime = _m(self.downtime_hours) * _m(self.downtime_cost_per_hour)
        if downtime > 0:
            out.append(_item(ItemKind.FAILURES, "downtime", amount=downtime, **common, uncertain=_bindings(
                self, self.name, (Param.AMOUNT, Effect.MULTIPLY, "downtime_hours"), (Param.AMOUNT, Effect.MULTIPLY, "downtime_cost_per_hour"), *shared)))
        if self.preventive_interval is not None and _m(self.preventive_cost) > 0:
            out.append(_item(ItemKind.PREVENTIVE, "maintenance", amount=_m(self.preventive_cost), **common, uncertain=_bindings(
                self, self.name, (Param.AMOUNT, Effect.REPLACE, "preventive_cost"), (Param.ESCALATION, Effect.REPLACE, "escalation"))))
        return out


@dataclass(frozen=True, repr=False)
class Residual(CostElement):
    """What the asset is worth at the end of the study: a negative cost (NIST Handbook 135 §4.6).

    Give ``value`` directly, or a ``schedule`` of values by age (``schedule[k]`` = value after
    ``k`` years), from which the value at ``year`` (default: the horizon) is taken; see
    :meth:`straight_line` and :meth:`declining_balance`.
    """

    name: str
    value: float | None = None
    year: int | None = None
    schedule: tuple[float, ...] | None = None
    default_category: ClassVar[str] = "residual"

    def _check(self):
        if (self.value is None) == (self.schedule is None):
            raise ValueError("give exactly one of value and schedule")
        if self.value is not None:
            object.__setattr__(self, "value", _number(self.value, "value"))
        else:
            schedule = tuple(as_float(v, f"schedule[{k}]") for k, v in enumerate(self.schedule))
            if not schedule:
                raise ValueError("schedule must not be empty")
            object.__setattr__(self, "schedule", schedule)
        if self.year is not None:
            object.__setattr__(self, "year", check_year(self.year, "year"))

    @classmethod
    def straight_line(cls, name: str, cost: float, life: int, salvage: float = 0.0, years: int = 100,
                      **kwargs) -> "Residual":
        """Book value falling linearly from ``cost`` to ``salvage`` over ``life`` years, then
        ``salvage``; the schedule covers ages ``0..max(life, years)``."""
        life = check_year(life, "life", minimum=1)
        ages = np.minimum(np.arange(max(life, check_year(years, "years")) + 1), life)
        return cls(name, schedule=tuple(cost - (cost - salvage) * ages / life), **kwargs)

    @classmethod
    def declining_balance(cls, name: str, cost: float, rate: float, years: int, **kwargs) -> "Residual":
        """Book value ``cost (1 - rate) ** k`` for ages ``k = 0..years``."""
        rate = as_float(rate, "rate")
        if not 0 <= rate < 1:
            raise ValueError(f"rate must be in [0, 1), got {rate}")
        return cls(name, schedule=tuple(cost * (1 - rate) ** np.arange(check_year(years, "years") + 1)), **kwargs)

    def value_at(self, year: int) -> float:
        if self.value is not None:
            return _m(self.value)
        if year >= len(self.schedule):
            raise ValueError(f"schedule covers ages 0..{len(self.schedule) - 1}, but the value at year {year} is needed")
        return self.schedule[year]

    def items(self, horizon):
        year = horizon if self.year is None else self.year
        if year > horizon:
            raise ValueError(f"year = {year} is outside the horizon of {horizon} years")
        return [_item(ItemKind.ONE_TIME, self.category, amount=-self.value_at(year), start=year, end=year, nominal=self.nominal,
                      uncertain=_bindings(self, self.name, (Param.AMOUNT, Effect.REPLACE, "value", -1.0)))]


@dataclass(frozen=True, repr=False)
class Disposal(CostElement):
    """Cost of removing and disposing of the asset in ``year`` (default: the horizon)."""

    name: str
    amount: float
    year: int | None = None
    default_category: ClassVar[str] = "disposal"

    def _check(self):
        object.__setattr__(self, "amount", _cost(self.amount, "amount"))
        if self.year is not None:
            object.__setattr__(self, "year", check_year(self.year, "year"))

    def items(self, horizon):
        year = horizon if self.year is None else self.year
        if year > horizon:
            raise ValueError(f"year = {year} is outside the horizon of {horizon} years")
        return [_item(ItemKind.ONE_TIME, self.category, amount=_m(self.amount), start=year, end=year, nominal=self.nominal,
                      uncertain=_bindings(self, self.name, (Param.AMOUNT, Effect.REPLACE, "amount")))]


@dataclass(frozen=True)
class Supplier:
    """The seller's financial health as seen by the buyer.

    Each year the supplier fails with probability ``annual_default_probability`` (independent
    years, so it survives to year ``t`` with probability ``(1 - p) ** (t - 1)``). If it fails in
    year ``t`` the buyer pays ``switching_cost`` that year (re-sourcing service, spares, re-training)
    and ``support_premium`` in every later year (stranded service bought dearer elsewhere).
    Expected cost in year ``t``: ``switching_cost * p (1 - p) ** (t - 1) +
    support_premium * (1 - (1 - p) ** (t - 1))``, category ``supplier_risk``.
    """

    annual_default_probability: float
    switching_cost: float
    support_premium: float = 0.0
    name: str = "supplier"

    def __post_init__(self):
        p = _number(self.annual_default_probability, "annual_default_probability", 0.0, 1.0)
        object.__setattr__(self, "annual_default_probability", p)
        object.__setattr__(self, "switching_cost", _non_negative(self.switching_cost, "switching_cost"))
        object.__setattr__(self, "support_premium", _non_negative(self.support_premium, "support_premium"))

    def items(self, horizon: int) -> list[Item]:
        uncertain = _bindings(self, self.name, (Param.AMOUNT, Effect.REPLACE, "switching_cost"),
                              (Param.SHAPE, Effect.REPLACE, "annual_default_probability"), (Param.SCALE, Effect.REPLACE, "support_premium"))
        return [_item(ItemKind.SUPPLIER_RISK, "supplier_risk", amount=_m(self.switching_cost), start=1, end=horizon,
                      shape=_m(self.annual_default_probability), scale=_m(self.support_premium), uncertain=uncertain,
                      events=f"{self.name}.default")] if horizon >= 1 else []


ELEMENT_TYPES: dict[str, type[CostElement]] = {
    "one_time": OneTime,
    "recurring": Recurring,
    "periodic": Periodic,
    "usage_based": UsageBased,
    "failures": Failures,
    "residual": Residual,
    "disposal": Disposal,
}
"""Element classes by the ``type`` key used in scenario files."""


def stack(items_per_offer: Sequence[Sequence[Item]], categories: Sequence[str]):
    """Engine arrays (kind, category index, params, offer_start) from items grouped by offer."""
    index = {c: i for i, c in enumerate(categories)}
    flat = [item for items in items_per_offer for item in items]
    kind = np.array([i.kind for i in flat], dtype=np.int32)
    category = np.array([index[i.category] for i in flat], dtype=np.int32)
    params = np.array([i.params for i in flat], dtype=np.float64).reshape(len(flat), _core.N_PARAMS)
    offer_start = np.concatenate([[0], np.cumsum([len(items) for items in items_per_offer])]).astype(np.int64)
    return kind, category, params, offer_start


__all__ = [
    "CATEGORIES",
    "INVESTMENT_CATEGORIES",
    "Exponential",
    "CostElement",
    "OneTime",
    "Recurring",
    "Periodic",
    "UsageBased",
    "Failures",
    "Residual",
    "Disposal",
    "Supplier",
]
