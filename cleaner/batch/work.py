"""The work a worker process runs for one file: clean it and write its outputs, or scan it for
the batch profile. Every expected failure becomes an :class:`Outcome`, never an exception."""

from __future__ import annotations

import contextlib
import errno
import functools
import json
from dataclasses import dataclass
from typing import Literal

from cleaner import settings
from cleaner.batch.inputs import Job
from cleaner.config import Options
from cleaner.errors import InputError
from cleaner.write import write_outputs

Status = Literal["cleaned", "failed"]
# Write errors that mean the output folder itself is unusable: stop the run (exit 2) instead of
# failing every remaining file one by one.
FATAL_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
MESSAGE_MAX_CHARS = 200


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
        write_outputs(job.stem, result.text, result.metadata, root=job.root)
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


def timed_out(job: Job, limit: float) -> Outcome:
    return Outcome(job.source, "failed", f"timed out after {limit:g} s")


def crashed(job: Job, code: int | None) -> Outcome:
    if code is None:  # a Dask worker lost while running it, as many times as Dask allows
        return Outcome(job.source, "failed", "worker process died")
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
