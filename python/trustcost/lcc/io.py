"""Offers and studies to and from dicts, JSON and TOML (pricing scenarios kept in files).

A scenario is ``{"study": {horizon, discount_rate, timing, inflation, baseline, currency}, "offers": [...]}``;
an offer ``{"name", "costs": [...], "supplier": {...}, "trust_profile": {...}}`` (a trust profile
``{"trust", "annual_spend", "spend_escalation", "start", "end", "interaction": {...}}`` with trust a
number or one value per study year, interaction the fields of
:class:`trustcost.TransactionCostModel`); a cost element ``{"type": "one_time" |
"recurring" | "periodic" | "usage_based" | "failures" | "residual" | "disposal", "name", ...fields}``
with a failures element's ``life = {"distribution": "Weibull", "shape", "scale"}`` (the form of
:mod:`trustcost.stats`) or ``{"distribution": "Exponential", "mtbf"}``. Unknown keys are errors, never ignored; every error
names the file and the key path.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path
from typing import Any


if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, published as tomli before it joined the standard library
    import tomli as tomllib

from .elements import ELEMENT_TYPES, CostElement, Exponential, Supplier, Weibull
from ..stats import Distribution
from .study import Offer, Study
from ..trust.cost_model import TransactionCostModel
from ..trust.dynamics import TrustTrajectory
from ..trust.profile import TrustProfile

_TYPE_OF = {cls: name for name, cls in ELEMENT_TYPES.items()}

STUDY_KEYS = frozenset({f.name for f in dataclasses.fields(Study)} - {"offers"})
"""Keys of a scenario's ``[study]`` table: the settings of :class:`Study` (docs/scenario.md)."""


class _Where:
    """Key path for error messages: ``offers[1] ('Vendor B').costs[2] ('breakdowns').life``."""

    def __init__(self, source: str | None):
        self.source = source

    def fail(self, path: str, exc: Exception):
        prefix = f"{self.source}: " if self.source else ""
        raise ValueError(f"{prefix}{path}: {exc}") from None


def _fields(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def _required(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING}


def _check_keys(data: Any, allowed: set[str], required: set[str], path: str, where: _Where) -> dict:
    if not isinstance(data, dict):
        where.fail(path, TypeError(f"must be a table/object, got {type(data).__name__}"))
    unknown = sorted(set(data) - allowed)
    if unknown:
        where.fail(path, ValueError(f"unknown key(s) {unknown}; allowed are {sorted(allowed)}"))
    missing = sorted(required - set(data))
    if missing:
        where.fail(path, ValueError(f"missing key(s) {missing}"))
    return data


# ----------------------------------------------------------------------------- to dict


def _plain(value):
    """A field value for a file: uncertain values as their distribution's dict form."""
    return value.to_dict() if isinstance(value, Distribution) else value


def _life_to_dict(life) -> dict:
    if isinstance(life, Exponential):
        return {"distribution": "Exponential", "mtbf": _plain(life.mtbf)}
    return life.to_dict()  # {"distribution": "Weibull", "shape": ..., "scale": ...}


def element_to_dict(element: CostElement) -> dict:
    """A cost element as a plain dict (``None`` fields left out)."""
    out: dict[str, Any] = {"type": _TYPE_OF[type(element)], "name": element.name}
    for f in dataclasses.fields(element):
        value = getattr(element, f.name)
        if f.name == "name" or value is None or (f.name == "nominal" and value is False):
            continue
        if f.name == "category" and value == type(element).default_category:
            continue
        out[f.name] = _life_to_dict(value) if f.name == "life" else list(value) if f.name == "schedule" else _plain(value)
    return out


def trust_profile_to_dict(profile: TrustProfile, horizon: int | None = None) -> dict:
    """A trust profile as a plain dict (defaults left out); a trust trajectory is written as its
    yearly path, which needs the study ``horizon``."""
    trust = profile.trust
    if isinstance(trust, TrustTrajectory):
        if horizon is None:
            raise ValueError("a trust profile driven by a trust trajectory needs the study horizon to be written")
        trust = profile.trust_path(horizon)
    out: dict[str, Any] = {"trust": float(trust) if trust.ndim == 0 else trust.tolist(),
                           "annual_spend": profile.annual_spend}
    defaults = {f.name: f.default for f in dataclasses.fields(TrustProfile)}
    out.update({k: getattr(profile, k) for k in ("spend_escalation", "start", "end")
                if getattr(profile, k) != defaults[k]})
    mine, default = profile.interaction.to_dict(), TransactionCostModel().to_dict()
    changed = {k: list(v) if isinstance(v, tuple) else v for k, v in mine.items() if v != default.get(k)}
    if changed:
        out["interaction"] = changed
    return out


def offer_to_dict(offer: Offer, horizon: int | None = None) -> dict:
    out: dict[str, Any] = {"name": offer.name}
    if offer.supplier is not None:
        out["supplier"] = {f.name: _plain(getattr(offer.supplier, f.name)) for f in dataclasses.fields(Supplier)}
    if offer.trust_profile is not None:
        out["trust_profile"] = trust_profile_to_dict(offer.trust_profile, horizon)
    out["costs"] = [element_to_dict(e) for e in offer.costs]
    return out


def study_to_dict(study: Study) -> dict:
    if not isinstance(study, Study):
        raise TypeError(f"study must be a Study, got {type(study).__name__} {study!r}")
    settings = {"horizon": study.horizon, "discount_rate": study.discount_rate, "timing": study.timing,
                "inflation": study.inflation}
    if study.baseline is not None:
        settings["baseline"] = study.baseline
    if study.currency is not None:
        settings["currency"] = study.currency
    if study.allow_rates_above_100_percent:
        settings["allow_rates_above_100_percent"] = True
    return {"study": settings, "offers": [offer_to_dict(o, study.horizon) for o in study.offers]}


# ----------------------------------------------------------------------------- from dict


_LIVES = {"Weibull": (Weibull, {"shape", "scale"}), "Exponential": (Exponential, {"mtbf"})}


def _life_from_dict(data, path, where):
    data = _check_keys(data, {"distribution", "shape", "scale", "mtbf"}, {"distribution"}, path, where)
    family = data["distribution"]
    if family not in _LIVES:
        where.fail(f"{path}.distribution", ValueError(f"must be 'Weibull' or 'Exponential', got {family!r}"))
    cls, keys = _LIVES[family]
    fields = _check_keys({k: v for k, v in data.items() if k != "distribution"}, keys, keys, path, where)
    try:
        return cls(**fields)
    except (TypeError, ValueError) as exc:
        where.fail(path, exc)


def element_from_dict(data: dict, path: str = "element", where: _Where | None = None) -> CostElement:
    """A cost element from a dict with a ``type`` key (see the module docstring)."""
    where = where or _Where(None)
    if not isinstance(data, dict) or "type" not in data:
        where.fail(path, ValueError("must be a table with a 'type' key"))
    kind = data["type"]
    if kind not in ELEMENT_TYPES:
        where.fail(f"{path}.type", ValueError(f"must be one of {sorted(ELEMENT_TYPES)}, got {kind!r}"))
    cls = ELEMENT_TYPES[kind]
    label = f"{path} ({data.get('name')!r})"
    allowed = _fields(cls) | {"type"}
    required = _required(cls) | {"type"}
    fields = dict(_check_keys(data, allowed, required, label, where))
    fields.pop("type")
    if "life" in fields:
        fields["life"] = _life_from_dict(fields["life"], f"{label}.life", where)
    if "schedule" in fields and isinstance(fields["schedule"], list):
        fields["schedule"] = tuple(fields["schedule"])
    try:
        return cls(**fields)
    except (TypeError, ValueError) as exc:
        where.fail(label, exc)


def offer_from_dict(data: dict, path: str = "offer", where: _Where | None = None) -> Offer:
    where = where or _Where(None)
    data = _check_keys(data, {"name", "costs", "supplier", "trust_profile"}, {"name", "costs"}, path, where)
    label = f"{path} ({data['name']!r})"
    if not isinstance(data["costs"], list):
        where.fail(f"{label}.costs", TypeError("must be a list of cost elements"))
    costs = [element_from_dict(e, f"{label}.costs[{k}]", where) for k, e in enumerate(data["costs"])]
    supplier = None
    if "supplier" in data:
        fields = _check_keys(data["supplier"], _fields(Supplier), {"annual_default_probability", "switching_cost"},
                             f"{label}.supplier", where)
        try:
            supplier = Supplier(**fields)
        except (TypeError, ValueError) as exc:
            where.fail(f"{label}.supplier", exc)
    profile = None
    if "trust_profile" in data:
        profile = _trust_profile_from_dict(data["trust_profile"], f"{label}.trust_profile", where)
    try:
        return Offer(data["name"], costs, supplier, profile)
    except (TypeError, ValueError) as exc:
        where.fail(label, exc)


def _trust_profile_from_dict(data, path: str, where: _Where) -> TrustProfile:
    fields = _check_keys(data, _fields(TrustProfile), {"trust", "annual_spend"}, path, where)
    fields = dict(fields)
    if "interaction" in fields:
        interaction = _check_keys(fields["interaction"], _fields(TransactionCostModel), set(), f"{path}.interaction", where)
        try:
            fields["interaction"] = TransactionCostModel(**interaction)
        except (TypeError, ValueError) as exc:
            where.fail(f"{path}.interaction", exc)
    try:
        return TrustProfile(**fields)
    except (TypeError, ValueError) as exc:
        where.fail(path, exc)


def study_from_dict(data: dict, source: str | None = None) -> Study:
    """A :class:`Study` from a scenario dict; ``source`` (a file name) prefixes error messages."""
    if source is not None and not isinstance(source, str):
        raise TypeError(f"source must be a file name (str) or None, got {type(source).__name__} {source!r}")
    where = _Where(source)
    if not isinstance(data, dict):
        raise TypeError(f"data must be a scenario dict (tables 'study' and 'offers'), got {type(data).__name__}")
    data = _check_keys(data, {"study", "offers"}, {"study", "offers"}, "scenario", where)
    settings = _check_keys(data["study"], STUDY_KEYS, _required(Study) - {"offers"}, "study", where)
    if not isinstance(data["offers"], list):
        where.fail("offers", TypeError("must be a list of offers ([[offers]] in TOML)"))
    offers = [offer_from_dict(o, f"offers[{k}]", where) for k, o in enumerate(data["offers"])]
    horizon = settings.get("horizon")
    for k, offer in enumerate(offers):  # a trust path's length needs the horizon: name the offer's key path
        if offer.trust_profile is not None and isinstance(horizon, int) and not isinstance(horizon, bool) and horizon >= 1:
            try:
                offer.trust_profile.trust_path(horizon)
            except ValueError as exc:
                where.fail(f"offers[{k}] ({offer.name!r})", exc)
    try:
        return Study(offers, **settings)
    except (TypeError, ValueError) as exc:
        where.fail("study", exc)


# ----------------------------------------------------------------------------- files


def _toml_string(text: str) -> str:
    """A TOML basic string. Characters outside the Basic Multilingual Plane (emoji) stay as they
    are: JSON would write them as surrogate pairs (``\\ud83d\\ude80``), which TOML refuses."""
    def escape(match):
        char = match.group()
        return {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char, f"\\u{ord(char):04x}")

    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no file can hold it
        raise ValueError(f"cannot write {text!r} to a UTF-8 file (it holds a lone surrogate)") from None
    return '"' + _TOML_ESCAPED.sub(escape, text) + '"'


_TOML_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f]')


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to TOML")


def _toml_table(header: str, table: dict, lines: list[str]) -> list[tuple[str, Any]]:
    """Writes the header and scalars; returns the sub-tables, which TOML wants after them."""
    lines.append(header)
    def is_table(v):
        return isinstance(v, dict) or (isinstance(v, list) and bool(v) and isinstance(v[0], dict))

    scalars = {k: v for k, v in table.items() if not is_table(v)}
    for key, value in scalars.items():
        lines.append(f"{key} = {_toml_value(value)}")
    return [(k, v) for k, v in table.items() if k not in scalars]


def to_toml(data: dict) -> str:
    """A scenario dict as TOML text (a small writer for the scenario layout: nested tables and
    arrays of tables; ``tomllib`` reads it back)."""
    lines: list[str] = []

    def write(prefix: str, table: dict, array: bool) -> None:
        header = f"[[{prefix}]]" if array else f"[{prefix}]"
        for key, value in _toml_table(header, table, lines):
            if isinstance(value, dict):
                write(f"{prefix}.{key}", value, False)
            else:
                for row in value:
                    write(f"{prefix}.{key}", row, True)

    for key, value in data.items():
        if isinstance(value, dict):
            write(key, value, False)
        else:
            for row in value:
                write(key, row, True)
        lines.append("")
    return "\n".join(lines)


def load_study(path: str | Path) -> Study:
    """Read a scenario file into a :class:`Study`.

    A scenario holds a ``[study]`` table of settings and one ``[[offers]]`` table per offer, each
    with its ``[[offers.costs]]`` elements and optionally a ``[offers.supplier]`` and a
    ``[offers.trust_profile]``. Every key, unit, default and distribution form is described in
    the scenario reference of the documentation (``docs/scenario.md``); the bundled
    ``trustcost.datasets.three_vendors_path()`` is a complete example.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.toml`` or ``.json`` file (chosen by the suffix, case-insensitive), UTF-8.

    Returns
    -------
    Study
        The validated study: ``study.evaluate()`` gives the expected lifetime costs,
        ``trustcost.simulate(study, paths)`` the Monte Carlo.

    Raises
    ------
    ValueError
        The suffix is neither ``.toml`` nor ``.json``; the text does not parse; a key is unknown
        or missing; a value is out of range (for example a negative cost: credits are
        ``residual`` elements). The message starts with the file name and the key path, e.g.
        ``scenario.toml: offers[1] ('Borealis').costs[2] ('overhaul'): every must be >= 1, got 0``.
    FileNotFoundError
        The file does not exist.

    See Also
    --------
    save_study : write a study back to ``.toml`` or ``.json``.
    study_from_dict : the same from a dict already in memory.

    Examples
    --------
    >>> import trustcost as tc
    >>> study = tc.load_study(tc.datasets.three_vendors_path())
    >>> study.horizon, study.currency, [offer.name for offer in study.offers]
    (12, 'EUR', ['Atlas', 'Borealis', 'Cobalt'])
    >>> study.evaluate().ranking[0]
    'Atlas'
    """
    path = Path(path)
    if path.suffix.lower() not in (".toml", ".json"):
        raise ValueError(f"{path.name}: scenario files must end in .toml or .json")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:  # UTF-16, Latin-1...: say which file, and what it must be
        raise ValueError(f"{path.name}: scenario files must be UTF-8 text; byte {exc.start} is not UTF-8 "
                         f"({exc.reason})") from None
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path.name}: not valid {path.suffix.lstrip('.').upper()}: {exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep: no scenario looks like that
        raise ValueError(f"{path.name}: nested too deeply to be a scenario file") from None
    return study_from_dict(data, source=path.name)


def save_study(study: Study, path: str | Path) -> Path:
    """Write a scenario to ``.toml`` or ``.json`` (chosen by the suffix)."""
    path = Path(path)
    data = study_to_dict(study)
    if path.suffix.lower() == ".toml":
        path.write_text(to_toml(data), encoding="utf-8")
    elif path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    else:
        raise ValueError(f"path must end in .toml or .json, got {path.name!r}")
    return path


__all__ = ["element_to_dict", "element_from_dict", "offer_to_dict", "offer_from_dict", "study_to_dict",
           "study_from_dict", "to_toml", "load_study", "save_study"]
