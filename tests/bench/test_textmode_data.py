"""Text-mode training data: alignment labels, block counts, determinism, the untuned split.

Everything here is handmade; no shared data is read.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.textmode import data
from bench.textmode.data import LABELS, VARIANTS, Page, align, naive_text, page_samples
from cleaner.extract import text_blocks

TITLE = "Council approves new budget after a long debate"
GOLD = """The city council approved the budget on Tuesday evening after a debate \
that lasted six hours.

Members of the opposition said the plan cut too much from the libraries.

Fitness

The mayor said the savings were needed to balance the books this year.
"""

# (naive line, label, gold paragraph)
PAGE = [
    (TITLE + " | Example News", "noise", None),  # the <title>: not the headline's tokens
    ("Home", "noise", None),
    ("Fitness", "noise", None),  # a menu word that also occurs in the gold
    ("Share", "noise", None),
    (TITLE, "title", None),
    ("By Jane Doe", "byline", None),
    (
        "The city council approved the budget on Tuesday evening after a debate that lasted",
        "article",
        0,
    ),
    ("six hours", "article", 0),  # the paragraph goes on after an inline tag
    (".", "article", 0),
    ("Members of the opposition said the plan cut too much from the", "article", 1),
    ("libraries", "article", 1),  # an inline link
    (".", "article", 1),
    ("Advertisement", "noise", None),
    ("Fitness", "article", 2),  # the gold's own heading, inside the matched region
    ("The mayor said the savings were needed to balance the books this year.", "article", 3),
    ("Related: Ten things to do this weekend", "noise", None),
    ("Fitness", "noise", None),  # footer menu again
    ("© 2024 Example News. All rights reserved.", "noise", None),
]

HTML = f"""<html><head><title>{TITLE} | Example News</title>
<meta property="og:title" content="{TITLE}">
<style>body {{ color: red }}</style><script>var x = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/fitness">Fitness</a> <span>Share</span></nav>
<article><h1>{TITLE}</h1><p class="byline">By Jane Doe</p>
<p>The city council approved the budget on Tuesday evening after a debate that lasted
<b>six hours</b>.</p>
<p>Members of the opposition said the plan cut too much from the <a href="/l">libraries</a>.</p>
<div class="ad">Advertisement</div>
<h2>Fitness</h2>
<p>The mayor said the savings were needed to balance the books this year.</p></article>
<aside>Related: Ten things to do this weekend</aside>
<footer><a href="/fitness">Fitness</a> <p>© 2024 Example News. All rights reserved.</p></footer>
<noscript>Enable JavaScript</noscript></body></html>
"""


def test_align_labels_a_handmade_page() -> None:
    lines = [line for line, _, _ in PAGE]
    labels, paras = align(lines, GOLD, TITLE, author="Jane Doe")
    assert labels == tuple(label for _, label, _ in PAGE)
    assert paras == tuple(para for _, _, para in PAGE)
    assert set(labels) <= set(LABELS)


def test_align_without_title_or_author() -> None:
    lines = [line for line, _, _ in PAGE]
    labels, _ = align(lines, GOLD, None)
    assert labels[4] == labels[5] == "noise"
    assert labels.count("article") == sum(1 for _, label, _ in PAGE if label == "article")


def test_a_teaser_above_the_article_loses_to_the_article() -> None:
    lead = "The mayor said the savings were needed to balance the books this year."
    gold = lead + "\n\nCritics said the cuts would hurt the poorest neighbourhoods first.\n"
    lines = [
        lead,
        "Read more",
        "Menu",
        lead,
        "Critics said the cuts would hurt the poorest neighbourhoods first.",
    ]
    labels, paras = align(lines, gold, None)
    assert labels == ("noise", "noise", "noise", "article", "article")
    assert paras == (None, None, None, 0, 1)


def test_naive_text_is_the_readme_recipe() -> None:
    text = naive_text(HTML.encode("utf-8"))
    assert "var x" not in text and "color: red" not in text and "Enable JavaScript" not in text
    blocks = text_blocks(text)
    assert [b.text for b in blocks] == [line for line, _, _ in PAGE]
    assert len({b.para for b in blocks}) == len(blocks)  # every line its own block
    assert text.endswith(".\n") and "\n\n\n" not in text


def _page(tmp_path: Path, doc_id: str = "0001") -> Page:
    path = tmp_path / f"{doc_id}.html.gz"
    path.write_bytes(gzip.compress(HTML.encode("utf-8"), mtime=0))
    return Page(
        id=f"wcxb:{doc_id}",
        source="wcxb",
        doc_id=doc_id,
        html=path,
        gold=GOLD,
        title=TITLE,
        author="Jane Doe",
        page_type="article",
    )


def test_every_variant_has_one_label_per_block(tmp_path: Path) -> None:
    built, info = page_samples(_page(tmp_path), use_cache=False)
    assert info.coverage == 1.0 and not info.excluded
    assert [s.variant for s in built] == list(VARIANTS)
    for s in built:
        blocks = text_blocks(s.text)
        assert len(s.labels) == len(s.gold_para) == len(s.gold_line) == len(blocks), s.variant
        assert set(s.labels) <= set(LABELS)
        for label, para in zip(s.labels, s.gold_para, strict=True):
            assert (para is not None) == (label == "article"), s.variant
        article = [b.text for b, label in zip(blocks, s.labels, strict=True) if label == "article"]
        assert data.tokens(" ".join(article)) == data.tokens(GOLD), s.variant
    by_variant = {s.variant: s for s in built}
    assert by_variant["gold"].text == GOLD
    assert by_variant["titled"].labels[0] == "title"
    assert "byline" in by_variant["titled-byline"].labels
    split = by_variant["split"]
    pieces = [
        (b.text, para)
        for b, label, para in zip(
            text_blocks(split.text), split.labels, split.gold_para, strict=True
        )
        if label == "article"
    ]
    assert ("six hours", 0) in pieces and ("libraries", 1) in pieces
    assert (".", 1) in pieces  # the full stop after the link is its own piece, as in naive text


def test_a_variant_built_twice_is_identical(tmp_path: Path) -> None:
    page = _page(tmp_path)
    first, _ = page_samples(page, seed=3, use_cache=False)
    again, _ = page_samples(page, seed=3, use_cache=False)
    assert first == again
    assert [s.to_json() for s in first] == [s.to_json() for s in again]


def test_untuned_pages_are_refused_by_the_training_split(tmp_path: Path) -> None:
    page = _page(tmp_path, "0005")
    with pytest.raises(RuntimeError):
        page_samples(page, use_cache=False)
    built, _ = page_samples(page, split="untuned", use_cache=False)
    assert built
    with pytest.raises(RuntimeError):
        page_samples(_page(tmp_path, "0001"), split="untuned", use_cache=False)


def test_pages_never_opens_an_untuned_file(tmp_path: Path) -> None:
    sh = tmp_path / "scrapinghub"
    sh.mkdir()
    (sh / "ground-truth.json").write_text(
        json.dumps({"abc": {"articleBody": GOLD, "url": "u"}, "empty": {"articleBody": ""}})
    )
    truth = tmp_path / "wcxb" / "dev" / "ground-truth"
    truth.mkdir(parents=True)
    record = {
        "ground_truth": {"main_content": GOLD, "title": TITLE, "author": "Jane Doe"},
        "_internal": {"page_type": {"primary": "article"}},
    }
    (truth / "0001.json").write_text(json.dumps(record))
    (truth / "0002.json").write_text(json.dumps({"ground_truth": {"main_content": " "}}))
    (truth / "0005.json").write_text("not json: opening this file would fail")
    train = data.pages("train", root=tmp_path)
    assert [p.id for p in train] == ["sh:abc", "wcxb:0001"]
    assert train[1].title == TITLE and train[1].author == "Jane Doe"
    with pytest.raises(json.JSONDecodeError):
        data.pages("untuned", root=tmp_path)
    with pytest.raises(ValueError):
        data.pages("tuning", root=tmp_path)
