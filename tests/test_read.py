from __future__ import annotations

import gzip

import pytest

from cleaner.errors import InputError
from cleaner.read import decode, fix_mojibake, gunzip, read, sniff_kind

LIMIT = 10_000_000


def test_utf8_text() -> None:
    decoded = read("Grüße aus Köln.".encode(), name="a.txt", max_bytes=LIMIT)
    assert decoded.text == "Grüße aus Köln."
    assert decoded.encoding == "utf-8"
    assert decoded.kind == "text"


def test_bom_utf16() -> None:
    data = "\ufeffHallo Welt, schöne Grüße.".encode("utf-16-le")
    decoded = read(data, name="a.txt", max_bytes=LIMIT)
    assert decoded.text == "Hallo Welt, schöne Grüße."
    assert decoded.encoding == "utf-16-le"


def test_declared_latin1_html() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Café à Paris</p></body></html>'
    text, encoding = decode(html.encode("latin-1"))
    assert "Café à Paris" in text
    assert encoding in ("iso8859-1", "latin-1", "cp1252")


def test_utf8_beats_wrong_declaration() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Café à Paris</p></body></html>'
    text, encoding = decode(html.encode("utf-8"))
    assert "Café à Paris" in text
    assert encoding == "utf-8"


def test_undeclared_cp1252_is_detected() -> None:
    data = ("Le café était très bon, à mon avis, et la crème brûlée aussi. " * 5).encode("cp1252")
    text, _encoding = decode(data)
    assert "crème brûlée" in text


def test_mojibake_is_repaired_and_reported() -> None:
    broken = "The café’s owner said “no“.".encode().decode("cp1252")
    assert broken == "The cafÃ©â€™s owner said â€œnoâ€œ."
    assert fix_mojibake(broken) == ("The café’s owner said “no“.", True)
    assert fix_mojibake("plain ascii") == ("plain ascii", False)
    assert fix_mojibake("Grüße, “quoted”") == ("Grüße, “quoted”", False)


def test_quotes_and_fullwidth_are_not_touched() -> None:
    text = "“Quoted” text with ＡＢＣ full-width and ﬁ ligature."
    assert fix_mojibake(text) == (text, False)


def test_gzip_roundtrip_and_multimember() -> None:
    data = gzip.compress(b"part one. ") + gzip.compress(b"part two.")
    assert gunzip(data, max_bytes=LIMIT) == b"part one. part two."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"   \n\t ", "no text"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG image"),
        (b"PK\x03\x04" + b"\x00" * 20, "ZIP archive"),
        (b"%PDF-1.4 blah", "PDF document"),
        (b"abc\x00def\x00" * 10, "NUL bytes"),
        (gzip.compress(b"hello world " * 100)[:30], "truncated gzip"),
        (b"\x1f\x8b\x08\x00garbage-not-deflate", "gzip"),
    ],
)
def test_bad_input_raises_one_line_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as info:
        read(data, name="bad.txt", max_bytes=LIMIT)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b"\x00" * 5_000_000)
    with pytest.raises(InputError, match="limit"):
        read(bomb, name="bomb.txt.gz", max_bytes=1_000_000)


def test_oversized_plain_input() -> None:
    with pytest.raises(InputError, match="limit"):
        read(b"a" * 2000, name="big.txt", max_bytes=1000)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "a.txt", "html"),
        ("<html><p>x</p></html>", "a", "html"),
        ("Just some words. No tags at all.", "a.html", "text"),
        ("Use <b> for bold, the manual says.", "a.txt", "text"),
        ("<p>one</p>", "a.htm", "html"),
    ],
)
def test_sniff_kind(text: str, name: str, kind: str) -> None:
    assert sniff_kind(text, name) == kind


def test_mostly_utf8_with_a_stray_byte_stays_utf8() -> None:
    data = ("Le café était très bon — “parfait”. " * 20).encode() + b"\xff fin."
    text, encoding = decode(data)
    assert encoding == "utf-8 (invalid bytes replaced)"
    assert text.startswith("Le café était très bon — “parfait”.")
    assert text.count("\ufffd") == 1


def test_a_few_stray_nuls_are_removed_not_fatal() -> None:
    data = b"<html><body><p>" + b"Real text of a page. " * 200 + b"\x00\x00</p></body></html>"
    decoded = read(data, name="a.html", max_bytes=LIMIT)
    assert "\x00" not in decoded.text
    assert "removed stray NUL bytes" in decoded.warnings
