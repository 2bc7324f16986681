from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from cleaner.write import (
    atomic_write,
    metadata_json,
    output_paths,
    remove_stale_temps,
    staged_text,
    sync_folder,
    write_files,
    write_outputs,
)


def test_atomic_write_skips_identical_bytes(tmp_path: Path) -> None:
    target = tmp_path / "d" / "f.txt"
    assert atomic_write(target, b"hello") is True
    os.utime(target, (1, 1))
    assert atomic_write(target, b"hello") is False
    assert target.stat().st_mtime == 1
    assert atomic_write(target, b"changed") is True
    assert target.read_bytes() == b"changed"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]


def test_metadata_json_is_sorted_and_unicode() -> None:
    assert metadata_json({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}\n'


def test_remove_stale_temps(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / ".cleaner-tmp-abc").write_bytes(b"half")
    (tmp_path / "keep.txt").write_bytes(b"ok")
    assert remove_stale_temps(tmp_path) == 1
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["keep.txt"]


def test_remove_stale_temps_spares_temps_younger_than_the_cutoff(tmp_path: Path) -> None:
    old, young = tmp_path / ".cleaner-tmp-old", tmp_path / ".cleaner-tmp-young"
    old.write_bytes(b"left by a killed run")
    young.write_bytes(b"another shard writing now")
    os.utime(old, (1_000.0, 1_000.0))
    assert remove_stale_temps(tmp_path, modified_before=2_000.0) == 1
    assert not old.exists() and young.exists()


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_outputs_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_outputs(tmp_path / "d" / "x", "text", {}, root=tmp_path)
        with staged_text(tmp_path / "all.jsonl") as sink:
            sink.write("{}\n")
    finally:
        os.umask(old)
    for name in ("d/x.txt", "d/x.json", "all.jsonl"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


@pytest.mark.parametrize(
    ("durable", "expected"),
    [
        (True, ["fsync", "fsync", "rename x.txt", "rename x.json"]),
        (False, ["rename x.txt", "rename x.json"]),  # the batch syncs OUT before its manifest
    ],
)
def test_every_file_is_fsynced_before_any_rename_unless_the_caller_syncs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool, expected: list[str]
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: str, dst: str, **kwargs: Any) -> None:
        events.append("rename " + dst)
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_outputs(tmp_path / "x", "text", {}, root=tmp_path, durable=durable)
    assert events == expected
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "text"


def test_sync_folder_syncs_the_folders_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []

    def syncfs(fd: int) -> int:
        synced.append(os.fstat(fd).st_ino)
        return 0

    monkeypatch.setattr("cleaner.write._syncfs", lambda: syncfs)
    sync_folder(tmp_path)
    assert synced == [tmp_path.stat().st_ino]


def test_sync_folder_falls_back_to_sync_and_reports_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr("cleaner.write._syncfs", lambda: None)
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    sync_folder(tmp_path)
    assert calls == ["sync"]
    monkeypatch.setattr("cleaner.write._syncfs", lambda: lambda fd: -1)
    with pytest.raises(OSError):
        sync_folder(tmp_path)


def test_the_real_syncfs_runs(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"data")
    sync_folder(tmp_path)  # raises on failure


def test_unchanged_outputs_are_not_touched_under_a_root(tmp_path: Path) -> None:
    stem = tmp_path / "a" / "b" / "x"
    write_outputs(stem, "text", {"k": 1}, root=tmp_path)
    for path in output_paths(stem):
        os.utime(path, (1, 1))
    assert write_files([(p, p.read_bytes()) for p in output_paths(stem)], root=tmp_path) == 0
    assert [p.stat().st_mtime for p in output_paths(stem)] == [1, 1]


def test_a_name_too_long_to_prefix_gets_a_hashed_temp_name(tmp_path: Path) -> None:
    name = "n" * 250  # the longest names a file system takes leave no room for the prefix
    assert atomic_write(tmp_path / name, b"data") is True
    assert (tmp_path / name).read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_a_fifo_at_a_destination_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.txt")
    write_outputs(tmp_path / "x", "text", {}, root=tmp_path)
    assert (tmp_path / "x.txt").read_text() == "text"
