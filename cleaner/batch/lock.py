"""One run per OUT: an advisory lock on ``OUT/.cleaner-lock`` held for the whole run.

Two unsharded runs into one OUT would race on the same outputs, the manifest and the temp-file
sweep, so the second one stops at once (exit 2) unless asked to wait. Shards of one run share
OUT by design: they take the lock in shared mode, which keeps an unsharded run out while any
shard runs, and lets the shards run together. ``flock`` locks belong to the open file, so a
killed run's lock goes with its process: there is never a stale lock to delete by hand.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from cleaner.errors import OutputError

LOCK_NAME = ".cleaner-lock"

try:
    import fcntl
except ImportError:  # not POSIX: runs are not locked
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def locked(out: Path, *, shared: bool, wait: bool, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold the lock of ``out`` (an existing folder) while the block runs; ``name`` is another
    lock file in it (a JSONL file's own)."""
    path = out / name
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise OutputError(f"{path}: cannot open the run lock: {exc.strerror or exc}") from exc
    try:
        _acquire(fd, path, shared=shared, wait=wait)
        yield
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, *, shared: bool, wait: bool) -> None:
    if fcntl is None:
        return
    mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB)
    try:
        fcntl.flock(fd, mode)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise OutputError(
                f"{path} is held by another cleaner run into this folder;"
                " wait for it to end (or pass --wait)"
            ) from exc
        raise OutputError(f"{path}: cannot lock: {exc.strerror or exc}") from exc
