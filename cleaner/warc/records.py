"""The records of a WARC archive, as pages to clean or as skips and errors with a reason.

FastWARC (Resiliparse's reader; ``bench/warc_readers.py`` measured it at twice warcio's
records/s, and unlike warcio it refuses a gzipped HTML file named ``.warc.gz``) only frames
the records here: each block is read raw and its HTTP message is taken apart by
:mod:`cleaner.warc.http`, so a record cut short (a block shorter than its Content-Length)
or an encoding that does not decode is a reason, never a silent garbage body. The archive
is opened here, as a file, so no path or URL reaches fsspec, and records are streamed: a
record over the size cap is skipped unread.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol, cast

from cleaner.warc.http import GZIP_MAGIC, HttpError, parse_response

# The media types cleaned (a page without a Content-Type is cleaned too: the read stage sniffs).
DOCUMENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
TAKEN = ("response", "resource")
HEADER_SLACK = 64 * 1024  # a response's HTTP headers, on top of the body's size cap
GAP_SLACK = 16  # blank lines a writer may leave between uncompressed records
RECORD_MAGIC = b"WARC/"
GZIP_WBITS = 16 + zlib.MAX_WBITS
NOT_WARC = "not a WARC file (no WARC/1.x record"
PEEK_BYTES = 4096  # enough of a gzip member to inflate the first five bytes
SCAN_BYTES = 1024 * 1024  # read at a time while looking for the next record
GZIP_MEMBER = b"\x1f\x8b\x08"  # a gzip member, deflate-compressed
RECORD_LINE = b"WARC/1."
# Errors after which the reader may be lost: the records that follow are found again.
FRAMING_ERRORS = ("record cut short", "record of ")


@dataclass(frozen=True, slots=True)
class Record:
    """One record: a page to clean (``body`` set), or why it is not one (``skip``) or cannot
    be read (``error``)."""

    offset: int
    kind: str  # the WARC-Type: response, resource, request ...
    uri: str = ""
    record_id: str = ""
    date: str = ""
    body: bytes | None = None
    charset: str | None = None  # what the HTTP header declares
    content_type: str | None = None  # the media type, lower case (None: not given)
    skip: str | None = None
    error: str | None = None
    length: int = 0  # the Content-Length the record claims

    @property
    def page(self) -> bool:
        """A record to clean (its body is empty when read without bodies)."""
        return self.skip is None and self.error is None and self.body is not None


def at_offset(offset: int, reason: str) -> str:
    """A record's failure as one line that names its offset (once)."""
    return reason if f"offset {offset}" in reason else f"record at offset {offset}: {reason}"


def _header(record: Any, name: str) -> str:
    value = record.headers.get(name)
    return str(value).strip() if value is not None else ""


def _base(record: Any) -> Record:
    return Record(
        offset=int(record.stream_pos),
        kind=_header(record, "WARC-Type").lower() or "unknown",
        uri=_header(record, "WARC-Target-URI").strip("<>"),
        record_id=_header(record, "WARC-Record-ID"),
        date=_header(record, "WARC-Date"),
        length=int(record.content_length),
    )


def _block(record: Any, base: Record, max_bytes: int) -> bytes | Record:
    """The record's block, or the base record with the error that stops it being read."""
    length = int(record.content_length)
    if length > max_bytes + HEADER_SLACK:
        return replace(base, error=f"record of {length} bytes over the size limit ({max_bytes})")
    block = record.reader.read()
    if len(block) < length:
        return replace(base, error=f"record cut short ({len(block)} of {length} bytes)")
    return bytes(block)


def _page(base: Record, block: bytes, media: str | None, max_bytes: int) -> Record:
    """A record with its body, or skipped for its media type."""
    if media is not None and media not in DOCUMENT_TYPES:
        return replace(base, skip=f"content type {media}")
    if len(block) > max_bytes:
        return replace(base, error=f"body over the size limit ({max_bytes} bytes)")
    return replace(base, body=block, content_type=media)


def _response(base: Record, block: bytes, max_bytes: int, bodies: bool) -> Record:
    try:
        http = parse_response(block, max_bytes=max_bytes, decode=bodies)
    except HttpError as exc:
        return replace(base, error=str(exc))
    if http.status != 200:
        return replace(base, skip=f"HTTP status {http.status}")
    return replace(_page(base, http.body, http.content_type, max_bytes), charset=http.charset)


def _media(value: str) -> str | None:
    return value.split(";", 1)[0].strip().lower() or None


def classify(record: Any, *, max_bytes: int, bodies: bool = True) -> Record:
    """One FastWARC record as a :class:`Record` (its block is read only when it is taken)."""
    base = _base(record)
    if base.kind not in TAKEN:
        return replace(base, skip=f"{base.kind} record")
    block = _block(record, base, max_bytes)
    if isinstance(block, Record):
        return block
    if base.kind == "resource":
        return _page(base, block, _media(_header(record, "Content-Type")), max_bytes)
    return _response(base, block, max_bytes, bodies)


def _starts_a_record(handle: BinaryIO) -> bool:
    """Does a record (gzipped or not) start here? An empty rest is no record and no error.
    (FastWARC in quirks mode reads a gzipped HTML file as an archive of no records.)"""
    return opens_a_record(handle.read(PEEK_BYTES))


def opens_a_record(head: bytes) -> bool:
    """Do these first bytes (:data:`PEEK_BYTES` of them) start a record, gzipped or not?"""
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(GZIP_WBITS).decompress(head, len(RECORD_MAGIC))
        except zlib.error:
            return False
    return not head or head.startswith(RECORD_MAGIC)


def records(
    path: Path, *, max_bytes: int, start: int = 0, bodies: bool = True
) -> Generator[Record, None, None]:
    """Every record of the archive from byte ``start`` (a record's offset) on, in order.
    ``bodies=False``: a response's body is neither decoded nor kept (a scan of the archive).

    A record whose Content-Length is wrong, or a member that does not decompress, throws the
    reader off the records that follow (it reads them as that record's content, or stops):
    after one, reading resumes at the next place a record starts (:func:`next_record`), so
    one broken record costs itself, never the rest of the archive."""
    with open(path, "rb") as handle:
        handle.seek(start)
        at = start if _starts_a_record(handle) else next_record(handle, start + 1)
        if at is None:
            yield Record(start, "unknown", error=f"{NOT_WARC} at offset {start})")
            return
        if at != start:  # the first record is damaged, not the archive
            yield Record(start, "unknown", error=f"unreadable record at offset {start}")
        handle.seek(at)
        plain = not handle.read(len(GZIP_MAGIC)).startswith(GZIP_MAGIC)
        with open(path, "rb") as probe:
            while at is not None:
                run = _run(handle, at, max_bytes, bodies)
                stop = yield from (_gaps(run, probe, at) if plain else run)
                at = None if stop is None else (yield from _resume(handle, stop))


def _gaps(
    run: Generator[Record, None, Stop | None], probe: BinaryIO, start: int
) -> Generator[Record, None, Stop | None]:
    """The records of an uncompressed archive, with an error where FastWARC skipped bytes
    between two of them (it passes over a record whose header it cannot parse, silently)."""
    end = start
    while True:
        try:
            record = next(run)
        except StopIteration as stop:
            ended: Stop | None = stop.value
            if ended is None and probe.seek(0, os.SEEK_END) > end + GAP_SLACK:
                yield Record(end, "unknown", error=f"unreadable record at offset {end}")
            return ended
        if record.offset > end + GAP_SLACK:
            yield Record(end, "unknown", error=f"unreadable record at offset {end}")
        yield record
        end = max(end, _record_end(probe, record))


def _record_end(probe: BinaryIO, record: Record) -> int:
    """Where an uncompressed record ends: its header, its block and the blank line after."""
    for size in (PEEK_BYTES, HEADER_SLACK):  # WARC headers are short; a long one is read again
        probe.seek(record.offset)
        cut = probe.read(size).find(b"\r\n\r\n")
        if cut >= 0:
            return record.offset + cut + 4 + record.length + 4
    return record.offset


def _resume(handle: BinaryIO, stop: Stop) -> Generator[Record, None, int | None]:
    """Where reading goes on after ``stop``. After a good record the reader could not go
    past, the next record is searched from that record's end: when it is not right there,
    what lies between (a member whose start is damaged) is one error, never a silent loss."""
    if stop.reason is None:
        return next_record(handle, stop.offset + 1)
    end = member_end(handle, stop.offset)
    found = next_record(handle, end)
    if found != end:
        yield Record(end, "unknown", error=f"unreadable record at offset {end}: {stop.reason}")
    return found


def member_end(handle: BinaryIO, at: int) -> int:
    """Where the gzip member at ``at`` ends (``at + 1`` when none starts there)."""
    handle.seek(at)
    inflate = zlib.decompressobj(GZIP_WBITS)
    read = 0
    try:
        while not inflate.eof and (chunk := handle.read(SCAN_BYTES)):
            read += len(chunk)
            inflate.decompress(chunk, SCAN_BYTES)
            while inflate.unconsumed_tail and not inflate.eof:
                inflate.decompress(inflate.unconsumed_tail, SCAN_BYTES)
    except zlib.error:
        return at + 1
    return at + read - len(inflate.unused_data) if inflate.eof else at + 1


class Stop(NamedTuple):
    """Where the reader stopped before the end: at a record whose framing may be wrong
    (``reason`` None), or after a good record, at data it could not read (``reason``)."""

    offset: int
    reason: str | None = None


def _run(
    handle: BinaryIO, start: int, max_bytes: int, bodies: bool
) -> Generator[Record, None, Stop | None]:
    """The records from ``start`` until the end (None) or a :class:`Stop`."""
    handle.seek(start)
    return (yield from framed(handle, start, max_bytes=max_bytes, bodies=bodies))


class Readable(Protocol):
    """What FastWARC reads an archive from: a file, or a stream that cannot seek."""

    def read(self, size: int = -1, /) -> bytes: ...

    def tell(self) -> int: ...


def framed(
    handle: Readable, start: int, *, max_bytes: int, bodies: bool = True, resync: bool = True
) -> Generator[Record, None, Stop | None]:
    """The records FastWARC frames from where ``handle`` is (byte ``start`` of the archive)
    until the end (None), or until it stops (:class:`Stop`: with ``resync``, also at a record
    that may break the framing), to search for the next record from there."""
    from fastwarc import ArchiveIterator  # the warc extra: imported only for an archive

    # Its stub asks for a whole file object; FastWARC only reads and tells on a stream.
    reader = cast("BinaryIO", handle)
    stream = ArchiveIterator(reader, parse_http=False, quirks_mode=True, fsspec_args=False)
    last: int | None = None
    try:
        for record in stream:
            found = classify(record, max_bytes=max_bytes, bodies=bodies)
            last = max(found.offset, start)
            yield found
            if resync and found.error is not None and found.error.startswith(FRAMING_ERRORS):
                return Stop(last)
    except OSError as exc:
        if last is not None:  # what follows a good record is bad: the caller looks there
            return Stop(last, str(exc))
        yield Record(start, "unknown", error=f"unreadable record at offset {start}: {exc}")
        return Stop(start)
    return None


def next_record(handle: BinaryIO, after: int) -> int | None:
    """The first offset from ``after`` on where a record starts: a gzip member that inflates
    to ``WARC/``, or ``WARC/1.`` at the start of a line; None: none is left."""
    at = after
    while True:
        handle.seek(at)
        chunk = handle.read(SCAN_BYTES)
        if not chunk:
            return None
        for hit in sorted(_candidates(chunk)):
            handle.seek(at + hit)
            if _starts_a_record(handle):  # not empty: the magic is there
                return at + hit
        at += max(1, len(chunk) - len(RECORD_LINE))  # a magic cut by the chunk's end is seen next


def _candidates(chunk: bytes) -> Iterator[int]:
    for magic in (GZIP_MEMBER, RECORD_LINE):
        hit = chunk.find(magic)
        while hit >= 0:
            if magic is GZIP_MEMBER or hit == 0 or chunk[hit - 1 : hit] == b"\n":
                yield hit
            hit = chunk.find(magic, hit + 1)
