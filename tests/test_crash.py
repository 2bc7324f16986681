"""A run killed with SIGKILL at random moments, then re-run, ends byte-identical to an
uninterrupted run, with no temp files left and the inputs untouched."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.batch import REPORT_NAME
from cleaner.write import TEMP_PREFIX
from tests.conftest import ARTICLE
from tests.test_batch import _snapshot
from tests.test_extract import PAGE

SEED = 20261128
KILLS = 4
# The manifest is flushed after every file here, so kills land between every kind of write.
RUNNER = (
    "import sys, cleaner.settings as s; s.MANIFEST_FLUSH_SECONDS = 0.0; "
    "from cleaner.cli import main; sys.argv = ['cleaner', *sys.argv[1:]]; main()"
)


def _inputs(root: Path, *, archive: bool = False) -> None:
    root.mkdir()
    if archive:  # 14 pages, scanned then cleaned page by page: kills land inside it too
        from tests.warc.common import fixture_recs, write_warc

        write_warc(root / "crawl.warc.gz", fixture_recs())
    for i in range(24):
        sub = root / f"d{i % 3}"
        sub.mkdir(exist_ok=True)
        (sub / f"story {i}.txt").write_text(ARTICLE.replace("Tuesday", f"day {i}"))
    for i in range(6):
        (root / f"page{i}.html").write_text(PAGE.replace("</body>", f"<p>{i}</p></body>"))


def _clean(src: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, "clean", str(src), "--out", str(out), "-j", "2", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _result(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in _snapshot(out).items() if k != REPORT_NAME}


@pytest.mark.parametrize("archive", [False, True], ids=["files", "with-an-archive"])
def test_killed_runs_resume_to_the_same_bytes(tmp_path: Path, archive: bool) -> None:
    if archive:
        pytest.importorskip("fastwarc")
    src, ref, out = tmp_path / "src", tmp_path / "ref", tmp_path / "out"
    _inputs(src, archive=archive)
    inputs = _snapshot(src)
    started = time.monotonic()
    assert _clean(src, ref).wait(timeout=300) == 0
    full = time.monotonic() - started
    rng = random.Random(SEED)
    for _ in range(KILLS):
        proc = _clean(src, out)
        time.sleep(rng.uniform(0.2, full))
        proc.send_signal(signal.SIGKILL)  # the parent only: its workers must die with it
        proc.wait(timeout=60)
    time.sleep(0.5)
    assert _clean(src, out).wait(timeout=300) == 0
    assert _result(out) == _result(ref)
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX)]
    assert _snapshot(src) == inputs
    if shutil.which("pgrep"):  # no worker outlived its killed parent
        orphans = subprocess.run(
            ["pgrep", "-f", RUNNER[:40]], capture_output=True, text=True, check=False
        )
        assert orphans.stdout.split() == []
