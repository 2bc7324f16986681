from __future__ import annotations

import os
from pathlib import Path

from cleaner.write import atomic_write, metadata_json, remove_stale_temps


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
