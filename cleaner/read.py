"""Stage 1, read: bytes in, Unicode text out, with its kind (html|text) and encoding.

Order of trust when decoding: a byte-order mark; then valid UTF-8 (random single-byte text is
almost never valid UTF-8, so this beats a page that *declares* latin-1 but was saved as UTF-8);
then the charset the document declares (``<meta charset>``, ``http-equiv``, XML declaration);
then charset-normalizer's detection. ``fix_mojibake`` (used by the extract stage on each block)
repairs mojibake (UTF-8 that was decoded as cp1252 somewhere upstream), which no decoder can undo.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zlib

import ftfy
from charset_normalizer import from_bytes

from cleaner.document import Decoded, Kind
from cleaner.errors import InputError

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
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

_GZIP_MAGIC = b"\x1f\x8b"
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._:-]{2,40})""",
    re.IGNORECASE,
)
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|table|td|h[1-6]|article|section|meta|script|"
                  r"link|title|img|header|footer|nav)\b[^<>]{0,500}>", re.IGNORECASE)

# ftfy settings: repair encoding damage only. Quote style, full-width forms and ligatures are
# the author's choice, not damage, and HTML entities are the HTML parser's job.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=True,
    normalization="NFC",
    explain=True,
)


def gunzip(data: bytes, *, max_bytes: int) -> bytes:
    """Decompress a gzip stream (possibly multi-member), refusing more than ``max_bytes``.

    Decompression is streamed with a limit, so a gzip bomb costs ``max_bytes`` at most.
    """
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, max_bytes + 1 - len(out))
            while inflater.unconsumed_tail and len(out) <= max_bytes:
                out += inflater.decompress(inflater.unconsumed_tail, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise InputError(f"corrupt gzip data ({exc})") from exc
        if len(out) > max_bytes:
            raise InputError(f"decompressed size exceeds the limit of {max_bytes} bytes")
        if not inflater.eof:
            raise InputError("truncated gzip data (unexpected end of stream)")
        rest = inflater.unused_data.lstrip(b"\x00")
        if rest and not rest.startswith(_GZIP_MAGIC):
            break  # trailing garbage after the last member: ignore, as gzip(1) does
    return bytes(out)


def _binary_kind(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _declared(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a truncated character, one pasted latin-1 byte): decode it
    as UTF-8 with U+FFFD for the broken bytes, rather than reading everything as cp1252 and
    turning every valid character into mojibake. None when the bytes are not mostly UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    if good >= 4 * bad and bad <= max(4, len(data) // 1000):
        return text
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; return the text and the name of the encoding used."""
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
        return almost, "utf-8 (invalid bytes replaced)"
    declared = _declared(data)
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
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    # Last resort: cp1252 maps almost every byte; the few it cannot are replaced visibly.
    return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_kind(text: str, name: str) -> Kind:
    """Decide html or text from the content, using the file name only to break a tie.

    A ``.txt`` holding a saved page is HTML; a ``.html`` holding plain text is text.
    """
    head = text[:8192]
    if _HTML_START.match(head):
        return "html"
    tags = len(_TAG.findall(head))
    lowered = name.lower().removesuffix(".gz")
    if lowered.endswith(HTML_SUFFIXES):
        return "html" if tags >= 1 else "text"
    return "html" if tags >= 5 else "text"


def read(data: bytes | str, *, name: str, max_bytes: int) -> Decoded:
    """Turn raw input into :class:`Decoded`, or raise :class:`InputError` saying why not."""
    warnings: list[str] = []
    if isinstance(data, str):
        raw = data.encode("utf-8", errors="surrogatepass")
        sha = hashlib.sha256(raw).hexdigest()
        size = len(raw)
        text, encoding = data, "unicode"
    else:
        sha = hashlib.sha256(data).hexdigest()
        size = len(data)
        if not data:
            raise InputError("empty file")
        if data.startswith(_GZIP_MAGIC):
            data = gunzip(data, max_bytes=max_bytes)
            if not data:
                raise InputError("empty file (after gunzip)")
        elif len(data) > max_bytes:
            raise InputError(f"file size exceeds the limit of {max_bytes} bytes")
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
        text, encoding = decode(data)
    text = text.replace("\x00", "")
    if not text.strip():
        raise InputError("no text (only whitespace)")
    controls = len(_CONTROL_CHARS.findall(text, 0, 65536))
    if controls > 0.05 * min(len(text), 65536):
        raise InputError("binary file (control characters), not HTML or text")
    kind = sniff_kind(text, name)
    return Decoded(text, kind, encoding, sha, size, tuple(warnings))


def fix_mojibake(text: str) -> tuple[str, bool]:
    """Repair mojibake in extracted text; return the text and whether an encoding fix applied.

    Run on extracted blocks rather than on the whole page: the page is ten times larger and
    ftfy's badness search was the slowest step of the pipeline. ASCII text cannot be mojibake.
    """
    if text.isascii():
        return text, False
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY)
    repaired = any(step[0] in ("encode", "decode") for step in explanation or ())
    return fixed, repaired
