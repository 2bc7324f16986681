"""Bounded memory: a file over the size cap fails before it is read, a gzip is decompressed
within the cap as it is read, and a worker over its memory limit fails that one file (issue 11;
``python -m bench.speed --only memory`` measures the same inputs end to end)."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from cleaner import read as read_module
from cleaner.batch import RunOptions, run
from cleaner.batch import pool as pool_module
from cleaner.batch.inputs import Job
from cleaner.batch.pool import OUT_OF_MEMORY_EXIT, PoolConfig, ordered_map
from cleaner.batch.work import memory_reason, scan
from cleaner.config import Options
from cleaner.errors import InputError
from tests.test_batch import GOOD_TEXT

SPARSE_BYTES = 2 * 1024**3
MB = 1024 * 1024
# The most a process that reads nothing big may grow by, in MB (imports included).
SMALL_GROWTH_MB = 80
ALLOCATION = 1024**3  # far beyond a worker's headroom over its size at the fork

# Reads one file as a worker does, in a fresh process: prints the outcome and the growth of
# its peak RSS (MB) over the imports.
_MEASURE = """
import resource, sys
from pathlib import Path
from cleaner.batch.inputs import Job
from cleaner.batch.work import process
from cleaner.config import Options
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path = Path(sys.argv[1])
job = Job(path, path.name, path.with_suffix(".out"))
outcome = process(job, Options(max_bytes=int(sys.argv[2])))
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(outcome.status, outcome.error, sep="\\t")
print(f"{grown:.0f}")
"""


def _sparse(path: Path, size: int = SPARSE_BYTES) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def _gzip_of_spaces(path: Path, size: int) -> Path:
    """A gzip file of ``size`` spaces, compressed piece by piece (a few hundred KB)."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    piece = b" " * MB
    with path.open("wb") as handle:
        for _ in range(size // MB):
            handle.write(deflate.compress(piece))
        handle.write(deflate.flush())
    return path


def _measure(path: Path, max_bytes: int) -> tuple[str, int]:
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), str(max_bytes)],
        check=True, capture_output=True, text=True,
    )
    outcome, grown = proc.stdout.strip().split("\n")
    return outcome, int(grown)


def test_a_huge_sparse_file_fails_before_it_is_read(tmp_path: Path) -> None:
    path = _sparse(tmp_path / "huge.txt")
    started = time.monotonic()
    outcome, grown = _measure(path, Options().max_bytes)
    assert outcome == f"failed\tfile size exceeds the limit of {Options().max_bytes} bytes"
    assert grown < SMALL_GROWTH_MB  # reading it would have taken 2 GB
    assert time.monotonic() - started < 30
    assert scan(Job(path, "huge.txt", tmp_path / "huge"), Options()) == set()


def test_a_gzip_over_the_cap_fails_within_the_cap(tmp_path: Path) -> None:
    cap = 8 * MB
    path = _gzip_of_spaces(tmp_path / "bomb.txt.gz", 256 * MB)
    assert path.stat().st_size < cap  # so only the decompressed size can be refused
    outcome, grown = _measure(path, cap)
    assert outcome == f"failed\tdecompressed size exceeds the limit of {cap} bytes"
    assert grown < SMALL_GROWTH_MB


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_file_that_grew_past_the_cap_after_the_stat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gzipped: bool
) -> None:
    path = tmp_path / "growing.txt"
    data = (GOOD_TEXT * 100).encode()
    path.write_bytes(gzip.compress(data, 0) if gzipped else data)  # level 0: no smaller
    cap = len(data) // 2
    # The size the stat saw, before the file grew past the cap.
    monkeypatch.setattr(read_module, "os", SimpleNamespace(stat=lambda _p: SimpleNamespace(
        st_size=cap)))
    with pytest.raises(InputError, match=f"file size exceeds the limit of {cap} bytes"):
        read_module.read_file(path, name="growing.txt", max_bytes=cap)


def _allocate(item: str) -> str:
    if item == "big":
        try:
            bytearray(ALLOCATION)
        except MemoryError:
            return memory_reason()
    return f"ok {item}"


def _allocate_uncaught(item: str) -> str:
    if item == "big":
        bytearray(ALLOCATION)
    return f"ok {item}"


def _crash(item: str, code: int | None) -> str:
    return f"crashed {item} {code}"


def _never(item: str, seconds: float) -> str:
    raise AssertionError(f"{item} timed out")


def test_a_worker_over_its_limit_fails_that_item_only() -> None:
    config = PoolConfig(workers=1, max_memory=1)  # 1 byte: the headroom over the fork applies
    results = list(
        ordered_map(_allocate, ["a", "big", "b"], config=config, on_timeout=_never,
                    on_crash=_crash)
    )
    assert results[0] == "ok a" and results[2] == "ok b"
    assert results[1].startswith("exceeds the memory limit (") and results[1].endswith(" MB)")


def test_an_uncaught_memory_error_is_a_crash_of_that_item_without_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    config = PoolConfig(workers=1, max_memory=1)
    results = list(
        ordered_map(_allocate_uncaught, ["a", "big", "b"], config=config, on_timeout=_never,
                    on_crash=_crash)
    )
    assert results == ["ok a", f"crashed big {OUT_OF_MEMORY_EXIT}", "ok b"]
    assert "Traceback" not in capfd.readouterr().err


def test_no_limit_means_no_rlimit() -> None:
    results = list(
        ordered_map(lambda _: memory_reason(), ["a"], config=PoolConfig(), on_timeout=_never,
                    on_crash=_crash)
    )
    assert results == ["document too large to process in memory"]


def test_a_run_fails_the_file_over_the_memory_limit_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers are forked, so they see this: a 64 MB budget over their size at the fork, which a
    # 40 MB text (the pipeline needs ~17x a text's size) exceeds within a second or two.
    monkeypatch.setattr(pool_module, "MIN_MEMORY_HEADROOM", 64 * MB)
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a-good.txt").write_text(GOOD_TEXT)
    (src / "b-big.txt").write_text((GOOD_TEXT + "\n") * (40 * MB // len(GOOD_TEXT)))
    (src / "c-good.txt").write_text(GOOD_TEXT)
    report = run([src], out, run_options=RunOptions(jobs=1, max_memory=1))
    failed = dict(report.failed)
    assert list(failed) == ["b-big.txt"]
    assert failed["b-big.txt"].startswith("exceeds the memory limit (")
    assert (out / "a-good.txt").is_file() and (out / "c-good.txt").is_file()
