"""The engine's view of a :class:`~trustcost.Study`: what the C++ core is given, built once.

A study is immutable, so its flattened items, stacked arrays, trust paths and expected costs are
computed once and shared by :meth:`Study.evaluate`, :class:`LccResult` (and its ``compare``) and
the Monte Carlo (:func:`trustcost.simulate`), which would otherwise each rebuild them or reach
into the study's private state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _core


@dataclass(frozen=True, eq=False)
class StudyEngine:
    """A study as the engine sees it.

    Attributes
    ----------
    spec : trustcost._core.StudySpec
        Horizon, discount rate, timing, inflation and number of categories (validated in C++).
    offers : tuple of str
        Offer names, in the study's order (the first axis of every array).
    categories : tuple of str
        Cost categories in reporting order (the last axis of ``costs`` and ``present_values``).
    items : tuple of tuple of Item
        Every offer's engine items (one per cost line, supplier and relationship line).
    arrays : tuple of numpy.ndarray
        ``(kind, category, params, offer_start)``: the items stacked for one batched call.
    trust : numpy.ndarray or None
        Trust per offer and study year (offers x years), read by relationship lines; ``None``
        when no offer has a trust profile.
    costs : numpy.ndarray
        Expected cost per offer, year and category (real money of year 0, undiscounted).
    present_values : numpy.ndarray
        Present value per offer and category.
    """

    spec: _core.StudySpec
    offers: tuple[str, ...]
    categories: tuple[str, ...]
    items: tuple
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    trust: np.ndarray | None
    costs: np.ndarray
    present_values: np.ndarray

    def __reduce__(self):
        # The bound spec does not pickle; its fields do (workers receive studies and their views).
        s = self.spec
        spec = dict(horizon=s.horizon, discount_rate=s.discount_rate, timing=s.timing, inflation=s.inflation,
                    categories=s.categories)
        return _rebuild, (spec, self.offers, self.categories, self.items, self.arrays, self.trust, self.costs,
                          self.present_values)

    def evaluate(self, kind, category, params, offer_start, trust_rows=None):
        """Expected costs and present values of other item arrays under this study's settings
        (variants of its offers, e.g. one input at a percentile); ``trust_rows`` picks, for each
        variant offer, the row of :attr:`trust` it reads."""
        trust = None if self.trust is None else self.trust[np.asarray(trust_rows, dtype=np.intp)]
        return _core.lcc_evaluate(self.spec, kind, category, params, offer_start, trust)

    def simulate(self, plan, progress=None):
        """The Monte Carlo run of ``plan`` over this study (see :func:`trustcost.simulate`)."""
        return _core.lcc_simulate(self.spec, *self.arrays, plan, progress=progress, trust=self.trust)


def _rebuild(spec: dict, *fields) -> StudyEngine:
    return StudyEngine(_core.StudySpec(**spec), *fields)


__all__ = ["StudyEngine"]
