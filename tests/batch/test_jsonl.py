"""Incremental JSONL runs (cleaner.batch.jsonl): only stale inputs are cleaned, the records of
the others are copied, and the file is always the one a full run would write."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.batch import Hooks, RunOptions, report_path, run_jsonl
from cleaner.batch.jsonl import index, manifest_name
from cleaner.cli import app
from cleaner.config import Options
from tests.test_batch import GOOD_TEXT, _tree

FULL = RunOptions(jobs=1, force=True)
OTHER_TEXT = GOOD_TEXT.replace("first paragraph", "opening paragraph")


def _full(src: Path, tmp_path: Path, options: Options | None = None) -> bytes:
    """What a run from nothing writes, for comparison."""
    dest = tmp_path / "fresh" / "all.jsonl"
    run_jsonl([src], dest, options=options or Options(), run_options=FULL)
    return dest.read_bytes()


@pytest.fixture
def src(tmp_path: Path) -> Path:
    _tree(tmp_path / "src")
    return tmp_path / "src"


def _run(src: Path, dest: Path, **how: object) -> tuple[int, int, list[str]]:
    report = run_jsonl([src], dest, options=Options(), run_options=RunOptions(jobs=1, **how))  # type: ignore[arg-type]
    return report.cleaned, report.up_to_date, [source for source, _ in report.failed]


def test_a_second_run_cleans_nothing_and_keeps_the_bytes(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    assert _run(src, dest) == (3, 0, [])
    first = dest.read_bytes()
    os.utime(dest, ns=(5, 5))
    os.utime(src / "top.text", ns=(1, 1))  # touched: same bytes, so still up to date
    assert _run(src, dest) == (0, 3, [])
    assert dest.read_bytes() == first == _full(src, tmp_path)
    assert dest.stat().st_mtime_ns > 5  # touched: a make rule whose target it is is done


def test_a_changed_input_alone_is_cleaned(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    _run(src, dest)
    (src / "top.text").write_text(OTHER_TEXT, encoding="utf-8")
    assert _run(src, dest) == (1, 2, [])
    assert dest.read_bytes() == _full(src, tmp_path)
    assert "opening paragraph" in dest.read_text(encoding="utf-8")


def test_deleted_and_new_inputs(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    _run(src, dest)
    (src / "top.text").unlink()
    (src / "new.txt").write_text(OTHER_TEXT, encoding="utf-8")
    assert _run(src, dest) == (1, 2, [])
    assert dest.read_bytes() == _full(src, tmp_path)
    sources = [json.loads(line)["source"] for line in dest.read_text().splitlines()]
    assert sources == ["a/b/page.html", "a/story.txt.gz", "new.txt"]


def test_other_options_clean_everything(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    _run(src, dest)
    options = Options(remove_noise=False)
    report = run_jsonl([src], dest, options=options, run_options=RunOptions(jobs=1))
    assert (report.cleaned, report.up_to_date) == (3, 0)
    assert dest.read_bytes() == _full(src, tmp_path, options)


@pytest.mark.parametrize("how", ["edited", "replaced", "deleted"])
def test_a_file_changed_behind_its_manifest_is_not_reused(
    src: Path, tmp_path: Path, how: str
) -> None:
    dest = tmp_path / "all.jsonl"
    _run(src, dest)
    if how == "edited":  # a record changed by hand
        dest.write_text(dest.read_text().replace("first paragraph", "FIRST PARAGRAPH"))
    elif how == "replaced":  # e.g. a run with other options, killed before its manifest
        run_jsonl([src], tmp_path / "x.jsonl", options=Options(remove_noise=False))
        os.replace(tmp_path / "x.jsonl", dest)
    else:
        dest.unlink()
    notices: list[str] = []
    report = run_jsonl(
        [src], dest, run_options=RunOptions(jobs=1), hooks=Hooks(notice=notices.append)
    )
    assert (report.cleaned, report.up_to_date) == (3, 0)
    assert any("is not the file its manifest describes" in n for n in notices)
    assert dest.read_bytes() == _full(src, tmp_path)


def test_a_failed_input_is_tried_again_and_reported(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    (src / "empty.txt").write_bytes(b"")
    assert _run(src, dest) == (3, 0, ["empty.txt"])
    assert _run(src, dest) == (0, 3, ["empty.txt"])
    report = json.loads(report_path(dest).read_text())
    assert report["counts"]["failed"] == 1 and report["counts"]["up_to_date"] == 3
    assert [failure["source"] for failure in report["failed"]] == ["empty.txt"]


def test_fail_fast_leaves_the_rest_for_the_next_run(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    (src / "a" / "aaa.txt").write_bytes(b"")  # sorts first
    assert _run(src, dest, fail_fast=True) == (0, 0, ["a/aaa.txt"])
    (src / "a" / "aaa.txt").unlink()
    assert _run(src, dest) == (3, 0, [])
    assert dest.read_bytes() == _full(src, tmp_path)


def test_dry_run_lists_reasons_and_writes_nothing(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "all.jsonl"
    _run(src, dest)
    (src / "top.text").write_text(OTHER_TEXT, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    report = run_jsonl([src], dest, run_options=RunOptions(jobs=1, dry_run=True))
    assert report.planned == [("top.text", "changed")]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_sidecars_and_the_summary_name_the_report(src: Path, tmp_path: Path) -> None:
    dest = tmp_path / "corpus" / "all.jsonl"  # the folder is made
    result = CliRunner().invoke(app, ["clean", str(src), "--format", "jsonl", "-o", str(dest)])
    assert result.exit_code == 0, result.stderr
    assert f"(report: {report_path(dest)})" in result.stderr
    names = sorted(p.name for p in dest.parent.iterdir())
    assert names == [
        ".all.jsonl.cleaner-lock",
        manifest_name(dest),
        "all.jsonl",
        "all.jsonl.cleaner-report.json",
    ]


def test_index_of_a_file_that_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("not json\n")
    assert index(path).records == {} and index(path).sha256 == "unreadable"
    assert index(tmp_path / "missing.jsonl").sha256 is None


def test_stdout_writes_no_sidecar(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["clean", str(src), "--format", "jsonl", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.count("\n") == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_no_inputs_still_write_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    dest = tmp_path / "all.jsonl"
    for _ in range(2):
        assert _run(tmp_path / "src", dest) == (0, 0, [])
        assert dest.read_bytes() == b""
