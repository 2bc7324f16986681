"""Sentence splices: where sentences are, which are candidates, the scorer, the shipped file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Options, clean
from cleaner.document import Block, render_text
from cleaner.order import describe
from cleaner.order.sentences import (
    DROP_REASON,
    SENTENCE_FEATURES,
    SENTENCE_MODEL_FILE,
    candidates,
    load_sentence_model,
    locate,
    offtopic_sentence,
    output_lines,
    sentence_features,
    sentence_model_from_json,
    sentences_of,
    split_out,
)
from cleaner.text import split_sentences
from tests.order.common import GOLD, SEED, paragraphs

TITLE = "Springfield council doubles parks budget"
HYNIX = (
    "Quarterly semiconductor revenues at Hynix rebounded sharply as memory prices climbed "
    "across Asian foundries."
)
PARKS = [
    "The city council of Springfield approved the new budget for parks on Tuesday, after months "
    "of debate about playgrounds and public gardens. The vote was seven to two.",
    "The budget for parks doubles spending on playgrounds and gardens over five years, the "
    "council said. Most of the money goes to playgrounds.",
    "Council members said the parks budget would also pay for new gardens and for repairs to "
    "playgrounds damaged last winter. Work on the gardens starts in spring.",
    "Residents who spoke at the council meeting asked for more benches in the parks. The council "
    "said the budget leaves room for benches and lighting.",
]


def spliced_parks() -> list[list[str]]:
    second = PARKS[1].replace(" Most", f" {HYNIX} Most")
    return [[p] for p in (PARKS[0], second, *PARKS[2:])]


def test_sentences_know_their_paragraph_line_and_span() -> None:
    found = sentences_of([["One here. Two here."], ["Three.", "Four is \"quoted.\" Five."]])
    assert [(s.para, s.line, s.text) for s in found] == [
        (0, 0, "One here."),
        (0, 0, "Two here."),
        (1, 0, "Three."),
        (1, 1, 'Four is "quoted."'),
        (1, 1, "Five."),
    ]
    assert [(s.start, s.end) for s in found[:2]] == [(0, 9), (10, 19)]


def test_one_sentence_paragraphs_are_no_candidates() -> None:
    found = sentences_of([["Alone here."], ["First one. Second one."], ["Also alone."]])
    assert candidates(found) == [1, 2]


def test_the_sentence_of_another_story_is_flagged() -> None:
    flagged = offtopic_sentence(spliced_parks(), TITLE)
    assert flagged is not None
    sentence, value = flagged
    assert (sentence.para, sentence.text) == (1, HYNIX)
    assert value > load_sentence_model().threshold


# must stay unchanged: the same article without the splice, and articles without candidates
@pytest.mark.parametrize(
    "paras",
    [
        [[p] for p in PARKS],
        [["A single sentence here."], ["Another single sentence."]],
        [],
    ],
    ids=["parks-in-order", "no-candidates", "empty"],
)
def test_nothing_is_flagged_in_order(paras: list[list[str]]) -> None:
    assert offtopic_sentence(paras, TITLE) is None


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_gold_article_has_no_sentence_flagged(path: Path) -> None:
    paras = [p.split("\n") for p in paragraphs(path.read_text(encoding="utf-8"))]
    assert offtopic_sentence(paras, None) is None


def test_shipped_model_matches_the_code() -> None:
    path = Path(__file__).resolve().parents[2] / "cleaner" / "data" / SENTENCE_MODEL_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == SENTENCE_FEATURES
    assert 0 < data["training"]["false_flag_rate"] <= 0.02
    model = sentence_model_from_json(data)
    assert model == load_sentence_model()
    rows = sentence_features(sentences_of(spliced_parks()), TITLE, model)
    assert all(len(row) == len(SENTENCE_FEATURES) for row in rows)


def test_a_model_of_other_features_is_refused() -> None:
    data = {"features": ["word_share"], "weights": {}, "bias": 0, "threshold": 0, "df": {}}
    with pytest.raises(ValueError, match="other features"):
        sentence_model_from_json(data | {"docs": 1})


@pytest.mark.parametrize(
    ("text", "target", "rendered"),
    [
        ("One here. Two here. Three here.", "Two here.", "One here. Three here."),
        ("One here. Two here.", "One here.", "Two here."),
        ("One here. Two here.", "Two here.", "One here."),
        ("Only one here.", "Only one here.", ""),
    ],
    ids=["middle", "first", "last", "whole-line"],
)
def test_split_out_drops_the_sentence_and_keeps_the_rest(
    text: str, target: str, rendered: str
) -> None:
    block = Block(index=3, text=text, para=1)
    sentence = next(s for s in sentences_of([[text]]) if s.text == target)
    pieces = split_out(block, sentence)
    assert render_text([b for b in pieces if b.keep]) == (rendered + "\n" if rendered else "")
    dropped = [b for b in pieces if not b.keep]
    assert [(b.text, b.reason, b.index) for b in dropped] == [(target, DROP_REASON, 3)]
    assert {b.para for b in pieces} == {1}


def test_split_out_keeps_a_line_on_its_own_line() -> None:
    first = Block(index=0, text="A first line.", para=0)
    line = Block(index=1, text="Gone here. Kept here.", para=0)
    sentence = sentences_of([["Gone here. Kept here."]])[0]
    kept = [first, *(b for b in split_out(line, sentence) if b.keep)]
    assert render_text(kept) == "A first line.\nKept here.\n"


def spliced_text() -> str:
    return "\n\n".join(line for (line,) in spliced_parks()) + "\n"


@pytest.mark.parametrize("drop", [False, True])
def test_the_stage_flags_or_drops_the_sentence(drop: bool) -> None:
    result = clean(spliced_text(), name="x.txt", options=Options(drop_offtopic=drop))
    order = result.metadata["order"]
    assert order["offtopic_sentences"] == [[1, 1]] and order["offtopic"] == []
    evidence = order["evidence"]
    assert any(line.startswith("sentence 1 of paragraph 1 reads like") for line in evidence)
    assert (HYNIX in result.text) is not drop
    if drop:
        assert paragraphs(result.text)[1] == PARKS[1]  # the rest of the paragraph as it was
        dropped = [b for b in result.document.blocks if not b.keep]
        assert [(b.text, b.reason) for b in dropped] == [(HYNIX, DROP_REASON)]


def test_explain_names_the_sentence() -> None:
    lines = describe(clean(spliced_text(), name="x.txt").document.order)
    assert "  off-topic sentences (paragraph.sentence): 1.1" in lines


@pytest.mark.xfail(
    strict=True,
    reason="known gap: the Turkish-agenda sentence shares most of its words with the seed "
    "(Syrian, Kurdish, Islamic State, forces, fighting) and ends its paragraph as a last "
    "sentence often does; the scorer ranks six of the seed's sentences above it",
)
def test_seed_turkish_agenda_sentence_is_flagged() -> None:
    result = clean(SEED.read_bytes(), name="seed.txt")
    paras = paragraphs(result.text)
    order = result.metadata["order"]
    flagged = [paras[k] for k in order["offtopic"]]
    for p, k in order["offtopic_sentences"]:
        flagged.append(split_sentences(paras[p].replace("\n", " "))[k])
    assert any("Turkish agenda" in p for p in flagged)


def test_output_lines_follow_the_glue_of_split_lines() -> None:
    group = [
        Block(index=0, text="One here. Two", para=0),
        Block(index=1, text="here. Three here.", para=0, glue=" "),
        Block(index=2, text="A line of its own.", para=0),
    ]
    lines = output_lines(group)
    texts = [line.text for line in lines]
    assert texts == ["One here. Two here. Three here.", "A line of its own."]
    found = sentences_of([[line.text for line in lines]])
    # a sentence over two glued blocks has no block of its own: it cannot be dropped
    assert locate(lines[0], found[1]) == (None, None)
    block, span = locate(lines[0], found[2])
    assert block == group[1] and span is not None
    assert block.text[span.start : span.end] == "Three here."
