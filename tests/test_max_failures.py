"""``--max-failures N|N%``: failures within the bound still print and go to the report, but the
exit code is 0, so a Makefile over a real scrape (with its few empty files) stays green."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.batch import FailureBound, RunReport
from cleaner.cli import app
from tests.conftest import ARTICLE


def _src(root: Path, good: int, bad: int) -> Path:
    root.mkdir()
    for i in range(good):
        (root / f"story{i}.txt").write_text(ARTICLE, encoding="utf-8")
    for i in range(bad):
        (root / f"empty{i}.html").write_bytes(b"")
    return root


def _clean(src: Path, out: Path, *flags: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["clean", str(src), "--out", str(out), *flags])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("bound", "code"),
    [("0", 1), ("1", 0), ("2", 0), ("25%", 0), ("10%", 1)],
)
def test_the_exit_code_follows_the_bound(tmp_path: Path, bound: str, code: int) -> None:
    src = _src(tmp_path / "src", good=3, bad=1)  # 1 failure of 4 files: 25%
    got, err = _clean(src, tmp_path / "out", "--max-failures", bound)
    assert got == code, err
    assert "empty0.html" in err  # the failure is printed either way
    report = json.loads((tmp_path / "out" / "cleaner-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["failed"] == 1


def test_a_rerun_with_the_same_bad_file_stays_green(tmp_path: Path) -> None:
    src = _src(tmp_path / "src", good=2, bad=1)
    for _ in range(2):
        code, err = _clean(src, tmp_path / "out", "--max-failures", "1")
        assert code == 0, err
    assert "within --max-failures 1: exit 0" in err


@pytest.mark.parametrize("text", ["-1", "x", "101%", "5 files", ""])
def test_a_bad_bound_is_a_usage_error(tmp_path: Path, text: str) -> None:
    src = _src(tmp_path / "src", good=1, bad=0)
    code, err = _clean(src, tmp_path / "out", "--max-failures", text)
    assert code == 2
    assert "--max-failures must be a count" in err
    assert not (tmp_path / "out").exists()


def test_the_share_counts_up_to_date_files_too() -> None:
    report = RunReport(cleaned=0, up_to_date=99, failed=[("a.html", "empty")])
    assert FailureBound.parse("1%").allows(report)
    assert not FailureBound.parse("0.5%").allows(report)


def test_a_run_stopped_by_fail_fast_is_never_tolerated(tmp_path: Path) -> None:
    src = _src(tmp_path / "src", good=0, bad=1)
    code, err = _clean(src, tmp_path / "out", "--max-failures", "5", "--fail-fast")
    assert code == 1, err


def test_exactly_the_percentage_is_within_the_bound() -> None:
    report = RunReport(cleaned=71, failed=[(f"f{i}", "empty") for i in range(29)])
    assert FailureBound.parse("29%").allows(report)  # 0.29 * 100 is 28.999... in floats
