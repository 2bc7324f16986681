from __future__ import annotations

import os
import time
from pathlib import Path

from cleaner.batch.pool import PoolConfig, ordered_map
from cleaner.manifest import (
    MANIFEST_NAME,
    Entry,
    Manifest,
    Stat,
    inputs_digest,
    load,
    run_key,
    sha256_file,
    stale_reason,
)

KEY = run_key("1.0", "abc")


def _entry_for(path: Path, *, key: str = KEY) -> Entry:
    stat = Stat.of(path)
    return Entry(stat.size, stat.mtime_ns, key, ("x.txt", "x.json"), sha256_file(path))


def test_round_trip_is_byte_stable(tmp_path: Path) -> None:
    manifest = Manifest({"b": Entry(1, 2, KEY), "a": Entry(3, 4, KEY, ("a.txt",), "f" * 64)})
    manifest.version, manifest.key = "1.0", KEY
    manifest.save(tmp_path)
    first = (tmp_path / MANIFEST_NAME).read_bytes()
    again = load(tmp_path)
    assert again.entries == manifest.entries
    again.save(tmp_path)
    assert (tmp_path / MANIFEST_NAME).read_bytes() == first


def test_missing_or_corrupt_manifest_means_everything_is_new(tmp_path: Path) -> None:
    assert load(tmp_path).entries == {}
    (tmp_path / MANIFEST_NAME).write_text("{not json")
    assert load(tmp_path).entries == {}
    (tmp_path / MANIFEST_NAME).write_text('{"format": "other"}')
    assert load(tmp_path).entries == {}


def test_stale_reasons(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("hello")
    entry = _entry_for(path)
    stat = Stat.of(path)
    assert stale_reason(None, stat, path, key=KEY, force=False) == ("new", None)
    assert stale_reason(entry, stat, path, key=KEY, force=False) == (None, None)
    assert stale_reason(entry, stat, path, key=KEY, force=True)[0] == "forced"
    assert stale_reason(entry, stat, path, key="other", force=False)[0] == "options changed"
    failed = Entry(stat.size, stat.mtime_ns, KEY, failed=True)
    assert stale_reason(failed, stat, path, key=KEY, force=False)[0] == "failed before"


def test_touch_is_not_a_change_but_new_bytes_are(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("hello")
    entry = _entry_for(path)
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))
    reason, touched = stale_reason(entry, Stat.of(path), path, key=KEY, force=False)
    assert reason is None and touched is not None and touched.mtime_ns == later
    path.write_text("HELLO")  # same size, other bytes
    assert stale_reason(entry, Stat.of(path), path, key=KEY, force=False)[0] == "changed"
    path.write_text("longer text")
    assert stale_reason(entry, Stat.of(path), path, key=KEY, force=False)[0] == "changed"


def test_inputs_digest_moves_with_any_stat() -> None:
    base = [("a", Stat(1, 2)), ("b", Stat(3, 4))]
    assert inputs_digest(base) == inputs_digest(list(base))
    assert inputs_digest(base) != inputs_digest([("a", Stat(1, 2)), ("b", Stat(3, 5))])
    assert inputs_digest(base) != inputs_digest(base[:1])


def _square_or_misbehave(n: int) -> int:
    if n == 3:
        time.sleep(60)
    if n == 5:
        os._exit(7)
    return n * n


def test_pool_kills_hung_and_survives_dead_workers_in_order() -> None:
    for workers in (1, 2):
        results = list(
            ordered_map(
                _square_or_misbehave,
                range(9),
                config=PoolConfig(workers=workers, timeout=1.0, chunk_size=3, max_ahead=8),
                on_timeout=lambda n, limit: -1000 - n,
                on_crash=lambda n, code: -2000 - n if code == 7 else 0,
            )
        )
        assert results == [0, 1, 4, -1003, 16, -2005, 36, 49, 64]


def test_pool_early_close_kills_workers() -> None:
    it = ordered_map(
        _square_or_misbehave,
        iter(range(100)),
        config=PoolConfig(workers=2, timeout=None),
        on_timeout=lambda n, limit: 0,
        on_crash=lambda n, code: 0,
    )
    assert next(it) == 0
    started = time.monotonic()
    it.close()  # type: ignore[attr-defined]
    assert time.monotonic() - started < 5  # did not wait for the 60 s sleep of item 3
