"""A first pass over an archive: which records are pages, and where each one starts.

The parent reads the archive once without decoding bodies (:func:`records` with
``bodies=False``), keeping each page's offset, target URI and record id (from which its
output name is made) and counting the other records by reason. Each page is then one unit of
work: a worker seeks to its offset and reads that record alone, so no body passes between
processes. An archive gzipped whole (one member, not one per record) gives every record the
same offset and cannot be entered at a record: it is :attr:`Scan.sequential`, read in order
by one worker.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cleaner.warc.records import records


class Page(NamedTuple):
    """A page record as the scan finds it."""

    offset: int
    uri: str
    record_id: str


@dataclass(slots=True)
class Scan:
    """One archive's pages in order, its other records counted by reason, the records that
    failed (offset, reason), and the archive's sha256 when the caller records it."""

    pages: list[Page] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[int, str]] = field(default_factory=list)
    sha256: str | None = None

    @property
    def sequential(self) -> bool:
        """Offsets that repeat: the archive cannot be entered at a record (gzipped whole)."""
        return len({page.offset for page in self.pages}) < len(self.pages)


def scan(path: Path, *, max_bytes: int) -> Scan:
    found = Scan()
    for record in records(path, max_bytes=max_bytes, bodies=False):
        if record.page:
            found.pages.append(Page(record.offset, record.uri, record.record_id))
        elif record.skip is not None:
            found.skipped[record.skip] += 1
        else:
            found.errors.append((record.offset, record.error or "unreadable"))
    return found
