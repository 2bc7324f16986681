"""The work a worker runs for a WARC archive: scan it, or clean one of its page records.

The parent scans each stale archive (:func:`scan_archive`, through the engine like any file)
and makes a :class:`PageJob` of every page; a worker seeks to the page's offset, reads that
record alone and cleans it as :func:`cleaner.warc.archive.clean_record` does, so bodies never
pass between processes and the per-document time limit holds per record. An archive gzipped
whole cannot be entered at a record: it is one :class:`WholeJob`, read in one pass by one
worker. A page that fails is reported under its archive, with its offset and URI.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.batch.inputs import Job, display
from cleaner.batch.work import Outcome, attempt, crashed, finish, memory_reason, one_line
from cleaner.config import Options
from cleaner.manifest import sha256_file

if TYPE_CHECKING:
    from cleaner.pipeline import CleanResult
    from cleaner.warc.records import Record
    from cleaner.warc.scan import Scan

URI_SHOWN_CHARS = 80  # of a page's URI in its error line
CHANGED = "the archive changed since it was scanned"


@dataclass(frozen=True, slots=True)
class PageJob:
    """One page record of an archive and where its outputs go."""

    archive: Path
    owner: str  # the archive's source (its manifest key)
    source: str  # the page's: its output stem under OUT, as metadata "source"
    offset: int
    uri: str
    record_id: str
    stem: Path
    root: Path | None = None

    @property
    def as_job(self) -> Job:
        return Job(self.archive, self.source, self.stem, self.root)

    def failed(self, reason: str) -> Outcome:
        """The outcome of this page failing: one line naming the archive, offset and URI."""
        shown = display(self.uri)  # one line, whatever the header held
        uri = shown if len(shown) <= URI_SHOWN_CHARS else shown[:URI_SHOWN_CHARS] + "..."
        where = f"record at offset {self.offset}" + (f" ({uri})" if uri else "")
        return Outcome(self.owner, "failed", f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class WholeJob:
    """An archive gzipped whole: its pages, in order, cleaned in one pass."""

    archive: Path
    owner: str
    pages: tuple[PageJob, ...]


def scan_archive(job: Job, *, max_bytes: int) -> Scan | str:
    """An archive's first pass (see :mod:`cleaner.warc.scan`), or why it cannot be read."""
    from cleaner.warc.scan import scan

    try:
        found = scan(job.path, max_bytes=max_bytes)
        # Hashed (from the page cache, the scan just read it) so that an archive touched but
        # not changed stays up to date, as a file does.
        found.sha256 = sha256_file(job.path)
        return found
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    except MemoryError:
        return memory_reason()
    except Exception as exc:  # a bug must cost one archive, never the batch
        return f"internal error: {type(exc).__name__}: {one_line(exc)}"


def scan_lost(job: Job, detail: float | int | None) -> str:
    """Why an archive's scan gave nothing when its worker timed out or died."""
    if isinstance(detail, float):
        return f"timed out after {detail:g} s while reading the archive"
    return crashed(job, detail).error or "worker process died"


def _record_at(page: PageJob, max_bytes: int) -> Record:
    from cleaner.warc.records import records

    stream = records(page.archive, max_bytes=max_bytes, start=page.offset)
    try:
        return next(stream)
    finally:
        stream.close()


def _cleaned(page: PageJob, record: Record, options: Options) -> CleanResult | str:
    from cleaner.warc.archive import clean_record

    if (record.record_id, record.uri) != (page.record_id, page.uri):
        return CHANGED
    if record.body is None:
        return record.error or record.skip or CHANGED
    return clean_record(record, stem=page.source, archive=page.owner, options=options)


def _outcome(page: PageJob, result: CleanResult | str, *, write: bool, durable: bool) -> Outcome:
    if isinstance(result, str):
        return page.failed(result)
    outcome = finish(page.as_job, result, write=write, durable=durable)
    if outcome.status == "cleaned":
        return replace(outcome, archive=page.owner)
    failed = page.failed(outcome.error or "unknown error")
    return Outcome(failed.source, "failed", failed.error, fatal=outcome.fatal)


def process_page(
    page: PageJob, options: Options, *, write: bool = True, durable: bool = True
) -> Outcome:
    """Seek to one page, clean it and write its outputs (or return its JSON line)."""
    try:
        record = _record_at(page, options.max_bytes)
    except OSError as exc:
        return page.failed(f"cannot read: {exc.strerror or exc}")
    result = attempt(lambda: _cleaned(page, record, options))
    return _outcome(page, result, write=write, durable=durable)


def process_whole(
    whole: WholeJob, options: Options, *, write: bool = True, durable: bool = True
) -> list[Outcome]:
    """Every page of an archive gzipped whole, read in one pass, in order. A record is its
    page's when its id and URI are the page's (a page named apart, or a second record with
    an id seen before, is not taken for the next one)."""
    from cleaner.warc.records import records

    todo = list(reversed(whole.pages))
    outcomes = []
    try:
        for record in records(whole.archive, max_bytes=options.max_bytes):
            if todo and (record.record_id, record.uri) == (todo[-1].record_id, todo[-1].uri):
                page = todo.pop()
                result = attempt(lambda: _cleaned(page, record, options))  # noqa: B023
                outcomes.append(_outcome(page, result, write=write, durable=durable))
    except OSError as exc:
        return outcomes + [p.failed(f"cannot read: {exc.strerror or exc}") for p in reversed(todo)]
    return outcomes + [p.failed(CHANGED) for p in reversed(todo)]


def page_timed_out(page: PageJob, limit: float) -> Outcome:
    return page.failed(f"timed out after {limit:g} s")


def page_crashed(page: PageJob, code: int | None) -> Outcome:
    return page.failed(crashed(page.as_job, code).error or "worker process died")


def whole_timed_out(whole: WholeJob, limit: float) -> list[Outcome]:
    reason = f"timed out after {limit:g} s (an archive gzipped whole is read in one pass)"
    return [page.failed(reason) for page in whole.pages]


def whole_crashed(whole: WholeJob, code: int | None) -> list[Outcome]:
    return [page_crashed(page, code) for page in whole.pages]
