"""``python -m bench.loop_trafilatura PATH...``: ``trafilatura.extract`` on the bytes of every
file (a folder's files in name order, or the files named), in one process.

This is the simplest program a user would build on trafilatura, and the baseline of the
throughput ratios of ``bench.speed``. It runs as its own process so that it is timed exactly as
the ``cleaner`` CLI is: start-up, imports and all, through the same wrapper.
"""

from __future__ import annotations

import sys
from pathlib import Path

import trafilatura


def files(paths: list[Path]) -> list[Path]:
    """The files of ``paths``: a folder stands for its own files (not recursive), sorted."""
    found: list[Path] = []
    for path in paths:
        found += sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m bench.loop_trafilatura PATH...", file=sys.stderr)
        return 2
    for path in files([Path(arg) for arg in args]):
        trafilatura.extract(path.read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
