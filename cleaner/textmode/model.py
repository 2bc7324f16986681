"""The shipped line model: feature weights, a sequence decoder over them, and reasons.

The weights come from a logistic regression (``bench/textmode/train.py``, scikit-learn at
training time only) and are stored as data in ``cleaner/data/text_model.json``; scoring a
line is a sum of weights in pure Python. The per-line scores are then decoded as a sequence
(Viterbi) over four states: noise before the article, article, noise inside it (an
inserted label), noise after it. The transition costs were counted on the training
documents, so a lone short line between two article paragraphs needs more evidence to go
than a line in the menu block before the article.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from typing import Any

MODEL_FILE = "text_model.json"
STATES = ("before", "article", "inside", "after")
ARTICLE = 1


@dataclass(frozen=True, slots=True)
class LineModel:
    """Weights for 'this line is noise' (positive = noise), for 'this line continues the one
    before' (``join``) and for 'this line is the headline' (``title``); the transition
    log-probabilities between :data:`STATES`, the start log-probabilities, and the keep bias and
    transition scale (0: every line on its own evidence; 1: the counted transitions)."""

    weights: dict[str, float]
    transitions: tuple[tuple[float, ...], ...]
    start: tuple[float, ...]
    noise_prior: float
    keep_bias: float
    transition_scale: float
    clean: dict[str, float]
    clean_bound: float
    join: dict[str, float]
    title: dict[str, float]

    def logit(self, feats: Sequence[str]) -> float:
        return _score(self.weights, feats)

    def decode(self, logits: Sequence[float]) -> list[bool]:
        """Keep (article) or drop per line: the most likely state sequence."""
        if not logits:
            return []
        if not self.transition_scale:
            return [e[ARTICLE] >= e[0] for e in map(self._emissions, logits)]
        scale = self.transition_scale
        trans = [[t * scale for t in row] for row in self.transitions]
        emit = [self._emissions(x) for x in logits]
        score = [s * scale + e for s, e in zip(self.start, emit[0], strict=True)]
        back: list[list[int]] = []
        states = range(len(STATES))
        for e in emit[1:]:
            step, row = [], []
            for to in states:
                best = max(states, key=lambda fr: score[fr] + trans[fr][to])
                row.append(best)
                step.append(score[best] + trans[best][to] + e[to])
            back.append(row)
            score = step
        state = max(range(len(STATES)), key=lambda s: score[s])
        path = [state]
        for row in reversed(back):
            state = row[state]
            path.append(state)
        path.reverse()
        return [s == ARTICLE for s in path]

    def _emissions(self, logit: float) -> tuple[float, ...]:
        """log p(line | state) up to a constant: the classifier's posterior over its prior."""
        p_noise = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
        noise = math.log(max(p_noise, 1e-12)) - math.log(self.noise_prior)
        article = math.log(max(1.0 - p_noise, 1e-12)) - math.log(1.0 - self.noise_prior)
        article += self.keep_bias
        return (noise, article, noise, noise)

    def strongest(self, feats: Sequence[str], *, noise: bool, count: int = 3) -> list[str]:
        """The features that pushed hardest towards the decision taken."""
        sign = 1.0 if noise else -1.0
        weighted = [(sign * self.weights.get(f, 0.0), f) for f in dict.fromkeys(feats)]
        return [f for w, f in sorted(weighted, reverse=True)[:count] if w > 0 and f != "bias"]

    def join_logit(self, feats: Sequence[str]) -> float:
        return _score(self.join, feats)

    def clean_logit(self, feats: Sequence[str]) -> float:
        return _score(self.clean, feats)

    def looks_clean(self, feats: Sequence[str]) -> bool:
        """The "already clean" gate on a document's :func:`~cleaner.textmode.features.
        clean_features`: its logit reaches the calibrated bound."""
        return self.clean_logit(feats) >= self.clean_bound

    def title_logit(self, feats: Sequence[str]) -> float:
        return _score(self.title, feats)


def probability(logit: float) -> float:
    """The logistic function, clipped so that exp never overflows."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def _score(weights: dict[str, float], feats: Sequence[str]) -> float:
    """The weights of ``feats`` summed in order (an unknown feature weighs 0.0). map over the
    dict's own get runs in C, with no generator frame per feature: the same floats added in
    the same order, so the same sum to the last bit."""
    return sum(map(weights.get, feats, repeat(0.0)))


def from_json(data: dict[str, Any]) -> LineModel:
    return LineModel(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        transitions=tuple(tuple(float(x) for x in row) for row in data["transitions"]),
        start=tuple(float(x) for x in data["start"]),
        noise_prior=float(data["noise_prior"]),
        keep_bias=float(data["keep_bias"]),
        transition_scale=float(data["transition_scale"]),
        clean={str(k): float(v) for k, v in data["clean"].items()},
        clean_bound=float(data["clean_bound"]),
        join={str(k): float(v) for k, v in data["join"].items()},
        title={str(k): float(v) for k, v in data["title"].items()},
    )


@cache
def shipped() -> LineModel | None:
    """The model in the package's data folder, read once per process; None if absent."""
    path = resources.files("cleaner") / "data" / MODEL_FILE
    if not path.is_file():
        return None
    return from_json(json.loads(path.read_text(encoding="utf-8")))
