"""Stage 5, write: the ``.txt`` and ``.json`` of a document, atomically, and only inside OUT.

Each file is written to a temporary file in its destination folder and moved into place with
``os.replace``, which is atomic on POSIX: a reader (or ``make``) sees the old file or the new
one, never half of one, and a crash leaves at worst a temp file that a later sweep removes.
A document's files are all staged before any is renamed, so a full disk (which fails while
*writing* a temp file) leaves the old pair intact rather than a new ``.txt`` beside an old
``.json``. A file whose bytes would not change is not touched, so its mtime does not trigger
rebuilds.

Links: given the output folder ``root``, every folder below it is opened (or created) one name
at a time relative to its parent's descriptor, never following a symbolic link, and temp files
are created, renamed and deleted relative to their folder's descriptor: a link planted in OUT
cannot send a write, a rename or a ``--prune`` deletion outside it. ``root`` itself may be a
link (the user named it). A destination that is a link is refused rather than replaced: it was
not written by cleaner. (Should one appear after that check, the rename replaces the link
itself, which writes nothing outside OUT.) A refusal is a :class:`UnsafeOutput`, an
``OSError`` whose ``strerror`` names the path, so it fails that one file.

Modes: temp files are created with mode 0o666 and the kernel applies the umask, as for any new
file, so ``umask 077`` gives 0600 outputs. Nothing reads the umask, which could only be done by
setting it, racily with other threads.

Temp files: a writer holds an exclusive ``flock`` on its temp file from creation to rename or
removal, and a sweep deletes only temp files it can lock, so a sweep never removes another
run's live temp file, and a killed writer's lock goes with its process.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import secrets
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

try:
    import fcntl
except ImportError:  # not POSIX: temp files are not locked, and a sweep takes them all
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = ".cleaner-tmp-"
FILE_MODE = 0o666  # before the umask, which the kernel applies
NAME_MAX = 255  # bytes in one file name on Linux file systems
TOKEN_BYTES = 6  # random bytes ending a temp file's name, as hex
TEMP_ATTEMPTS = 100
_HEX = frozenset("0123456789abcdef")
# getattr: these flags are POSIX-only, and the module must still import elsewhere.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
# O_NONBLOCK: opening a FIFO planted at a destination must not hang the worker.
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC


class UnsafeOutput(OSError):
    """An output path refused: it goes through a symbolic link, or out of the output folder.
    ``strerror`` names the path; the errno (ELOOP, EINVAL) is not one that stops a run."""


def _shown(path: Path) -> str:
    """``path`` as one line of valid UTF-8: undecodable bytes as ``\\xHH``, controls escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _link_refused(path: Path) -> UnsafeOutput:
    return UnsafeOutput(errno.ELOOP, f"{_shown(path)} is a symbolic link: not writing through it")


def metadata_json(metadata: dict[str, Any]) -> str:
    """Stable JSON: sorted keys, two-space indent, UTF-8 characters kept, final newline."""
    return json.dumps(metadata, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# Folders, opened without following links.


def _is_link(folder: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _open_top(folder: Path, create: bool) -> int:
    """A descriptor of ``folder`` reached as the caller named it (links followed)."""
    try:
        return os.open(folder, _DIR_FLAGS)
    except FileNotFoundError:
        if not create:
            raise
    folder.mkdir(parents=True, exist_ok=True)
    return os.open(folder, _DIR_FLAGS)


def _subfolder(parent: int, name: str, path: Path) -> int:
    """A descriptor of the folder ``name`` in ``parent``; a link there is refused."""
    try:
        return os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=parent)
    except OSError as exc:
        # A link opened with O_DIRECTORY | O_NOFOLLOW fails with ENOTDIR, or ELOOP elsewhere.
        if exc.errno in (errno.ENOTDIR, errno.ELOOP) and _is_link(parent, name):
            raise _link_refused(path) from None
        raise


def _child(parent: int, name: str, path: Path, create: bool) -> int:
    """Like :func:`_subfolder`, creating the folder when it does not exist."""
    try:
        return _subfolder(parent, name, path)
    except FileNotFoundError:
        if not create:
            raise
    with contextlib.suppress(FileExistsError):  # another worker made it meanwhile
        os.mkdir(name, dir_fd=parent)
    return _subfolder(parent, name, path)


def _parts_below(root: Path, folder: Path) -> tuple[str, ...]:
    """The names leading from ``root`` down to ``folder``; refused unless it lies within."""
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        parts = ("..",)
    if ".." in parts:  # a descriptor walk would follow ".." up and out of root
        raise UnsafeOutput(
            errno.EINVAL, f"{_shown(folder)} is not inside the output folder {_shown(root)}"
        )
    return parts


def _open_below(root: Path, folder: Path, create: bool) -> int:
    """A descriptor of ``folder`` (at or below ``root``), reached from ``root`` one name at a
    time without following a link, each missing folder created when ``create``."""
    parts = _parts_below(root, folder)
    fd = _open_top(root, create)
    here = root
    try:
        for part in parts:
            here = here / part
            child = _child(fd, part, here, create)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


class _Folders:
    """The folders one write uses, each opened once: below ``root`` without following links
    (see :func:`_open_below`), or as named when ``root`` is None."""

    def __init__(self, root: Path | None, *, create: bool = True) -> None:
        self.root = root
        self.create = create
        self.fds: dict[Path, int] = {}

    def __enter__(self) -> _Folders:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for fd in self.fds.values():
            os.close(fd)

    def at(self, path: Path) -> tuple[int, str]:
        """The descriptor of ``path``'s folder and ``path``'s name in it."""
        folder = path.parent
        fd = self.fds.get(folder)
        if fd is None:
            if self.root is None:
                fd = _open_top(folder, self.create)
            else:
                fd = _open_below(self.root, folder, self.create)
            self.fds[folder] = fd
        return fd, path.name


# Temp files, locked by their writer.


def _lock(fd: int) -> None:
    if fcntl is None:
        return
    # A file system without flock: written unlocked, and sweeps there keep every temp file.
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX)


def _unlocked(fd: int) -> bool:
    """True when no writer holds ``fd``'s file; it is then locked by us until ``fd`` closes."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by a live writer (or not lockable here): kept
        return False
    return True


def _same_file(fd: int, folder: int, name: str) -> bool:
    """True when ``name`` in ``folder`` is still the file open as ``fd``."""
    try:
        named = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except OSError:
        return False
    return os.path.samestat(named, os.fstat(fd))


def _temp_head(dest: str) -> str:
    """How the temp files of ``dest`` are named, before a random token: after ``dest``, so a
    leftover is recognisable and found again, or after its hash when that would be too long."""
    head = f"{TEMP_PREFIX}{dest}."
    if len(os.fsencode(head)) + 2 * TOKEN_BYTES <= NAME_MAX:
        return head
    return f"{TEMP_PREFIX}{hashlib.sha256(os.fsencode(dest)).hexdigest()[:32]}."


def _is_temp_of(entry: str, head: str) -> bool:
    """True when ``entry`` is ``head`` (see :func:`_temp_head`) and a token, nothing else."""
    token = entry[len(head) :]
    return entry.startswith(head) and len(token) == 2 * TOKEN_BYTES and set(token) <= _HEX


@dataclass(slots=True)
class _Temp:
    """A locked temp file in ``folder`` (a descriptor), to be renamed over ``dest`` or removed.
    Closing it releases the lock, so it is closed only after the rename or the removal."""

    folder: int
    name: str
    dest: str
    fd: int

    def commit(self) -> None:
        os.replace(self.name, self.dest, src_dir_fd=self.folder, dst_dir_fd=self.folder)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.name, dir_fd=self.folder)

    def close(self) -> None:
        os.close(self.fd)


def _new_temp(folder: int, dest: str) -> _Temp:
    """A new temp file for ``dest`` in ``folder``, created empty and locked.

    A sweep may lock and delete the file in the instant between its creation and our lock;
    once locked, the name is checked to be still ours, else another name is tried. So a sweep
    needs no grace period for files too young to be locked yet.
    """
    head = _temp_head(dest)
    for _attempt in range(TEMP_ATTEMPTS):
        name = head + secrets.token_hex(TOKEN_BYTES)
        try:
            fd = os.open(name, _TEMP_FLAGS, FILE_MODE, dir_fd=folder)
        except FileExistsError:
            continue
        _lock(fd)
        if _same_file(fd, folder, name):
            return _Temp(folder, name, dest, fd)
        os.close(fd)
    raise FileExistsError(errno.EEXIST, f"no free temp file name for {dest}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _stage(path: Path, data: bytes, folder: int, *, durable: bool) -> _Temp:
    """A locked temp file holding ``data`` beside ``path`` (whose folder is open as ``folder``).
    ``durable``: fsynced before any rename, so a power cut cannot leave an empty file behind
    the new name; otherwise the caller syncs (see :func:`sync_folder`)."""
    temp = _new_temp(folder, path.name)
    try:
        _write_all(temp.fd, data)
        if durable:
            os.fsync(temp.fd)
    except BaseException:
        temp.discard()
        temp.close()
        raise
    return temp


# Writing.


def _refuse_link(folder: int, name: str, path: Path) -> None:
    if _is_link(folder, name):
        raise _link_refused(path)


def _holds_at(folder: int, name: str, data: bytes, path: Path) -> bool:
    """True when ``name`` in ``folder`` is a file whose bytes are exactly ``data``; a link
    there is refused."""
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=folder)
    except FileNotFoundError:
        return False
    except OSError:
        _refuse_link(folder, name, path)
        return False
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return handle.read() == data


def write_files(
    files: Sequence[tuple[Path, bytes]], *, root: Path | None = None, durable: bool = True
) -> int:
    """Write several files as one step: stage every changed one, then rename them all.

    Returns how many files changed. On any error every staged temp file is removed and no
    destination has been replaced (unless the error came from a rename itself, which on a
    local file system only happens for a vanished folder). With ``root``, every path must lie
    below it and is reached without following links (see the module's docstring).
    ``durable=False`` skips the fsync of each file, for a batch that calls
    :func:`sync_folder` before it records the files as written.
    """
    staged: list[_Temp] = []
    with _Folders(root) as folders:
        try:
            for path, data in files:
                folder, name = folders.at(path)
                if not _holds_at(folder, name, data, path):
                    staged.append(_stage(path, data, folder, durable=durable))
            for temp in staged:
                temp.commit()
        except BaseException:
            for temp in staged:
                temp.discard()
            raise
        finally:
            for temp in staged:
                temp.close()
    return len(staged)


def atomic_write(path: Path, data: bytes, *, root: Path | None = None) -> bool:
    """Write ``data`` to ``path`` atomically; return False when the file already held exactly
    it. A link at ``path`` is refused (see :func:`write_files` for ``root``)."""
    return write_files([(path, data)], root=root) > 0


def output_paths(stem: Path) -> tuple[Path, Path]:
    """The ``.txt`` and ``.json`` written for an output stem."""
    return stem.with_name(stem.name + ".txt"), stem.with_name(stem.name + ".json")


def write_outputs(
    stem: Path,
    text: str,
    metadata: dict[str, Any],
    *,
    root: Path | None = None,
    durable: bool = True,
) -> None:
    """Write ``stem.txt`` and ``stem.json`` together (see :func:`write_files`). ``root`` is the
    output folder the stem lies in: nothing is written outside it, nor through a link in it."""
    txt, meta = output_paths(stem)
    files = [(txt, text.encode("utf-8")), (meta, metadata_json(metadata).encode("utf-8"))]
    write_files(files, root=root, durable=durable)


def _syncfs() -> Callable[[int], int] | None:
    """libc's ``syncfs`` (Linux), which Python's ``os`` does not offer; None elsewhere."""
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return None


def sync_folder(folder: Path) -> None:
    """Flush to disk every file written on ``folder``'s file system: one call for a whole
    batch of non-durable writes, instead of an fsync per file (which cost a batch about three
    quarters of its wall time). Falls back to ``os.sync`` where ``syncfs`` is missing."""
    call = _syncfs()
    if call is None:
        os.sync()
        return
    fd = os.open(folder, _DIR_FLAGS)
    try:
        if call(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(folder))
    finally:
        os.close(fd)


@contextlib.contextmanager
def staged_text(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text file written through a temp file and renamed over ``path`` on success
    (removed on failure): for a stream too large to build in memory, such as a jsonl output.

    Dead temp files of earlier writes of ``path`` (a killed run's, which may be large) are
    removed first; a link at ``path`` is refused before anything is written.
    """
    with _Folders(None) as folders:
        folder, name = folders.at(path)
        _refuse_link(folder, name, path)
        _remove_dead_temps_of(folder, name)
        temp = _new_temp(folder, name)
        try:
            with os.fdopen(temp.fd, "w", encoding="utf-8", newline="\n", closefd=False) as sink:
                yield sink
            os.fsync(temp.fd)
            temp.commit()
        except BaseException:
            temp.discard()
            raise
        finally:
            temp.close()


# Removing.


def remove_output(root: Path, relative: str) -> bool:
    """Delete the output ``root/relative`` (for ``--prune``); False when it was not there.
    Never deletes outside ``root``, through a link, or a link itself (not cleaner's file)."""
    path = root / relative
    try:
        with _Folders(root, create=False) as folders:
            folder, name = folders.at(path)
            if not stat.S_ISREG(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode):
                return False
            os.unlink(name, dir_fd=folder)
    except (FileNotFoundError, NotADirectoryError, UnsafeOutput):
        return False
    return True


def _remove_if_dead(folder: int, name: str, modified_before: float | None) -> bool:
    """Delete the temp file ``name`` in ``folder`` when no live writer holds it (and it was
    last modified before ``modified_before``, if given); True when it was deleted."""
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=folder)
    except OSError:  # gone, or a link: not ours to delete
        return False
    try:
        if not _is_dead(fd, folder, name, modified_before):
            return False
        os.unlink(name, dir_fd=folder)  # still under our lock: no writer can have it now
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _is_dead(fd: int, folder: int, name: str, modified_before: float | None) -> bool:
    """True when the temp file open as ``fd`` is old enough and unlocked (locking it)."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        return False
    if modified_before is not None and info.st_mtime >= modified_before:
        return False
    # The name is checked under our lock: the writer may have renamed it over its destination
    # (and unlocked it by closing) since we opened it.
    return _unlocked(fd) and _same_file(fd, folder, name)


def _remove_dead_temps_of(folder: int, dest: str) -> int:
    """Delete the dead temp files of ``dest`` in ``folder`` (that folder only)."""
    head = _temp_head(dest)
    names = [entry for entry in os.listdir(folder) if _is_temp_of(entry, head)]
    return sum(_remove_if_dead(folder, entry, None) for entry in names)


def remove_stale_temps(root: Path, *, modified_before: float | None = None) -> int:
    """Delete the temp files under ``root`` that no live writer holds (left by a killed run);
    return how many. Links below ``root`` are not followed.

    With ``modified_before`` (a Unix time), only temp files last modified before it go.
    """
    try:
        top = os.open(root, _DIR_FLAGS)
    except OSError:
        return 0
    removed = 0
    try:
        # fwalk from the root's descriptor: the root may be a link, but nothing below it is
        # followed, and each folder is reached by descriptor.
        for _where, _dirs, files, folder in os.fwalk(".", dir_fd=top):
            temps = [name for name in files if name.startswith(TEMP_PREFIX)]
            removed += sum(_remove_if_dead(folder, name, modified_before) for name in temps)
    finally:
        os.close(top)
    return removed
