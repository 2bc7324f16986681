from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from cleaner.errors import InputError
from cleaner.read import (
    UTF8_REPLACED,
    decode,
    gunzip,
    read,
    read_file,
    sniff_kind,
)

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


# --- lone surrogates (a str from lxml or surrogateescape decoding) ---


@pytest.mark.parametrize(
    ("text", "expected", "replaced"),
    [
        ("<p>a</p>\ud800", "<p>a</p>\ufffd", 1),
        ("x \udcff y \udfff z", "x \ufffd y \ufffd z", 2),
        ("pair \ud83d\ude00 joined", "pair \U0001f600 joined", 0),
        ("high then pair \ud800\ud800\udc00", "high then pair \ufffd\U00010000", 1),
    ],
)
def test_surrogates_in_str_are_repaired(text: str, expected: str, replaced: int) -> None:
    decoded = read(text, name="a.txt", max_bytes=LIMIT)
    assert decoded.text == expected
    assert decoded.text.encode("utf-8")  # encodable: the later stages cannot fail on it
    assert decoded.size == len(text.encode("utf-8", "surrogatepass"))
    warned = [w for w in decoded.warnings if "lone surrogate" in w]
    assert warned == ([f"replaced lone surrogate characters with U+FFFD ({replaced})"]
                      if replaced else [])


def test_surrogates_decoded_from_bytes_are_repaired() -> None:
    # UTF-7 can spell a lone surrogate; the bytes path gets the same repair as a str.
    from cleaner.read import _finish

    decoded = _finish(b"caf+2AA- ok".decode("utf-7"), "utf-7", "a.txt", "0" * 64, 11, [])
    assert decoded.text == "caf\ufffd ok"


# --- mostly UTF-8 against legacy code pages, as data ---

FR = ("Le conseil municipal a approuvé lundi le nouveau budget des parcs de la ville. "
      "Les élus ont débattu pendant près de trois heures avant le vote, et l'opposition a "
      "dénoncé « un effort trop tardif » pour les quartiers les plus éloignés du centre. "
      "Le maire a répondu que les travaux commenceraient dès l'été, à côté de l'école.")
DE = ("Der Stadtrat hat am Montag den neuen Haushalt für die Parks der Stadt beschlossen. "
      "Die Abgeordneten stritten fast drei Stunden über die Bäume, die Bänke und die "
      "Spielplätze; die Opposition nannte den Plan „zu spät und zu klein“. Größere Ausgaben "
      "für die Grünflächen seien erst im übernächsten Jahr möglich, sagte die Bürgermeisterin.")
RU = ("Городской совет в понедельник утвердил новый бюджет на содержание парков. "
      "Депутаты почти три часа спорили о деревьях, скамейках и детских площадках, а "
      "оппозиция назвала план «слишком поздним». Мэр пообещала, что работы начнутся летом, "
      "рядом со школой, и что жители смогут следить за ходом ремонта на сайте ТАСС.")
# "Він", "Ві", "Її": a capital letter and і/ї/є are valid two-byte UTF-8 in cp1251, the worst
# case for a rule that counts valid sequences.
UK = ("Міська рада в понеділок ухвалила новий бюджет на утримання парків. Він передбачає "
      "нові лавки, дерева та дитячі майданчики. Депутати майже три години сперечалися, а "
      "опозиція назвала план «запізнілим». Він, за словами мера, запрацює влітку; Вінниця "
      "та Львів обіцяють подібні програми. Її заступник Іван Ївга підтвердив це.")
PL = ("Rada miasta zatwierdziła w poniedziałek nowy budżet na utrzymanie parków. Radni "
      "spierali się prawie trzy godziny o drzewa, ławki i place zabaw, a opozycja nazwała "
      "plan „spóźnionym”. Prezydent miasta zapowiedziała, że prace ruszą latem, obok szkoły.")
EL = ("Το δημοτικό συμβούλιο ενέκρινε τη Δευτέρα τον νέο προϋπολογισμό για τα πάρκα της "
      "πόλης. Οι σύμβουλοι συζήτησαν σχεδόν τρεις ώρες για τα δέντρα και τις παιδικές χαρές.")


def _with_stray_bytes(text: str, count: int, size: int = 3800) -> bytes:
    """About ``size`` bytes of ``text`` in UTF-8 with ``count`` pasted latin-1 "é" bytes (the
    review's case: 6 stray bytes in a 3.8 KB file read as cp775 mojibake throughout)."""
    body = ((text + "\n\n") * (size // len(text.encode()) + 1)).encode()[:size]
    body = body[: body.rfind(b" ")]
    cuts = [body.index(b" ", i * len(body) // (count + 1)) for i in range(1, count + 1)]
    out, start = bytearray(), 0
    for cut in cuts:
        out += body[start:cut] + b" \xe9"
        start = cut
    return bytes(out + body[start:])


@pytest.mark.parametrize("text", [FR, DE, RU, UK, PL, EL], ids=["fr", "de", "ru", "uk", "pl", "el"])
@pytest.mark.parametrize("count", [1, 6, 20])
def test_utf8_with_stray_bytes_stays_utf8(text: str, count: int) -> None:
    data = _with_stray_bytes(text, count)
    decoded = read(data, name="a.txt", max_bytes=LIMIT)
    assert decoded.encoding == "utf-8"  # a codec name; the replacement is a warning
    assert decoded.text.count("\ufffd") == count
    assert decoded.text.replace(" \ufffd", "") == data.replace(b" \xe9", b"").decode()
    assert f"invalid UTF-8 bytes replaced ({count} characters)" in decoded.warnings


# Genuine legacy text must decode as before: never as UTF-8 with replacement characters.
LEGACY = [
    (FR, "cp1252"),
    (DE, "cp1252"),
    (FR.replace("«", '"').replace("»", '"'), "latin-1"),
    (RU, "cp1251"),
    (UK, "cp1251"),
    (RU.replace("«", '"').replace("»", '"'), "koi8-r"),
    (PL, "cp1250"),
    (EL, "cp1253"),
]


@pytest.mark.parametrize(("text", "codec"), LEGACY, ids=[c for _t, c in LEGACY])
def test_legacy_text_is_not_taken_for_broken_utf8(text: str, codec: str) -> None:
    decoded, encoding = decode(text.encode(codec))
    assert encoding != UTF8_REPLACED
    assert decoded == text


# --- read_file: the same Decoded as read() of the file's bytes, read within the cap ---

GZ_PAGE = b"<html><body><p>" + "Grüße aus Köln, sagte sie. ".encode() * 400 + b"</p></body></html>"


@pytest.mark.parametrize(
    "data",
    [
        GZ_PAGE,
        gzip.compress(GZ_PAGE),
        gzip.compress(GZ_PAGE[:3000]) + gzip.compress(GZ_PAGE[3000:]),  # two members
        gzip.compress(GZ_PAGE) + b"\x00" * 70_000 + b"trailing garbage",  # past one chunk
        gzip.compress(GZ_PAGE) + b"\x1f",  # half a magic number
    ],
    ids=["plain", "gzip", "multi-member", "padding-and-garbage", "half-magic"],
)
def test_read_file_equals_read_of_the_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(data)
    assert read_file(path, name="page.html.gz", max_bytes=LIMIT) == read(
        data, name="page.html.gz", max_bytes=LIMIT
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (gzip.compress(b""), "empty file (after gunzip)"),
        (gzip.compress(GZ_PAGE)[:60], "truncated gzip"),
        (b"\x1f\x8b\x08\x00" + b"\xff" * 60, "corrupt gzip"),
        (gzip.compress(b" " * 50_000), "decompressed size exceeds the limit of 20000 bytes"),
        (b"a" * 20_001, "file size exceeds the limit of 20000 bytes"),
    ],
)
def test_read_file_errors(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)):
        read_file(path, name="bad.txt", max_bytes=20_000)


def test_a_latin1_german_text_is_labelled_cp1252_when_detection_says_cp1250() -> None:
    # charset-normalizer may name cp1250 for German umlauts (the same bytes); the text is the
    # same either way, and the label given is the code page such a page most likely uses.
    text = DE.replace("„", '"').replace("“", '"') * 3
    decoded, encoding = decode(text.encode("latin-1"))
    assert decoded == text and encoding == "cp1252"
    polish, label = decode(PL.encode("cp1250"))
    assert polish == PL and label == "cp1250"  # a real cp1250 text keeps its label
