"""A first pass over an archive: which records are pages, and work for the workers.

The parent reads the archive once without decoding bodies (:func:`records` with
``bodies=False``), keeping each page's offset and counting the other records by reason;
the pages are then cut into chunks of consecutive offsets, so a worker seeks to a chunk's
first record and reads its pages in archive order, and no body passes between processes.
An archive gzipped whole (one member, not one per record) gives every record the same
offset: its pages form one chunk, read in order by one worker.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.warc.records import records

CHUNK_PAGES = 64  # pages per unit of work: long enough to amortise a seek, short enough to spread


@dataclass(slots=True)
class Scan:
    """One archive's pages (offsets, in order), its other records counted by reason, and the
    records that failed (offset, reason)."""

    pages: list[int] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def sequential(self) -> bool:
        """Offsets that repeat: the archive cannot be entered at a record (gzipped whole)."""
        return len(set(self.pages)) < len(self.pages)

    def chunks(self, size: int = CHUNK_PAGES) -> list[list[int]]:
        """The pages in runs of ``size`` consecutive offsets (all of them when sequential)."""
        if self.sequential:
            return [self.pages] if self.pages else []
        return [self.pages[k : k + size] for k in range(0, len(self.pages), size)]


def scan(path: Path, *, max_bytes: int) -> Scan:
    found = Scan()
    for record in records(path, max_bytes=max_bytes, bodies=False):
        if record.page:
            found.pages.append(record.offset)
        elif record.skip is not None:
            found.skipped[record.skip] += 1
        else:
            found.errors.append((record.offset, record.error or "unreadable"))
    return found
