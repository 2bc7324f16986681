"""The ``embed`` extra: the vectors' loader, the option, its fingerprint, the embed model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.order import splice_train
from cleaner import Options, clean
from cleaner import config as config_module
from cleaner.errors import ConfigError
from cleaner.order import embed, repair_order
from cleaner.order.features import analyse
from cleaner.order.splices import (
    EMBED_FEATURES,
    SPLICE_FEATURES,
    embed_columns,
    load_splice_model,
    splice_features,
    splice_model_from_json,
)
from tests.conftest import FIXTURES
from tests.order.common import GOLD, OFF, SPLICED, paragraphs

needs_extra = pytest.mark.skipif(not embed.available(), reason="the embed extra is not installed")


@needs_extra
def test_vectors_are_unit_length_and_empty_text_is_zero() -> None:
    vectors = embed.embed(["The council approved the budget.", ""])
    assert vectors.shape == (2, 256)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-12
    assert not vectors[1].any()


@needs_extra
def test_similar_texts_are_closer_than_unrelated_ones() -> None:
    parks, gardens, chips = embed.embed(
        [
            "The council approved the budget for parks.",
            "Town officials passed the spending plan for public gardens.",
            "Semiconductor revenues rebounded as memory prices climbed.",
        ]
    )
    assert float(parks @ gardens) > float(parks @ chips)


@needs_extra
def test_embed_columns_one_value_per_unit() -> None:
    units = analyse(paragraphs(SPLICED), None)
    columns = embed_columns(units, None)
    assert set(EMBED_FEATURES) <= set(columns)
    assert all(len(column) == len(units) for column in columns.values())
    assert columns["emb_title"] == [0.0] * len(units)  # no title


@needs_extra
def test_embed_model_rows_carry_the_embedding_features() -> None:
    units = analyse(paragraphs(SPLICED), None)
    rows = splice_features(units, "Springfield parks budget", load_splice_model(embed=True))
    assert all(len(r) == len(SPLICE_FEATURES) + len(EMBED_FEATURES) for r in rows)
    base = splice_features(units, "Springfield parks budget", load_splice_model())
    assert [r[: len(SPLICE_FEATURES)] for r in rows] == base


@needs_extra
def test_spliced_paragraph_flagged_with_embed() -> None:
    base = clean(SPLICED, name="x.txt", options=OFF).document
    doc = repair_order(base, options=Options(embed=True))
    assert doc.order is not None and doc.order.offtopic == (2,)


@needs_extra
@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_gold_article_in_order_is_not_flagged_with_embed(path: Path) -> None:
    result = clean(path.read_bytes(), name=path.name, options=Options(embed=True))
    assert result.metadata["order"]["offtopic"] == []
    assert result.text == clean(path.read_bytes(), name=path.name).text


def test_embed_without_the_extra_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "available", lambda: False)
    with pytest.raises(ConfigError, match=r"cleaner-news\[embed\]"):
        Options(embed=True)
    with pytest.raises(embed.MissingExtraError):
        embed._vectors.__wrapped__()


def test_default_fingerprint_ignores_the_embed_model() -> None:
    folder = Path(config_module.__file__).parent / "data"
    assert (folder / "splice_model_embed.json").is_file()
    before = config_module.models_digest()
    assert config_module.models_digest(embed=True) != before
    assert "embed" not in json.dumps(Options().fingerprint())


@needs_extra
def test_embed_has_a_fingerprint_of_its_own() -> None:
    assert Options(embed=True).fingerprint() != Options().fingerprint()
    assert Options(embed=True).fingerprint() == Options(embed=True).fingerprint()


def test_embed_model_file_matches_training_script() -> None:
    raw = json.loads(Path(splice_train.EMBED_MODEL_PATH).read_text(encoding="utf-8"))
    assert tuple(raw["features"]) == (*SPLICE_FEATURES, *EMBED_FEATURES)
    assert raw["training"]["false_flag_rate"] == splice_train.FALSE_FLAG_RATE
    assert splice_train.render(raw) == Path(splice_train.EMBED_MODEL_PATH).read_text(
        encoding="utf-8"
    )
    with pytest.raises(ValueError, match="train-order"):
        splice_model_from_json(raw)  # it is not the base model's feature list


@needs_extra
def test_parallel_embed_run_is_quiet_and_deterministic(tmp_path: Path) -> None:
    """The tokenizer is never asked for its thread pool, so forked workers print nothing."""
    inputs = FIXTURES / "inputs" / "text"
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        run = subprocess.run(
            [sys.executable, "-m", "cleaner", "clean", str(inputs), "--out", str(out),
             "--embed", "--jobs", jobs],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert len(run.stderr.splitlines()) == 1 and "7 cleaned" in run.stderr  # the summary alone
        outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*.txt")})
    assert outs[0] == outs[1]
