"""Stage 5, write: the ``.txt`` and ``.json`` of a document, atomically.

Each file is written to a temporary file in its destination folder and moved into place with
``os.replace``, which is atomic on POSIX: a reader (or ``make``) sees the old file or the new
one, never half of one, and a crash leaves at worst a temp file that the next run removes.
A document's files are all staged before any is renamed, so a full disk (which fails while
*writing* a temp file) leaves the old pair intact rather than a new ``.txt`` beside an old
``.json``. A file whose bytes would not change is not touched, so its mtime does not trigger
rebuilds.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

TEMP_PREFIX = ".cleaner-tmp-"
FILE_MODE = 0o644


def metadata_json(metadata: dict[str, Any]) -> str:
    """Stable JSON: sorted keys, two-space indent, UTF-8 characters kept, final newline."""
    return json.dumps(metadata, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def holds(path: Path, data: bytes) -> bool:
    """True when ``path`` is a file whose bytes are exactly ``data`` (size is compared first)."""
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


@contextlib.contextmanager
def _temp_beside(path: Path, mode: str, **kwargs: Any) -> Iterator[tuple[IO[Any], str]]:
    """A temp file in ``path``'s folder, open in ``mode``; on a clean exit it is flushed,
    fsynced and given the outputs' mode, on an error it is removed.

    The fsync comes before any rename so a power cut cannot leave an empty file behind the new
    name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle, tmp
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _stage(path: Path, data: bytes) -> str:
    """Write ``data`` to a fsynced temp file next to ``path``; return the temp file's name."""
    with _temp_beside(path, "wb") as (handle, tmp):
        handle.write(data)
    return tmp


def write_files(files: Sequence[tuple[Path, bytes]]) -> int:
    """Write several files as one step: stage every changed one, then rename them all.

    Returns how many files changed. On any error every staged temp file is removed and no
    destination has been replaced (unless the error came from a rename itself, which on a
    local file system only happens for a vanished folder).
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            if not holds(path, data):
                staged.append((_stage(path, data), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _path in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    return len(staged)


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already held exactly it."""
    return write_files([(path, data)]) > 0


def output_paths(stem: Path) -> tuple[Path, Path]:
    """The ``.txt`` and ``.json`` written for an output stem."""
    return stem.with_name(stem.name + ".txt"), stem.with_name(stem.name + ".json")


def write_outputs(
    stem: Path, text: str, metadata: dict[str, Any], *, root: Path | None = None
) -> None:
    """Write ``stem.txt`` and ``stem.json`` together (see :func:`write_files`). ``root`` is the
    output folder the stem lies in: nothing is written outside it."""
    txt, meta = output_paths(stem)
    write_files([(txt, text.encode("utf-8")), (meta, metadata_json(metadata).encode("utf-8"))])


@contextlib.contextmanager
def staged_text(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text file written through a temp file and renamed over ``path`` on success
    (removed on failure): for a stream too large to build in memory, such as a jsonl output."""
    with _temp_beside(path, "w", encoding="utf-8", newline="\n") as (handle, tmp):
        yield handle
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_output(root: Path, relative: str) -> bool:
    """Delete the output ``root/relative`` (for ``--prune``); False when it was not there. Never
    deletes outside ``root``."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        return False
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    return True


def remove_stale_temps(root: Path, *, modified_before: float | None = None) -> int:
    """Delete temp files left by an interrupted run under ``root``; return how many.

    With ``modified_before`` (a Unix time), only temp files last modified before it go: other
    runs (shards) may be writing into the same folder right now, and their live temp files are
    younger than that.
    """
    removed = 0
    if not root.is_dir():
        return 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name.startswith(TEMP_PREFIX):
                path = os.path.join(dirpath, name)
                with contextlib.suppress(OSError):
                    if modified_before is None or os.lstat(path).st_mtime < modified_before:
                        os.unlink(path)
                        removed += 1
    return removed
