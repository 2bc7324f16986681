"""The titled corpora, the text columns of bench.eval and the issue-12 table of bench.summary,
on a tiny data folder and hand-made results (no ../shared data needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import summary
from bench.corpora import load_corpus
from bench.eval import evaluate_corpus, parse_args

GOLD = {
    "0005": {"text": "First paragraph here.\n\nSecond one.", "title": "A Headline"},
    "0006": {"text": "Only paragraph.", "title": None},
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    base = tmp_path / "text-corpora" / "wcxb-dev"
    (base / "seed-style").mkdir(parents=True)
    (base / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    for doc_id, item in GOLD.items():
        seed = f"Share\n\n{item['title'] or ''}\n\n{item['text']}\n\nAdvertisement\n"
        (base / "seed-style" / f"{doc_id}.txt").write_text(seed, encoding="utf-8")
    sh = tmp_path / "text-corpora" / "scrapinghub"
    sh.mkdir(parents=True)
    (sh / "gold.json").write_text(json.dumps({"x": {"text": "T.", "title": None}}), "utf-8")
    return tmp_path


def test_titled_corpus_puts_the_headline_first_and_scores_against_the_gold(data: Path) -> None:
    corpus = load_corpus("wcxb-titled", data)
    assert [d.id for d in corpus.docs] == ["0005"]  # no gold title: not in the titled corpus
    doc = corpus.docs[0]
    assert doc.read().decode() == "A Headline\n\nFirst paragraph here.\n\nSecond one."
    assert doc.gold == GOLD["0005"]["text"]
    assert doc.title == "A Headline"
    assert {"text", "title"} <= set(corpus.metrics)
    assert "cleaner-rules" in corpus.systems and "cleaner-model" in corpus.systems


def test_every_text_corpus_carries_the_gold_title(data: Path) -> None:
    for name in ("wcxb-gold", "wcxb-seed"):
        titles = {d.id: d.title for d in load_corpus(name, data).docs}
        assert titles == {"0005": "A Headline", "0006": None}
    # the gold fed back holds no headline: its titles are carried, not scored
    assert "title" not in load_corpus("wcxb-gold", data).metrics
    assert "text" in load_corpus("wcxb-gold", data).metrics


def test_titled_corpus_without_titles_is_empty_and_skipped(data: Path, tmp_path: Path) -> None:
    corpus = load_corpus("sh-titled", data)
    assert corpus.docs == []
    report, wall = evaluate_corpus(corpus, [], None, tmp_path / "out")
    assert "skipped" in report and wall == 0.0
    assert not (tmp_path / "out").exists()


def test_eval_prints_text_columns_and_saves_them(data: Path, tmp_path: Path) -> None:
    corpus = load_corpus("wcxb-seed", data)
    out = tmp_path / "out"
    report, _ = evaluate_corpus(corpus, ["cleaner", "as-is"], None, out, limit=2)
    header = next(line for line in report.splitlines() if line.startswith("| system"))
    for column in ("frag out", "frag gold", "title right", "no para lost"):
        assert column in header
    assert "wcxb-seed, untuned split (1 docs)" in report
    as_is = next(line for line in report.splitlines() if line.startswith("| as-is"))
    assert "n/a" in as_is  # a baseline has no title
    saved = json.loads((out / "wcxb-seed.json").read_text(encoding="utf-8"))
    assert saved["limit"] == 2
    untuned = saved["splits"]["untuned"]["cleaner"]
    assert set(untuned["text"]) >= {"fragment_rate", "gold_fragment_rate", "no_para_lost"}
    assert untuned["title"]["docs"] == 1
    assert saved["scores"]["as-is"]["title"]["accuracy"] is None
    doc = saved["per_doc"]["cleaner"]["0005"]
    assert doc["gold_frag"] == [0, 2] and "lost" in doc and "title_right" in doc


def test_corpus_and_system_options_accumulate() -> None:
    args = parse_args(["--corpus", "wcxb-titled", "--corpus", "wcxb-seed", "sh-seed"])
    assert args.corpus == ["wcxb-titled", "wcxb-seed", "sh-seed"]
    assert parse_args([]).corpus is None


def _result(systems: dict[str, dict[str, Any]], text_noise: str = "model+rules") -> dict[str, Any]:
    return {
        "environment": {"date": "today", "text_noise": text_noise},
        "limit": None,
        "scores": systems,
        "splits": {"untuned": systems, "tuning": systems},
    }


def _system(accuracy: float, f1: float, frag: float, title: float, rate: float) -> dict[str, Any]:
    return {
        "docs_per_s": rate,
        "scrapinghub": {"accuracy": accuracy, "f1": f1},
        "text": {
            "fragment_rate": frag,
            "gold_fragment_rate": 0.01,
            "no_para_lost": accuracy,
            "paras_lost": 3,
            "gold_paras": 30,
            "lost_reasons": {"b reason": 1, "a reason": 2},
        },
        "title": {"accuracy": title},
    }


def test_text_targets_not_run_without_results() -> None:
    table = summary.render_text_targets({})
    rows = [line for line in table.splitlines() if line.startswith("| ") and "figure" not in line]
    assert len(rows) == len(summary.TEXT_TARGETS)
    assert all(row.endswith("| not run |") for row in rows)
    assert "Not run: wcxb-gold, wcxb-naive, wcxb-seed, wcxb-titled" in table
    # the issue-3 table copes with the same absence, and with a run missing a system
    assert "not evaluated" in summary.render({})
    assert "not run" in summary.render({"sh-seed": _result({})})


def test_text_targets_met_and_short() -> None:
    good = _system(0.999, 0.995, 0.01, 0.97, 400.0)
    bad = _system(0.5, 0.9, 0.05, 0.5, 100.0)
    run = _result({"cleaner": good, "cleaner-rules": bad, "cleaner-model": bad})
    results = {c: run for c in ("wcxb-gold", "wcxb-titled", "wcxb-naive", "wcxb-seed")}
    table = summary.render_text_targets(results)
    assert "| figure | rules | model | model+rules (shipped) | target | met? |" in table
    rows = {line.split(" | ")[0][2:]: line for line in table.splitlines() if line.startswith("| ")}
    assert rows["seed-style, exact accuracy"].endswith(
        "| 0.500 | 0.500 | 0.999 | >= 0.800 | yes |"
    )
    assert rows["fragment paragraphs, naive (gold 0.010)"].endswith("| <= 0.035 | yes |")
    assert rows["text throughput per core, naive"].endswith("| >= 300.0 docs/s | yes |")
    assert "by reason: a reason 2 · b reason 1" in table
    short = summary.render_text_targets({"wcxb-seed": _result({"cleaner": bad})})
    rows = {line.split(" | ")[0][2:]: line for line in short.splitlines() if line.startswith("| ")}
    expected = "| not run | not run | 0.900 | >= 0.990 | short by 0.090 |"
    assert rows["seed-style, F1"].endswith(expected)
    assert rows["fragment paragraphs, seed-style (gold 0.010)"].endswith("short by 0.025 |")
    assert rows["naive page text, F1"].endswith("| not run |")


def test_text_targets_follow_the_shipped_setting() -> None:
    rules = _system(0.9, 0.9, 0.0, 0.9, 300.0)
    run = _result({"cleaner": rules}, text_noise="rules")
    table = summary.render_text_targets({"wcxb-seed": run})
    assert "| figure | rules (shipped) | model | model+rules | target | met? |" in table
    row = next(line for line in table.splitlines() if line.startswith("| seed-style, F1"))
    assert row.startswith("| seed-style, F1 | 0.900 | not run | not run |")
