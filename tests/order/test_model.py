"""The shipped order model: written by the training script as it stands, on the recorded split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.order import data as order_data
from bench.order import train
from cleaner.order.features import FEATURE_NAMES
from cleaner.order.model import MODEL_FILE, load_model, model_from_json


def test_model_file_matches_training_script() -> None:
    """The shipped file was written by bench/order/train.py as it stands: same features, same
    split rule and settings (retraining needs ../shared and is `make train-order`)."""
    raw = load_model().raw
    assert tuple(raw["features"]) == FEATURE_NAMES
    assert raw["training"]["split"] == order_data.SPLIT_RULE
    assert raw["training"]["max_pairs_per_doc"] == train.MAX_PAIRS_PER_DOC
    assert raw["training"]["l2"] == train.L2
    shipped = (Path(train.MODEL_PATH)).read_text(encoding="utf-8")
    assert train.render(raw) == shipped
    assert Path(train.MODEL_PATH).name == MODEL_FILE


@pytest.mark.skipif(
    not (order_data.data_dir() / "text-corpora" / "wcxb-dev" / "gold.json").exists(),
    reason="needs ../shared/data (not on CI)",
)
def test_model_file_records_the_training_split() -> None:
    recorded = load_model().raw["training"]
    articles = order_data.articles_of("train")
    assert recorded["ids_sha256"] == order_data.ids_digest(articles)
    assert recorded["articles"] == len(articles)


def test_model_rejects_other_features() -> None:
    raw = json.loads(json.dumps(load_model().raw))
    raw["features"] = raw["features"][:-1]
    with pytest.raises(ValueError, match="train-order"):
        model_from_json(raw)


def test_scrapinghub_split_is_a_stable_half() -> None:
    ids = [f"{k:064x}" for k in range(400)]
    train_ids = [i for i in ids if order_data.split_of("scrapinghub", i) == "train"]
    assert 150 < len(train_ids) < 250
    assert train_ids == [i for i in ids if order_data.split_of("scrapinghub", i) == "train"]
    assert order_data.split_of("wcxb-dev", "0005") == "untuned"
    assert order_data.split_of("wcxb-dev", "0004") == "heldout"
