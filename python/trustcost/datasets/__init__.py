"""Example data bundled with trustcost."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from ..lcc import load_study


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
    return load_study(three_vendors_path())


def load_cdnow_summary() -> pd.DataFrame:
    """CDNOW customer summary: 2,357 customers who first bought in Q1 1997, 39-week calibration.

    Indexed by ``ID`` with columns ``frequency`` (repeat purchases), ``recency`` and ``T`` (weeks)
    and ``monetary_value`` (mean value of the repeat purchases, US dollars; 0 without repeats).

    Origin: the file ``cdnow_customers_summary_with_transactions.csv`` (columns x, t_x, T, zbar)
    of the ``lifetimes`` 0.11.3 wheel on PyPI (MIT licence), itself the CDNOW sample of
    Fader, Hardie & Lee (2005) distributed at http://brucehardie.com/datasets/.
    """
    frame = pd.read_csv(path("cdnow_customers_summary.csv"), index_col="ID")
    return frame.rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"}).astype(float)


def load_cdnow_transactions() -> pd.DataFrame:
    """CDNOW transactions behind :func:`load_cdnow_summary`: 6,919 purchases of the 2,357 customers
    of the 1/10 sample, 1997-01-01 to 1998-06-30 (78 weeks: 39 of calibration, 39 of holdout).

    Columns ``customer_id`` (1..2357), ``date`` (datetime), ``cds`` (CDs bought) and ``value``
    (US dollars). Origin: ``CDNOW_sample.txt`` of the ``lifetimes`` 0.11.3 wheel on PyPI (MIT
    licence), the sample of Fader, Hardie & Lee (2005) distributed at http://brucehardie.com/datasets/.
    """
    return pd.read_csv(path("cdnow_transactions.csv"), parse_dates=["date"])


def load_donations() -> pd.DataFrame:
    """Donations to a non-profit: 11,104 first-time supporters of 1995, six yearly chances (1996-2001)
    to donate again, as counts of identical histories.

    Columns ``frequency`` (repeat donations), ``recency`` (year of the last one, 1..6, 0 if none),
    ``periods`` (opportunities, 6) and ``weights`` (donors with that history): 22 rows summing to
    11,104. The data of Fader, Hardie & Shang (2010), "Customer-Base Analysis in a Discrete-Time
    Noncontractual Setting", Marketing Science 29(6), fitted there by the BG/BB model.

    Origin: the file ``donations.csv`` of the ``lifetimes`` 0.11.3 wheel on PyPI (MIT licence),
    itself the data distributed with Fader, Hardie & Shang (2010) at http://brucehardie.com/.
    """
    return pd.read_csv(path("donations.csv"))
