"""Writes stay inside OUT: no write, rename or deletion through a symbolic link planted in it,
and temp-file sweeps never remove a live writer's temp file."""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import cleaner.write as write_module
from cleaner.batch import OutputError, RunOptions, run
from cleaner.config import Options
from cleaner.write import (
    TEMP_PREFIX,
    UnsafeOutput,
    atomic_write,
    remove_output,
    remove_stale_temps,
    staged_text,
    write_outputs,
)
from tests.conftest import ARTICLE

OLD = 1_000.0  # an mtime long past
HOLDER = (
    "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); "
    "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()"
)


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def _temps(root: Path) -> list[Path]:
    return list(root.rglob(TEMP_PREFIX + "*"))


def _dirs(tmp_path: Path) -> tuple[Path, Path]:
    out, victim = tmp_path / "o", tmp_path / "v"
    out.mkdir()
    victim.mkdir()
    return out, victim


@pytest.mark.parametrize("link", ["sub", "a/sub"])
def test_a_linked_folder_in_out_is_not_written_through(tmp_path: Path, link: str) -> None:
    out, victim = _dirs(tmp_path)
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    (out / link).symlink_to(victim, target_is_directory=True)
    with pytest.raises(UnsafeOutput) as caught:
        write_outputs(out / link / "deeper" / "x", "text", {}, root=out)
    assert caught.value.errno == errno.ELOOP
    assert caught.value.strerror == f"{out / link} is a symbolic link: not writing through it"
    assert _files(victim) == []
    assert not _temps(out)


def test_a_dangling_folder_link_creates_nothing(tmp_path: Path) -> None:
    out, victim = _dirs(tmp_path)
    (out / "sub").symlink_to(victim / "made")
    with pytest.raises(UnsafeOutput):
        write_outputs(out / "sub" / "x", "text", {}, root=out)
    assert not (victim / "made").exists()


@pytest.mark.parametrize("linked", [".txt", ".json"])
def test_a_linked_destination_is_refused_and_the_pair_is_untouched(
    tmp_path: Path, linked: str
) -> None:
    out, victim = _dirs(tmp_path)
    write_outputs(out / "x", "old", {"v": 1}, root=out)
    before = {p: p.read_bytes() for p in out.iterdir()}
    (victim / "theirs").write_bytes(b"not cleaner's")
    (out / f"x{linked}").unlink()
    (out / f"x{linked}").symlink_to(victim / "theirs")
    with pytest.raises(UnsafeOutput, match="x\\" + linked + " is a symbolic link"):
        write_outputs(out / "x", "new", {"v": 2}, root=out)
    assert (victim / "theirs").read_bytes() == b"not cleaner's"
    assert (out / f"x{linked}").is_symlink()
    other = out / ("x.json" if linked == ".txt" else "x.txt")
    assert other.read_bytes() == before[other]  # staged, then removed: the pair goes together
    assert not _temps(out)


def test_the_output_root_itself_may_be_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "o").symlink_to(real, target_is_directory=True)
    write_outputs(tmp_path / "o" / "d" / "x", "text", {}, root=tmp_path / "o")
    assert (real / "d" / "x.txt").read_text() == "text"


def test_a_stem_outside_the_root_is_refused(tmp_path: Path) -> None:
    out, victim = _dirs(tmp_path)
    for stem in (out / ".." / "v" / "x", victim / "x"):
        with pytest.raises(UnsafeOutput, match="is not inside the output folder") as caught:
            write_outputs(stem, "text", {}, root=out)
        assert caught.value.errno == errno.EINVAL
    assert _files(victim) == []


def test_without_a_root_folders_are_followed_as_named(tmp_path: Path) -> None:
    out, victim = _dirs(tmp_path)
    (out / "sub").symlink_to(victim, target_is_directory=True)
    write_outputs(out / "sub" / "x", "text", {})  # an API caller's own path
    assert (victim / "x.txt").read_text() == "text"


def test_atomic_write_refuses_a_planted_run_file_link(tmp_path: Path) -> None:
    out, victim = _dirs(tmp_path)
    (out / ".cleaner-manifest.json").symlink_to(victim / "m.json")
    with pytest.raises(UnsafeOutput, match=r"cleaner-manifest\.json is a symbolic link"):
        atomic_write(out / ".cleaner-manifest.json", b"{}\n")
    assert _files(victim) == []


def test_a_run_fails_only_the_file_behind_a_link(tmp_path: Path) -> None:
    src, out, victim = tmp_path / "src", tmp_path / "o", tmp_path / "v"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "x.txt").write_text(ARTICLE)
    (src / "top.txt").write_text(ARTICLE)
    out.mkdir()
    victim.mkdir()
    (out / "sub").symlink_to(Path("..") / "v", target_is_directory=True)
    report = run([src], out, options=Options(), run_options=RunOptions(batch_profile=False))
    reason = f"cannot write output: {out / 'sub'} is a symbolic link: not writing through it"
    assert report.failed == [("sub/x.txt", reason)]
    assert report.cleaned == 1 and not report.stopped_early  # not an unusable OUT
    assert _files(victim) == []


def test_a_run_stops_on_a_linked_report(tmp_path: Path) -> None:
    src, out, victim = tmp_path / "src", tmp_path / "o", tmp_path / "v"
    src.mkdir()
    (src / "top.txt").write_text(ARTICLE)
    out.mkdir()
    victim.mkdir()
    (out / "cleaner-report.json").symlink_to(victim / "r.json")
    with pytest.raises(OutputError, match=r"cleaner-report\.json is a symbolic link"):
        run([src], out, options=Options(), run_options=RunOptions(batch_profile=False))
    assert _files(victim) == []


def test_remove_output_never_deletes_through_a_link(tmp_path: Path) -> None:
    out, victim = _dirs(tmp_path)
    (out / "real").mkdir()
    for folder in (out / "real", victim):
        (folder / "x.txt").write_text("keep")
    (out / "in").symlink_to(out / "real", target_is_directory=True)
    (out / "out").symlink_to(victim, target_is_directory=True)
    (out / "file.txt").symlink_to(out / "real" / "x.txt")
    (out / "far.txt").symlink_to(victim / "x.txt")
    for relative in ("in/x.txt", "out/x.txt", "file.txt", "far.txt", "../v/x.txt", "no/x.txt"):
        assert remove_output(out, relative) is False, relative
    assert (out / "real" / "x.txt").read_text() == "keep"
    assert (victim / "x.txt").read_text() == "keep"
    assert (out / "file.txt").is_symlink() and (out / "far.txt").is_symlink()
    assert remove_output(out, "real/x.txt") is True
    assert not (out / "real" / "x.txt").exists()


def test_remove_stale_temps_does_not_follow_links(tmp_path: Path) -> None:
    out, victim = _dirs(tmp_path)
    (victim / (TEMP_PREFIX + "theirs")).write_bytes(b"x")
    (out / "sub").symlink_to(victim, target_is_directory=True)
    assert remove_stale_temps(out) == 0
    assert (victim / (TEMP_PREFIX + "theirs")).exists()


# Temp files are locked by their writer; sweeps remove only unlocked ones.


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Path]:
    """An old temp file held locked by another live process."""
    path = tmp_path / "d" / (TEMP_PREFIX + "x.txt.0123456789ab")
    path.parent.mkdir()
    path.write_bytes(b"a live write")
    os.utime(path, (OLD, OLD))
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    yield path
    if proc.stdin is not None:
        proc.stdin.close()
    proc.wait(timeout=30)


def test_a_sweep_spares_a_locked_temp_and_removes_a_dead_one(tmp_path: Path, held: Path) -> None:
    dead = tmp_path / (TEMP_PREFIX + "y.txt.0123456789ab")
    dead.write_bytes(b"left by a killed run")
    os.utime(dead, (OLD, OLD))
    assert remove_stale_temps(tmp_path) == 1
    assert remove_stale_temps(tmp_path, modified_before=OLD + 1) == 0
    assert held.read_bytes() == b"a live write" and not dead.exists()


def _is_locked(path: Path) -> bool:
    fd = os.open(path, os.O_RDONLY)  # another open file: flock conflicts even in-process
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_a_writer_holds_its_temp_locked_until_the_rename(tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    with staged_text(dest) as sink:
        sink.write("one line\n")
        sink.flush()
        (temp,) = _temps(tmp_path)
        os.utime(temp, (OLD, OLD))
        assert _is_locked(temp)
        assert remove_stale_temps(tmp_path) == 0
    assert dest.read_text() == "one line\n" and not _temps(tmp_path)


def test_a_sweep_between_creation_and_lock_makes_the_writer_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_lock = write_module._lock
    swept: list[int] = []

    def sweep_first(fd: int) -> None:
        if not swept:  # one sweep lands in the window, once
            swept.append(remove_stale_temps(tmp_path))
        real_lock(fd)

    monkeypatch.setattr(write_module, "_lock", sweep_first)
    write_outputs(tmp_path / "x", "text", {}, root=tmp_path)
    assert swept == [1]  # the first temp file was taken before it was locked
    assert (tmp_path / "x.txt").read_text() == "text" and not _temps(tmp_path)


def test_staged_text_removes_the_dead_temps_of_its_destination_only(
    tmp_path: Path, held: Path
) -> None:
    folder = held.parent
    dead = folder / (TEMP_PREFIX + "x.txt.aaaaaaaaaaaa")
    others = [
        folder / (TEMP_PREFIX + "y.txt.aaaaaaaaaaaa"),  # another destination
        folder / (TEMP_PREFIX + "x.txt.aaaaaaaaaaaa.bak"),  # not a temp name of x.txt
        folder / "sub" / (TEMP_PREFIX + "x.txt.aaaaaaaaaaaa"),  # another folder
    ]
    for path in [dead, *others]:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * 1000)
    with staged_text(folder / "x.txt") as sink:
        sink.write("new\n")
    assert not dead.exists() and held.exists() and all(p.exists() for p in others)
    assert (folder / "x.txt").read_text() == "new\n"


def test_staged_text_refuses_a_linked_destination(tmp_path: Path) -> None:
    out, victim = _dirs(tmp_path)
    (out / "all.jsonl").symlink_to(victim / "all.jsonl")
    with (
        pytest.raises(UnsafeOutput, match=r"all\.jsonl is a symbolic link"),
        staged_text(out / "all.jsonl") as sink,
    ):
        sink.write("never\n")
    assert _files(victim) == [] and not _temps(out)
