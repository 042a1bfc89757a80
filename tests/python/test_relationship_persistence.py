"""save_model/load_model (lifetimes' names, our own versioned JSON format) and fit(index=)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import trustcost as tc


@pytest.fixture(scope="module")
def cdnow():
    return tc.datasets.load_cdnow_summary()


def _fitted(kind, cdnow):
    cols = [cdnow[c] for c in ("frequency", "recency", "T")]
    if kind == "bgnbd":
        return tc.BetaGeo(penalizer=0.001).fit(*cols, index=cdnow.index)
    if kind == "mbgnbd":
        return tc.ModifiedBetaGeo().fit(*cols)
    if kind == "pareto":
        return tc.ParetoNBD().fit(*cols)
    if kind == "covariates":
        segment = pd.DataFrame({"segment": np.random.default_rng(7).integers(0, 2, len(cdnow)).astype(float)},
                               index=cdnow.index)
        return tc.BetaGeoCovariates().fit(*cols, covariates=segment)
    if kind == "bgbb":
        d = tc.datasets.load_donations()
        return tc.BetaGeoBetaBinom().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
    if kind == "sbg":
        return tc.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    if kind == "bdw":
        return tc.BetaDiscreteWeibull().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    repeat = cdnow[cdnow["frequency"] > 0]
    return tc.GammaGamma(q_constraint=False).fit(repeat["frequency"], repeat["monetary_value"])


KINDS = ["bgnbd", "mbgnbd", "pareto", "covariates", "bgbb", "sbg", "bdw", "gamma_gamma"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_saved_model_loads_back_exactly(kind, cdnow, tmp_path):
    model = _fitted(kind, cdnow)
    path = tmp_path / "model.json"
    model.save_model(path)
    again = type(model)().load_model(str(path))
    pd.testing.assert_series_equal(again.params_, model.params_, check_exact=True)
    pd.testing.assert_frame_equal(again.covariance_, model.covariance_, check_exact=True)
    pd.testing.assert_series_equal(again.standard_errors_, model.standard_errors_, check_exact=True)
    for name in ("log_likelihood_", "n_customers_", "iterations_", "penalizer", "max_iterations"):
        assert getattr(again, name) == getattr(model, name)
    if kind == "gamma_gamma":
        assert again.q_constraint is False
    if kind == "bgnbd":
        assert again.index_.equals(model.index_)


def test_load_model_refuses_other_models_formats_and_newer_versions(cdnow, tmp_path):
    model = _fitted("sbg", cdnow)
    path = tmp_path / "model.json"
    model.save_model(path)
    with pytest.raises(ValueError, match="holds a ShiftedBetaGeometric model, not a BetaGeo"):
        tc.BetaGeo().load_model(path)
    content = json.loads(path.read_text())
    content["version"] = 2
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(content))
    with pytest.raises(ValueError, match="format version 2, written by a newer trustcost; this version reads format "
                                         "versions up to 1"):
        tc.ShiftedBetaGeometric().load_model(newer)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"params": {}}))
    with pytest.raises(ValueError, match="not a trustcost model file"):
        tc.ShiftedBetaGeometric().load_model(other)
    with pytest.raises(ValueError, match="values_to_save must be None"):
        model.save_model(path, values_to_save=[None])
    with pytest.raises(RuntimeError, match="not fitted"):
        tc.BetaGeo().save_model(path)


def test_fit_index_labels_per_customer_results(cdnow):
    cols = [cdnow[c].to_numpy() for c in ("frequency", "recency", "T")]
    ids = [f"c{i}" for i in range(len(cdnow))]
    model = tc.BetaGeo().fit(*cols, index=ids)
    alive = model.p_alive(*cols)
    assert isinstance(alive, pd.Series) and list(alive.index) == ids
    ll = model.individual_log_likelihood(*cols)
    assert list(ll.index) == ids and float(ll.sum()) == pytest.approx(model.log_likelihood_, rel=1e-11)
    # Other customers (another length) come back as plain arrays.
    assert isinstance(model.p_alive(cols[0][:5], cols[1][:5], cols[2][:5]), np.ndarray)
    with pytest.raises(ValueError, match="index must have one id per customer"):
        tc.BetaGeo().fit(*cols, index=ids[:-1])
    spend = tc.GammaGamma().fit(cols[0], cdnow["monetary_value"].to_numpy(), index=ids)
    value = spend.expected_average_value(cols[0], cdnow["monetary_value"].to_numpy())
    assert list(value.index) == ids
