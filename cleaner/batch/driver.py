"""The run driver: plan, decide what is stale, clean it through an engine, record the run.

Runs are incremental (see :mod:`cleaner.manifest`): an input whose size, mtime, run key and
outputs are as recorded is counted as up to date without being read, and when nothing is stale
no worker process is started and nothing heavy is imported, so a no-op run costs a walk and one
``stat`` per file. Stale inputs go to the engine with a per-file time limit; results come back
in input order, so outputs, manifest and report do not depend on ``--jobs``. A file that fails
is named with its reason on one line, recorded in the report and retried next run; the batch
goes on. An output folder that cannot be written (full, read-only) stops the run with
:class:`~cleaner.errors.OutputError`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cleaner import settings
from cleaner.batch.archives import Context, Owner, PageSlot, Tally, Work, expand, scan_all
from cleaner.batch.engines import Engine, clean_all, close_outcomes, learn_profile, make_engine
from cleaner.batch.inputs import (
    OLD_OUT_SKIP,
    Job,
    Plan,
    Shard,
    display,
    inode,
    mine,
    plan,
    portable,
    real_name,
    stat_jobs,
)
from cleaner.batch.lock import locked
from cleaner.batch.report import REPORT_NAME, RunReport, write_report
from cleaner.batch.selection import Selection
from cleaner.batch.work import Outcome
from cleaner.config import Options
from cleaner.errors import CleanerError, Interrupted, OutputError
from cleaner.manifest import (
    MANIFEST_NAME,
    Entry,
    Manifest,
    Reason,
    Stat,
    inputs_digest,
    load,
    run_key,
    stale_reason,
)
from cleaner.names import is_warc
from cleaner.profile import Profile
from cleaner.version import __version__
from cleaner.write import output_paths, remove_output, remove_stale_temps, sync_folder

# A temp file older than this is left by a killed run even when other shards are writing into
# the same OUT (a live one exists for milliseconds): sharded runs remove only those.
SHARD_STALE_TEMP_SECONDS = 3600.0
DEFAULT_OPTIONS = Options()


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How a batch runs (as opposed to :class:`Options`, what it produces).

    Attributes:
        jobs: worker processes.
        timeout: seconds per file before its worker is killed (None: no limit).
        force: clean every input, even up-to-date ones.
        prune: delete the outputs (recorded in the manifest) of inputs that no longer exist.
        dry_run: decide what is stale and why, write nothing.
        fail_fast: stop at the first failed file.
        batch_profile: learn the batch's recurring boilerplate lines first (unless
            ``Options.profile`` is given).
        save_profile: write the profile used to this file.
        dask: send the per-file work to this Dask scheduler (an address such as
            ``tcp://host:8786``, or a scheduler file); see :mod:`cleaner.batch.dask`.
        shard: clean only this shard of the inputs (see :class:`Shard`).
        max_memory: bytes of memory a local worker process may use; a file that needs more
            fails with "exceeds the memory limit" (None: no limit).
        wait: when another run holds OUT's lock, wait for it instead of stopping.
        only: the ``--include`` / ``--exclude`` patterns (see :class:`Selection`).
    """

    jobs: int = 1
    timeout: float | None = settings.DEFAULT_TIMEOUT_SECONDS
    force: bool = False
    prune: bool = False
    dry_run: bool = False
    fail_fast: bool = False
    batch_profile: bool = False
    save_profile: Path | None = None
    dask: str | None = None
    shard: Shard | None = None
    max_memory: int | None = settings.DEFAULT_MAX_MEMORY_BYTES
    wait: bool = False
    only: Selection = field(default_factory=Selection)


@dataclass(frozen=True, slots=True)
class Hooks:
    """Callbacks for the caller's feedback: ``error(source, reason)`` per failure in input
    order; ``total(n)`` once with the number of files to clean; ``progress(outcome)`` after
    each; ``planned(source, reason)`` per stale file in a dry run; ``notice(message)`` for a
    one-line warning about the run itself (an old OUT not walked, a manifest not usable);
    ``doomed(output)`` per output file a dry run's ``--prune`` would delete; ``phase(what)``
    when a long step other than cleaning starts (the profile's first pass)."""

    error: Callable[[str, str], None] | None = None
    total: Callable[[int], None] | None = None
    progress: Callable[[Outcome], None] | None = None
    planned: Callable[[str, str], None] | None = None
    notice: Callable[[str], None] | None = None
    doomed: Callable[[str], None] | None = None
    phase: Callable[[str], None] | None = None


DEFAULT_RUN = RunOptions()
NO_HOOKS = Hooks()


class Recorder:
    """Collects outcomes into the report and the manifest; flushes the manifest now and then.

    The manifest is flushed only from outcomes already received, i.e. after their outputs
    were written by the worker, and only after OUT's file system is synced, so it never claims
    an output that is not on disk, even after a power cut.
    """

    def __init__(self, out: Path, report: RunReport, hooks: Hooks, name: str) -> None:
        self.out = out
        self.name = name
        self.manifest = Manifest()
        self.report = report
        self.key = ""
        self.hooks = hooks
        self.last_flush = time.monotonic()
        self.dirty = False
        self.stream = False  # a JSONL run: a page's "output" is its record's source

    def fail(self, source: str, reason: str) -> None:
        self.report.failed.append((source, reason))
        if self.hooks.error:
            self.hooks.error(source, reason)

    def take(self, owner: Owner, outcome: Outcome) -> None:
        """Record the outcome of a file, or of an archive's page."""
        if isinstance(owner, PageSlot):
            self.record_page(owner, outcome)
        else:
            self.record(*owner, outcome)

    def _names(self, stem: Path) -> tuple[str, ...]:
        return tuple(portable(p.relative_to(self.out).as_posix()) for p in output_paths(stem))

    def record(self, job: Job, stat: Stat, outcome: Outcome) -> None:
        old = self.manifest.entries.get(job.source)
        if outcome.status == "cleaned":
            self.report.count_cleaned(outcome.empty)
            entry = Entry(stat.size, stat.mtime_ns, self.key, self._names(job.stem), outcome.sha256)
        else:
            self.fail(outcome.source, outcome.error or "unknown error")
            kept = old.outputs if old else ()
            entry = Entry(stat.size, stat.mtime_ns, self.key, kept, None, failed=True)
        self.manifest.entries[job.source] = entry
        self.dirty = True
        self._progressed(outcome)

    def record_page(self, slot: PageSlot, outcome: Outcome) -> None:
        """A page's outcome; its archive's entry once the last page is in."""
        tally = slot.tally
        if outcome.status == "cleaned":
            self.report.count_cleaned(outcome.empty)
            page = slot.page
            tally.outputs.extend((page.source,) if self.stream else self._names(page.stem))
        else:
            self.fail(outcome.source, outcome.error or "unknown error")
            tally.failed = True
        tally.left -= 1
        if tally.left == 0:
            self.record_archive(tally)
        self._progressed(outcome)

    def record_archive(self, tally: Tally) -> None:
        """An archive's entry: its pages' outputs (a JSONL run: their sources). Outputs of an
        earlier version of the archive that this one no longer has are deleted; when a page
        failed, they are kept (and the archive is cleaned again next run)."""
        old = self.manifest.entries.get(tally.job.source)
        outputs = list(tally.outputs)
        if old is not None and not self.stream:
            new = set(outputs)
            gone = [name for name in old.outputs if name not in new]
            if tally.failed:
                outputs.extend(gone)
            else:
                for name in gone:
                    remove_output(self.out, real_name(name))
        stat = tally.stat
        sha = None if tally.failed else tally.sha256
        entry = Entry(stat.size, stat.mtime_ns, self.key, tuple(outputs), sha, tally.failed)
        self.manifest.entries[tally.job.source] = entry
        self.dirty = True

    def record_unfinished(self, work: Work) -> None:
        """After a stop (Ctrl-C, a fatal error, --fail-fast): an archive some of whose pages
        are in is recorded as failed, so its outputs are known (to --prune) and it is cleaned
        again next run."""
        for tally in work.started:
            if 0 < tally.left < tally.pages:
                tally.failed = True
                self.record_archive(tally)

    def _progressed(self, outcome: Outcome) -> None:
        if self.hooks.progress:
            self.hooks.progress(outcome)
        # A JSONL run saves its manifest with the file it describes, never half-way.
        due = time.monotonic() - self.last_flush >= settings.MANIFEST_FLUSH_SECONDS
        if due and not self.stream:
            self.flush()

    def flush(self) -> None:
        if not self.dirty:
            return
        try:
            sync_folder(self.out)
            self.manifest.save(self.out, self.name)
        except OSError as exc:
            raise OutputError(
                f"{self.out}: cannot write the manifest: {exc.strerror or exc}"
            ) from exc
        self.last_flush = time.monotonic()
        self.dirty = False


@dataclass(slots=True)
class Start:
    """What both drivers know once the inputs are planned and the profile chosen."""

    plan: Plan
    report: RunReport
    recorder: Recorder
    stated: list[tuple[Job, Stat]]
    options: Options
    inodes: set[tuple[int, int]]
    profile_record: dict[str, Any] | None = None
    profile_inputs: str | None = None


def start_run(
    inputs: list[Path],
    out: Path | None,
    options: Options,
    how: RunOptions,
    hooks: Hooks,
    engine: Engine,
    old: Manifest,
) -> Start:
    """The shared opening of a run: plan (the whole of SRC, even when sharded: see
    :func:`_shard_stats`), report up-front errors, stat this run's inputs, choose the profile."""
    the_plan = plan(inputs, out, only=how.only)
    ours = mine(how.shard)
    report = RunReport(
        skipped=[(s, r) for s, r in the_plan.skipped if ours(s)],
        shard=how.shard.label if how.shard else None,
    )
    name = how.shard.manifest_name if how.shard else MANIFEST_NAME
    recorder = Recorder(out or Path.cwd(), report, hooks, name)
    for source, reason in the_plan.errors:
        if ours(source):
            recorder.fail(source, reason)
    _notice_old_outputs(report, hooks)
    inodes: set[tuple[int, int]] = set()
    stated, basis = _shard_stats(the_plan, options, how, recorder.fail, inodes)
    options, record, digest = _choose_profile(basis, options, how, old, engine, hooks)
    _save_profile(options, how.save_profile)
    report.profile_lines = len(options.profile.lines) if options.profile else None
    return Start(the_plan, report, recorder, stated, options, inodes, record, digest)


def _notice_old_outputs(report: RunReport, hooks: Hooks) -> None:
    if hooks.notice is None:
        return
    for source, reason in report.skipped:
        if reason == OLD_OUT_SKIP:
            hooks.notice(f"{display(source)}: {reason}")


def _shard_stats(
    the_plan: Plan,
    options: Options,
    how: RunOptions,
    fail: Callable[[str, str], None],
    inodes: set[tuple[int, int]],
) -> tuple[list[tuple[Job, Stat]], list[tuple[Job, Stat]]]:
    """The stat of this run's jobs, and of the jobs the batch profile is learned from.

    A sharded run learns the profile from *every* input of SRC, not its share, so that each
    shard cleans with the very profile an unsharded run would use (and N shards' outputs equal
    one run's). Only this shard's stat failures are reported.
    """
    ours = mine(how.shard)
    learns = how.batch_profile and options.profile is None
    jobs = the_plan.jobs if learns else [job for job in the_plan.jobs if ours(job.source)]
    every = stat_jobs(
        jobs, lambda source, reason: fail(source, reason) if ours(source) else None, inodes
    )
    return [(job, stat) for job, stat in every if ours(job.source)], every


def _choose_profile(
    stated: list[tuple[Job, Stat]],
    options: Options,
    how: RunOptions,
    manifest: Manifest,
    engine: Engine,
    hooks: Hooks,
) -> tuple[Options, dict[str, Any] | None, str | None]:
    """The options with the batch profile set, and what to cache in the manifest.

    The profile is a function of the inputs' bytes; when no input's (name, size, mtime) moved
    since it was learned, the cached profile is reused without reading a single file.
    """
    if not how.batch_profile or options.profile is not None:
        return options, None, None
    basis = run_key(__version__, options.fingerprint())
    digest = inputs_digest([(f"{basis}/{job.source}", stat) for job, stat in stated])
    cached = manifest.profile
    if cached is not None and manifest.profile_inputs == digest and not how.force:
        profile = Profile(
            frozenset(cached["lines"]), int(cached["files"]), int(cached["min_files"])
        )
    else:
        jobs = [job for job, _stat in stated if not is_warc(job.path.name)]  # pages are HTML
        if hooks.phase:
            hooks.phase(f"first pass: learning the batch profile from {len(jobs)} files")
        profile = learn_profile(jobs, options, engine=engine, timeout=how.timeout)
    record = {
        "lines": sorted(profile.lines),
        "files": profile.files,
        "min_files": profile.min_files,
    }
    return replace(options, profile=profile), record, digest


def _save_profile(options: Options, path: Path | None) -> None:
    if path is None:
        return
    try:
        (options.profile or Profile(frozenset())).save(path)
    except OSError as exc:
        raise CleanerError(f"{path}: cannot write profile: {exc.strerror}") from exc


def _outputs_present(out: str, entry: Entry) -> bool:
    return all(os.path.exists(os.path.join(out, real_name(name))) for name in entry.outputs)


def _current(the_plan: Plan) -> Callable[[str], bool]:
    """Does a source of the manifest still exist? Cleaned, failing and skipped files all do
    (a file that --include or --exclude leaves out is not gone), and so does everything under
    a folder of SRC that could not be listed."""
    seen = {job.source for job in the_plan.jobs}
    seen |= {s for s, _ in the_plan.errors} | {s for s, _ in the_plan.skipped}
    folders = tuple(s.rstrip("/") + "/" for s, _ in the_plan.errors)
    return lambda source: source in seen or source.startswith(folders)


def _gone(manifest: Manifest, current: Callable[[str], bool]) -> list[str]:
    return sorted(name for name in manifest.entries if not current(name))


def _would_prune(manifest: Manifest, current: Callable[[str], bool], hooks: Hooks) -> int:
    """A dry run's --prune: each output it would delete goes to ``hooks.doomed``."""
    gone = _gone(manifest, current)
    for name in gone:
        for relative in manifest.entries[name].outputs:
            if hooks.doomed:
                hooks.doomed(relative)
    return len(gone)


def _prune(out: Path, manifest: Manifest, current: Callable[[str], bool]) -> int:
    """Delete the recorded outputs of inputs that are gone; return how many inputs."""
    gone = _gone(manifest, current)
    for name in gone:
        for relative in manifest.entries[name].outputs:
            remove_output(out, real_name(relative))
        del manifest.entries[name]
    return len(gone)


def _refuse_overlap(inputs: list[Path], out: Path) -> None:
    """Stop before anything is written when OUT is an input folder or holds one: the outputs
    (``a.txt`` for ``a.txt``) would overwrite the inputs. OUT inside SRC is fine (not walked)."""
    target = out.resolve()
    for src in inputs:
        where = src.resolve()
        if where == target or where.is_relative_to(target):
            how = "is" if where == target else "contains"
            raise OutputError(
                f"{out}: the output folder {how} the input {src}; cleaning would overwrite"
                " inputs, so nothing was done: choose an --out outside the inputs"
            )


def prepare_out(out: Path) -> None:
    """Make the output folder (a JSONL file's folder too), or OutputError saying why not."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: output folder is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create output folder: {exc.strerror or exc}") from exc
    if not os.access(out, os.W_OK):
        raise OutputError(f"{out}: output folder is not writable")


def _remove_temps(out: Path, shard: Shard | None) -> None:
    """Remove temp files left by a killed run. Other shards may be writing into the same OUT
    right now, so a sharded run removes only temp files too old to be anyone's live write."""
    cutoff = None if shard is None else time.time() - SHARD_STALE_TEMP_SECONDS
    remove_stale_temps(out, modified_before=cutoff)


def run(
    inputs: list[Path],
    out: Path,
    *,
    options: Options = DEFAULT_OPTIONS,
    run_options: RunOptions = DEFAULT_RUN,
    hooks: Hooks = NO_HOOKS,
) -> RunReport:
    """Clean the stale inputs into ``out``; write the manifest and ``out/cleaner-report.json``.

    Raises :class:`OutputError` when ``out`` cannot be written (nothing is half-written: each
    document's files are replaced together or not at all), overlaps the inputs, or is locked
    by another run; :class:`Interrupted` on Ctrl-C (what is done is recorded); and
    :class:`CleanerError` when the profile cannot be saved.
    """
    _refuse_overlap(inputs, out)
    engine = make_engine(
        run_options.jobs, run_options.dask, max_memory=run_options.max_memory
    )
    try:
        if run_options.dry_run:
            return _drive(inputs, out, options, run_options, hooks, engine)
        prepare_out(out)
        with locked(out, shared=run_options.shard is not None, wait=run_options.wait):
            _remove_temps(out, run_options.shard)
            return _drive(inputs, out, options, run_options, hooks, engine)
    finally:
        engine.close()


def _stale(start: Start, manifest: Manifest, out: Path, how: RunOptions, hooks: Hooks) -> list[
    tuple[Job, Stat]
]:
    """The inputs to clean, each noted with its reason in the report; touched entries are
    updated in the manifest."""
    stale: list[tuple[Job, Stat]] = []
    out_str = str(out)
    for job, stat in start.stated:
        entry = manifest.entries.get(job.source)
        why, touched = stale_reason(entry, stat, job.path, key=manifest.key, force=how.force)
        if why is None and entry is not None and not _outputs_present(out_str, entry):
            why = "output missing"
        if why is None:
            start.report.up_to_date += 1
            if touched is not None:
                manifest.entries[job.source] = touched
                start.recorder.dirty = True
            continue
        stale.append((job, stat))
        note_planned(start.report, hooks, job.source, why, dry_run=how.dry_run)
    return stale


def note_planned(
    report: RunReport, hooks: Hooks, source: str, why: Reason, *, dry_run: bool
) -> None:
    """An input to clean, with its reason, in the report (and listed by a dry run)."""
    report.planned.append((source, why))
    if dry_run and hooks.planned:
        hooks.planned(source, why)


def _spare_inputs(start: Start, stale: list[tuple[Job, Stat]]) -> list[tuple[Job, Stat]]:
    """The stale jobs none of whose outputs is one of this run's inputs (a hard link, or a
    layout the overlap check cannot see); the others fail without being touched."""
    kept = []
    for job, stat in stale:
        clash = next((p for p in output_paths(job.stem) if inode(p) in start.inodes), None)
        if clash is None:
            kept.append((job, stat))
        else:
            name = display(portable(str(clash)))
            reason = f"its output {name} is an input of this run: not replacing it"
            start.recorder.fail(job.source, reason)
    return kept


def _drive(
    inputs: list[Path],
    out: Path,
    options: Options,
    how: RunOptions,
    hooks: Hooks,
    engine: Engine,
) -> RunReport:
    manifest_name = how.shard.manifest_name if how.shard else MANIFEST_NAME
    report_name = how.shard.report_name if how.shard else REPORT_NAME
    old = load(out, manifest_name)
    if old.problem and hooks.notice:
        hooks.notice(f"{out / manifest_name}: {old.problem}")
    start = start_run(inputs, out, options, how, hooks, engine, old)
    options, report, recorder = start.options, start.report, start.recorder
    key = run_key(__version__, options.fingerprint())
    manifest = Manifest(
        dict(old.entries), start.profile_record, start.profile_inputs, __version__, key
    )
    recorder.manifest, recorder.key = manifest, key
    recorder.dirty = manifest.header() != old.header()
    stale = _stale(start, manifest, out, how, hooks)
    if how.dry_run:
        if how.prune:
            report.pruned = _would_prune(manifest, _current(start.plan), hooks)
        return report
    stale = _spare_inputs(start, stale)
    if how.prune:
        # Inputs of the whole SRC: a shard's manifest holds only its own entries, and a shard
        # never deletes the outputs of an input that still exists.
        report.pruned = _prune(out, manifest, _current(start.plan))
        recorder.dirty = recorder.dirty or report.pruned > 0
    try:
        _clean_stale(stale, start, out, how, engine)
    except (OutputError, Interrupted):
        with contextlib.suppress(OutputError):  # a full disk: keep the first error
            recorder.flush()
            write_report(out / report_name, report, options)
        raise
    recorder.flush()
    write_report(out / report_name, report, options)
    return report


def prepare_work(
    start: Start,
    stale: list[tuple[Job, Stat]],
    engine: Engine,
    *,
    timeout: float | None,
    held: dict[str, Entry],
) -> Work:
    """The stale inputs as units of work: each archive scanned and its pages named (see
    :mod:`cleaner.batch.archives`), never over a file's output or the pages of an archive
    that is up to date (``held``: the entries of this run's inputs); the progress total is
    the number of documents."""
    hooks = start.recorder.hooks
    jobs = [job for job, _stat in stale]
    if hooks.phase and any(is_warc(job.path.name) for job in jobs):
        hooks.phase("reading the WARC archives' records")
    scans = scan_all(
        jobs, max_bytes=start.options.max_bytes, engine=engine, timeout=timeout
    )
    taken = _taken(start.plan, held, set(scans)) if scans else {}
    context = Context(taken, start.inodes, start.recorder.fail)
    work = expand(stale, context, scans)
    start.report.records_skipped.update(work.skipped)
    for tally in work.done:
        start.recorder.record_archive(tally)
    if hooks.total:
        hooks.total(len(work.owners))
    return work


def _taken(the_plan: Plan, held: dict[str, Entry], stale: set[str]) -> dict[str, str]:
    """The output stems (relative, case-folded) pages must not take, to who holds them: the
    file inputs', and those of the pages of archives that are up to date."""
    taken = {}
    for job in the_plan.jobs:
        if not is_warc(job.path.name):
            if job.root is not None:
                stem = job.stem.relative_to(job.root).as_posix()
                taken[stem.casefold()] = f"the input {job.source}"
        elif job.source not in stale and job.source in held:
            for stem in _page_stems(held[job.source]):
                taken[stem.casefold()] = f"a page of {job.source}"
    return taken


def _page_stems(entry: Entry) -> Iterator[str]:
    """An archive's pages as its entry lists them: outputs (``a.txt``, ``a.json``), or in a
    JSONL run the pages' sources."""
    for name in entry.outputs:
        if not name.endswith(".json"):
            yield real_name(name.removesuffix(".txt"))


def _clean_stale(
    stale: list[tuple[Job, Stat]],
    start: Start,
    out: Path,
    how: RunOptions,
    engine: Engine,
) -> None:
    """Clean the stale inputs and record each outcome in input order; a fatal write error
    raises :class:`OutputError`, Ctrl-C :class:`Interrupted` (the caller flushes what is
    recorded)."""
    recorder = start.recorder
    held = recorder.manifest.entries
    work = prepare_work(start, stale, engine, timeout=how.timeout, held=held)
    outcomes = clean_all(work.units, start.options, engine=engine, timeout=how.timeout, write=True)
    fatal: Outcome | None = None
    done = 0
    try:
        for owner, outcome in zip(work.owners, outcomes, strict=False):
            if outcome.fatal:
                fatal = outcome
                break
            recorder.take(owner, outcome)
            done += 1
            if how.fail_fast and outcome.status == "failed":
                recorder.report.stopped_early = True
                break
    except KeyboardInterrupt as exc:
        recorder.report.stopped_early = True
        raise Interrupted(done, len(work.owners)) from exc
    finally:
        close_outcomes(outcomes)  # kills workers still busy (fail-fast, fatal error, Ctrl-C)...
        recorder.record_unfinished(work)
        if work.units:
            _remove_temps(out, how.shard)  # ...which may leave a temp file, as a timed-out one may
    if fatal is not None:
        recorder.report.stopped_early = True
        raise OutputError(f"{out}: {fatal.error} (while writing {display(fatal.source)})")
