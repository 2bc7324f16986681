"""Pure-Python inference for the learned noise-block classifier.

The model is a logistic regression fitted by ``python -m bench.noise_model.train``
(scikit-learn is a training-time dependency only). Its weights are stored as data in
``bench/noise_model/noise_model.json``; here we only standardise each feature vector with
the stored means and scales, take the dot product with the coefficients and apply the
sigmoid, so inference needs no numpy.

The output is P(keep) per block; a block is kept when it is at least the stored ``threshold``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bench.noise_model.features import FEATURE_NAMES, block_vectors

MODEL_RESOURCE = "noise_model.json"


@dataclass(frozen=True, slots=True)
class NoiseModel:
    """Weights of one fitted logistic regression, in :data:`FEATURE_NAMES` order."""

    feature_names: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NoiseModel:
        """Build from the JSON layout; refuse weights made for a different feature list, since
        a silently misaligned vector would give confident nonsense."""
        names = tuple(str(n) for n in data["feature_names"])
        if names != FEATURE_NAMES:
            raise ValueError("noise model was trained on a different feature list; retrain it")
        model = cls(
            feature_names=names,
            means=tuple(float(x) for x in data["means"]),
            scales=tuple(float(x) for x in data["scales"]),
            coefficients=tuple(float(x) for x in data["coefficients"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )
        if not len(model.means) == len(model.scales) == len(model.coefficients) == len(names):
            raise ValueError("noise model vectors have inconsistent lengths")
        return model

    def score(self, vector: Sequence[float]) -> float:
        """P(keep) of one feature vector: sigmoid(w . (x - mean) / scale + b)."""
        z = self.intercept
        for x, m, s, w in zip(vector, self.means, self.scales, self.coefficients, strict=True):
            z += w * (x - m) / (s or 1.0)
        # numerically safe sigmoid: exp of a large positive number would overflow
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


@lru_cache(maxsize=1)
def load_model() -> NoiseModel:
    """The shipped model, read once from the package data."""
    text = (Path(__file__).resolve().parent / MODEL_RESOURCE).read_text("utf-8")
    return NoiseModel.from_dict(json.loads(text))


def predict_proba(
    features: Sequence[Sequence[float]], model: NoiseModel | None = None
) -> list[float]:
    """P(keep) for each feature vector (rows from ``features.block_vectors``)."""
    model = model or load_model()
    return [model.score(row) for row in features]


def predict_blocks(
    blocks: list[str], paras: list[int], title: str | None, model: NoiseModel | None = None
) -> list[float]:
    """Convenience: features and P(keep) for one document's blocks in one call."""
    return predict_proba(block_vectors(blocks, paras, title), model)
