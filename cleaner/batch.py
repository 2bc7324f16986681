"""Batch runs: walk the inputs, decide what is stale, clean it in parallel, record the run.

The walk is sorted and never follows symbolic links; an output folder inside an input folder is
not walked. Every input maps to ``OUT/<relative dir>/<name without .gz and extension>`` plus
``.txt`` / ``.json``; inputs that would share an output are all reported as errors before any
work starts.

Runs are incremental (see :mod:`cleaner.manifest`): an input whose size, mtime, run key and
outputs are as recorded is counted as up to date without being read, and when nothing is stale
no worker process is started and nothing heavy is imported, so a no-op run costs a walk and one
``stat`` per file. Stale inputs go to a pool of killable workers (:mod:`cleaner.pool`) with a
per-file time limit; results come back in input order, so outputs, manifest and report do not
depend on ``--jobs``. A file that fails is named with its reason on one line, recorded in the
report and retried next run; the batch goes on. An output folder that cannot be written (full,
read-only) stops the run with :class:`~cleaner.errors.OutputError`.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Literal, Protocol, TypeVar

from cleaner import settings
from cleaner.config import Options
from cleaner.errors import CleanerError, InputError
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
from cleaner.pool import PoolConfig, ordered_map
from cleaner.profile import Profile
from cleaner.version import __version__
from cleaner.write import (
    TEMP_PREFIX,
    atomic_write,
    metadata_json,
    output_paths,
    remove_stale_temps,
    staged_text,
    write_outputs,
)

REPORT_NAME = "cleaner-report.json"
# Per-shard run files (see Shard): ".cleaner-manifest.shard-2-of-8.json", ...
SHARD_FILE = re.compile(r"(\.cleaner-manifest|cleaner-report)\.shard-[0-9]+-of-[0-9]+\.json")
# A temp file older than this is left by a killed run even when other shards are writing into
# the same OUT (a live one exists for milliseconds): sharded runs remove only those.
SHARD_STALE_TEMP_SECONDS = 3600.0
A = TypeVar("A")
R = TypeVar("R")
Status = Literal["cleaned", "failed"]
Format = Literal["files", "jsonl"]
# Write errors that mean the output folder itself is unusable: stop the run (exit 2) instead of
# failing every remaining file one by one.
FATAL_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
MESSAGE_MAX_CHARS = 200


class OutputError(CleanerError):
    """The output folder or file cannot be written (full, read-only...): exit code 2."""


def display(path: str) -> str:
    """A path as one printable line: control characters (a newline in a name) are escaped."""
    if path.isprintable():
        return path
    return path.encode("unicode_escape").decode("ascii")


@dataclass(frozen=True, slots=True)
class Job:
    """One input file and where its outputs go."""

    path: Path
    source: str  # relative path shown to the user and recorded as metadata "source"
    stem: Path  # output path without the .txt/.json suffix


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker reports for one file. ``record`` is the JSON line in ``jsonl`` format;
    ``fatal`` means the output folder is unusable and the run must stop."""

    source: str
    status: Status
    error: str | None = None
    sha256: str | None = None
    fatal: bool = False
    record: str | None = None


@dataclass(slots=True)
class Plan:
    """The walk's result: what to clean, what was skipped and what is an error up front."""

    jobs: list[Job] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@functools.cache
def _suffixes() -> tuple[str, ...]:
    from cleaner.read import SUPPORTED_SUFFIXES  # lazy: read imports ftfy and charset detection

    return SUPPORTED_SUFFIXES


def supported(name: str) -> bool:
    return name.lower().removesuffix(".gz").endswith(_suffixes())


def output_stem(relative: str) -> str:
    """``a/b/name.html.gz`` -> ``a/b/name``."""
    lowered = relative.lower()
    if lowered.endswith(".gz"):
        relative = relative[:-3]
    head, _dot, _ext = relative.rpartition(".")
    return head or relative


SYMLINK_SKIP = "symbolic link (not followed)"


def _walk(root: Path, skip: Path | None) -> Iterator[tuple[Path, str, str | None]]:
    """Yield (path, relative path, skip reason or None) under ``root``, sorted, no symlinks.

    ``os.scandir`` gives the entry types without a ``stat`` per file, which keeps a no-op run
    over thousands of files fast.
    """
    yield from _walk_dir(str(root), "", str(skip) if skip is not None else None)


def _walk_dir(folder: str, prefix: str, skip: str | None) -> Iterator[tuple[Path, str, str | None]]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield Path(folder), prefix.rstrip("/") or ".", f"cannot read folder: {exc.strerror}"
        return
    subdirs = []
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_symlink():
            yield Path(entry.path), rel, SYMLINK_SKIP
        elif entry.is_dir():
            if skip is None or os.path.realpath(entry.path) != skip:
                subdirs.append((entry.path, rel + "/"))
        elif entry.name.startswith(TEMP_PREFIX) or _run_file(entry.name):
            continue
        elif not entry.is_file():
            yield Path(entry.path), rel, "not a regular file"
        elif not supported(entry.name):
            yield Path(entry.path), rel, "unsupported file type"
        else:
            yield Path(entry.path), rel, None
    for path, sub_prefix in subdirs:
        yield from _walk_dir(path, sub_prefix, skip)


def _run_file(name: str) -> bool:
    """A report or manifest of ours (an OUT inside SRC, or SRC an old OUT): never an input."""
    return name in (REPORT_NAME, MANIFEST_NAME) or SHARD_FILE.fullmatch(name) is not None


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based): the inputs whose relative path hashes to it.

    The hash is sha256 of the relative path (the manifest key), so the partition is the same on
    every machine and every run, needs no coordinator (a Slurm or Kubernetes job array runs
    ``--shard $I/$N``) and does not move when other files come or go. Each shard keeps its own
    manifest and report in OUT (:attr:`manifest_name`, :attr:`report_name`), so shards sharing
    one OUT never overwrite, forget or prune each other's entries.
    """

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"I/N"`` with 1 <= I <= N; ValueError (with a one-line reason) otherwise."""
        match = re.fullmatch(r"\s*([0-9]+)\s*/\s*([0-9]+)\s*", text)
        if match is None:
            raise ValueError(f"--shard must be I/N (e.g. 1/4), not {text!r}")
        index, count = int(match[1]), int(match[2])
        if not 1 <= index <= count:
            raise ValueError(f"--shard I/N needs 1 <= I <= N, not {text!r}")
        return cls(index, count)

    def holds(self, source: str) -> bool:
        digest = hashlib.sha256(source.encode("utf-8", "surrogateescape")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def manifest_name(self) -> str:
        return f".cleaner-manifest.shard-{self.index}-of-{self.count}.json"

    @property
    def report_name(self) -> str:
        return f"cleaner-report.shard-{self.index}-of-{self.count}.json"


def _mine(shard: Shard | None) -> Callable[[str], bool]:
    """Whether a source belongs to this run (every source when not sharded)."""
    return (lambda _source: True) if shard is None else shard.holds


def plan(inputs: Iterable[Path], out: Path) -> Plan:
    """Walk the inputs (folders recursively, files as they are) and map them to outputs."""
    result = Plan()
    out_resolved = out.resolve()
    candidates: list[tuple[Path, str]] = []
    for src in inputs:
        if src.is_dir():
            for path, rel, reason in _walk(src, out_resolved):
                if reason:
                    result.skipped.append((rel, reason))
                else:
                    candidates.append((path, rel))
        elif src.is_symlink() and not src.exists():
            result.errors.append((str(src), "broken or looping symbolic link"))
        elif src.is_file() and supported(src.name):
            candidates.append((src, src.name))
        elif src.is_file():
            result.skipped.append((src.name, "unsupported file type"))
        else:
            result.errors.append((str(src), "no such file or folder"))
    by_output: dict[str, list[tuple[Path, str]]] = {}
    for path, rel in candidates:
        by_output.setdefault(output_stem(rel).casefold(), []).append((path, rel))
    for key in sorted(by_output):
        group = by_output[key]
        if len(group) > 1:
            names = ", ".join(display(rel) for _p, rel in group)
            for _path, rel in group:
                result.errors.append((rel, f"output name collides with another input ({names})"))
            continue
        path, rel = group[0]
        result.jobs.append(Job(path, rel, out / output_stem(rel)))
    result.jobs.sort(key=lambda job: job.source)
    return result


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:MESSAGE_MAX_CHARS]


def process(job: Job, options: Options, *, write: bool = True) -> Outcome:
    """Clean one file and write its outputs (or, with ``write=False``, return its JSON line);
    every expected failure becomes an Outcome. Runs in a worker process."""
    from cleaner.pipeline import clean  # lazy: only a run with work pays for trafilatura

    try:
        data = job.path.read_bytes()
    except OSError as exc:
        return Outcome(job.source, "failed", f"cannot read: {exc.strerror or exc}")
    try:
        result = clean(data, name=job.source, options=options)
    except InputError as exc:
        return Outcome(job.source, "failed", exc.reason)
    except Exception as exc:  # a bug must cost one file, never the batch
        return Outcome(
            job.source, "failed", f"internal error: {type(exc).__name__}: {_one_line(exc)}"
        )
    sha = str(result.metadata["sha256"])
    if not write:
        line = {"source": job.source, "text": result.text, "metadata": result.metadata}
        record = json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n"
        return Outcome(job.source, "cleaned", sha256=sha, record=record)
    try:
        write_outputs(job.stem, result.text, result.metadata)
    except OSError as exc:
        fatal = exc.errno in FATAL_WRITE_ERRNOS
        return Outcome(
            job.source, "failed", f"cannot write output: {exc.strerror or exc}", fatal=fatal
        )
    return Outcome(job.source, "cleaned", sha256=sha)


def scan(job: Job, options: Options) -> set[str]:
    """First pass for a batch profile: the candidate lines of one plain-text input.

    HTML inputs are not scanned: trafilatura already removes most of their page chrome, and a
    second extraction per page would double the cost of the run. Unreadable files count as
    empty here; the second pass reports them.
    """
    from cleaner.profile import candidate_lines
    from cleaner.read import read

    try:
        decoded = read(job.path.read_bytes(), name=job.source, max_bytes=options.max_bytes)
    except (OSError, InputError):
        return set()
    if decoded.kind != "text":
        return set()
    return candidate_lines(decoded.text, max_words=settings.PROFILE_MAX_WORDS)


def _pool_config(jobs: int, timeout: float | None) -> PoolConfig:
    return PoolConfig(
        workers=jobs,
        timeout=timeout,
        chunk_size=settings.POOL_CHUNK_SIZE,
        max_ahead=jobs * settings.POOL_MAX_AHEAD_PER_WORKER,
    )


# Cleaned once in the parent before the workers are forked (see _warm_up).
WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title></head><body><article><p>"
    + "This page is cleaned once before the workers start, so that they share what the"
    " pipeline loads on its first call. " * 3
    + "</p></article></body></html>"
)


@functools.cache
def _warm_up() -> None:
    """Import the pipeline and clean one small page before forking: the workers then inherit
    the modules and everything loaded lazily on a first call (language profiles, the order
    model), about 0.5 s per worker otherwise. Loaded state is read-only, so outputs do not
    depend on it."""
    from cleaner.pipeline import clean

    with contextlib.suppress(Exception):  # only an optimisation: a failure shows per file
        clean(WARM_UP_PAGE, name="warm-up.html")


class Engine(Protocol):
    """Where the per-file calls of a run go: the local pool (:class:`LocalEngine`) or a Dask
    cluster (:class:`cleaner.distributed.DaskEngine`). Everything else of a run (walk,
    manifest, profile choice, recording in input order, report) is the same for both."""

    def map(
        self,
        fn: Callable[[A], R],
        items: Sequence[A],
        *,
        timeout: float | None,
        on_timeout: Callable[[A, float], R],
        on_crash: Callable[[A, int | None], R],
    ) -> Iterator[R]:
        """``fn`` over ``items``, results in input order; a file over ``timeout`` seconds or
        whose worker dies gets ``on_timeout`` / ``on_crash``. Closing the iterator early stops
        the work still pending."""
        ...

    def close(self) -> None:
        """Release what the engine holds (a cluster connection); called once at the end."""
        ...


@dataclass(frozen=True, slots=True)
class LocalEngine:
    """The killable local pool of :mod:`cleaner.pool`, with ``workers`` processes."""

    workers: int = 1

    def map(
        self,
        fn: Callable[[A], R],
        items: Sequence[A],
        *,
        timeout: float | None,
        on_timeout: Callable[[A, float], R],
        on_crash: Callable[[A, int | None], R],
    ) -> Iterator[R]:
        if not items:
            return iter(())
        _warm_up()
        return ordered_map(
            fn,
            items,
            config=_pool_config(self.workers, timeout),
            on_timeout=on_timeout,
            on_crash=on_crash,
        )

    def close(self) -> None:
        return None


def make_engine(run_options: RunOptions) -> Engine:
    """The engine a run's options ask for; a Dask one connects only when first used."""
    if run_options.dask is None:
        return LocalEngine(run_options.jobs)
    from cleaner.distributed import DaskEngine  # imports no Dask until it connects

    return DaskEngine(run_options.dask)


def _no_lines(_job: Job, _detail: float | int | None) -> set[str]:
    return set()


def learn_profile(
    jobs: list[Job],
    options: Options,
    *,
    workers: int = 1,
    timeout: float | None = None,
    engine: Engine | None = None,
) -> Profile:
    """Learn the batch's boilerplate lines from every plain-text input (see :func:`scan`)."""
    from cleaner.profile import learn

    if not jobs:
        return learn((), min_files=settings.PROFILE_MIN_FILES, min_share=settings.PROFILE_MIN_SHARE)
    lines = (engine or LocalEngine(workers)).map(
        functools.partial(scan, options=options),
        jobs,
        timeout=timeout,
        on_timeout=_no_lines,
        on_crash=_no_lines,
    )
    return learn(
        lines, min_files=settings.PROFILE_MIN_FILES, min_share=settings.PROFILE_MIN_SHARE
    )


def _timed_out(job: Job, limit: float) -> Outcome:
    return Outcome(job.source, "failed", f"timed out after {limit:g} s")


def _crashed(job: Job, code: int | None) -> Outcome:
    if code is None:  # a Dask worker lost while running it, as many times as Dask allows
        return Outcome(job.source, "failed", "worker process died")
    how = f"signal {-code}" if code < 0 else f"exit code {code}"
    return Outcome(job.source, "failed", f"worker process died ({how})")


def clean_all(
    jobs: list[Job],
    options: Options,
    *,
    workers: int,
    timeout: float | None,
    write: bool,
    engine: Engine | None = None,
) -> Iterator[Outcome]:
    """Outcomes of cleaning ``jobs``, in order, over a pool of killable workers (or ``engine``)."""
    return (engine or LocalEngine(workers)).map(
        functools.partial(process, options=options, write=write),
        jobs,
        timeout=timeout,
        on_timeout=_timed_out,
        on_crash=_crashed,
    )


@dataclass(slots=True)
class RunReport:
    """Counts, failures and real skips of a run; up-to-date files are only counted."""

    cleaned: int = 0
    up_to_date: int = 0
    pruned: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, Reason]] = field(default_factory=list)
    profile_lines: int | None = None
    stopped_early: bool = False
    shard: str | None = None  # "I/N" of a sharded run: its counts and lists are its share

    def as_json(self, options: Options) -> dict[str, Any]:
        shard = {} if self.shard is None else {"shard": self.shard}
        return {
            **shard,
            "cleaner_version": __version__,
            "options": options.fingerprint(),
            "profile_lines": self.profile_lines,
            "counts": {
                "cleaned": self.cleaned,
                "up_to_date": self.up_to_date,
                "skipped": len(self.skipped),
                "failed": len(self.failed),
                "pruned": self.pruned,
            },
            "stopped_early": self.stopped_early,
            "failed": [{"source": s, "error": e} for s, e in sorted(self.failed)],
            "skipped": [{"source": s, "reason": r} for s, r in sorted(self.skipped)],
        }


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
            ``tcp://host:8786``, or a scheduler file); see :mod:`cleaner.distributed`.
        shard: clean only this shard of the inputs (see :class:`Shard`).
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


@dataclass(frozen=True, slots=True)
class Hooks:
    """Callbacks for the caller's feedback: ``error(source, reason)`` per failure in input
    order; ``total(n)`` once with the number of files to clean; ``progress(outcome)`` after
    each; ``planned(source, reason)`` per stale file in a dry run."""

    error: Callable[[str, str], None] | None = None
    total: Callable[[int], None] | None = None
    progress: Callable[[Outcome], None] | None = None
    planned: Callable[[str, str], None] | None = None


def _stat_jobs(
    jobs: list[Job], fail: Callable[[str, str], None]
) -> list[tuple[Job, Stat]]:
    stated = []
    for job in jobs:
        try:
            stated.append((job, Stat.of(job.path)))
        except OSError as exc:
            fail(job.source, f"cannot read: {exc.strerror or exc}")
    return stated


def _choose_profile(
    stated: list[tuple[Job, Stat]],
    options: Options,
    run: RunOptions,
    manifest: Manifest,
    engine: Engine | None = None,
) -> tuple[Options, dict[str, Any] | None, str | None]:
    """The options with the batch profile set, and what to cache in the manifest.

    The profile is a function of the inputs' bytes; when no input's (name, size, mtime) moved
    since it was learned, the cached profile is reused without reading a single file.
    """
    if not run.batch_profile or options.profile is not None:
        return options, None, None
    basis = run_key(__version__, options.fingerprint())
    digest = inputs_digest([(f"{basis}/{job.source}", stat) for job, stat in stated])
    cached = manifest.profile
    if cached is not None and manifest.profile_inputs == digest and not run.force:
        profile = Profile(
            frozenset(cached["lines"]), int(cached["files"]), int(cached["min_files"])
        )
    else:
        jobs = [job for job, _stat in stated]
        profile = learn_profile(
            jobs, options, workers=run.jobs, timeout=run.timeout, engine=engine
        )
    record = {
        "lines": sorted(profile.lines),
        "files": profile.files,
        "min_files": profile.min_files,
    }
    return replace(options, profile=profile), record, digest


def _outputs_present(out: str, entry: Entry) -> bool:
    return all(os.path.exists(os.path.join(out, name)) for name in entry.outputs)


def _inside(out: Path, relative: str) -> Path | None:
    target = (out / relative).resolve()
    return target if target.is_relative_to(out.resolve()) else None


def _prune(out: Path, manifest: Manifest, current: set[str]) -> int:
    """Delete the recorded outputs of inputs that are gone; return how many inputs."""
    gone = [name for name in manifest.entries if name not in current]
    for name in gone:
        for relative in manifest.entries[name].outputs:
            target = _inside(out, relative)
            if target is not None:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
        del manifest.entries[name]
    return len(gone)


def _prepare_out(out: Path, shard: Shard | None = None) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: output folder is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create output folder: {exc.strerror or exc}") from exc
    if not os.access(out, os.W_OK):
        raise OutputError(f"{out}: output folder is not writable")
    _remove_temps(out, shard)


def _remove_temps(out: Path, shard: Shard | None) -> None:
    """Remove temp files left by a killed run. Other shards may be writing into the same OUT
    right now, so a sharded run removes only temp files too old to be anyone's live write."""
    cutoff = None if shard is None else time.time() - SHARD_STALE_TEMP_SECONDS
    remove_stale_temps(out, modified_before=cutoff)


class _Recorder:
    """Collects outcomes into the report and the manifest; flushes the manifest now and then.

    The manifest is flushed only from outcomes already received, i.e. after their outputs
    were written by the worker, so it never claims an output that is not on disk.
    """

    def __init__(
        self,
        out: Path,
        manifest: Manifest,
        report: RunReport,
        key: str,
        hooks: Hooks,
        name: str = MANIFEST_NAME,
    ) -> None:
        self.out = out
        self.name = name
        self.manifest = manifest
        self.report = report
        self.key = key
        self.hooks = hooks
        self.last_flush = time.monotonic()
        self.dirty = False

    def fail(self, source: str, reason: str) -> None:
        self.report.failed.append((source, reason))
        if self.hooks.error:
            self.hooks.error(source, reason)

    def record(self, job: Job, stat: Stat, outcome: Outcome) -> None:
        old = self.manifest.entries.get(job.source)
        if outcome.status == "cleaned":
            self.report.cleaned += 1
            names = tuple(
                p.relative_to(self.out).as_posix() for p in output_paths(job.stem)
            )
            entry = Entry(stat.size, stat.mtime_ns, self.key, names, outcome.sha256)
        else:
            self.fail(outcome.source, outcome.error or "unknown error")
            kept = old.outputs if old else ()
            entry = Entry(stat.size, stat.mtime_ns, self.key, kept, None, failed=True)
        self.manifest.entries[job.source] = entry
        self.dirty = True
        if self.hooks.progress:
            self.hooks.progress(outcome)
        if time.monotonic() - self.last_flush >= settings.MANIFEST_FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.dirty:
            return
        try:
            self.manifest.save(self.out, self.name)
        except OSError as exc:
            raise OutputError(
                f"{self.out}: cannot write the manifest: {exc.strerror or exc}"
            ) from exc
        self.last_flush = time.monotonic()
        self.dirty = False


def run(
    inputs: list[Path],
    out: Path,
    *,
    options: Options,
    jobs: int = 1,
    batch_profile: bool = False,
    save_profile: Path | None = None,
    on_error: Callable[[str, str], None] | None = None,
    on_progress: Callable[[Outcome], None] | None = None,
    total: Callable[[int], None] | None = None,
    run_options: RunOptions | None = None,
    hooks: Hooks | None = None,
) -> RunReport:
    """Clean the stale inputs into ``out``; write the manifest and ``out/cleaner-report.json``.

    ``run_options`` (when given) replaces ``jobs``, ``batch_profile`` and ``save_profile``;
    ``hooks`` replaces ``on_error``, ``on_progress`` and ``total`` (the short forms serve the
    API and the tests). Raises :class:`OutputError` when ``out`` cannot be written (nothing is
    half-written: each document's files are replaced together or not at all) and
    :class:`CleanerError` when the profile cannot be saved.
    """
    how = run_options or RunOptions(
        jobs=jobs, batch_profile=batch_profile, save_profile=save_profile
    )
    hooks = hooks or Hooks(error=on_error, total=total, progress=on_progress)
    engine = make_engine(how)
    try:
        return _run(inputs, out, options, how, hooks, engine)
    finally:
        engine.close()


def _shard_stats(
    the_plan: Plan, options: Options, how: RunOptions, fail: Callable[[str, str], None]
) -> tuple[list[tuple[Job, Stat]], list[tuple[Job, Stat]]]:
    """The stat of this run's jobs, and of the jobs the batch profile is learned from.

    A sharded run learns the profile from *every* input of SRC, not its share, so that each
    shard cleans with the very profile an unsharded run would use (and N shards' outputs equal
    one run's). Only this shard's stat failures are reported.
    """
    mine = _mine(how.shard)
    learns = how.batch_profile and options.profile is None
    jobs = the_plan.jobs if learns else [job for job in the_plan.jobs if mine(job.source)]
    every = _stat_jobs(jobs, lambda source, reason: fail(source, reason) if mine(source) else None)
    return [(job, stat) for job, stat in every if mine(job.source)], every


def _run(
    inputs: list[Path],
    out: Path,
    options: Options,
    how: RunOptions,
    hooks: Hooks,
    engine: Engine,
) -> RunReport:
    the_plan = plan(inputs, out)  # the whole of SRC, even when sharded: see _shard_stats
    mine = _mine(how.shard)
    manifest_name = how.shard.manifest_name if how.shard else MANIFEST_NAME
    report_name = how.shard.report_name if how.shard else REPORT_NAME
    report = RunReport(
        skipped=[(s, r) for s, r in the_plan.skipped if mine(s)],
        shard=how.shard.label if how.shard else None,
    )
    if not how.dry_run:
        _prepare_out(out, how.shard)
    old = load(out, manifest_name)
    recorder = _Recorder(out, old, report, "", hooks, manifest_name)
    for source, reason in the_plan.errors:
        if mine(source):
            recorder.fail(source, reason)
    stated, basis = _shard_stats(the_plan, options, how, recorder.fail)
    options, cached_profile, profile_inputs = _choose_profile(basis, options, how, old, engine)
    _save_profile(options, how.save_profile)
    report.profile_lines = len(options.profile.lines) if options.profile else None
    key = run_key(__version__, options.fingerprint())
    manifest = Manifest(dict(old.entries), cached_profile, profile_inputs, __version__, key)
    recorder.manifest, recorder.key = manifest, key
    recorder.dirty = manifest.header() != old.header()

    stale: list[tuple[Job, Stat]] = []
    out_str = str(out)
    for job, stat in stated:
        entry = manifest.entries.get(job.source)
        why, touched = stale_reason(entry, stat, job.path, key=key, force=how.force)
        if why is None and entry is not None and not _outputs_present(out_str, entry):
            why = "output missing"
        if why is None:
            report.up_to_date += 1
            if touched is not None:
                manifest.entries[job.source] = touched
                recorder.dirty = True
            continue
        stale.append((job, stat))
        report.planned.append((job.source, why))
        if how.dry_run and hooks.planned:
            hooks.planned(job.source, why)
    if how.dry_run:
        return report
    if how.prune:
        # Inputs of the whole SRC: a shard's manifest holds only its own entries, and a shard
        # never deletes the outputs of an input that still exists.
        current = {job.source for job in the_plan.jobs} | {s for s, _ in the_plan.errors}
        report.pruned = _prune(out, manifest, current)
        recorder.dirty = recorder.dirty or report.pruned > 0
    if hooks.total:
        hooks.total(len(stale))
    outcomes = clean_all(
        [job for job, _ in stale],
        options,
        workers=how.jobs,
        timeout=how.timeout,
        write=True,
        engine=engine,
    )
    fatal: Outcome | None = None
    try:
        for (job, stat), outcome in zip(stale, outcomes, strict=False):
            if outcome.fatal:
                fatal = outcome
                break
            recorder.record(job, stat, outcome)
            if how.fail_fast and outcome.status == "failed":
                report.stopped_early = True
                break
    finally:
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()  # kills workers still busy (fail-fast, fatal error)...
        if stale:
            _remove_temps(out, how.shard)  # ...which may leave a temp file, as a timed-out one may
    if fatal is not None:
        report.stopped_early = True
        with contextlib.suppress(OutputError):  # the disk is full: keep the first error
            recorder.flush()
        raise OutputError(f"{out}: {fatal.error} (while writing {display(fatal.source)})")
    recorder.flush()
    _write_report(out / report_name, report, options)
    return report


def _save_profile(options: Options, path: Path | None) -> None:
    if path is None:
        return
    try:
        (options.profile or Profile(frozenset())).save(path)
    except OSError as exc:
        raise CleanerError(f"{path}: cannot write profile: {exc.strerror}") from exc


def _write_report(path: Path, report: RunReport, options: Options) -> None:
    try:
        atomic_write(path, metadata_json(report.as_json(options)).encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the run report: {exc.strerror or exc}") from exc


def run_jsonl(
    inputs: list[Path],
    dest: Path | None,
    *,
    options: Options,
    run_options: RunOptions,
    hooks: Hooks | None = None,
) -> RunReport:
    """Clean every input into one JSON line each (sorted by source) in ``dest`` (stdout when
    None). A file is written through a temp file and renamed at the end, so a reader never sees
    a partial one; there is no manifest (the whole stream is rebuilt each time). A sharded run
    writes its share of the lines (give each shard its own ``dest``)."""
    hooks = hooks or Hooks()
    engine = make_engine(run_options)
    try:
        return _run_jsonl(inputs, dest, options, run_options, hooks, engine)
    finally:
        engine.close()


def _run_jsonl(
    inputs: list[Path],
    dest: Path | None,
    options: Options,
    run_options: RunOptions,
    hooks: Hooks,
    engine: Engine,
) -> RunReport:
    where = dest.parent if dest is not None else Path.cwd()
    the_plan = plan(inputs, where / ".cleaner-jsonl-out")
    mine = _mine(run_options.shard)
    report = RunReport(
        skipped=[(s, r) for s, r in the_plan.skipped if mine(s)],
        shard=run_options.shard.label if run_options.shard else None,
    )
    recorder = _Recorder(where, Manifest(), report, "", hooks)
    for source, reason in the_plan.errors:
        if mine(source):
            recorder.fail(source, reason)
    stated, basis = _shard_stats(the_plan, options, run_options, recorder.fail)
    options, _cached, _digest = _choose_profile(basis, options, run_options, Manifest(), engine)
    _save_profile(options, run_options.save_profile)
    report.profile_lines = len(options.profile.lines) if options.profile else None
    jobs = [job for job, _stat in stated]
    if run_options.dry_run:
        for job in jobs:
            report.planned.append((job.source, "forced"))
            if hooks.planned:
                hooks.planned(job.source, "forced")
        return report
    if hooks.total:
        hooks.total(len(jobs))
    outcomes = clean_all(
        jobs,
        options,
        workers=run_options.jobs,
        timeout=run_options.timeout,
        write=False,
        engine=engine,
    )
    if dest is None:
        _stream_jsonl(outcomes, sys.stdout, report, recorder, run_options.fail_fast)
        return report
    try:
        with staged_text(dest) as sink:
            _stream_jsonl(outcomes, sink, report, recorder, run_options.fail_fast)
    except OSError as exc:
        raise OutputError(f"{dest}: cannot write: {exc.strerror or exc}") from exc
    return report


def _stream_jsonl(
    outcomes: Iterator[Outcome],
    sink: IO[str],
    report: RunReport,
    recorder: _Recorder,
    fail_fast: bool,
) -> None:
    try:
        for outcome in outcomes:
            if outcome.status == "cleaned" and outcome.record is not None:
                report.cleaned += 1
                sink.write(outcome.record)
            else:
                recorder.fail(outcome.source, outcome.error or "unknown error")
                if fail_fast:
                    report.stopped_early = True
                    break
            if recorder.hooks.progress:
                recorder.hooks.progress(outcome)
    finally:
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()
    sink.flush()
