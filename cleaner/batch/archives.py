"""WARC archives in a run: each stale archive becomes the units of work of its pages.

An archive is one input to the walk, the manifest (an unchanged archive is up to date),
``--shard`` and ``--prune``; its pages are the documents. Each stale archive is scanned first
(through the engine, as files are cleaned), and every page gets its output stem under the
archive's folder (:mod:`cleaner.warc.mapping`, in archive order, so the names do not depend
on ``--jobs``) and becomes a :class:`~cleaner.batch.pages.PageJob`. A :class:`Tally` collects
what an archive's pages give, so that its manifest entry is written once, when its last page
is in: an archive interrupted half-way is cleaned again by the next run.
"""

from __future__ import annotations

import functools
import importlib.util
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.batch.engines import Engine
from cleaner.batch.inputs import Job, inode, portable
from cleaner.batch.pages import PageJob, WholeJob, scan_archive, scan_lost
from cleaner.manifest import Stat
from cleaner.names import is_warc
from cleaner.warc.mapping import Stems
from cleaner.warc.records import at_offset
from cleaner.warc.scan import Scan
from cleaner.write import output_paths

INSTALL_HINT = "pip install 'cleaner-news[warc]'"
NO_EXTRA = f"reading a WARC archive needs the warc extra, not installed: {INSTALL_HINT}"

SCAN_BYTES_PER_LIMIT = 16 * 1024 * 1024
Unit = Job | PageJob | WholeJob
Fail = Callable[[str, str], None]


def available() -> bool:
    return importlib.util.find_spec("fastwarc") is not None


@dataclass(slots=True)
class Tally:
    """An archive being cleaned: its pages still to come, the outputs written (in a JSONL
    run, the pages' sources), and whether any of its records failed."""

    job: Job
    stat: Stat
    sha256: str | None = None
    pages: int = 0
    left: int = 0
    outputs: list[str] = field(default_factory=list)
    failed: bool = False


@dataclass(frozen=True, slots=True)
class PageSlot:
    """Whose an outcome is when it is a page's."""

    tally: Tally
    page: PageJob


Owner = tuple[Job, Stat] | PageSlot


@dataclass(slots=True)
class Work:
    """The units to give the engine and, per outcome they give, in order, its owner; the
    archives with pages to clean, and those already complete (no page, or unreadable); the
    records skipped, by reason."""

    units: list[Unit] = field(default_factory=list)
    owners: list[Owner] = field(default_factory=list)
    started: list[Tally] = field(default_factory=list)
    done: list[Tally] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Context:
    """What naming pages needs: the output stems already taken (relative, case-folded, to
    who holds them: file inputs, pages of archives up to date, and each page named so far),
    the inodes of this run's inputs, and where failures go."""

    taken: dict[str, str]
    inodes: set[tuple[int, int]]
    fail: Fail


def expand(stale: list[tuple[Job, Stat]], context: Context, scans: dict[str, Scan | str]) -> Work:
    """The stale inputs as units of work: a file is one, an archive one per page."""
    work = Work()
    for job, stat in stale:
        found = scans.get(job.source)
        if found is None:
            work.units.append(job)
            work.owners.append((job, stat))
        else:
            _add_archive(work, Tally(job, stat), found, context)
    return work


def scan_all(
    jobs: list[Job], *, max_bytes: int, engine: Engine, timeout: float | None
) -> dict[str, Scan | str]:
    """Each archive's scan (or why it has none), by source, in one pass of the engine."""
    archives = [job for job in jobs if is_warc(job.path.name)]
    if not archives:
        return {}
    if not available():
        return dict.fromkeys((job.source for job in archives), NO_EXTRA)
    scan = functools.partial(scan_archive, max_bytes=max_bytes)
    limit = _scan_limit(archives, timeout)
    found = engine.map(scan, archives, timeout=limit, on_timeout=scan_lost, on_crash=scan_lost)
    return {job.source: scanned for job, scanned in zip(archives, found, strict=True)}


def _scan_limit(archives: list[Job], timeout: float | None) -> float | None:
    """The per-document limit for each SCAN_BYTES_PER_LIMIT of the largest archive: a scan
    reads far faster than that (about 100 MB/s here), but one that hangs (a file on a dead
    mount) must not hold the batch."""
    if timeout is None:
        return None
    largest = max(_size(job.path) for job in archives)
    return timeout * max(1.0, largest / SCAN_BYTES_PER_LIMIT)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _add_archive(work: Work, tally: Tally, found: Scan | str, context: Context) -> None:
    source = tally.job.source
    if isinstance(found, str):
        context.fail(source, found)
        tally.failed = True
        work.done.append(tally)
        return
    work.skipped.update(found.skipped)
    tally.sha256 = found.sha256
    for offset, reason in found.errors:
        context.fail(source, at_offset(offset, reason))
        tally.failed = True
    pages = _pages(tally, found, context)
    tally.pages = tally.left = len(pages)
    if not pages:
        work.done.append(tally)
        return
    work.started.append(tally)
    if found.sequential:
        work.units.append(WholeJob(tally.job.path, source, tuple(pages)))
    else:
        work.units.extend(pages)
    work.owners.extend(PageSlot(tally, page) for page in pages)


def _folder(job: Job) -> Path:
    """The archive's output folder, relative to OUT (a stream's stems are relative)."""
    return job.stem.relative_to(job.root) if job.root is not None else job.stem


def _pages(tally: Tally, found: Scan, context: Context) -> list[PageJob]:
    """The archive's pages named, in order; a page whose output would land on another
    input's output, or on an input itself, fails here."""
    job, stems, kept = tally.job, Stems(), []
    for page in found.pages:
        relative = _folder(job) / stems.claim(page.uri, page.record_id)
        stem = job.root / relative if job.root is not None else relative
        made = PageJob(job.path, job.source, portable(relative.as_posix()), page.offset,
                       page.uri, page.record_id, stem, job.root)  # fmt: skip
        clash = _clash(made, relative, context)
        if clash is None:
            kept.append(made)
            context.taken[relative.as_posix().casefold()] = f"page {made.source} of {job.source}"
        else:
            context.fail(job.source, made.failed(clash).error or clash)
            tally.failed = True
    return kept


def _clash(page: PageJob, relative: Path, context: Context) -> str | None:
    other = context.taken.get(relative.as_posix().casefold())
    if other is not None:
        return f"its output name {page.source} collides with {other}"
    for path in output_paths(page.stem):
        if inode(path) in context.inodes:
            return f"its output {portable(str(path))} is an input of this run: not replacing it"
    return None
