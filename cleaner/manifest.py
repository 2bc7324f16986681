"""The incremental-run manifest: what each input was when its outputs were last written.

``OUT/.cleaner-manifest.json`` maps each input (by its relative path, the ``source`` of its
metadata) to the size and mtime (ns) it had, the sha256 of its bytes, the *run key* (cleaner
version + options fingerprint) its outputs were made with, and the output files written. An
input is up to date when its size and mtime are unchanged and its run key is the current one;
when only size or mtime moved, the sha256 decides (a ``touch`` does not re-clean). A failed
input is recorded as failed, so the next run retries it, and so that ``--prune`` still knows
which outputs of an earlier success are ours.

The manifest is written atomically and only ever lists outputs that were already on disk when
it was written, so a run killed at any moment leaves a manifest that understates, never
overstates, what is done. Its bytes depend only on the inputs and options (no timestamps of
the run), so a killed-and-resumed run ends with the same manifest as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cleaner.write import atomic_write

MANIFEST_NAME = ".cleaner-manifest.json"
MANIFEST_FORMAT = "cleaner-manifest/1"
HASH_BLOCK = 1 << 20

Reason = Literal[
    "new", "changed", "options changed", "forced", "failed before", "output missing"
]


@dataclass(frozen=True, slots=True)
class Stat:
    """What a no-op run compares: cheap to get (one ``stat``), no reading."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Stat:
        st = os.stat(path)
        return cls(st.st_size, st.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class Entry:
    """One input's record: its stat and hash when cleaned, the run key, the outputs written."""

    size: int
    mtime_ns: int
    key: str
    outputs: tuple[str, ...] = ()
    sha256: str | None = None
    failed: bool = False

    @property
    def stat(self) -> Stat:
        return Stat(self.size, self.mtime_ns)

    def as_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "key": self.key,
            "outputs": list(self.outputs),
            "sha256": self.sha256,
            "failed": self.failed,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(
            int(data["size"]),
            int(data["mtime_ns"]),
            str(data["key"]),
            tuple(str(o) for o in data.get("outputs", ())),
            data.get("sha256"),
            bool(data.get("failed", False)),
        )


@dataclass(slots=True)
class Manifest:
    """All entries, plus the batch profile learned last time and the inputs it came from."""

    entries: dict[str, Entry] = field(default_factory=dict)
    profile: dict[str, Any] | None = None
    profile_inputs: str | None = None
    version: str = ""
    key: str = ""

    def header(self) -> tuple[Any, ...]:
        """Everything but the entries: when it and the entries are unchanged, a run need not
        rewrite the manifest."""
        return (self.version, self.key, self.profile, self.profile_inputs)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "cleaner_version": self.version,
            "key": self.key,
            "profile": self.profile,
            "profile_inputs": self.profile_inputs,
            "files": {name: self.entries[name].as_json() for name in sorted(self.entries)},
        }

    def save(self, out: Path, name: str = MANIFEST_NAME) -> None:
        """Write atomically (a reader sees the previous manifest or this one). Compact JSON:
        the C encoder is ten times faster than the indenting one, and nobody edits this file.
        ``name`` is another file name in ``out`` (a shard's own manifest)."""
        blob = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        atomic_write(out / name, (blob + "\n").encode("utf-8"))


def load(out: Path, name: str = MANIFEST_NAME) -> Manifest:
    """The manifest ``name`` in ``out``; an empty one when absent or unreadable (everything is
    new)."""
    try:
        data = json.loads((out / name).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return Manifest()
        entries = {str(k): Entry.from_json(v) for k, v in data.get("files", {}).items()}
        return Manifest(
            entries,
            data.get("profile"),
            data.get("profile_inputs"),
            str(data.get("cleaner_version", "")),
            str(data.get("key", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


def run_key(version: str, fingerprint: str) -> str:
    """What an output depends on besides its input: the code version and the options."""
    return hashlib.sha256(f"{version}\n{fingerprint}".encode()).hexdigest()[:16]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def inputs_digest(stats: Iterable[tuple[str, Stat]]) -> str:
    """A hash of (name, size, mtime) of every input: unchanged means the batch is unchanged."""
    digest = hashlib.sha256()
    for name, stat in stats:
        digest.update(f"{name}\0{stat.size}\0{stat.mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def stale_reason(
    entry: Entry | None, stat: Stat, path: Path, *, key: str, force: bool
) -> tuple[Reason | None, Entry | None]:
    """Why an input must be cleaned (None: up to date), and an updated entry when only its
    mtime moved but its bytes did not (to record, so the next run is stat-only again)."""
    if force:
        return "forced", None
    if entry is None:
        return "new", None
    if entry.failed:
        return "failed before", None
    if entry.key != key:
        return "options changed", None
    if entry.stat == stat:
        return None, None
    if entry.size == stat.size and entry.sha256 is not None:
        try:
            same = sha256_file(path) == entry.sha256
        except OSError:
            return "changed", None
        if same:
            touched = Entry(stat.size, stat.mtime_ns, key, entry.outputs, entry.sha256)
            return None, touched
    return "changed", None
