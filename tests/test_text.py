from __future__ import annotations

import pytest

from cleaner.text import (
    ORDER_STOPWORDS,
    STOPWORDS,
    ends_complete_sentence,
    ends_sentence,
    ends_with_full_stop,
    normalise_line,
    similarity,
    split_sentences,
    stems,
    stopword_ratio,
    word_count,
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
