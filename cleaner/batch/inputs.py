r"""The inputs of a run: walk SRC, map each input to its outputs, split the inputs into shards.

The walk is sorted and never follows symbolic links; an output folder inside an input folder is
not walked, nor is a folder that holds the manifest of an earlier run (an old OUT). Every input
maps to ``OUT/<relative dir>/<name without .gz and extension>`` plus ``.txt`` / ``.json``;
inputs that would share an output, or whose output would land on a run file (the report, the
manifest), are all reported as errors before any work starts.

Names: a file name is bytes on POSIX, and not every name is UTF-8. What the run records (the
metadata ``source``, the manifest's keys and outputs, the report) is the relative path as text
in which each byte that is not UTF-8 is written ``\xHH`` and a backslash ``\\`` (see
:func:`portable`): valid UTF-8 JSON, and every name maps back to its bytes (:func:`real_name`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.batch import selection
from cleaner.batch.lock import LOCK_NAME
from cleaner.batch.report import REPORT_NAME, SHARD_FILE
from cleaner.manifest import MANIFEST_NAME, Stat
from cleaner.names import archive_stem, is_warc, tells_kind, unpacked
from cleaner.write import TEMP_PREFIX

SYMLINK_SKIP = "symbolic link (not followed)"
TEMP_NAME_SKIP = "reserved name (cleaner's temporary files start with .cleaner-tmp-)"
RUN_FILE_SKIP = "a run file of cleaner (report, manifest or lock)"
OLD_OUT_SKIP = "holds the manifest of an earlier cleaner run (an output folder): not walked"
_ESCAPED = re.compile(r"\\(?:x([0-9a-f]{2})|(\\))")


def portable(name: str) -> str:
    r"""``name`` (a path as ``os`` gives it, undecodable bytes as lone surrogates) as text that
    is valid UTF-8 and maps back to its bytes: a byte that is not UTF-8 becomes ``\xHH`` and a
    backslash ``\\``. Names with neither (nearly all) are returned unchanged."""
    if "\\" not in name and not _has_surrogates(name):
        return name
    parts = []
    for char in name.replace("\\", "\\\\"):
        code = ord(char)
        parts.append(f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else char)
    return "".join(parts)


def _has_surrogates(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def real_name(text: str) -> str:
    """The inverse of :func:`portable`: the name as ``os`` functions take it."""
    if "\\" not in text:
        return text
    return _ESCAPED.sub(_unescape, text)


def _unescape(match: re.Match[str]) -> str:
    return "\\" if match[2] else chr(0xDC00 + int(match[1], 16))


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


def supported(name: str) -> bool:
    """Is the file an input by its name alone (see :mod:`cleaner.batch.selection`)? A WARC
    archive is one (:mod:`cleaner.batch.archives`)."""
    return selection.known(name) or is_warc(name)


def output_stem(relative: str) -> str:
    """Where an input's outputs go: a file's stem (:func:`file_stem`), or the folder of an
    archive's pages (``crawl/cc-01.warc.gz`` -> ``crawl/cc-01``)."""
    if is_warc(relative):
        return archive_stem(relative)
    return file_stem(relative)


def file_stem(relative: str) -> str:
    """``a/b/name.html.gz`` -> ``a/b/name``. Only an extension that tells the kind goes
    (``.html``, ``.txt``, ``.php`` ...): ``release-1.1`` and ``u.s.-troops`` keep their names.
    A query string in the file name stays, so that ``index.html?p=2`` and ``index.html`` do
    not collide (``index?p=2``); a ``?`` in a folder name is part of the folder."""
    folder, slash, name = relative.rpartition("/")
    base, mark, query = unpacked(name).partition("?")
    head, dot, ext = base.rpartition(".")
    if not (head and tells_kind(dot + ext)):
        head = base
    return f"{folder}{slash}{head}{mark}{query}"


def _output_key(relative: str) -> str:
    """What two inputs must not share: a file's stem, an archive's folder (``x/``: an archive
    ``x.warc.gz`` and a file ``x.html`` can live side by side), both case-folded."""
    key = output_stem(relative).casefold()
    return key + "/" if is_warc(relative) else key


@dataclass(frozen=True, slots=True)
class _Found:
    """One entry of the walk: an input (no reason), a skip or an error, with its reason."""

    path: Path
    rel: str  # relative path, as ``os`` gives it
    skip: str | None = None
    error: str | None = None


def _walk(root: Path, skip: Path | None) -> Iterator[_Found]:
    """The entries under ``root``, sorted, no symlinks followed.

    ``os.scandir`` gives the entry types without a ``stat`` per file, which keeps a no-op run
    over thousands of files fast.
    """
    yield from _walk_dir(str(root), "", str(skip) if skip is not None else None)


def _walk_dir(folder: str, prefix: str, skip: str | None) -> Iterator[_Found]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        reason = f"cannot read folder: {exc.strerror or exc}"
        yield _Found(Path(folder), prefix.rstrip("/") or ".", error=reason)
        return
    if prefix and any(_is_manifest(entry.name) for entry in entries):
        yield _Found(Path(folder), prefix.rstrip("/"), skip=OLD_OUT_SKIP)
        return
    subdirs = []
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if skip is None or os.path.realpath(entry.path) != skip:
                subdirs.append((entry.path, rel + "/"))
        else:
            yield _Found(Path(entry.path), rel, skip=_skip_reason(entry))
    for path, sub_prefix in subdirs:
        yield from _walk_dir(path, sub_prefix, skip)


def _skip_reason(entry: os.DirEntry[str]) -> str | None:
    """Why a file of the walk is not an input (None: it is one)."""
    if entry.is_symlink():
        return SYMLINK_SKIP
    if entry.name.startswith(TEMP_PREFIX):
        return TEMP_NAME_SKIP
    if _is_run_file(entry.name):
        return RUN_FILE_SKIP
    if not entry.is_file(follow_symlinks=False):
        return "not a regular file"
    if not supported(entry.name):
        return selection.skip_reason(Path(entry.path), entry.name)
    return None


def _is_run_file(name: str) -> bool:
    return name in (REPORT_NAME, MANIFEST_NAME, LOCK_NAME) or SHARD_FILE.fullmatch(name) is not None


def _is_manifest(name: str) -> bool:
    return name == MANIFEST_NAME or (
        name.startswith(".cleaner-manifest.") and SHARD_FILE.fullmatch(name) is not None
    )


def _run_file(stem: str) -> str | None:
    """What run file of OUT an output stem at the top of OUT would overwrite (None: none)."""
    name = (stem + ".json").casefold()
    if name == REPORT_NAME.casefold():
        return f"the run report {REPORT_NAME}"
    if name == MANIFEST_NAME.casefold():
        return f"the manifest {MANIFEST_NAME}"
    if SHARD_FILE.fullmatch(name):
        return f"a shard's run file {stem}.json"
    return None


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


def plan(
    inputs: Iterable[Path], out: Path | None, *, only: selection.Selection | None = None
) -> Plan:
    """Walk the inputs (folders recursively, files as they are) and map them to outputs in
    ``out`` (``None``: a stream, whose stems are the relative output names), keeping the files
    that ``only`` (the ``--include`` / ``--exclude`` patterns) lets through."""
    result = Plan()
    candidates = _candidates(inputs, out.resolve() if out is not None else None, result)
    candidates = _selected(candidates, only or selection.Selection(), result)
    by_output: dict[str, list[tuple[Path, str]]] = {}
    for path, rel in candidates:
        # A stream (out None) keys its records by source: only files can collide.
        key = rel if out is None else _output_key(rel)
        by_output.setdefault(key, []).append((path, rel))
    for key in sorted(by_output):
        group = by_output[key]
        if len(group) > 1:
            names = ", ".join(display(portable(rel)) for _p, rel in group)
            for _path, rel in group:
                reason = f"output name collides with another input ({names})"
                result.errors.append((portable(rel), reason))
            continue
        _add_job(result, *group[0], out)
    result.jobs.sort(key=lambda job: job.source)
    return result


def folder_labels(folders: list[Path]) -> dict[Path, str]:
    """The name each input folder is mirrored under when there are several: the shortest
    distinct tail of its path (``scraped/a`` and ``backup/a`` for two folders named ``a``).
    One folder is mirrored into OUT itself and gets no label."""
    # The names as typed (a symbolic link's own name, not its target's): a link repointed to
    # another snapshot keeps its label, so its files keep their sources.
    parts = {f: Path(os.path.abspath(f)).parts[1:] for f in folders}
    if len(set(parts.values())) < 2:
        return dict.fromkeys(folders, "")
    depth = dict.fromkeys(folders, 1)
    while True:
        labels = {f: "/".join(parts[f][-depth[f] :]) for f in folders}
        owners: dict[str, set[tuple[str, ...]]] = {}
        for folder, label in labels.items():
            owners.setdefault(label, set()).add(parts[folder])
        deeper = [f for f in folders if len(owners[labels[f]]) > 1 and depth[f] < len(parts[f])]
        if not deeper:
            return labels
        for folder in deeper:
            depth[folder] += 1


def _selected(
    candidates: list[tuple[Path, str]], only: selection.Selection, result: Plan
) -> list[tuple[Path, str]]:
    """The candidates the user's patterns let through; the others are skipped, saying why."""
    kept = []
    for path, rel in candidates:
        reason = only.reason(portable(rel))
        if reason is None:
            kept.append((path, rel))
        else:
            result.skipped.append((portable(rel), reason))
    return kept


def as_typed(inputs: Iterable[Path]) -> Callable[[str], str]:
    """How a source is shown in an error line: under the input path as the user typed it
    (``scraped/a/b.html`` for ``cleaner clean scraped``), so that it can be opened from the
    working folder; the report and the metadata keep the source itself."""
    unique = _once(inputs)
    folders = [path for path in unique if path.is_dir()]
    labels = folder_labels(folders)
    under = sorted(((labels[f] + "/" if labels[f] else ""), f) for f in folders)
    under.sort(key=lambda pair: -len(pair[0]))  # the longest label that fits
    # A typed file is its name when cleaned, its typed path when it is an error up front
    # (missing, a broken link): both are shown as typed.
    files = {portable(path.name): path for path in unique if not path.is_dir()}
    files.update({portable(str(path)): path for path in unique if not path.is_dir()})

    def shown(source: str) -> str:
        if source in files:
            return display(portable(str(files[source])))
        for label, folder in under:
            if source.startswith(label):
                return display(portable(str(folder / real_name(source[len(label) :]))))
        return display(source)

    return shown


def _once(inputs: Iterable[Path]) -> list[Path]:
    """The inputs in the order given, a folder named twice (``d``, ``./d/``) only once, and
    no folder inside another input folder (its files are that folder's already)."""
    seen: set[Path] = set()
    unique = []
    for path in inputs:
        key = path.resolve() if path.is_dir() else path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    folders = {p.resolve() for p in unique if p.is_dir()}
    return [p for p in unique if not (p.is_dir() and _inside_another(p.resolve(), folders))]


def _inside_another(folder: Path, folders: set[Path]) -> bool:
    return any(folder != other and folder.is_relative_to(other) for other in folders)


def _candidates(inputs: Iterable[Path], out: Path | None, result: Plan) -> list[tuple[Path, str]]:
    """The input files (path, relative path); skips and errors go into ``result``. With several
    input folders, each one's files are under its label (:func:`folder_labels`)."""
    inputs = _once(inputs)
    labels = folder_labels([src for src in inputs if src.is_dir()])
    found: list[tuple[Path, str]] = []
    for src in inputs:
        if src.is_dir():
            prefix = f"{labels[src]}/" if labels[src] else ""
            for entry in _walk(src, out):
                rel = prefix + entry.rel
                if entry.error:
                    result.errors.append((portable(rel), entry.error))
                elif entry.skip:
                    result.skipped.append((portable(rel), entry.skip))
                else:
                    found.append((entry.path, rel))
        elif src.is_symlink() and not src.exists():
            result.errors.append((portable(str(src)), "broken or looping symbolic link"))
        elif src.is_file() and supported(src.name):
            found.append((src, src.name))
        elif src.is_file():
            reason = selection.skip_reason(src, src.name)
            if reason is None:
                found.append((src, src.name))
            else:
                result.skipped.append((portable(src.name), reason))
        elif src.exists():
            result.errors.append((portable(str(src)), "not a regular file or folder"))
        else:
            result.errors.append((portable(str(src)), "no such file or folder"))
    return found


def _add_job(result: Plan, path: Path, rel: str, out: Path | None) -> None:
    stem = output_stem(rel)
    source = portable(rel)
    if out is None:
        result.jobs.append(Job(path, source, Path(stem)))
        return
    clash = _run_file(stem) if "/" not in stem and not is_warc(rel) else None
    if clash:
        reason = f"its output {display(portable(stem))}.json would overwrite {clash}"
        result.errors.append((source, reason))
    else:
        result.jobs.append(Job(path, source, out / stem, out))


def inode(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of ``path`` itself, not of a link's target (None: not there)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def stat_jobs(
    jobs: list[Job], fail: Callable[[str, str], None], inodes: set[tuple[int, int]]
) -> list[tuple[Job, Stat]]:
    """Each job with its stat, its (device, inode) added to ``inodes``; a job that cannot be
    stat'ed is reported through ``fail``."""
    stated = []
    for job in jobs:
        try:
            st = os.stat(job.path)
        except OSError as exc:
            fail(job.source, f"cannot read: {exc.strerror or exc}")
            continue
        stated.append((job, Stat(st.st_size, st.st_mtime_ns)))
        inodes.add((st.st_dev, st.st_ino))
    return stated
