"""The work a worker process runs for one file: clean it and write its outputs, or scan it for
the batch profile. Every expected failure becomes an :class:`Outcome`, never an exception.

A file is read within ``Options.max_bytes`` (:func:`cleaner.read.read_file`: too big fails before
it is read). A file that needs more memory than the worker may use (its ``RLIMIT_AS``, set by
:mod:`cleaner.batch.pool`) fails alone with "exceeds the memory limit (N MB)".
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cleaner import settings
from cleaner.batch.inputs import Job
from cleaner.batch.pool import OUT_OF_MEMORY_EXIT
from cleaner.config import Options
from cleaner.errors import InputError
from cleaner.found import is_empty
from cleaner.write import write_outputs

if TYPE_CHECKING:
    from cleaner.pipeline import CleanResult

Status = Literal["cleaned", "failed"]
# Write errors that mean the output folder itself is unusable: stop the run (exit 2) instead of
# failing every remaining file one by one.
FATAL_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
MESSAGE_MAX_CHARS = 200
MEGABYTE = 1024 * 1024


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
    empty: bool = False  # cleaned, but no article found (see cleaner.found)
    archive: str | None = None  # a page's: the source of the WARC archive it came from


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:MESSAGE_MAX_CHARS]


def memory_reason() -> str:
    """Why a file that ran out of memory failed, naming this process's limit when it has one."""
    limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY:
        return "document too large to process in memory"
    return f"exceeds the memory limit ({limit // MEGABYTE} MB)"


def _failure(exc: InputError) -> str:
    # clean() turns MemoryError into an InputError (its API contract); in a worker the reason
    # is the worker's limit.
    return memory_reason() if isinstance(exc.__cause__, MemoryError) else exc.reason


def _clean(job: Job, options: Options) -> CleanResult | str:
    """The cleaned file, or why it cannot be read."""
    from cleaner.pipeline import clean  # lazy: only a run with work pays for trafilatura
    from cleaner.read import read_file

    try:
        decoded = read_file(job.path, name=job.source, max_bytes=options.max_bytes)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return clean(decoded, name=job.source, options=options)


def attempt(clean_it: Callable[[], CleanResult | str]) -> CleanResult | str:
    """The cleaned document, or why not: every expected failure becomes a reason."""
    try:
        return clean_it()
    except InputError as exc:
        return _failure(exc)
    except MemoryError:
        return memory_reason()
    except Exception as exc:  # a bug must cost one document, never the batch
        return f"internal error: {type(exc).__name__}: {one_line(exc)}"


def process(job: Job, options: Options, *, write: bool = True, durable: bool = True) -> Outcome:
    """Clean one file and write its outputs (or, with ``write=False``, return its JSON line);
    every expected failure becomes an Outcome. Runs in a worker process. ``durable=False``:
    the outputs are not fsynced one by one (the driver syncs OUT before the manifest)."""
    result = attempt(lambda: _clean(job, options))
    if isinstance(result, str):
        return Outcome(job.source, "failed", result)
    return finish(job, result, write=write, durable=durable)


def finish(job: Job, result: CleanResult, *, write: bool, durable: bool) -> Outcome:
    """The outcome of a cleaned file: its JSON line, or its outputs written."""
    sha = str(result.metadata["sha256"])
    empty = is_empty(result.metadata["warnings"])
    if not write:
        line = {"source": job.source, "text": result.text, "metadata": result.metadata}
        record = json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n"
        return Outcome(job.source, "cleaned", sha256=sha, record=record, empty=empty)
    try:
        write_outputs(job.stem, result.text, result.metadata, root=job.root, durable=durable)
    except OSError as exc:
        fatal = exc.errno in FATAL_WRITE_ERRNOS
        return Outcome(
            job.source, "failed", f"cannot write output: {exc.strerror or exc}", fatal=fatal
        )
    return Outcome(job.source, "cleaned", sha256=sha, empty=empty)


def scan(job: Job, options: Options) -> set[str]:
    """First pass for a batch profile: the candidate lines of one plain-text input.

    HTML inputs are not scanned: trafilatura already removes most of their page chrome, and a
    second extraction per page would double the cost of the run. Unreadable files (and files
    too large for the size cap or the worker's memory) count as empty here; the second pass
    reports them.
    """
    from cleaner.profile import candidate_lines
    from cleaner.read import read_file

    try:
        decoded = read_file(job.path, name=job.source, max_bytes=options.max_bytes)
        if decoded.kind != "text":
            return set()
        return candidate_lines(decoded.text, max_words=settings.PROFILE_MAX_WORDS)
    except (OSError, InputError, MemoryError):
        return set()


def timed_out(job: Job, limit: float) -> Outcome:
    return Outcome(job.source, "failed", f"timed out after {limit:g} s")


def crashed(job: Job, code: int | None) -> Outcome:
    if code is None:  # a Dask worker lost while running it, as many times as Dask allows
        return Outcome(job.source, "failed", "worker process died")
    if code == OUT_OF_MEMORY_EXIT:
        return Outcome(job.source, "failed", "worker process died: out of memory")
    how = f"signal {-code}" if code < 0 else f"exit code {code}"
    return Outcome(job.source, "failed", f"worker process died ({how})")


# Cleaned once in the parent before the workers are forked (see warm_up).
WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title></head><body><article><p>"
    + "This page is cleaned once before the workers start, so that they share what the"
    " pipeline loads on its first call. " * 3
    + "</p></article></body></html>"
)


@functools.cache
def warm_up() -> None:
    """Import the pipeline and clean one small page before forking: the workers then inherit
    the modules and everything loaded lazily on a first call (language profiles, the order
    model), about 0.5 s per worker otherwise. Loaded state is read-only, so outputs do not
    depend on it."""
    from cleaner.pipeline import clean

    with contextlib.suppress(Exception):  # only an optimisation: a failure shows per file
        clean(WARM_UP_PAGE, name="warm-up.html")
