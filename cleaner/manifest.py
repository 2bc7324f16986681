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
import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cleaner.write import atomic_write

MANIFEST_NAME = ".cleaner-manifest.json"
FORMAT_VERSION = 1
MANIFEST_FORMAT = f"cleaner-manifest/{FORMAT_VERSION}"
HASH_BLOCK = 1 << 20
_FORMAT = re.compile(r"cleaner-manifest/([0-9]{1,9})")
_AGAIN = "all inputs are cleaned again"
# The escapes of cleaner.batch.inputs.portable (which cannot be imported here: it imports this
# module). It writes \xHH only for bytes 80-ff; \x00-\x7f would decode to a name no OS call takes.
_ESCAPE = re.compile(r"\\(?:x([0-9a-f]{2})|\\)")

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


def _output(path: object) -> bool:
    """An output as the driver records it: a relative POSIX path of plain components, so that
    joined to OUT it stays inside OUT (``--prune`` deletes it)."""
    if type(path) is not str or not path or "\0" in path:
        return False
    if path[0] == "/" or path[-1] == "/" or "//" in path:  # absolute, or an empty component
        return False
    if (path[0] == "." or "/." in path) and any(p in (".", "..") for p in path.split("/")):
        return False
    if "\\" not in path:
        return True
    return all(m[1] is None or int(m[1], 16) >= 0x80 for m in _ESCAPE.finditer(path))


def _count(value: object) -> bool:
    """A whole number >= 0. type(), not isinstance(): true is an int to Python; 1e400 is a
    float (inf), and int() of it raises."""
    return type(value) is int and value >= 0


def _entry_problem(
    size: object, mtime_ns: object, key: object, outputs: object, sha256: object, failed: object
) -> str | None:
    """What is wrong with an entry's fields as read from JSON (None: nothing)."""
    if not _count(size):
        return "size must be a whole number >= 0"
    if type(mtime_ns) is not int:  # negative is fine: a file dated before 1970
        return "mtime_ns must be a whole number"
    if type(key) is not str:
        return "key must be a string"
    if type(outputs) is not list or not all(map(_output, outputs)):
        return "outputs must be a list of relative paths inside OUT (no '..', not absolute)"
    if sha256 is not None and type(sha256) is not str:
        return "sha256 must be a string or null"
    if type(failed) is not bool:
        return "failed must be true or false"
    return None


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
    def from_json(cls, data: object) -> Entry:
        """An entry as :meth:`as_json` writes it, checked field by field (ValueError naming
        the field): a crafted one must not reach the driver, whose ``--prune`` deletes the
        listed outputs."""
        if type(data) is not dict:
            raise ValueError("not an object")
        # Any: _entry_problem checks the types, which mypy cannot follow
        size: Any = data.get("size")
        mtime_ns: Any = data.get("mtime_ns")
        key: Any = data.get("key")
        outputs: Any = data.get("outputs", [])
        sha256: Any = data.get("sha256")
        failed: Any = data.get("failed", False)
        problem = _entry_problem(size, mtime_ns, key, outputs, sha256, failed)
        if problem:
            raise ValueError(problem)
        return cls(size, mtime_ns, key, tuple(outputs), sha256, failed)


@dataclass(slots=True)
class Manifest:
    """All entries, plus the batch profile learned last time and the inputs it came from."""

    entries: dict[str, Entry] = field(default_factory=dict)
    profile: dict[str, Any] | None = None
    profile_inputs: str | None = None
    version: str = ""
    key: str = ""
    # A JSONL run's manifest: the sha256 of the JSONL file it describes (None in a folder's),
    # so that a file replaced or half-updated behind its manifest is never reused.
    stream: str | None = None
    # Why the manifest file that exists could not be used (or its cached profile), for one
    # warning line; None when it was absent or fine. Not saved: it describes this load only.
    problem: str | None = None

    def header(self) -> tuple[Any, ...]:
        """Everything but the entries: when it and the entries are unchanged, a run need not
        rewrite the manifest."""
        return (self.version, self.key, self.profile, self.profile_inputs, self.stream)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "cleaner_version": self.version,
            "key": self.key,
            "profile": self.profile,
            "profile_inputs": self.profile_inputs,
            "files": {name: self.entries[name].as_json() for name in sorted(self.entries)},
        } | ({"stream": self.stream} if self.stream is not None else {})

    def save(self, out: Path, name: str = MANIFEST_NAME) -> None:
        """Write atomically (a reader sees the previous manifest or this one). Compact JSON:
        the C encoder is ten times faster than the indenting one, and nobody edits this file.
        ``name`` is another file name in ``out`` (a shard's own manifest)."""
        blob = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        atomic_write(out / name, (blob + "\n").encode("utf-8"))


def load(out: Path, name: str = MANIFEST_NAME) -> Manifest:
    """The manifest ``name`` in ``out``; never raises. Absent: an empty one (everything is new).
    Present but unreadable, corrupt, crafted or from a newer cleaner: an empty one too, with
    ``problem`` saying why, since cleaning everything again is always safe. A cached profile
    that is invalid is dropped (learned again) and also named in ``problem``."""
    try:
        data = json.loads((out / name).read_text(encoding="utf-8"))
        return _from_json(data)
    except (FileNotFoundError, NotADirectoryError):
        return Manifest()
    except _NewerFormat as exc:
        return Manifest(problem=f"manifest written by a newer cleaner (format {exc}); {_AGAIN}")
    except OSError as exc:
        return Manifest(problem=f"cannot read manifest ({_why(exc)}), {_AGAIN}")
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return Manifest(problem=f"corrupt manifest ({_why(exc)}), {_AGAIN}")


class _NewerFormat(ValueError):
    """The manifest's format is a later version of ours (the message is the format)."""


class _Invalid(ValueError):
    """A manifest that parses but is not one this cleaner wrote (the message says what)."""


def _why(exc: BaseException) -> str:
    if isinstance(exc, _Invalid):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"  # str(exc) repeats the path
    return f"{type(exc).__name__}: {_clip(' '.join(str(exc).split()))}"


def _quote(value: object) -> str:
    """A value quoted from a crafted file, as one short printable line (reprlib: a huge or
    deep value is abbreviated, not walked)."""
    return _clip(reprlib.repr(value))


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _from_json(data: object) -> Manifest:
    if type(data) is not dict:
        raise _Invalid("not a JSON object")
    _check_format(data.get("format"))
    manifest = Manifest(
        _entries(data.get("files", {})),
        version=_text(data, "cleaner_version"),
        key=_text(data, "key"),
        stream=_text(data, "stream") or None,
    )
    profile, inputs = data.get("profile"), data.get("profile_inputs")
    if (profile is None or _valid_profile(profile)) and (inputs is None or type(inputs) is str):
        manifest.profile, manifest.profile_inputs = profile, inputs
    else:
        manifest.problem = "invalid cached batch profile, it is learned again"
    return manifest


def _check_format(value: object) -> None:
    match = _FORMAT.fullmatch(value) if type(value) is str else None
    if match and int(match[1]) > FORMAT_VERSION:
        raise _NewerFormat(value)
    if value != MANIFEST_FORMAT:
        raise _Invalid(f"not a cleaner manifest: format {_quote(value)}, not {MANIFEST_FORMAT}")


def _entries(files: object) -> dict[str, Entry]:
    """Every entry, or _Invalid for the first bad one: one bad entry rejects the whole
    manifest, as whatever wrote it was not this cleaner and the rest cannot be trusted."""
    if type(files) is not dict:
        raise _Invalid("'files' is not an object")
    entries: dict[str, Entry] = {}
    for name, data in files.items():
        if type(name) is not str or not name:
            raise _Invalid(f"input name {_quote(name)} is not a non-empty string")
        try:
            entries[name] = Entry.from_json(data)
        except ValueError as exc:
            raise _Invalid(f"entry {_quote(name)}: {exc}") from exc
    return entries


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if type(value) is not str:
        raise _Invalid(f"{key!r} is not a string")
    return value


def _valid_profile(profile: object) -> bool:
    """The shape the driver reads back: ``lines`` (strings), ``files``, ``min_files``."""
    if type(profile) is not dict:
        return False
    lines = profile.get("lines")
    return (
        type(lines) is list
        and all(type(line) is str for line in lines)
        and _count(profile.get("files"))
        and _count(profile.get("min_files"))
    )


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
