"""Batch boilerplate profiles: lines that recur in many files of one batch are page chrome.

A scraped folder usually holds many pages of the same sites, and their menus, share rows and
footers repeat word for word from file to file while article text does not. A first pass over
the batch counts, for every short line, in how many files it occurs; lines seen in enough files
form a :class:`Profile`. The noise stage then drops those lines everywhere ("recurring
boilerplate"). A profile saved to JSON gives the single-file API the same knowledge.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cleaner.errors import ConfigError
from cleaner.text import ends_with_full_stop, normalise_line

PROFILE_FORMAT = "cleaner-profile/1"
# Configuration files (a profile, a pyproject, a phrase file) are small; the cap keeps a wrong
# path (/dev/zero, a multi-gigabyte dump) from filling memory before the parser says no.
MAX_CONFIG_BYTES = 16 * 1024 * 1024


def shown(value: Path | str) -> str:
    """A path or a key as one printable line (a newline or an undecodable byte is escaped)."""
    text = str(value)
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def config_error(path: Path, what: str, detail: BaseException | str) -> ConfigError:
    """A one-line ConfigError naming the file: ``PATH: WHAT: DETAIL``."""
    if isinstance(detail, OSError) and detail.strerror:
        detail = detail.strerror  # str(OSError) repeats the path
    elif isinstance(detail, RecursionError):
        detail = "nested too deeply"
    return ConfigError(f"{shown(path)}: {what}: {' '.join(str(detail).split())}")


def read_config_text(path: Path, what: str) -> str:
    """The text of a UTF-8 configuration file, or a ConfigError ``PATH: WHAT: reason``.

    Newlines are translated as ``Path.read_text`` does, so parsers see what they always saw.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise config_error(path, what, exc) from exc
    if len(data) > MAX_CONFIG_BYTES:
        raise config_error(path, what, f"larger than {MAX_CONFIG_BYTES} bytes")
    if b"\0" in data:
        raise config_error(path, what, "a binary file (it holds NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise config_error(path, what, f"not UTF-8 (byte {exc.start}: {exc.reason})") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class Profile:
    """Normalised lines that are boilerplate in this batch, and how the profile was learned."""

    lines: frozenset[str]
    files: int = 0
    min_files: int = 0

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and normalise_line(text) in self.lines

    def digest(self) -> str:
        """A stable hash of the lines, part of the options' fingerprint."""
        return hashlib.sha256("\n".join(sorted(self.lines)).encode()).hexdigest()[:16]

    def save(self, path: Path) -> None:
        data = {
            "format": PROFILE_FORMAT,
            "files": self.files,
            "min_files": self.min_files,
            "lines": sorted(self.lines),
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Profile:
        """A profile written by :meth:`save`; anything else is a one-line ConfigError naming
        the file (the path comes from the command line)."""
        text = read_config_text(path, "cannot read profile")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise config_error(path, "cannot read profile", exc) from exc
        return cls._from_json(path, data)

    @classmethod
    def _from_json(cls, path: Path, data: object) -> Profile:
        if not isinstance(data, dict) or data.get("format") != PROFILE_FORMAT:
            raise ConfigError(f"{shown(path)}: not a cleaner profile ({PROFILE_FORMAT})")
        lines = data.get("lines")
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise ConfigError(f"{shown(path)}: profile 'lines' must be a list of strings")
        counts = data.get("files", 0), data.get("min_files", 0)
        for name, value in zip(("files", "min_files"), counts, strict=True):
            # type(), not isinstance(): true is an int to Python, not a file count
            if type(value) is not int or value < 0:
                raise ConfigError(f"{shown(path)}: profile '{name}' must be a whole number >= 0")
        return cls(frozenset(lines), *counts)


def candidate_lines(text: str, *, max_words: int) -> set[str]:
    """The distinct normalised lines of one file that may count as boilerplate."""
    found = set()
    for line in text.splitlines():
        if ends_with_full_stop(line):
            continue  # "He said." recurs because it is language, not chrome
        norm = normalise_line(line)
        if norm and len(norm.split()) <= max_words:
            found.add(norm)
    return found


def learn(
    files: Iterable[set[str]], *, min_files: int, min_share: float
) -> Profile:
    """Lines occurring in at least ``max(min_files, min_share * number of files)`` files.

    ``files`` yields each file's set of candidate lines (see :func:`candidate_lines`).
    """
    counts: Counter[str] = Counter()
    total = 0
    for lines in files:
        total += 1
        counts.update(lines)
    threshold = max(min_files, int(min_share * total + 0.999999))
    return Profile(
        frozenset(line for line, n in counts.items() if n >= threshold), total, threshold
    )
