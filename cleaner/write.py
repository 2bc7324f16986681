"""Stage 5, write: the ``.txt`` and ``.json`` of a document, atomically.

Each file is written to a temporary file in its destination folder and moved into place with
``os.replace``, which is atomic on POSIX: a reader (or ``make``) sees the old file or the new
one, never half of one, and a crash leaves at worst a temp file that the next run removes.
A file whose bytes would not change is not touched, so its mtime does not trigger rebuilds.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

TEMP_PREFIX = ".cleaner-tmp-"


def metadata_json(metadata: dict[str, Any]) -> str:
    """Stable JSON: sorted keys, two-space indent, UTF-8 characters kept, final newline."""
    return json.dumps(metadata, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already held exactly it.

    The temp file is fsynced before the rename so a power cut cannot leave an empty file behind
    the new name.
    """
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def write_outputs(stem: Path, text: str, metadata: dict[str, Any]) -> None:
    """Write ``stem.txt`` then ``stem.json``; the JSON last, so its presence means both are done."""
    atomic_write(stem.with_name(stem.name + ".txt"), text.encode("utf-8"))
    atomic_write(stem.with_name(stem.name + ".json"), metadata_json(metadata).encode("utf-8"))


def remove_stale_temps(root: Path) -> int:
    """Delete temp files left by an interrupted run under ``root``; return how many."""
    removed = 0
    if not root.is_dir():
        return 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name.startswith(TEMP_PREFIX):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
    return removed
