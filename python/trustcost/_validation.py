"""Input checks shared by the public functions: clear errors that name the argument."""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name: str, *, ndim: tuple[int, ...] = (1, 2), allow_empty: bool = False) -> np.ndarray:
    """Convert ``value`` to a C-contiguous float64 array, or raise naming ``name``.

    Accepts lists, tuples, numpy arrays, pandas Series and DataFrames. Rejects ragged nesting,
    non-numeric dtypes (strings, objects, datetimes), the wrong number of dimensions and, unless
    ``allow_empty``, empty input. NaN and inf pass through: the C++ core reports where they are.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric, got {type(value).__name__} {value!r}")
    try:
        array = np.asarray(value)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(f"{name} must be rectangular (all rows of equal length): {exc}") from None
    if array.dtype == object:
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric, got values of type object that are not numbers") from None
    elif not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_) or np.issubdtype(
        array.dtype, np.complexfloating
    ):
        raise TypeError(f"{name} must be numeric, got dtype {array.dtype}")
    if array.ndim not in ndim:
        allowed = " or ".join(f"{d}-D" for d in ndim)
        raise ValueError(f"{name} must be {allowed}, got {array.ndim}-D with shape {array.shape}")
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    return np.asarray(array, dtype=np.float64, order="C")


def as_float(value, name: str) -> float:
    """A real scalar, or TypeError/ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value
