from __future__ import annotations

import pytest

from cleaner import text as text_module
from cleaner.text import (
    ORDER_STOPWORDS,
    STOPWORDS,
    LineMemo,
    clear_memos,
    ends_complete_sentence,
    ends_sentence,
    ends_with_full_stop,
    normalise_line,
    sentence_spans,
    similarity,
    split_sentences,
    stems,
    stopword_ratio,
    token_count,
    word_count,
    word_facts,
    words,
)


def test_words_and_word_count() -> None:
    assert words("Don't stop—now!") == ["Don", "t", "stop", "now"]
    assert word_count("Share this") == 2
    # Japanese has no spaces: one word per two characters, not one word for the sentence
    assert word_count("東京都は新しい計画を発表した") == 7


@pytest.mark.parametrize(
    ("text", "broad", "complete", "full_stop"),
    [
        ("He said.", True, True, True),
        ('He said."', True, True, False),  # a closer after the stop
        ("He said.]", True, False, False),  # ] closes for ends_sentence only
        ("Read more:", True, False, False),  # a colon ends for the noise stage only
        ("東京で発表した。", True, False, True),  # a CJK stop
        ("«Посмотри на красотку»", False, False, False),  # a quoted headline does not end
        ("Most read »", False, False, False),
        ("", True, False, False),
    ],
)
def test_sentence_end_rules(text: str, broad: bool, complete: bool, full_stop: bool) -> None:
    assert ends_sentence(text) is broad
    assert ends_complete_sentence(text) is complete
    assert ends_with_full_stop(text) is full_stop


def test_split_sentences() -> None:
    text = 'He left. "Why?" she asked. Mr. J. Smith stayed. It was 5 p.m. Then rain.'
    assert split_sentences(text) == [
        "He left.",
        '"Why?" she asked.',  # no capital after the quote: no break
        "Mr. J. Smith stayed.",  # no break after an abbreviation or an initial
        "It was 5 p.m.",
        "Then rain.",
    ]
    # a closing quote belongs to the sentence it closes; the spans leave out the space between
    assert split_sentences('He said "no." Then she left.') == ['He said "no."', "Then she left."]
    assert sentence_spans('He said "no."  Then she left. ') == [(0, 13), (15, 29)]


def test_stopwords_and_stems() -> None:
    assert stopword_ratio(["The", "cat", "of", "Rome"]) == 0.5
    assert stopword_ratio([]) == 0.0
    # the order model's list is its own: "only" is no content word to it, "einem" is one
    assert "only" in ORDER_STOPWORDS and "only" not in STOPWORDS
    assert stems("Only the Syrians left Aleppo in 2016 with einem") == [
        "syria", "left", "alepp", "einem"
    ]


def test_normalise_line_and_similarity() -> None:
    assert normalise_line("  » Most Read — ") == "most read"
    assert similarity("Rain in Rome", "rome rain") == 0.8
    assert similarity("", "rome") == 0.0


@pytest.mark.parametrize(
    "text", ["", "Share 12", "He said.", "the design of the", "東京都は新しい計画を発表した", "²"]
)
def test_word_facts_agree_with_the_functions(text: str) -> None:
    facts = word_facts(text)
    tokens = words(text)
    assert facts.tokens == token_count(text) == len(tokens)
    assert facts.word_count == word_count(text)
    assert facts.number is any(t.isdigit() for t in tokens)
    assert facts.function_end is (bool(tokens) and tokens[-1].lower() in STOPWORDS)
    assert facts.sentence_end is ends_sentence(text)


def test_line_memo_is_bounded_and_transparent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_module, "MEMO_ENTRIES", 8)
    monkeypatch.setattr(text_module, "MEMO_CHARS", 40)
    calls: list[str] = []

    def shout(line: str) -> str:
        calls.append(line)
        return line.upper()

    memo = LineMemo(shout)
    assert memo["a"] == memo["a"] == "A" and calls == ["a"]  # computed once
    for i in range(20):
        assert memo[f"line {i}"] == f"LINE {i}"
    assert len(memo) <= 8 and memo.chars <= 40
    long = "x" * (text_module.MEMO_MAX_CHARS + 1)
    assert memo[long] == long.upper() and long not in memo  # too long to keep
    clear_memos()
    assert len(memo) == 0 and memo.chars == 0 and memo["a"] == "A"
