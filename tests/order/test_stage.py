"""The order stage end to end: ordered articles untouched, the metadata schema and its typed
result, determinism, explain's lines, the reorder option."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from cleaner import Options, clean
from cleaner.order import OrderResult, describe
from tests.order.common import (
    GOLD,
    OFF,
    SEED,
    paragraphs,
    seed_paragraphs,
)

ORDER_KEYS = {"scrambled", "score", "changed", "permutation", "unit", "units", "offtopic",
              "offtopic_sentences", "evidence"}  # fmt: skip


def test_gold_examples_present() -> None:
    assert len(GOLD) >= 5


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_article_in_order_is_byte_identical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    with_stage = clean(text, name="x.txt")
    without = clean(text, name="x.txt", options=OFF)
    assert with_stage.text == without.text
    assert with_stage.metadata["order"]["changed"] is False
    assert with_stage.metadata["order"]["permutation"] is None


def test_seed_keeps_every_paragraph() -> None:
    ordered = sorted(seed_paragraphs())
    assert ordered == sorted(paragraphs(clean(SEED.read_bytes(), name="s.txt", options=OFF).text))


def test_metadata_schema() -> None:
    order = clean(SEED.read_bytes(), name="seed.txt").metadata["order"]
    assert set(order) == ORDER_KEYS
    assert isinstance(order["scrambled"], bool) and isinstance(order["changed"], bool)
    assert isinstance(order["score"], float)
    assert order["unit"] in ("paragraph", "sentence")
    assert sorted(order["permutation"]) == list(range(order["units"]))
    assert all(isinstance(k, int) for k in order["offtopic"])
    assert all(len(pair) == 2 for pair in order["offtopic_sentences"])
    assert order["evidence"] and all(isinstance(line, str) for line in order["evidence"])
    json.dumps(order)  # the sidecar must be able to hold it


def test_result_is_typed_and_its_json_is_the_metadata() -> None:
    result = clean(SEED.read_bytes(), name="seed.txt")
    order = result.document.order
    assert isinstance(order, OrderResult)
    assert order.to_json() == result.metadata["order"]
    assert list(order.to_json()) == ["scrambled", "score", "changed", "permutation", "unit",
                                     "units", "offtopic", "offtopic_sentences",
                                     "evidence"]  # fmt: skip
    with pytest.raises(FrozenInstanceError):
        order.changed = False  # type: ignore[misc]
    short = clean("One paragraph here.\n\nAnd a second one.\n", name="x.txt").document.order
    assert short is not None and short.to_json()["permutation"] is None


def test_metadata_is_none_without_the_stage() -> None:
    assert clean(SEED.read_bytes(), name="seed.txt", options=OFF).metadata["order"] is None


def test_short_document_is_not_judged() -> None:
    order = clean("One paragraph here.\n\nAnd a second one.\n", name="x.txt").metadata["order"]
    assert order["changed"] is False and order["units"] == 2


def test_deterministic() -> None:
    first = clean(SEED.read_bytes(), name="seed.txt")
    second = clean(SEED.read_bytes(), name="seed.txt")
    assert first.text == second.text
    assert json.dumps(first.metadata, sort_keys=True) == json.dumps(second.metadata, sort_keys=True)


def test_blocks_keep_input_index_and_every_block_stays() -> None:
    before = clean(SEED.read_bytes(), name="seed.txt", options=OFF).document.blocks
    after = clean(SEED.read_bytes(), name="seed.txt").document.blocks
    assert sorted(b.index for b in after) == [b.index for b in before]
    assert [b.index for b in after if not b.keep] != []  # dropped noise is still listed


def test_describe_lines() -> None:
    lines = describe(clean(SEED.read_bytes(), name="seed.txt").document.order)
    assert lines[0].startswith("order: scrambled, repaired")
    assert any("Kerry" in line for line in lines)
    assert describe(None) == ["order: not checked (--reorder never)"]


def test_pipeline_respects_reorder_flag() -> None:
    scrambled = clean(SEED.read_bytes(), name="seed.txt", options=replace(Options(), reorder=False))
    assert "Kerry said that Syrians" in paragraphs(scrambled.text)[2]


def test_same_output_under_any_hash_seed() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the stage must not depend on it."""
    script = (
        "import json, sys; from cleaner import clean; "
        "r = clean(open(sys.argv[1], 'rb').read(), name='seed.txt'); "
        "print(json.dumps([r.text, r.metadata['order']], sort_keys=True))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(SEED)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
