"""Example data bundled with trustcost."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd


def path(name: str) -> Path:
    """Path of a bundled data file, e.g. ``path("example_cashflows.csv")``."""
    file = resources.files(__name__) / name
    if not file.is_file():
        available = sorted(p.name for p in resources.files(__name__).iterdir() if p.suffix in {".csv", ".toml", ".json"})
        raise ValueError(f"name must be one of {available}, got {name!r}")
    return Path(str(file))


def load_example_cashflows() -> pd.DataFrame:
    """Two ways to cool a plant for 15 years (real dollars): a standard and a high-efficiency chiller.

    Columns ``year``, ``option``, ``investment`` (purchase, overhaul in year 8, residual value as a
    negative cost in year 15) and ``operating`` (energy and maintenance). Illustrative figures.
    """
    return pd.read_csv(path("example_cashflows.csv"))


def three_vendors_path() -> Path:
    """Path of the bundled scenario: three vendors bidding for one machine over 12 years."""
    return path("three_vendors.toml")


def load_three_vendors():
    """The bundled three-vendor scenario as a :class:`trustcost.Study`: different prices, service
    contracts, reliability and supplier health (illustrative figures)."""
    from ..lcc_io import load_study  # datasets sits below lcc; import lazily to keep layers clean

    return load_study(three_vendors_path())
