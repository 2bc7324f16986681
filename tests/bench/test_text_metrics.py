"""The text-mode figures of issue 12 (bench.metrics): fragment rate, title right, lost
paragraphs and their reasons, on small cases written out here, including the must-be-zero ones
(the gold against itself, a re-joined paragraph)."""

from __future__ import annotations

import pytest

from bench.corpora import Doc
from bench.eval import _call
from bench.metrics import (
    NO_REMOVED_BLOCK,
    aggregate_text,
    aggregate_titles,
    fragment_counts,
    is_fragment_start,
    lost_paragraphs,
    lost_reasons,
    text_doc,
    title_right,
)
from bench.systems import METADATA_SYSTEMS, SYSTEMS, output_parts

GOLD = (
    "Leading the list is Barnett Ghostwriting, a standout company that writes books.\n\n"
    "Hybrid\n\n"
    "Another major player, HarperCollins, is known for its catalogue.\n\n"
    "“Quoted speech opens this one,” she said.\n\n"
    "- a list item\n\n"
    "iPhone sales fell."
)

# (first character, is it a fragment start?)
START_CASES = [
    ("a", True), ("é", True), (",", True), (".", True), (";", True), (":", True),
    ("!", True), ("?", True), (")", True), ("]", True), ("”", True), ("’", True),
    ("…", True), ("/", True),
    ("A", False), ("É", False), ("1", False), ('"', False), ("'", False), ("“", False),
    ("‘", False), ("«", False), ("(", False), ("[", False), ("¿", False), ("¡", False),
    ("-", False), ("—", False), ("#", False), ("*", False), ("•", False), ("$", False),
    ("漢", False), ("ب", False),
]  # fmt: skip


@pytest.mark.parametrize(("char", "fragment"), START_CASES)
def test_fragment_start(char: str, fragment: bool) -> None:
    assert is_fragment_start(char) is fragment


# (text, (fragment paragraphs, paragraphs))
FRAGMENT_CASES = [
    ("", (0, 0)),
    ("One sentence.", (0, 1)),
    ("Leading the list is\n\nBarnett Ghostwriting\n\n, a standout company", (1, 3)),
    ("Line one\nand line two of one paragraph.", (0, 1)),  # a paragraph is a blank-line block
    ("  \n\n  lower case after spaces\n\n\n\nUpper.", (1, 2)),
    (GOLD, (1, 6)),  # "iPhone" counts: the gold's own rate is the reference, not zero
]


@pytest.mark.parametrize(("text", "expected"), FRAGMENT_CASES)
def test_fragment_counts(text: str, expected: tuple[int, int]) -> None:
    assert fragment_counts(text) == expected


def test_gold_fed_back_has_the_gold_fragment_rate() -> None:
    score = text_doc(GOLD, GOLD)
    assert (score["fragments"], score["paragraphs"]) == (
        score["gold_fragments"],
        score["gold_paragraphs"],
    )
    assert score["lost"] == 0


# (predicted title, gold title, expected)
TITLE_CASES = [
    ("Kia EV6: the review", "Kia EV6 -- The Review!", True),
    ("kia ev6 the review", "Kia EV6: The Review", True),
    ("Sign-Up Free", "Kia EV6: The Review", False),
    ("Kia EV6", "Kia EV6: The Review", False),  # a part of the headline is not the headline
    (None, "Kia EV6: The Review", False),
    ("", "Kia EV6: The Review", False),
    ("Anything", None, None),  # no gold title: not scored
    ("Anything", "", None),
    (None, "  !  ", None),
]


@pytest.mark.parametrize(("pred", "gold", "expected"), TITLE_CASES)
def test_title_right(pred: str | None, gold: str | None, expected: bool | None) -> None:
    assert title_right(pred, gold) is expected


REJOINED = GOLD.replace("is Barnett", "is\nBarnett").replace("Ghostwriting, a", "Ghostwriting\n, a")
# (output, the gold paragraphs lost)
LOST_CASES = [
    (GOLD, []),
    # the lines a naive scraper split at inline tags, re-joined or not: nothing is lost
    (REJOINED, []),
    (GOLD.replace("\n\n", "\n"), []),
    (GOLD.replace("\n\n", " "), []),
    # punctuation and spacing do not count; reordered paragraphs are still there
    (GOLD.replace(",", "").replace("\n\n", "\n\n\n"), []),
    ("\n\n".join(reversed(GOLD.split("\n\n"))), []),
    # a dropped paragraph is lost, whatever else is there
    (GOLD.replace("Hybrid\n\n", ""), ["Hybrid"]),
    (GOLD.replace("Hybrid\n\n", "Share\n\n"), ["Hybrid"]),
    # words cut out of a sentence, a word inserted, a case change: the paragraph is lost
    (
        GOLD.replace("Another major player, ", ""),
        ["Another major player, HarperCollins, is known for its catalogue."],
    ),
    (
        GOLD.replace("player, Harper", "player, Advertisement Harper"),
        ["Another major player, HarperCollins, is known for its catalogue."],
    ),
    # tokens only: a word glued at a paragraph's edge leaves the paragraph's run intact
    (GOLD.replace("Hybrid", "Hybrid Advertisement"), []),
    (GOLD.replace("iPhone", "IPhone"), ["iPhone sales fell."]),
    ("", [p for p in GOLD.split("\n\n")]),
]


@pytest.mark.parametrize(("pred", "lost"), LOST_CASES)
def test_lost_paragraphs(pred: str, lost: list[str]) -> None:
    assert lost_paragraphs(pred, GOLD) == lost


def test_paragraph_without_tokens_is_never_lost() -> None:
    assert lost_paragraphs("Words here.", "Words here.\n\n* * *") == []


REMOVED = [
    {"index": 1, "reason": "short label inside the article", "text": "Hybrid"},
    {"index": 3, "reason": "short label inside the article", "text": "Another major player,"},
    {"index": 7, "reason": "ad label", "text": "Advertisement"},
    {"index": 8, "reason": "outside the main article (before it)", "text": "A b c\nHybrid d"},
]
# (lost paragraphs, expected reason counts)
REASON_CASES = [
    ([], {}),
    (["Hybrid"], {"short label inside the article": 1, "outside the main article (before it)": 1}),
    (["Another major player, HarperCollins, is known."], {"short label inside the article": 1}),
    (["Nothing removed explains this one."], {NO_REMOVED_BLOCK: 1}),
    (["Hybrid", "Hybrid"], {"short label inside the article": 2,
                            "outside the main article (before it)": 2}),
]  # fmt: skip


@pytest.mark.parametrize(("lost", "expected"), REASON_CASES)
def test_lost_reasons(lost: list[str], expected: dict[str, int]) -> None:
    assert dict(lost_reasons(lost, REMOVED)) == expected


def test_text_doc_reasons_only_with_removed_blocks() -> None:
    pred = GOLD.replace("Hybrid\n\n", "")
    assert text_doc(pred, GOLD)["lost_reasons"] is None
    assert text_doc(pred, GOLD, [])["lost_reasons"] == {NO_REMOVED_BLOCK: 1}
    with_reasons = text_doc(pred, GOLD, REMOVED[:1])
    assert with_reasons["lost"] == 1
    assert with_reasons["lost_reasons"] == {"short label inside the article": 1}


def test_aggregate_text() -> None:
    docs = [
        text_doc(GOLD, GOLD, []),
        text_doc(GOLD.replace("Hybrid\n\n", ""), GOLD, REMOVED),
        text_doc("lower\n\nUpper", "Upper", None),
    ]
    agg = aggregate_text(docs)
    assert agg["docs"] == 3
    assert agg["fragment_rate"] == pytest.approx((1 + 1 + 1) / (6 + 5 + 2))
    assert agg["gold_fragment_rate"] == pytest.approx((1 + 1 + 0) / (6 + 6 + 1))
    assert agg["no_para_lost"] == pytest.approx(2 / 3)
    assert (agg["paras_lost"], agg["gold_paras"]) == (1, 13)
    assert agg["lost_reasons"] == {
        "short label inside the article": 1,
        "outside the main article (before it)": 1,
    }
    assert aggregate_text([text_doc("x", "X")])["lost_reasons"] is None
    empty = aggregate_text([])
    assert (empty["fragment_rate"], empty["no_para_lost"], empty["lost_reasons"]) == (
        None,
        None,
        None,
    )


def test_aggregate_titles() -> None:
    assert aggregate_titles([True, None, False, True]) == {
        "docs": 3,
        "right": 2,
        "accuracy": pytest.approx(2 / 3),
    }
    assert aggregate_titles([None, None])["accuracy"] is None


def test_output_parts() -> None:
    assert output_parts("text") == ("text", None)
    assert output_parts(("text", {"title": "T"})) == ("text", {"title": "T"})


TITLED = "Council approves new budget\n\n" + GOLD


@pytest.mark.parametrize("system", ["cleaner", "cleaner-rules", "cleaner-model"])
def test_worker_scores_a_titled_clean_article(system: str) -> None:
    doc = Doc(id="1", name="1.txt", gold=GOLD, text=TITLED, title="Council approves new budget")
    result = _call((system, doc, ("scrapinghub", "text", "title")))
    assert result.error is None
    assert result.text is not None
    assert result.text["gold_paragraphs"] == 6
    assert result.title is not None  # a cleaner system gives a title: scored right or wrong
    assert result.text["lost_reasons"] is not None


def test_worker_gives_baselines_no_title_nor_reasons() -> None:
    doc = Doc(id="1", name="1.txt", gold=GOLD, text=GOLD, title="Some title")
    result = _call(("as-is", doc, ("scrapinghub", "text", "title")))
    assert result.title is None
    assert result.text is not None
    assert result.text["lost"] == 0
    assert result.text["lost_reasons"] is None
    assert result.scrapinghub is not None and result.scrapinghub["exact"]


def test_every_system_returning_metadata_is_listed() -> None:
    doc = Doc(id="1", name="1.txt", gold=GOLD, text=TITLED, title="Council approves new budget")
    for name, system in SYSTEMS.items():
        if name in ("trafilatura", "cleaner+profile"):
            continue  # HTML only / needs a folder (it is plain cleaner without one)
        _, meta = output_parts(system(TITLED.encode(), doc))
        assert (meta is not None) is (name in METADATA_SYSTEMS), name
    assert "cleaner+profile" in METADATA_SYSTEMS


def test_a_crashed_cleaner_counts_as_a_wrong_title(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(data: bytes, doc: Doc) -> str:
        raise RuntimeError("boom")

    monkeypatch.setitem(SYSTEMS, "cleaner", crash)
    doc = Doc(id="1", name="1.txt", gold=GOLD, text=TITLED, title="Council approves new budget")
    result = _call(("cleaner", doc, ("scrapinghub", "text", "title")))
    assert result.error == "RuntimeError: boom"
    assert result.title is False
    assert result.text is not None and result.text["lost_reasons"] == {NO_REMOVED_BLOCK: 6}
