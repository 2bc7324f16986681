"""Off-topic splices: the learned scorer, flagged or dropped, the shipped file, the seed's gap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.order import splice_train
from cleaner import Options, clean
from cleaner.document import render_text
from cleaner.order import repair_order
from cleaner.order.features import analyse
from cleaner.order.splices import (
    SPLICE_FEATURES,
    SPLICE_MODEL_FILE,
    load_splice_model,
    offtopic_units,
    splice_features,
    splice_model_from_json,
    splice_scores,
)
from tests.order.common import GOLD, OFF, SPLICED, paragraphs


@pytest.mark.parametrize("drop", [False, True])
def test_offtopic_paragraph_flagged_or_dropped(drop: bool) -> None:
    base = clean(SPLICED, name="x.txt", options=OFF).document
    doc = repair_order(base, options=Options(drop_offtopic=drop))
    assert doc.order is not None and doc.order.offtopic == (2,)
    assert any("paragraph 2 reads like another story" in line for line in doc.order.evidence)
    text = render_text(doc.kept)
    assert ("Hynix" in text) is not drop
    dropped = [b for b in doc.blocks if not b.keep and "Hynix" in b.text]
    assert len(dropped) == int(drop)
    if drop:
        assert (dropped[0].reason or "").startswith("off-topic")


def test_scores_single_out_the_unit_that_shares_nothing() -> None:
    paras = paragraphs(SPLICED)
    scores = splice_scores(analyse(paras, None), None, load_splice_model())
    assert "Hynix" in paras[max(range(len(paras)), key=lambda k: scores[k])]


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_gold_article_in_order_is_not_flagged(path: Path) -> None:
    assert clean(path.read_bytes(), name=path.name).metadata["order"]["offtopic"] == []


def test_at_most_one_unit_and_none_below_two() -> None:
    units = analyse(paragraphs(SPLICED), None)
    assert len(offtopic_units(units, None)) == 1
    assert offtopic_units(units[:1], None) == []


def test_one_row_per_unit_and_feature() -> None:
    units = analyse(paragraphs(SPLICED), None)
    rows = splice_features(units, "Springfield parks budget", load_splice_model())
    assert len(rows) == len(units) and all(len(r) == len(SPLICE_FEATURES) for r in rows)


def shipped() -> dict[str, object]:
    return json.loads(Path(splice_train.MODEL_PATH).read_text(encoding="utf-8"))


def test_model_file_matches_training_script() -> None:
    """The shipped file was written by bench/order/splice_train.py as it stands (retraining
    needs ../shared and is `make train-order`)."""
    raw = shipped()
    assert Path(splice_train.MODEL_PATH).name == SPLICE_MODEL_FILE
    assert tuple(raw["features"]) == SPLICE_FEATURES  # type: ignore[arg-type]
    training = raw["training"]
    assert isinstance(training, dict)
    assert training["false_flag_rate"] == splice_train.FALSE_FLAG_RATE
    assert training["seed"] == splice_train.SEED
    assert splice_train.render(raw) == Path(splice_train.MODEL_PATH).read_text(encoding="utf-8")


def test_model_rejects_other_features() -> None:
    raw = shipped()
    raw["features"] = list(SPLICE_FEATURES[:-1])
    with pytest.raises(ValueError, match="train-order"):
        splice_model_from_json(raw)
