from __future__ import annotations

from cleaner.language import detect_language

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
