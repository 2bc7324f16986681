"""The inputs of a run: walk SRC, map each input to its outputs, split the inputs into shards.

The walk is sorted and never follows symbolic links; an output folder inside an input folder is
not walked. Every input maps to ``OUT/<relative dir>/<name without .gz and extension>`` plus
``.txt`` / ``.json``; inputs that would share an output are all reported as errors before any
work starts.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.batch.report import REPORT_NAME, SHARD_FILE
from cleaner.manifest import MANIFEST_NAME, Stat
from cleaner.write import TEMP_PREFIX

SYMLINK_SKIP = "symbolic link (not followed)"


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
    root: Path | None = None  # the output folder (OUT) the stem lies in; None for a stream


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


def mine(shard: Shard | None) -> Callable[[str], bool]:
    """Whether a source belongs to this run (every source when not sharded)."""
    return (lambda _source: True) if shard is None else shard.holds


def plan(inputs: Iterable[Path], out: Path | None) -> Plan:
    """Walk the inputs (folders recursively, files as they are) and map them to outputs in
    ``out`` (``None``: a stream, whose stems are the relative output names)."""
    result = Plan()
    out_resolved = out.resolve() if out is not None else None
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
        stem = Path(output_stem(rel))
        if out is None:
            result.jobs.append(Job(path, rel, stem))
        else:
            result.jobs.append(Job(path, rel, out / stem, out))
    result.jobs.sort(key=lambda job: job.source)
    return result


def stat_jobs(jobs: list[Job], fail: Callable[[str, str], None]) -> list[tuple[Job, Stat]]:
    """Each job with its stat; a job that cannot be stat'ed is reported through ``fail``."""
    stated = []
    for job in jobs:
        try:
            stated.append((job, Stat.of(job.path)))
        except OSError as exc:
            fail(job.source, f"cannot read: {exc.strerror or exc}")
    return stated
