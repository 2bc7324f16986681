from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import detect_langs, detector_factory
from langdetect.lang_detect_exception import LangDetectException

from cleaner.language import (
    _cleaning_text,
    _detect_block,
    _detector,
    _extract_ngrams,
    detect_language,
)
from tests.conftest import FIXTURES

EN = "The government announced new measures on Tuesday to support small businesses. " * 3
DE = "Die Regierung hat am Dienstag neue Maßnahmen zur Unterstützung kleiner Firmen angekündigt. "
FR = "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les petites entreprises. "


def test_detects_languages() -> None:
    for text, code in ((EN, "en"), (DE * 3, "de"), (FR * 3, "fr")):
        language, warning = detect_language(text, max_chars=10_000)
        assert warning is None
        assert language is not None and language["code"] == code


def test_deterministic_probabilities() -> None:
    mixed = EN[:120] + DE[:80]
    first = detect_language(mixed, max_chars=10_000)
    assert all(detect_language(mixed, max_chars=10_000) == first for _ in range(5))


def test_no_features_gives_null_and_warning() -> None:
    language, warning = detect_language("12345 !!! 678", max_chars=10_000)
    assert language is None
    assert warning is not None and "language unknown" in warning
    language, warning = detect_language("", max_chars=10_000)
    assert language is None and warning


def _langdetect_reference(text: str) -> object:
    """langdetect's own, unpatched result (or its error message)."""
    try:
        return [(c.lang, c.prob) for c in detect_langs(text)]
    except LangDetectException as exc:
        return str(exc)


def _ours(text: str) -> object:
    try:
        return [(c.lang, c.prob) for c in _detector(text).get_probabilities()]
    except LangDetectException as exc:
        return str(exc)


FIXTURE_TEXTS = sorted((FIXTURES / "inputs" / "text").glob("*.txt"))


@pytest.mark.parametrize("path", FIXTURE_TEXTS, ids=lambda p: p.name)
def test_fast_ngrams_give_langdetects_exact_result(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _ours(text) == _langdetect_reference(text)


@settings(max_examples=80, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("aAbBzZ éÉßÜЖжЯ日本語ひらカタ한국يیșțẠệ.,!?-\n  ")),
        max_size=300,
    )
)
def test_fast_ngrams_on_mixed_scripts(text: str) -> None:
    assert _ours(text) == _langdetect_reference(text)


def test_same_ngrams_as_langdetect_including_urls_and_mail() -> None:
    text = "Visit http://example.com or write to a@b.com  now, SAID THE Mayor of Köln. " * 40
    detector_factory.init_factory()
    reference = detector_factory._factory.create()
    reference.append(text)
    reference.cleaning_text()
    ours = _detector(text)
    ours.cleaning_text()
    assert ours.text == reference.text
    assert _extract_ngrams(ours) == reference._extract_ngrams()


@pytest.mark.parametrize(
    "text",
    [
        "Правительство объявило новые меры поддержки малого бизнеса, сказал Mr Smith. " * 5,
        "東京都は火曜日に新しい予算を発表した。Tokyo budget approved. " * 5,
        "Mostly Latin text with a little Ελληνικά and Tiếng Việt in it. " * 5,
    ],
)
def test_cleaning_text_and_probabilities_equal_langdetects(text: str) -> None:
    detector_factory.init_factory()
    reference = detector_factory._factory.create()
    reference.append(text)
    reference.cleaning_text()
    ours = _detector(text)
    _cleaning_text(ours)
    assert ours.text == reference.text
    assert _ours(text) == _langdetect_reference(text)


def test_fast_probability_loop_is_the_one_used() -> None:
    assert _detector(EN)._detect_block.__func__ is _detect_block
