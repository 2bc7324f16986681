"""Batch runs: walk the inputs, map them to outputs, clean each file, write a run report.

The walk is sorted and never follows symbolic links; an output folder inside an input folder is
not walked. Every input maps to ``OUT/<relative dir>/<name without .gz and extension>`` plus
``.txt`` / ``.json``; inputs that would share an output are all reported as errors before any
work starts. A file that fails is named with its reason on one line, recorded in the report, and
the batch goes on. Work is spread over processes with results consumed in input order, so the
outputs and the report do not depend on ``--jobs``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from cleaner import settings
from cleaner.config import Options
from cleaner.errors import CleanerError, InputError
from cleaner.pipeline import clean
from cleaner.profile import Profile, candidate_lines, learn
from cleaner.read import SUPPORTED_SUFFIXES, read
from cleaner.version import __version__
from cleaner.write import atomic_write, metadata_json, remove_stale_temps, write_outputs

REPORT_NAME = "cleaner-report.json"
A = TypeVar("A")
R = TypeVar("R")
Status = Literal["cleaned", "failed"]


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
    source: str
    status: Status
    error: str | None = None


@dataclass(slots=True)
class Plan:
    """The walk's result: what to clean, what was skipped and what is an error up front."""

    jobs: list[Job] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def supported(name: str) -> bool:
    return name.lower().removesuffix(".gz").endswith(SUPPORTED_SUFFIXES)


def output_stem(relative: str) -> str:
    """``a/b/name.html.gz`` -> ``a/b/name``."""
    lowered = relative.lower()
    if lowered.endswith(".gz"):
        relative = relative[:-3]
    head, _dot, _ext = relative.rpartition(".")
    return head or relative


def _walk(root: Path, skip: Path | None) -> Iterator[tuple[Path, str, str | None]]:
    """Yield (path, relative path, skip reason or None) under ``root``, sorted, no symlinks."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        kept_dirs = []
        for name in sorted(dirnames):
            full = here / name
            if skip is not None and full.resolve() == skip:
                continue
            if full.is_symlink():
                yield full, full.relative_to(root).as_posix(), "symbolic link (not followed)"
                continue
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            full = here / name
            rel = full.relative_to(root).as_posix()
            if name.startswith(".cleaner-tmp-") or name == REPORT_NAME:
                continue
            if full.is_symlink():
                yield full, rel, "symbolic link (not followed)"
            elif not supported(name):
                yield full, rel, "unsupported file type"
            else:
                yield full, rel, None


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


def process(job: Job, options: Options) -> Outcome:
    """Clean one file and write its outputs; every expected failure becomes an Outcome."""
    try:
        data = job.path.read_bytes()
    except OSError as exc:
        return Outcome(job.source, "failed", f"cannot read: {exc.strerror or exc}")
    try:
        result = clean(data, name=job.source, options=options)
    except InputError as exc:
        return Outcome(job.source, "failed", exc.reason)
    except Exception as exc:  # a bug must cost one file, never the batch
        message = " ".join(str(exc).split())[:200]
        return Outcome(job.source, "failed", f"internal error: {type(exc).__name__}: {message}")
    try:
        write_outputs(job.stem, result.text, result.metadata)
    except OSError as exc:
        return Outcome(job.source, "failed", f"cannot write output: {exc.strerror or exc}")
    return Outcome(job.source, "cleaned")


def _process_star(args: tuple[Job, Options]) -> Outcome:
    return process(*args)


def scan(job: Job, options: Options) -> set[str]:
    """First pass for a batch profile: the candidate lines of one plain-text input.

    HTML inputs are not scanned: trafilatura already removes most of their page chrome, and a
    second extraction per page would double the cost of the run. Unreadable files count as
    empty here; the second pass reports them.
    """
    try:
        decoded = read(job.path.read_bytes(), name=job.source, max_bytes=options.max_bytes)
    except (OSError, InputError):
        return set()
    if decoded.kind != "text":
        return set()
    return candidate_lines(decoded.text, max_words=settings.PROFILE_MAX_WORDS)


def _scan_star(args: tuple[Job, Options]) -> set[str]:
    return scan(*args)


def learn_profile(jobs: list[Job], options: Options, *, workers: int = 1) -> Profile:
    """Learn the batch's boilerplate lines from every plain-text input (see :func:`scan`)."""
    work = [(job, options) for job in jobs]
    return learn(
        _parallel_map(_scan_star, work, workers),
        min_files=settings.PROFILE_MIN_FILES,
        min_share=settings.PROFILE_MIN_SHARE,
    )


def _parallel_map(fn: Callable[[A], R], work: list[A], workers: int) -> Iterator[R]:
    """``map(fn, work)`` over a process pool when ``workers > 1``; results come in input order
    either way, which is what makes outputs independent of ``--jobs``."""
    if workers > 1 and len(work) > 1:
        chunksize = max(1, min(16, len(work) // (workers * 4)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(fn, work, chunksize=chunksize)
    else:
        yield from map(fn, work)


@dataclass(slots=True)
class RunReport:
    cleaned: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    profile_lines: int | None = None

    def as_json(self, options: Options) -> dict[str, Any]:
        return {
            "cleaner_version": __version__,
            "options": options.fingerprint(),
            "profile_lines": self.profile_lines,
            "counts": {
                "cleaned": self.cleaned,
                "skipped": len(self.skipped),
                "failed": len(self.failed),
            },
            "failed": [{"source": s, "error": e} for s, e in sorted(self.failed)],
            "skipped": [{"source": s, "reason": r} for s, r in sorted(self.skipped)],
        }


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
) -> RunReport:
    """Clean every input into ``out`` and write ``out/cleaner-report.json``.

    ``on_error(source, reason)`` is called once per failed file, in input order; ``on_progress``
    after each file. With ``batch_profile`` (and no profile in ``options``) a first pass learns
    the batch's recurring boilerplate lines; ``save_profile`` writes the profile used.
    Raises :class:`CleanerError` only when ``out`` itself cannot be written.
    """
    the_plan = plan(inputs, out)
    report = RunReport(skipped=list(the_plan.skipped))
    if batch_profile and options.profile is None:
        options = replace(options, profile=learn_profile(the_plan.jobs, options, workers=jobs))
    if save_profile is not None:
        try:
            (options.profile or Profile(frozenset())).save(save_profile)
        except OSError as exc:
            raise CleanerError(f"{save_profile}: cannot write profile: {exc.strerror}") from exc
    report.profile_lines = len(options.profile.lines) if options.profile else None

    def fail(source: str, reason: str) -> None:
        report.failed.append((source, reason))
        if on_error:
            on_error(source, reason)

    for source, reason in the_plan.errors:
        fail(source, reason)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CleanerError(f"{out}: cannot create output folder: {exc.strerror or exc}") from exc
    if not os.access(out, os.W_OK):
        raise CleanerError(f"{out}: output folder is not writable")
    remove_stale_temps(out)
    if total:
        total(len(the_plan.jobs))
    work = [(job, options) for job in the_plan.jobs]
    _collect(_parallel_map(_process_star, work, jobs), report, fail, on_progress)
    try:
        atomic_write(out / REPORT_NAME, metadata_json(report.as_json(options)).encode("utf-8"))
    except OSError as exc:
        raise CleanerError(f"{out}: cannot write the run report: {exc.strerror or exc}") from exc
    return report


def _collect(
    outcomes: Iterable[Outcome],
    report: RunReport,
    fail: Callable[[str, str], None],
    on_progress: Callable[[Outcome], None] | None,
) -> None:
    for outcome in outcomes:
        if outcome.status == "cleaned":
            report.cleaned += 1
        else:
            fail(outcome.source, outcome.error or "unknown error")
        if on_progress:
            on_progress(outcome)
