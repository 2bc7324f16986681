"""The HTTP response inside a WARC ``response`` record: status, headers, the body as sent.

The block is parsed here rather than by the WARC reader, so that every way it can be wrong
is a reason: no status line, headers that never end, a chunked body cut short, an encoding
that does not decode. ``Transfer-Encoding: chunked`` is undone, then ``Content-Encoding``
(gzip, deflate, br; several, in reverse order), each within the size cap, so a compressed
bomb costs the cap at most. A body labelled gzip that does not start like gzip is kept as
it is: crawlers often store the body decoded and leave the header.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException, parse_headers

from cleaner.errors import InputError
from cleaner.read import gunzip

GZIP_MAGIC = b"\x1f\x8b"
IDENTITY = ("", "identity", "none")
DEFLATE_WBITS = (zlib.MAX_WBITS, -zlib.MAX_WBITS)  # zlib-wrapped, as the RFC says; raw, as IIS sent


class HttpError(ValueError):
    """The record's HTTP message cannot be read; the message says why in a few words."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str | None:
        """The media type in lower case, without parameters (None: no Content-Type)."""
        return self.headers.get_content_type() if self.headers.get("Content-Type") else None

    @property
    def charset(self) -> str | None:
        return self.headers.get_content_charset()


def _status(line: bytes) -> int:
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise HttpError("not an HTTP response")
    return int(parts[1])


def _split(block: bytes) -> tuple[bytes, bytes, bytes]:
    """(status line, header lines, body)."""
    for end in (b"\r\n\r\n", b"\n\n"):
        head, sep, body = block.partition(end)
        if sep:
            line, _, fields = head.partition(b"\n")
            return line.rstrip(b"\r"), fields, body
    raise HttpError("HTTP headers without an end")


def parse_response(block: bytes, *, max_bytes: int, decode: bool = True) -> Response:
    """The response in ``block`` with its body decoded (see the module's docstring);
    ``decode=False``: the status and headers only (the body is left empty)."""
    status = _status(block.split(b"\n", 1)[0])  # first: garbage is "not HTTP", not "no end"
    _, fields, body = _split(block)
    try:
        headers = parse_headers(io.BytesIO(fields + b"\r\n\r\n"))
    except (HTTPException, ValueError) as exc:
        raise HttpError(f"bad HTTP headers ({type(exc).__name__})") from exc
    if not decode:
        return Response(status, headers, b"")
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        body = dechunked(body)
    return Response(status, headers, decoded(body, headers.get("Content-Encoding", ""), max_bytes))


def dechunked(body: bytes) -> bytes:
    """A chunked body joined; a body that ends before its last chunk is an error."""
    out: list[bytes] = []
    at = 0
    while True:
        end = body.find(b"\n", at)
        if end < 0:
            raise HttpError("chunked body cut short")
        size_text = body[at:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError as exc:
            raise HttpError("bad chunk size in a chunked body") from exc
        if size == 0:
            return b"".join(out)
        chunk = body[end + 1 : end + 1 + size]
        if len(chunk) < size:
            raise HttpError("chunked body cut short")
        out.append(chunk)
        at = end + 1 + size
        at += 2 if body[at : at + 2] == b"\r\n" else 1 if body[at : at + 1] == b"\n" else 0


def decoded(body: bytes, encodings: str, max_bytes: int) -> bytes:
    """``body`` with each Content-Encoding undone, last applied first."""
    for name in reversed([e.strip().lower() for e in encodings.split(",")]):
        body = _undo(name, body, max_bytes)
    return body


def _undo(name: str, body: bytes, max_bytes: int) -> bytes:
    if name in IDENTITY:
        return body
    if name in ("gzip", "x-gzip"):
        return _gunzip(body, max_bytes) if body.startswith(GZIP_MAGIC) else body
    if name == "deflate":
        return _inflate(body, max_bytes)
    if name == "br":
        return _unbrotli(body, max_bytes)
    raise HttpError(f"Content-Encoding {name!r} is not supported")


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    try:
        return gunzip(body, max_bytes=max_bytes)
    except InputError as exc:
        raise HttpError(f"gzip body: {exc.reason}") from exc


def _inflate(body: bytes, max_bytes: int) -> bytes:
    for wbits in DEFLATE_WBITS:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, max_bytes + 1)
        except zlib.error:
            continue
        return _capped(out, max_bytes, "deflate")
    raise HttpError("deflate body does not decompress")


def _unbrotli(body: bytes, max_bytes: int) -> bytes:
    import brotli  # a dependency of the warc extra's reader

    try:
        out = brotli.Decompressor().process(body, output_buffer_limit=max_bytes + 1)
    except brotli.error as exc:
        raise HttpError("br body does not decompress") from exc
    return _capped(out, max_bytes, "br")


def _capped(out: bytes, max_bytes: int, name: str) -> bytes:
    if len(out) > max_bytes:
        raise HttpError(f"{name} body: decompressed size exceeds the limit of {max_bytes} bytes")
    return out
