"""The JSONL run: every input as one JSON line of one file, sorted by source, incrementally.

A JSONL file is rebuilt whole on every run (written through a temp file and renamed, so a
reader never sees a partial one), but only the stale inputs are cleaned: the record of an input
that is up to date (same test as a folder run: size and mtime, or sha256, and the same run key)
is copied from the previous file. Beside ``corpus.jsonl`` lie its manifest
(``.corpus.jsonl.cleaner-manifest.json``), its lock and its run report
(``corpus.jsonl.cleaner-report.json``). The manifest holds the sha256 of the file it describes:
a JSONL file changed, replaced or deleted behind it is never reused, and all inputs are cleaned
again. A stream to stdout has nothing to reuse and no report: every input is cleaned.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

from cleaner.batch.archives import Owner, PageSlot, Work
from cleaner.batch.driver import (
    DEFAULT_OPTIONS,
    DEFAULT_RUN,
    NO_HOOKS,
    Hooks,
    Recorder,
    RunOptions,
    Start,
    note_planned,
    prepare_out,
    prepare_work,
    start_run,
)
from cleaner.batch.engines import Engine, clean_all, close_outcomes, make_engine
from cleaner.batch.inputs import Job, inode
from cleaner.batch.lock import locked
from cleaner.batch.report import RunReport, write_report
from cleaner.batch.work import Outcome
from cleaner.config import Options
from cleaner.errors import Interrupted, OutputError
from cleaner.manifest import Entry, Manifest, Reason, Stat, load, run_key, stale_reason
from cleaner.names import is_warc
from cleaner.version import __version__
from cleaner.write import staged_text

# An input in order, with its manifest entry when its old record is copied (None: cleaned).
Item = tuple[Job, Stat, Entry | None]


def manifest_name(dest: Path) -> str:
    return f".{dest.name}.cleaner-manifest.json"


def report_path(dest: Path) -> Path:
    """Where the run report of a JSONL file goes: beside it, named after it."""
    return dest.with_name(f"{dest.name}.cleaner-report.json")


def _lock_name(dest: Path) -> str:
    return f".{dest.name}.cleaner-lock"


@dataclass(slots=True)
class Previous:
    """The JSONL file a run replaces: its sha256 (None: there is none) and where each source's
    record lies in it (offset, length in bytes)."""

    sha256: str | None = None
    records: dict[str, tuple[int, int]] = field(default_factory=dict)


def index(path: Path) -> Previous:
    """Read a JSONL file once: its hash and the place of each record. A file that cannot be
    read or parsed gives no records (its inputs are cleaned again), with a hash no manifest
    holds."""
    digest, records, offset = hashlib.sha256(), {}, 0
    try:
        with open(path, "rb") as handle:
            for line in handle:
                digest.update(line)
                records[json.loads(line)["source"]] = (offset, len(line))
                offset += len(line)
    except FileNotFoundError:
        return Previous()
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return Previous("unreadable")
    return Previous(digest.hexdigest(), records)


def run_jsonl(
    inputs: list[Path],
    dest: Path | None,
    *,
    options: Options = DEFAULT_OPTIONS,
    run_options: RunOptions = DEFAULT_RUN,
    hooks: Hooks = NO_HOOKS,
) -> RunReport:
    """Clean the inputs into one JSON line each (sorted by source) in ``dest``, reusing the
    records of inputs that are up to date; to stdout when ``dest`` is None (everything is
    cleaned). A sharded run writes its share of the lines (give each shard its own ``dest``).

    Raises :class:`OutputError` when ``dest`` cannot be written or is an input, or is locked
    by another run; :class:`Interrupted` on Ctrl-C (the previous file and manifest stay)."""
    engine = make_engine(run_options.jobs, run_options.dask, max_memory=run_options.max_memory)
    try:
        if dest is None:
            return _to_stdout(inputs, options, run_options, hooks, engine)
        if run_options.dry_run:
            return _drive(inputs, dest, options, run_options, hooks, engine)
        prepare_out(dest.parent)
        with locked(dest.parent, shared=False, wait=run_options.wait, name=_lock_name(dest)):
            return _drive(inputs, dest, options, run_options, hooks, engine)
    finally:
        engine.close()


def _to_stdout(
    inputs: list[Path], options: Options, how: RunOptions, hooks: Hooks, engine: Engine
) -> RunReport:
    start = start_run(inputs, None, options, how, hooks, engine, Manifest())
    items: list[Item] = [(job, stat, None) for job, stat in start.stated]
    if _planned(start, [(job, "forced") for job, _ in start.stated], how, hooks):
        return start.report
    _write(sys.stdout, items, start, Previous(), _Reader(None), how, engine, Manifest())
    sys.stdout.flush()
    return start.report


def _planned(start: Start, stale: list[tuple[Job, Reason]], how: RunOptions, hooks: Hooks) -> bool:
    """Note each stale input with its reason; True for a dry run (which then stops)."""
    for job, why in stale:
        note_planned(start.report, hooks, job.source, why, dry_run=how.dry_run)
    return how.dry_run


def _drive(
    inputs: list[Path], dest: Path, options: Options, how: RunOptions, hooks: Hooks, engine: Engine
) -> RunReport:
    old, previous = _previous(dest, hooks)
    start = start_run(inputs, None, options, how, hooks, engine, old)
    key = run_key(__version__, start.options.fingerprint())
    manifest = Manifest({}, start.profile_record, start.profile_inputs, __version__, key)
    items, stale = _sort(start, old, previous, key, how)
    if _planned(start, stale, how, hooks):
        return start.report
    if inode(dest) in start.inodes:
        raise OutputError(f"{dest}: the output file is one of the inputs; nothing was done")
    try:
        if _unchanged(items, previous):
            # Same records: not rewritten, only touched, so that a make rule whose target is
            # the file sees it remade (else the rule would run again on every make).
            os.utime(dest)
            manifest.entries = {job.source: kept for job, _stat, kept in items if kept}
            manifest.stream = previous.sha256
        else:
            with staged_text(dest) as sink, _Reader(dest) as old_file:
                manifest.stream = _write(
                    sink, items, start, previous, old_file, how, engine, manifest
                )
        manifest.save(dest.parent, manifest_name(dest))
    except OSError as exc:
        raise OutputError(f"{dest}: cannot write: {exc.strerror or exc}") from exc
    write_report(report_path(dest), start.report, start.options)
    return start.report


def _unchanged(items: list[Item], previous: Previous) -> bool:
    """Every record is copied and none is gone: the new file would be the old one."""
    if previous.sha256 is None or any(kept is None for _j, _s, kept in items):
        return False
    sources = [s for job, _stat, kept in items if kept for s in _sources(job, kept)]
    return sources == list(previous.records)


def _previous(dest: Path, hooks: Hooks) -> tuple[Manifest, Previous]:
    """The last run's manifest and file, or an empty manifest (keeping its cached profile)
    when the file is not the one the manifest describes."""
    old = load(dest.parent, manifest_name(dest))
    if old.problem and hooks.notice:
        hooks.notice(f"{dest.parent / manifest_name(dest)}: {old.problem}")
    previous = index(dest)
    if old.entries and old.stream != previous.sha256:
        if hooks.notice:
            hooks.notice(
                f"{dest} is not the file its manifest describes (deleted, changed or replaced"
                " since the last run): all inputs are cleaned again"
            )
        old = Manifest(profile=old.profile, profile_inputs=old.profile_inputs)
    return old, previous



def _sort(
    start: Start, old: Manifest, previous: Previous, key: str, how: RunOptions
) -> tuple[list[Item], list[tuple[Job, Reason]]]:
    """Every input in order with its manifest entry when its old record is reused (None: it
    is cleaned), and the stale ones with their reason."""
    items: list[Item] = []
    stale: list[tuple[Job, Reason]] = []
    for job, stat in start.stated:
        entry = old.entries.get(job.source)
        why, touched = stale_reason(entry, stat, job.path, key=key, force=how.force)
        missing = entry is not None and any(s not in previous.records for s in _sources(job, entry))
        if why is None and missing:
            why = "output missing"
        if why is None and entry is not None:
            start.report.up_to_date += 1
            items.append((job, stat, touched or entry))
        else:
            items.append((job, stat, None))
            stale.append((job, why or "new"))
    return items, stale


class _Reader:
    """The previous JSONL file, opened for copying records (absent: nothing to copy)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle: BinaryIO | None = None

    def __enter__(self) -> _Reader:
        try:
            if self.path is not None:
                self.handle = open(self.path, "rb")
        except FileNotFoundError:
            self.handle = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def record(self, where: tuple[int, int]) -> str:
        if self.handle is None:
            raise OSError(f"{self.path} is gone")
        self.handle.seek(where[0])
        return self.handle.read(where[1]).decode("utf-8")


def _write(
    sink: IO[str],
    items: list[Item],
    start: Start,
    previous: Previous,
    old_file: _Reader,
    how: RunOptions,
    engine: Engine,
    manifest: Manifest,
) -> str:
    """Write every record in order (copied, or from a worker) and return the sha256 of what
    was written; the manifest gets an entry per input (an archive's lists its pages)."""
    recorder = start.recorder
    recorder.manifest, recorder.key, recorder.stream = manifest, manifest.key, True
    stale = [(job, stat) for job, stat, kept in items if kept is None]
    held = {job.source: kept for job, _stat, kept in items if kept is not None}
    work = prepare_work(start, stale, engine, timeout=how.timeout, held=held)
    outcomes = clean_all(work.units, start.options, engine=engine, timeout=how.timeout, write=False)
    owners, counts = iter(work.owners), _counts(work)
    digest = hashlib.sha256()
    try:
        for job, _stat, kept in items:
            if kept is not None:
                lines = [old_file.record(previous.records[s]) for s in _sources(job, kept)]
                manifest.entries[job.source] = kept
            else:
                lines = _cleaned(counts.get(job.source, 0), owners, outcomes, start, how)
            for line in lines:
                sink.write(line)
                digest.update(line.encode("utf-8"))
    except KeyboardInterrupt as exc:
        # The file is written whole or not at all (its temp file goes), and the manifest with it.
        raise Interrupted(0, len(work.owners)) from exc
    finally:
        close_outcomes(outcomes)
        recorder.record_unfinished(work)
    return digest.hexdigest()


def _counts(work: Work) -> Counter[str]:
    """How many outcomes each stale input gives: a file one, an archive one per page."""
    return Counter(
        owner.tally.job.source if isinstance(owner, PageSlot) else owner[0].source
        for owner in work.owners
    )


def _sources(job: Job, entry: Entry) -> tuple[str, ...]:
    """The records an input has in the file: an archive's pages (its entry lists them)."""
    return entry.outputs if is_warc(job.path.name) else (job.source,)


def _cleaned(
    count: int, owners: Iterator[Owner], outcomes: Iterator[Outcome], start: Start, how: RunOptions
) -> list[str]:
    """The next ``count`` outcomes' records (an input's); none once --fail-fast stopped."""
    lines = []
    for _ in range(count):
        if start.report.stopped_early:
            break
        line = _take(next(owners), next(outcomes), start.recorder)
        if line is not None:
            lines.append(line)
        elif how.fail_fast:
            start.report.stopped_early = True
            close_outcomes(outcomes)
    return lines


def _take(owner: Owner, outcome: Outcome, recorder: Recorder) -> str | None:
    """One worker's outcome: its record (None when it failed, which is reported)."""
    if isinstance(owner, PageSlot):
        recorder.record_page(owner, outcome)
        return outcome.record if outcome.status == "cleaned" else None
    _job, stat = owner
    manifest = recorder.manifest
    record = outcome.record if outcome.status == "cleaned" else None
    if record is not None:
        recorder.report.count_cleaned(outcome.empty)
        entry = Entry(stat.size, stat.mtime_ns, manifest.key, (), outcome.sha256)
    else:
        recorder.fail(outcome.source, outcome.error or "unknown error")
        entry = Entry(stat.size, stat.mtime_ns, manifest.key, (), None, failed=True)
    manifest.entries[outcome.source] = entry
    if recorder.hooks.progress:
        recorder.hooks.progress(outcome)
    return record
