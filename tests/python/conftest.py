"""Test-wide settings."""

from __future__ import annotations

import os
import warnings

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed example sequence, so a green main stays green; a developer's
# run (no CI variable) explores new examples every time and keeps failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def lifetimes():
    """lifetimes, a test dependency: the tool users would otherwise pick (its 0.11 sets deprecated
    pandas options on import, hence the silenced warnings)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import lifetimes

        return lifetimes
