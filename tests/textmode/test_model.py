"""The line model's mechanics on hand-made weights: scoring, decoding, reasons, loading."""

from __future__ import annotations

import json
import math

import pytest

from cleaner.textmode.model import LineModel, from_json, shipped

NEVER = -1e9
# before -> before|article|after; article -> article|inside|after; inside -> inside|article|after
TRANSITIONS = (
    (math.log(0.8), math.log(0.15), NEVER, math.log(0.05)),
    (NEVER, math.log(0.9), math.log(0.05), math.log(0.05)),
    (NEVER, math.log(0.7), math.log(0.2), math.log(0.1)),
    (NEVER, NEVER, NEVER, 0.0),
)


def _model(keep_bias: float = 0.0) -> LineModel:
    return LineModel(
        weights={"bias": -1.0, "label": 4.0, "menu": 6.0, "prose": -5.0},
        transitions=TRANSITIONS,
        start=(math.log(0.5), math.log(0.5), NEVER, NEVER),
        noise_prior=0.5,
        keep_bias=keep_bias,
        transition_scale=1.0,
        clean={"bias": 1.0},
        clean_bound=0.5,
        join={"bias": -1.0, "open": 3.0},
        title={"bias": -1.0, "short": 2.0},
    )


def test_logit_sums_known_weights_and_ignores_unknown_features() -> None:
    assert _model().logit(["bias", "label", "never seen"]) == pytest.approx(3.0)


CASES = [
    # (line logits, expected keep): a menu block before the article goes as one run
    ([6.0, 5.0, -5.0, -6.0, -4.0], [False, False, True, True, True]),
    # a clear label between paragraphs goes, the article around it stays
    ([-6.0, -5.0, 6.0, -5.0, -6.0], [True, True, False, True, True]),
    # a doubtful line between paragraphs stays: leaving the article costs more than it gains
    ([-6.0, -5.0, 0.5, -5.0, -6.0], [True, True, True, True, True]),
    # an all-article document is kept whole
    ([-3.0, -3.0, -3.0], [True, True, True]),
    ([], []),
]


@pytest.mark.parametrize(("logits", "keep"), CASES)
def test_decode(logits: list[float], keep: list[bool]) -> None:
    assert _model().decode(logits) == keep


def test_keep_bias_keeps_more_lines() -> None:
    logits = [-6.0, 5.0, -6.0]
    assert _model().decode(logits) == [True, False, True]
    assert _model(keep_bias=3.0).decode(logits) == [True, True, True]


def test_strongest_names_the_features_behind_the_decision() -> None:
    model = _model()
    assert model.strongest(["bias", "label", "menu", "prose"], noise=True) == ["menu", "label"]
    assert model.strongest(["bias", "label", "prose"], noise=False) == ["prose"]


def test_from_json_round_trip() -> None:
    model = _model()
    data = {
        "weights": model.weights,
        "transitions": [list(r) for r in model.transitions],
        "start": list(model.start),
        "noise_prior": model.noise_prior,
        "keep_bias": model.keep_bias,
        "transition_scale": model.transition_scale,
        "clean": model.clean,
        "clean_bound": model.clean_bound,
        "join": model.join,
        "title": model.title,
    }
    assert from_json(json.loads(json.dumps(data))) == model


def test_the_package_ships_a_model() -> None:
    model = shipped()
    assert model is not None
    assert len(model.weights) > 1000 and model.join and model.title
    assert 0.0 < model.noise_prior < 1.0 and model.clean
