"""The learned noise model: features line up with the shipped weights, inference is pure Python."""

from __future__ import annotations

import math

from bench.noise_model.features import FEATURE_NAMES, block_features, block_vectors
from bench.noise_model.model import load_model, predict_blocks, predict_proba
from cleaner.extract import text_blocks

PAGE = """Home

News

Share

Council approves new budget after a long debate

The city council approved the budget on Tuesday evening after a debate that lasted six hours.
Members of the opposition said the plan cut too much from the libraries.

The mayor said the savings were needed to balance the books this year.

Advertisement

Related: Ten things to do this weekend

© 2024 Example News. All rights reserved.
"""


def _split(text: str) -> tuple[list[str], list[int]]:
    blocks = text_blocks(text)
    return [b.text for b in blocks], [b.para for b in blocks]


def test_vectors_have_one_value_per_feature() -> None:
    texts, paras = _split(PAGE)
    vectors = block_vectors(texts, paras, None)
    assert len(vectors) == len(texts)
    assert all(len(v) == len(FEATURE_NAMES) for v in vectors)
    assert all(math.isfinite(x) for v in vectors for x in v)
    assert block_features([], [], None) == []


def test_shipped_model_matches_features_and_gives_probabilities() -> None:
    model = load_model()
    assert model.feature_names == FEATURE_NAMES
    texts, paras = _split(PAGE)
    probs = predict_proba(block_vectors(texts, paras, None))
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert probs == predict_blocks(texts, paras, None)


def test_model_prefers_prose_to_labels() -> None:
    texts, paras = _split(PAGE)
    probs = dict(zip(texts, predict_blocks(texts, paras, None), strict=True))
    prose = probs["The mayor said the savings were needed to balance the books this year."]
    assert prose > probs["Advertisement"]
    assert prose > probs["Home"]
