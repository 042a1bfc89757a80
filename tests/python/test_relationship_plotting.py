"""The relationship charts on the package style (issue 20): the package's series colours, labelled
axes, the health path's time unit and its threshold named in the legend, and lifetimes' ``n``
refused with the name trustcost uses."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import trustcost as tc  # noqa: E402
from trustcost import _plotting  # noqa: E402
from trustcost.relationship import plotting  # noqa: E402


def test_health_path_plot_names_months_health_and_the_threshold():
    decay, effect = 0.10, 0.05
    hold = tc.maintenance_effort(0.7, decay, effect)
    months = np.linspace(0, 36, 145)
    path = tc.health_path(0.9, decay, effect, [0, 6, 18], [0.0, 2 * hold, hold], months)
    ax = plotting.plot_health_path(path, threshold=0.7, time_unit="months", title="silence, catch-up, maintenance")
    assert ax.get_xlabel() == "time (months)"
    assert ax.get_ylabel() == "relationship health (0 to 1)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["health", "threshold 0.7"]
    # The package's first series colour, not matplotlib's default blue.
    assert to_hex(ax.lines[0].get_color()) == _plotting.SERIES_COLORS[0].lower()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), path.to_numpy())
    with pytest.raises(TypeError, match="path must be the pandas Series of trustcost.health_path"):
        plotting.plot_health_path(path.to_numpy())
    plt.close("all")


def test_lifetimes_n_is_refused_naming_max_frequency():
    model = tc.relationship.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    with pytest.raises(TypeError, match=r"takes max_frequency, not n \(lifetimes' name\): max_frequency=7"):
        plotting.plot_calibration_purchases_vs_holdout_purchases(model, None, n=7)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bins'"):
        plotting.plot_calibration_purchases_vs_holdout_purchases(model, None, bins=7)
