"""A WARC archive on a stream that cannot seek (``cleaner clean - < crawl.warc.gz``).

The records are read in one pass, as they arrive, so memory stays bounded by one record. A
stream cannot be searched for the next record the way a file is after a record whose
Content-Length is wrong (:func:`cleaner.warc.records.records`): FastWARC reads on as it
frames them, so such a record may take the records after it with it. Clean a file for that.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from cleaner.config import Options
from cleaner.warc.archive import Item, items
from cleaner.warc.records import PEEK_BYTES, Readable, Record, framed, opens_a_record

STREAM_NAME = "<stdin>"


class Rejoined:
    """A stream whose first bytes were read to tell what it is, given back in front of it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = head
        self.rest = rest
        self.position = 0  # FastWARC asks where it is, for the records' offsets

    def read(self, size: int = -1) -> bytes:
        data = self._read(size)
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position

    def _read(self, size: int) -> bytes:
        if not self.head:
            return self.rest.read(size)
        if size < 0:
            data, self.head = self.head + self.rest.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        return data


def head_of(stream: BinaryIO) -> bytes:
    """The first bytes of a stream, enough to tell a WARC archive (:func:`is_archive`)."""
    head = b""
    while len(head) < PEEK_BYTES:
        more = stream.read(PEEK_BYTES - len(head))
        if not more:
            break
        head += more
    return head


def is_archive(head: bytes) -> bool:
    return bool(head) and opens_a_record(head)


def stream_records(stream: Readable, *, max_bytes: int) -> Iterator[Record]:
    """Every record of the stream, in order, as FastWARC frames them; data it cannot read
    ends the stream, with an error that says so."""
    stop = yield from framed(stream, 0, max_bytes=max_bytes, resync=False)
    if stop is not None and stop.reason is not None:
        where = f"unreadable data after the record at offset {stop.offset} ({stop.reason})"
        yield Record(stop.offset, "unknown", error=f"{where}: the rest of the stream was not read")


def clean_stream(stream: Readable, *, options: Options) -> Iterator[Item]:
    """Every record of the archive on ``stream`` (its first bytes included), in order: its
    pages cleaned as :func:`cleaner.warc.archive.clean_archive` cleans them, named by their
    URIs alone (a stream has no file name)."""
    found = stream_records(stream, max_bytes=options.max_bytes)
    return items(found, folder="", archive=STREAM_NAME, options=options)
