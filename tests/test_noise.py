from __future__ import annotations

import itertools
import re
from dataclasses import replace

import pytest

from cleaner import patterns, settings
from cleaner.config import Options
from cleaner.document import Block, Decoded, Document
from cleaner.extract import text_blocks
from cleaner.noise import (
    _dropped,
    _has_footer_phrase,
    byline_author,
    is_dateline,
    is_prose,
    pattern_reason,
    remove_noise,
    strip_site_name,
)
from cleaner.text import clear_memos
from tests.conftest import read_cases


def _doc(text: str, title: str | None = None) -> Document:
    decoded = Decoded(text, "text", "utf-8", "0" * 64, len(text))
    return Document("t.txt", decoded, tuple(text_blocks(text)), title=title)


def _html_doc(blocks: tuple[Block, ...]) -> Document:
    decoded = Decoded("<html></html>", "html", "utf-8", "0" * 64, 13)
    return Document("t.html", decoded, blocks)


@pytest.mark.parametrize(("decision", "reason", "text"), read_cases("pattern_cases.tsv"))
def test_pattern_cases(decision: str, reason: str, text: str) -> None:
    got = pattern_reason(text)
    if decision == "DROP":
        assert got == reason
    else:
        assert got is None


@pytest.mark.parametrize(("text", "author"), read_cases("byline_cases.tsv"))
def test_byline_cases(text: str, author: str) -> None:
    assert byline_author(text) == (None if author == "-" else author)


@pytest.mark.parametrize(("text", "decision"), read_cases("dateline_cases.tsv"))
def test_dateline_cases(text: str, decision: str) -> None:
    assert is_dateline(text) is (decision == "DROP")


def test_user_phrases() -> None:
    assert pattern_reason("Our Sponsors", user_phrases=frozenset({"our sponsors"})) == (
        "user phrase"
    )


def test_prose_detection() -> None:
    assert is_prose("The council approved the budget on Tuesday after a long debate.")
    assert not is_prose("Council approves new budget")
    assert not is_prose("Home News Sport Weather")


def test_article_noise_is_removed_and_reasons_given(article_text: str) -> None:
    doc = remove_noise(_doc(article_text), options=Options())
    decisions = {b.text: b.reason for b in doc.blocks}
    assert decisions["Share"] == "share/social label"
    assert decisions["Advertisement"] == "ad label"
    assert decisions["Council approves new budget for city parks"] == "headline (moved to title)"
    assert decisions["Library hours to be extended in spring"] == (
        "related headline after the article"
    )
    assert doc.title == "Council approves new budget for city parks"
    kept = [b.text for b in doc.kept]
    assert len(kept) == 3 and all(is_prose(t) for t in kept)


def test_known_title_removes_repeated_headline(article_text: str) -> None:
    doc = remove_noise(
        _doc(article_text, title="Council approves new budget for city parks"), options=Options()
    )
    assert not any("Council approves" in b.text for b in doc.kept)


def test_remove_noise_off_keeps_everything(article_text: str) -> None:
    doc = remove_noise(_doc(article_text), options=Options(remove_noise=False))
    assert all(b.keep for b in doc.blocks)


def test_clean_article_is_left_alone() -> None:
    text = (
        "The first paragraph of a plain article has several words and ends properly.\n\n"
        "A second paragraph follows it, also long enough to read as prose.\n\n"
        "Results\n\n"
        "The third paragraph closes the story with a final remark, as they do.\n"
    )
    doc = remove_noise(_doc(text), options=Options())
    # It opens with prose and no pattern matches: "Results" may be a real subheading, so the
    # whole text is left as it is, and explain says why.
    assert all(b.keep for b in doc.blocks)
    assert doc.notes == (settings.CLEAN_TEXT_NOTE,)


def test_scraped_text_gets_inline_labels_dropped() -> None:
    text = (
        "Share\n\n"
        "The first paragraph of a plain article has several words and ends properly.\n\n"
        "A second paragraph follows it, also long enough to read as prose.\n\n"
        "Results\n\n"
        "The third paragraph closes the story with a final remark, as they do.\n"
    )
    doc = remove_noise(_doc(text), options=Options())
    # A known label shows the text was scraped: the one-word line inside it is an inserted label.
    assert [b.text for b in doc.blocks if not b.keep] == ["Share", "Results"]
    assert doc.notes == ()


def test_text_opening_with_a_label_is_not_taken_as_clean() -> None:
    text = (
        "Cars\n\n"
        "The first paragraph of a plain article has several words and ends properly.\n"
    )
    doc = remove_noise(_doc(text), options=Options())
    assert [b.text for b in doc.blocks if not b.keep] == ["Cars"]


def test_sentence_fragments_split_by_links_are_kept() -> None:
    text = (
        "The carmaker showed a concept at the show this week and the design of the\n\n"
        "electric Gran Turismo\n\n"
        "is arguably the most striking yet, according to several reviewers.\n\n"
        "Another long paragraph of the article, which continues the story further.\n"
    )
    doc = remove_noise(_doc(text), options=Options())
    assert all(b.keep for b in doc.blocks)


def test_menu_before_article_and_footer_after_are_dropped() -> None:
    menu = "\n\n".join(["Home", "World", "Business", "Tech", "Sport", "Opinion", "Video"])
    body = "\n\n".join(
        f"Paragraph {i} of the story tells what happened next, in a complete sentence."
        for i in range(5)
    )
    footer = "\n\n".join(["About us", "Contact", "Terms", "Privacy Policy", "Jobs"])
    doc = remove_noise(_doc(f"{menu}\n\n{body}\n\n{footer}\n"), options=Options())
    assert [b.text for b in doc.kept] == [
        f"Paragraph {i} of the story tells what happened next, in a complete sentence."
        for i in range(5)
    ]


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("A Paris-8, un peu de tension - Bondy Blog", "Bondy Blog", "A Paris-8, un peu de tension"),
        ("Reuters | Oil prices fall", "Reuters", "Oil prices fall"),
        ("Plumbers wanted : NPR", "NPR", "Plumbers wanted"),
        ("Chronik: Lotte Tobisch ist tot", "wien.ORF.at", "Chronik: Lotte Tobisch ist tot"),
        ("Bondy Blog", "Bondy Blog", "Bondy Blog"),
        ("Headline without site", None, "Headline without site"),
    ],
)
def test_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("paul.takahashi@chron.com", True),
        ("twitter.com/paultakahashi", True),
        ("https://www.example.com/articles/a-story-51574168486", True),
        ("@someone, @other", True),
        ("Write to the editor at letters@paper.com if you disagree with this column.", False),
        ("The site example.com was down for an hour on Monday, its owner said.", False),
    ],
)
def test_bare_links_dropped_in_html_mode(text: str, dropped: bool) -> None:
    blocks = (
        Block(0, "A first paragraph of the story, long enough to be prose, ends here.", "p", 0),
        Block(1, text, "p", 1),
    )
    doc = remove_noise(_html_doc(blocks), options=Options())
    assert (not doc.blocks[1].keep) is dropped
    # in text mode the same line stays (seed-style text keeps its source links)
    assert pattern_reason(text) is None


def test_headline_ending_in_a_period_is_still_the_headline() -> None:
    title = "Home Depot Stock Is Falling After Its Earnings. Why You Shouldn't Worry."
    blocks = (
        Block(0, title, "head", 0),
        Block(1, "A first paragraph of the story, long enough to be prose, ends here.", "p", 1),
    )
    doc = remove_noise(replace(_html_doc(blocks), title=title), options=Options())
    assert [b.keep for b in doc.blocks] == [False, True]
    assert doc.title == title


@pytest.mark.parametrize("heading", ["Conclusion", "Pros", "Final thoughts", "Fazit", "Итоги"])
def test_common_section_headings_are_not_inline_labels(heading: str) -> None:
    text = (
        "Share\n\n"
        "The first paragraph of a plain article has several words and ends properly.\n\n"
        f"{heading}\n\n"
        "The last paragraph closes the story with a final remark, as they do.\n"
    )
    doc = remove_noise(_doc(text), options=Options())
    assert [b.text for b in doc.blocks if not b.keep] == ["Share"]


def _pattern_samples() -> list[str]:
    """Lines that meet every branch of the pattern prefilters: the case files, each label and
    prefix phrase in its frame and in other case, and lines that merely contain one."""
    samples = [text for _, _, text in read_cases("pattern_cases.tsv")]
    for phrases in (*patterns.LABELS.values(), *patterns.PREFIXES.values()):
        for phrase in phrases:
            samples += [phrase, phrase.upper(), f"» {phrase.title()} (12) »", f"{phrase} rest"]
            samples += [f"The {phrase} is here.", f"{phrase}x", phrase[:-1]]
    return samples


def test_pattern_prefilters_match_exactly_when_a_pattern_does() -> None:
    for text in _pattern_samples():
        label = any(regex.match(text) for _, regex in patterns.LABEL_PATTERNS)
        assert bool(patterns.ANY_LABEL.match(text)) is label, text
        prefix = any(
            regex.match(text) for reason, regex in patterns.PREFIX_PATTERNS if reason != "byline"
        )
        assert bool(patterns.ANY_PREFIX.match(text)) is prefix, text


def _sibling_clashes(phrases: tuple[str, ...]) -> list[tuple[str, str]]:
    """Pairs of phrases whose trie branches start with letters equal ignoring case."""
    clashes = []
    for a, b in itertools.combinations(sorted(set(phrases)), 2):
        common = min(len(a), len(b))
        shared = next((i for i in range(common) if a[i] != b[i]), common)
        if shared < common and re.fullmatch(
            re.escape(a[shared]), b[shared], re.IGNORECASE
        ):
            clashes.append((a, b))
    return clashes


def test_trie_regexes_find_what_the_phrase_lists_do() -> None:
    """The tries match where and what the longest-first alternation would: that holds while no
    two sibling branches start with letters that are equal ignoring case ("s" and "ſ")."""
    lists = [*patterns.LABELS.values(), *patterns.PREFIXES.values(), patterns.MONTHS]
    lists += [patterns.DATELINE_WORDS, tuple(p for ps in patterns.LABELS.values() for p in ps)]
    for phrases in lists:
        assert _sibling_clashes(phrases) == []
    longest_first = re.compile(
        r"\b(?:" + patterns._longest_first(patterns.MONTHS) + r")\.?\b", re.IGNORECASE
    )
    for text in ["Nov. 19, 2019", "Mayo 2020", "janvier", "Sept 3", "mars.attack", "MAY"]:
        found, expected = patterns.MONTH_PATTERN.search(text), longest_first.search(text)
        assert (found and found.span()) == (expected and expected.span()), text


@pytest.mark.parametrize(
    "text",
    [
        "2025 ABC, Inc. All Rights Reserved.",
        "ALL RIGHTS RESERVED",
        "all rights  reserved",  # two spaces: no phrase
        "Alle Rechte vorbehalten.",
        "© Le Monde, tous droits réservés",
        "TOUS DROITS RÉSERVÉS",
        "Все права защищены",
        "all rightſ reserved",  # the long s matches "s" ignoring case, not in lowercase
        "Tutti i diritti riservati – Milano",
        "Rights reserved by nobody",
    ],
)
def test_footer_phrase_shortcut_agrees_with_the_regex(text: str) -> None:
    assert _has_footer_phrase(text) is bool(patterns.FOOTER_PHRASES.search(text))


def test_dropped_block_is_what_drop_gives() -> None:
    block = Block(index=4, text="Share", kind="line", para=2, keep=True, glue=" ")
    assert _dropped(block, "share/social label") == block.drop("share/social label")


def test_memoised_rules_give_the_same_answers_cold_and_warm(article_text: str) -> None:
    clear_memos()
    cold = remove_noise(_doc(article_text), options=Options())
    warm = remove_noise(_doc(article_text), options=Options())
    assert cold == warm
    assert is_dateline("Updated ² hours ago")  # a digit that is not 0-9 still counts
