"""The order stage's model: pairwise precedence log-odds between the units of one article.

A pairwise precedence model (logistic regression on the cheap cues of
:mod:`cleaner.order.features`, weights and a learned word-position lexicon in
``cleaner/data/order_model.json``, trained by ``bench/order/train.py`` on ordered gold
articles) gives for every pair of units the log-odds ``L[i][j]`` that unit *i* comes before
unit *j*; ``L`` is antisymmetric. The score of an order is the sum of ``L`` over its pairs.
Besides hand-written cues, a learned unary score feeds it: a position regressor (ridge
least squares of a paragraph's relative position on its sparse cues: first words, last
word, content stems, bucketed unary cues). A lede classifier (logistic, "is the first
paragraph") over the same cues was tried and got no weight: it is not shipped.

The model file also holds the thresholds calibrated with the weights (the gate, the weight of
cohesion in the search, the off-topic rule): they travel with the weights they were set for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from cleaner.order.features import (
    FEATURE_NAMES,
    UNARY_NAMES,
    Lexicon,
    Unit,
    pair_features,
)

MODEL_FILE = "order_model.json"


@dataclass(frozen=True, slots=True)
class Model:
    """The shipped model: feature weights and the thresholds calibrated with them."""

    unary: tuple[float, ...]
    pair: tuple[float, ...]
    gate: float  # z below which an article without hard evidence counts as scrambled
    cohesion: float  # weight of adjacent units' cohesion in the search objective
    lexicon: Lexicon
    raw: dict[str, Any]


def model_from_json(data: dict[str, Any]) -> Model:
    """Build a :class:`Model` from the JSON written by the training script."""
    names = tuple(data["features"])
    if names != FEATURE_NAMES:
        raise ValueError("order model was trained with other features; run make train-order")
    weights = [float(data["weights"][name]) for name in names]
    thresholds = data["thresholds"]
    return Model(
        unary=tuple(weights[: len(UNARY_NAMES)]),
        pair=tuple(weights[len(UNARY_NAMES) :]),
        gate=float(thresholds["gate"]),
        cohesion=float(thresholds.get("cohesion", 0.0)),
        lexicon=Lexicon(
            {k: float(v) for k, v in data["lexicon"]["words"].items()},
            {k: float(v) for k, v in data["lexicon"]["openers"].items()},
            {k: float(v) for k, v in data["lexicon"].get("cues", {}).items()},
        ),
        raw=data,
    )


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The packaged model (read once per process)."""
    text = resources.files("cleaner").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return model_from_json(json.loads(text))



def logit_matrix(units: list[Unit], model: Model) -> list[list[float]]:
    """``L[i][j]``: log-odds that unit i precedes unit j (antisymmetric, zero diagonal)."""
    scores = [sum(w * x for w, x in zip(model.unary, u.unary, strict=True)) for u in units]
    n = len(units)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        a = units[i]
        for j in range(i + 1, n):
            b = units[j]
            value = scores[i] - scores[j]
            if _related(a, b):  # otherwise every pair cue is 0 (the common case: skip them)
                pair = pair_features(a, b)
                value += sum(w * x for w, x in zip(model.pair, pair, strict=True))
            matrix[i][j] = value
            matrix[j][i] = -value
    return matrix


def _related(a: Unit, b: Unit) -> bool:
    """Whether any pair cue of (a, b) can be non-zero: they share a name or an acronym."""
    return not (
        a.entities.isdisjoint(b.entities)
        and a.full_names.isdisjoint(b.bare_names)
        and b.full_names.isdisjoint(a.bare_names)
        and a.defined.isdisjoint(b.acronyms)
        and b.defined.isdisjoint(a.acronyms)
    )

