"""Stage 4, order: detect a scrambled article, repair its paragraph order, flag spliced paragraphs.

Runs after the noise stage, on the kept paragraphs of plain-text inputs (HTML keeps its
published order). The package, in the order the stage uses it:

* :mod:`~cleaner.order.features`: cheap cues of each paragraph (a :class:`Unit`) and of pairs;
* :mod:`~cleaner.order.model`: the shipped pairwise precedence model (log-odds that a unit
  comes before another);
* :mod:`~cleaner.order.evidence`: what a reader would see at once (a wire dateline not first,
  a surname before its introduction), and softer cues shown but not deciding;
* :mod:`~cleaner.order.search`: the search objective, single-paragraph moves, a global order
  and the fewest moves that put every introduction first;
* :mod:`~cleaner.order.splices`: paragraphs spliced in from another story;
* :mod:`~cleaner.order.stage`: the gate and the stage itself (:func:`repair_order`), its
  :class:`OrderResult` (:mod:`~cleaner.order.result`) and the lines ``explain`` prints
  (:func:`describe`).
"""

from __future__ import annotations

from cleaner.order.features import FEATURE_NAMES, Lexicon, Unit, analyse
from cleaner.order.model import MODEL_FILE, Model, load_model, logit_matrix, model_from_json
from cleaner.order.result import OrderResult
from cleaner.order.search import Scorer, cohesion_matrix, global_order, resolve, z_score
from cleaner.order.splices import offtopic_units, splice_scores
from cleaner.order.stage import MAX_UNITS, MIN_UNITS, Decision, decide, describe, repair_order

__all__ = [
    "FEATURE_NAMES",
    "MAX_UNITS",
    "MIN_UNITS",
    "MODEL_FILE",
    "Decision",
    "Lexicon",
    "Model",
    "OrderResult",
    "Scorer",
    "Unit",
    "analyse",
    "cohesion_matrix",
    "decide",
    "describe",
    "global_order",
    "load_model",
    "logit_matrix",
    "model_from_json",
    "offtopic_units",
    "repair_order",
    "resolve",
    "splice_scores",
    "z_score",
]
