"""Input checks shared by the public functions: clear errors that name the argument."""

from __future__ import annotations

import numbers

import numpy as np

from . import _core

SEED_LIMIT = 2**64
"""Seeds and stream numbers are unsigned 64-bit counters: values outside ``[0, 2**64)`` are refused
rather than wrapped (``2**64 + 1`` would otherwise give the same draws as ``1``)."""


def reject_masked(value, name: str) -> None:
    """Refuse numpy masked arrays: the C++ core would read the values under the mask as data."""
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array, whose mask would be ignored; pass {name}.filled(value) "
                        f"or {name}.compressed() instead")


def as_float_array(value, name: str, *, ndim: tuple[int, ...] = (1, 2), allow_empty: bool = False,
                   allow_bool: bool = True) -> np.ndarray:
    """Convert ``value`` to a C-contiguous float64 array, or raise naming ``name``.

    Accepts lists, tuples, numpy arrays, pandas Series and DataFrames. Rejects ragged nesting,
    non-numeric dtypes (strings, objects, datetimes), the wrong number of dimensions and, unless
    ``allow_empty``, empty input, and unless ``allow_bool``, booleans (where they stand for counts or
    amounts, True would be read as 1). NaN and inf pass through: the C++ core reports where they are.
    """
    if value is None or isinstance(value, (str, bytes, dict)):
        raise TypeError(f"{name} must be numeric, got {type(value).__name__} {value!r}")
    reject_masked(value, name)
    try:
        array = np.asarray(value)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(f"{name} must be rectangular (all rows of equal length): {exc}") from None
    if array.dtype == object:
        try:
            array = array.astype(np.float64)
        except OverflowError:  # Python ints beyond the float range
            raise ValueError(f"{name} must be finite, got a number too large for a float") from None
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric, got values of type object that are not numbers") from None
    elif not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_) or np.issubdtype(
        array.dtype, np.complexfloating
    ):
        raise TypeError(f"{name} must be numeric, got dtype {array.dtype}")
    if not allow_bool and array.dtype == np.bool_:
        raise TypeError(f"{name} must be numbers, not booleans (True would be read as 1)")
    if array.ndim not in ndim:
        allowed = " or ".join(f"{d}-D" for d in ndim)
        raise ValueError(f"{name} must be {allowed}, got {array.ndim}-D with shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return np.asarray(array, dtype=np.float64, order="C")


def broadcast_rows(arrays, names) -> list[np.ndarray]:
    """Arrays of per-row arguments broadcast together (a scalar applies to every row) and flattened
    to C-contiguous 1-D arrays; unequal lengths raise naming the arguments and their shapes
    (numpy's own message says "arg 0 with shape ...", which names nothing the caller wrote)."""
    if all(a.ndim == 1 and a.shape == arrays[0].shape and a.flags.c_contiguous for a in arrays):
        return list(arrays)  # the usual call (equal columns): nothing to broadcast or copy
    try:
        broadcast = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{name} {np.shape(a)}" for a, name in zip(arrays, names))
        raise ValueError(f"{', '.join(names[:-1])} and {names[-1]} must have one value per row (or be a "
                         f"single value), got shapes {shapes}") from None
    return [np.ascontiguousarray(a.ravel()) for a in broadcast]


def as_float(value, name: str) -> float:
    """A real scalar, or TypeError/ValueError naming ``name``."""
    reject_masked(value, name)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    try:
        value = float(value)
    except OverflowError:  # an int beyond the float range
        raise ValueError(f"{name} must be finite, got {value}") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def as_nonnegative(value, name: str) -> float:
    """A finite real >= 0 (amounts, spend, costs)."""
    value = as_float(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def as_rate(value, name: str) -> float:
    """A finite rate per period above -1 (a fall of less than 100%): discount rates, inflation,
    escalation. ``-1`` and below would make the discount or growth factor zero or negative."""
    value = as_float(value, name)
    if value <= -1:
        raise ValueError(f"{name} must be > -1, got {value}")
    return value


def check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (compared by equality; unhashable values are refused, not hashed)."""
    if not isinstance(value, (str, int, float, np.generic)) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def check_choices(values, name: str, choices) -> tuple[str, ...]:
    """A collection of distinct names, each one of ``choices``: a bare string is refused (it would
    be read letter by letter), and an unknown name is an error rather than silently unused."""
    names = check_names(values, name)
    unknown = [v for v in names if v not in choices]
    if unknown:
        raise ValueError(f"{name} has unknown name(s) {unknown}; known: {list(choices)}")
    return names


def check_names(values, name: str, *, allow_empty: bool = True) -> tuple[str, ...]:
    """Distinct non-empty strings from a list, tuple, pandas Index or array (not a bare string,
    whose letters would become names)."""
    if isinstance(values, (str, bytes, dict)) or values is None or not hasattr(values, "__iter__") or (
            isinstance(values, np.ndarray) and values.ndim == 0):
        raise TypeError(f"{name} must be a list of names, got {type(values).__name__} {values!r}")
    names = tuple(values)
    for k, value in enumerate(names):
        if not isinstance(value, str) or not value.strip():
            raise TypeError(f"{name}[{k}] must be a non-empty string, got {type(value).__name__} {value!r}")
    duplicates = sorted({v for v in names if names.count(v) > 1})
    if duplicates:
        raise ValueError(f"{name} must not repeat a name, got {duplicates} more than once")
    if not allow_empty and not names:
        raise ValueError(f"{name} must not be empty")
    return names


def check_flag(value, name: str) -> bool:
    """A flag: ``True`` or ``False`` (also numpy's), never a truthy string or number."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None, *,
              what: str = "an integer") -> int:
    """A whole number (Python or numpy int, not bool, float or string) within ``[minimum, maximum]``;
    ``what`` names the kind of number in the TypeError ("a whole year")."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_count(value, name: str, maximum: int | None = None) -> int:
    """A count of things to make (paths, draws, iterations): a whole number >= 1 (and at most
    ``maximum`` where the engine or memory sets a limit)."""
    value = check_int(value, name, None, maximum)
    if value < 1:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def too_large(name: str, count: int, nbytes: float) -> ValueError:
    """The error for a count whose arrays cannot be allocated (instead of numpy's "Unable to
    allocate 7.28 TiB" or std::bad_alloc, which name no argument)."""
    return ValueError(f"{name} = {count} needs about {nbytes / 2**30:,.3g} GiB of memory, more than can be allocated")


def check_seed(value, name: str = "seed") -> int:
    """A seed or stream number in ``[0, 2**64)`` (see :data:`SEED_LIMIT`)."""
    value = check_int(value, name)
    if not 0 <= value < SEED_LIMIT:
        raise ValueError(f"{name} must be in 0..{SEED_LIMIT - 1}, got {value}")
    return value


def check_horizon(value, name: str = "horizon") -> int:
    """A study horizon: whole years 1..``_core.MAX_HORIZON`` (the engine's limit)."""
    value = check_int(value, name, what="a whole number of years")
    if not 1 <= value <= _core.MAX_HORIZON:
        raise ValueError(f"{name} must be >= 1 and <= {_core.MAX_HORIZON} years (the engine's limit), got {value}")
    return value


def check_year(value, name: str, minimum: int = 0) -> int:
    """A study year: a whole number from ``minimum`` to ``_core.MAX_HORIZON`` (no study reaches further)."""
    return check_int(value, name, minimum, _core.MAX_HORIZON, what="a whole year (int)")


def check_finite_result(values, name: str, what: str = "the result"):
    """The overflow policy (README, Conventions): a result that overflows float64 from finite
    inputs raises ``OverflowError`` naming the argument, never returns inf or NaN."""
    array = np.asarray(values)
    if not np.all(np.isfinite(array)):
        raise OverflowError(f"{what} overflows double precision for this {name} (too large)")
    return values
