"""Test-wide settings."""

from __future__ import annotations

import os

from hypothesis import settings

# CI runs the property tests on a fixed example sequence, so a green main stays green; a developer's
# run (no CI variable) explores new examples every time and keeps failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
