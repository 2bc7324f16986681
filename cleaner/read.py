"""Stage 1, read: bytes in, Unicode text out, with its kind (html|text) and encoding.

Order of trust when decoding: a byte-order mark; then valid UTF-8 (random single-byte text is
almost never valid UTF-8, so this beats a page that *declares* latin-1 but was saved as UTF-8);
then the charset the document declares (``<meta charset>``, ``http-equiv``, XML declaration);
then charset-normalizer's detection. Mojibake (UTF-8 that was decoded as cp1252 somewhere
upstream), which no decoder can undo, is repaired later, block by block (:mod:`cleaner.mojibake`).

:func:`read_file` reads an input file within the size cap: the size is checked before reading,
and a ``.gz``, ``.bz2`` or ``.xz`` is decompressed as it is read (recognised by its magic number,
whatever its name), so neither a huge file nor a decompression bomb is ever held in memory
beyond the cap.
"""

from __future__ import annotations

import bz2
import codecs
import hashlib
import lzma
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from cleaner import settings
from cleaner.document import Decoded, Kind
from cleaner.errors import InputError
from cleaner.names import kind_part

# C0 control characters other than tab, newline, carriage return and form feed: text has few.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text")
SUPPORTED_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of binary formats people find in scraped folders; named in the error.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"RIFF", "RIFF/WebP media"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib's "gzip header and trailer" mode
# Bytes read from a file at a time when it is decompressed as it is read.
_READ_CHUNK = 1 << 16
_REPLACEMENT = "\ufffd"
_REPLACEMENT_UTF8 = _REPLACEMENT.encode()
UTF8_REPLACED = "utf-8 (invalid bytes replaced)"
# In a Python str a surrogate code point is never part of a valid character: lxml, surrogateescape
# decoding and JSON with escaped halves hand such strings over, and UTF-8 cannot encode them.
_SURROGATE = re.compile("[\ud800-\udfff]")
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._:-]{2,40})""",
    re.IGNORECASE,
)
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|table|td|h[1-6]|article|section|meta|script|"
                  r"link|title|img|header|footer|nav)\b[^<>]{0,500}>", re.IGNORECASE)

def gunzip(data: bytes, *, max_bytes: int) -> bytes:
    """Decompress a gzip stream (possibly multi-member), refusing more than ``max_bytes``.

    Decompression is streamed with a limit, so a gzip bomb costs ``max_bytes`` at most.
    """
    return unpack(iter((data,)), _GZIP, max_bytes=max_bytes)


class _Gunzip:
    """zlib's gzip decompressor behind the interface of bz2's and lzma's: it keeps the input
    that an output limit left over (zlib hands it back as ``unconsumed_tail``)."""

    def __init__(self) -> None:
        self._inflater = zlib.decompressobj(_GZIP_WBITS)

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return self._inflater.decompress(self._inflater.unconsumed_tail + data, max_length)

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    @property
    def unused_data(self) -> bytes:
        return self._inflater.unused_data

    @property
    def needs_input(self) -> bool:
        return not self._inflater.unconsumed_tail


@dataclass(frozen=True, slots=True)
class _Packing:
    """A compression format read as it is decompressed: its name, magic number, decompressor
    and the exception the decompressor raises on corrupt data."""

    name: str
    magic: bytes
    new: Callable[[], Any]
    error: type[Exception]


_GZIP = _Packing("gzip", _GZIP_MAGIC, _Gunzip, zlib.error)
# Recognised by packing_of (gzip is tested on its own two bytes, before these).
_PACKINGS = (
    _Packing("bzip2", b"BZh", bz2.BZ2Decompressor, OSError),
    _Packing("xz", b"\xfd7zXZ\x00", lzma.LZMADecompressor, lzma.LZMAError),
)


# After bzip2's "BZh" and its block size digit: the magic of a first block, or of the end of
# an empty stream. A text that starts with "BZh9" is not taken for bzip2.
_BZIP2_BLOCK = (b"1AY&SY", b"\x17\x72\x45\x38\x50\x90")


def packing_of(head: bytes) -> _Packing | None:
    """The bzip2 or xz format whose magic number starts ``head`` (its first 10 bytes), or
    ``None``: neither."""
    for packing in _PACKINGS:
        if not head.startswith(packing.magic):
            continue
        if packing.name != "bzip2" or (head[3:4].isdigit() and head[4:10] in _BZIP2_BLOCK):
            return packing
    return None


def unpack(chunks: Iterator[bytes], packing: _Packing, *, max_bytes: int) -> bytes:
    """Decompress the streams of ``packing`` that ``chunks`` deliver (concatenated streams, as
    gzip members or pbzip2 write them, included), never producing more than ``max_bytes + 1``
    bytes; NUL padding and trailing garbage after a stream end the input, as for gzip(1)."""
    out = bytearray()
    data = next(chunks, b"")
    while data:
        rest = _unpack_stream(data, chunks, out, packing, max_bytes=max_bytes)
        data = _next_stream(rest, chunks, packing.magic)
    return bytes(out)


def _unpack_stream(
    data: bytes, chunks: Iterator[bytes], out: bytearray, packing: _Packing, *, max_bytes: int
) -> bytes:
    decompressor = packing.new()
    while True:
        try:
            out += decompressor.decompress(data, max_bytes + 1 - len(out))
        except packing.error as exc:
            raise InputError(f"corrupt {packing.name} data ({exc})") from exc
        if len(out) > max_bytes:
            raise InputError(f"decompressed size exceeds the limit of {max_bytes} bytes")
        if decompressor.eof:
            return bytes(decompressor.unused_data)
        data = next(chunks, b"") if decompressor.needs_input else b""
        if not data and decompressor.needs_input:
            raise InputError(f"truncated {packing.name} data (unexpected end of stream)")


def _next_stream(rest: bytes, chunks: Iterator[bytes], magic: bytes) -> bytes:
    """The start of the next stream after ``rest`` (NUL padding skipped), or b"" when the input
    ends or what follows is not one."""
    rest = rest.lstrip(b"\x00")
    while len(rest) < len(magic):
        more = next(chunks, b"")
        if not more:
            break
        rest = (rest + more).lstrip(b"\x00")
    return rest if rest.startswith(magic) else b""


def _binary_kind(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    packing = packing_of(data[:10])  # an archive inside another: bzip2 and xz by full magic
    return f"{packing.name} archive" if packing else None


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _declared(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    return _codec((match.group(1) or match.group(2)).decode("ascii"))


def _codec(label: str | None) -> str | None:
    """Python's name for a charset label (``ISO-8859-1`` -> ``iso8859-1``); None if unknown."""
    try:
        return codecs.lookup(label.strip().lower()).name if label else None
    except LookupError:
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with some broken bytes (a truncated character, pasted latin-1 bytes): decode it
    as UTF-8 with U+FFFD for the broken bytes, rather than reading everything in a legacy code
    page and turning every valid character into mojibake. None when the bytes are not mostly
    UTF-8.

    The evidence is the number of valid multi-byte sequences against invalid ones: legacy
    single-byte text almost never forms a valid sequence by chance (see
    ``settings.MOSTLY_UTF8_MIN_RATIO``)."""
    text = data.decode("utf-8", errors="replace")
    bad = _replaced(text, data)
    good = sum(1 for ch in text if ch > "\x7f") - text.count(_REPLACEMENT)
    if good >= settings.MOSTLY_UTF8_MIN_RATIO * bad:
        return text
    return None


def _replaced(text: str, data: bytes) -> int:
    """How many U+FFFD decoding put into ``text``: those not already in ``data`` as UTF-8."""
    return text.count(_REPLACEMENT) - data.count(_REPLACEMENT_UTF8)


def decode(data: bytes, *, charset: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; return the text and the name of the encoding used. ``charset``:
    what the transport declared (an HTTP header), which beats the document's own label."""
    bom = _bom(data)
    if bom:
        name, skip = bom
        try:
            return data[skip:].decode(name), name
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid {name} after its byte-order mark ({exc.reason})") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    almost = _mostly_utf8(data)
    if almost is not None:
        return almost, UTF8_REPLACED
    declared = _codec(charset) or _declared(data)
    if declared in ("latin-1", "iso8859-1", "ascii"):
        # As browsers do (WHATWG Encoding): these labels mean windows-1252, whose extra
        # characters („ “ … €) pages declaring latin-1 use all the time.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    if declared and declared not in ("utf-8", "utf-16", "utf-32"):
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    candidates = list(from_bytes(data[: 256 * 1024]))
    if candidates:
        best = candidates[0]
        # Short Western texts often tie between several code pages; windows-1252 is by far the
        # most common legacy charset on the web (HTML5 decodes "latin-1" as it), so it wins ties.
        for candidate in candidates:
            if candidate.encoding == "cp1252" and candidate.chaos <= best.chaos:
                best = candidate
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            return text, _western_label(data, text, best.encoding)
    # Last resort: cp1252 maps almost every byte; the few it cannot are replaced visibly.
    return data.decode("cp1252", errors="replace"), "cp1252"


def _western_label(data: bytes, text: str, detected: str) -> str:
    """The detected code page, or windows-1252 when that gives the very same text: a German
    page in latin-1 detected as cp1250 (whose umlauts are the same bytes) is reported as the
    code page it most likely is, and the text does not change."""
    if detected == "cp1252":
        return detected
    try:
        return "cp1252" if data.decode("cp1252") == text else detected
    except UnicodeDecodeError:
        return detected


def sniff_kind(text: str, name: str) -> Kind:
    """Decide html or text from the content, using the file name only to break a tie.

    A ``.txt`` holding a saved page is HTML; a ``.html`` holding plain text is text.
    """
    head = text[:8192]
    if _HTML_START.match(head):
        return "html"
    tags = len(_TAG.findall(head))
    if kind_part(name).endswith(HTML_SUFFIXES):
        return "html" if tags >= 1 else "text"
    return "html" if tags >= 5 else "text"


def read(
    data: bytes | str, *, name: str, max_bytes: int, charset: str | None = None
) -> Decoded:
    """Turn raw input into :class:`Decoded`, or raise :class:`InputError` saying why not.
    ``charset``: the one the transport declared (see :func:`decode`)."""
    if isinstance(data, str):
        # sha256 and size are of the text as given; surrogatepass encodes even a lone half.
        raw = data.encode("utf-8", errors="surrogatepass")
        return _finish(data, "unicode", name, hashlib.sha256(raw).hexdigest(), len(raw), [])
    sha, size = hashlib.sha256(data).hexdigest(), len(data)
    if not data:
        raise InputError("empty file")
    packing = packing_of(data[:10])
    if data.startswith(_GZIP_MAGIC):
        data = gunzip(data, max_bytes=max_bytes)
        if not data:
            raise InputError("empty file (after gunzip)")
    elif packing is not None:
        data = unpack(iter((data,)), packing, max_bytes=max_bytes)
        if not data:
            raise InputError(f"empty file (after {packing.name} decompression)")
    elif len(data) > max_bytes:
        raise InputError(_too_big(max_bytes))
    return _decoded(data, name, sha, size, charset=charset)


def read_file(path: Path, *, name: str, max_bytes: int) -> Decoded:
    """:func:`read` of a file's bytes, without holding more than the cap: a file larger than
    ``max_bytes`` fails before anything is read, and a ``.gz`` is decompressed as it is read.
    ``sha256`` and ``size`` are of the file as stored, as :func:`read` gives for its bytes.

    Raises:
        InputError: as :func:`read`.
        OSError: the file cannot be read.
    """
    if os.stat(path).st_size > max_bytes:
        raise InputError(_too_big(max_bytes))
    with open(path, "rb") as handle:
        head = handle.peek(10)[:10]
        packing = packing_of(head)
        if not head.startswith(_GZIP_MAGIC) and packing is None:
            # At most one byte past the cap: the file may have grown since it was sized.
            return read(handle.read(max_bytes + 1), name=name, max_bytes=max_bytes)
        source = _HashedFile(handle, max_bytes)
        chunks = source.chunks()
        data = unpack(chunks, packing or _GZIP, max_bytes=max_bytes)
        for _rest in chunks:  # trailing bytes after the last member count in sha256 and size
            pass
    if not data:
        after = "gunzip" if packing is None else f"{packing.name} decompression"
        raise InputError(f"empty file (after {after})")
    return _decoded(data, name, source.digest.hexdigest(), source.size)


class _HashedFile:
    """A file read in chunks, each hashed and counted as it goes by; more than ``max_bytes``
    in all (the file grew after it was sized) is an InputError."""

    def __init__(self, handle: BufferedReader, max_bytes: int) -> None:
        self.handle = handle
        self.max_bytes = max_bytes
        self.digest = hashlib.sha256()
        self.size = 0

    def chunks(self) -> Iterator[bytes]:
        chunk = self.handle.read(_READ_CHUNK)
        while chunk:
            self.size += len(chunk)
            if self.size > self.max_bytes:
                raise InputError(_too_big(self.max_bytes))
            self.digest.update(chunk)
            yield chunk
            chunk = self.handle.read(_READ_CHUNK)


def _too_big(max_bytes: int) -> str:
    return f"file size exceeds the limit of {max_bytes} bytes"


def _decoded(
    data: bytes, name: str, sha: str, size: int, *, charset: str | None = None
) -> Decoded:
    """Decode the (decompressed) bytes of an input whose stored form has ``sha`` and ``size``."""
    warnings: list[str] = []
    binary = _binary_kind(data)
    if binary:
        raise InputError(f"binary file ({binary}), not HTML or text")
    # NULs are part of UTF-16/32 text (which has a BOM); elsewhere they mark binary data.
    unicode_wide = _bom(data) is not None
    head = data[:65536]
    nuls = 0 if unicode_wide else head.count(b"\x00")
    if nuls > max(8, len(head) // 100):
        raise InputError("binary file (NUL bytes), not HTML or text")
    if not unicode_wide and b"\x00" in data:
        # A few stray NULs in a real page (seen in the wild) are removed, not fatal.
        data = data.replace(b"\x00", b"")
        warnings.append("removed stray NUL bytes")
    text, encoding = decode(data, charset=charset)
    if encoding == UTF8_REPLACED:
        # The metadata names a codec; that some bytes were replaced is a warning.
        warnings.append(f"invalid UTF-8 bytes replaced ({_replaced(text, data)} characters)")
        encoding = "utf-8"
    return _finish(text, encoding, name, sha, size, warnings)


def _finish(
    text: str, encoding: str, name: str, sha: str, size: int, warnings: list[str]
) -> Decoded:
    """The checks and repairs every decoded text gets, whether it came as bytes or as str."""
    text, lone = _without_surrogates(text)
    if lone:
        warnings.append(f"replaced lone surrogate characters with U+FFFD ({lone})")
    text = text.replace("\x00", "")
    if not text.strip():
        raise InputError("no text (only whitespace)")
    controls = len(_CONTROL_CHARS.findall(text, 0, 65536))
    if controls > 0.05 * min(len(text), 65536):
        raise InputError("binary file (control characters), not HTML or text")
    kind = sniff_kind(text, name)
    return Decoded(text, kind, encoding, sha, size, tuple(warnings))


def _without_surrogates(text: str) -> tuple[str, int]:
    """Join surrogate pairs into the character they stand for and replace lone surrogates with
    U+FFFD (they cannot be encoded, so the stages would fail on them); return the text and how
    many were replaced. UTF-16 round-trips a pair and marks a lone half as an error."""
    if not _SURROGATE.search(text):
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count(_REPLACEMENT) - text.count(_REPLACEMENT)
