"""Incremental runs, pruning, dry runs, time limits, fail-fast, jsonl and unwritable outputs."""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

import cleaner.batch as batch_module
import cleaner.batch.driver as driver_module
import cleaner.batch.engines as engines_module
import cleaner.pipeline as pipeline_module
import cleaner.write as write_module
from cleaner.batch import MANIFEST_NAME, OutputError, RunOptions, run, run_jsonl
from cleaner.config import Options
from cleaner.write import TEMP_PREFIX
from tests.test_batch import GOOD_TEXT, _site, _snapshot, _tree


def _mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*.txt")}


def _temps(root: Path) -> list[Path]:
    return list(root.rglob(TEMP_PREFIX + "*"))


def _forbid_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a no-op run started a pool or learned a profile")

    monkeypatch.setattr(engines_module, "ordered_map", boom)
    monkeypatch.setattr(driver_module, "learn_profile", boom)


def test_second_run_is_stat_only_and_touches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    _site(src / "site", 6)  # a profile is learned, then reused from the manifest
    first = run([src], out, options=Options(), run_options=RunOptions(batch_profile=True))
    assert first.cleaned == 9 and first.profile_lines
    before, mtimes = _snapshot(out), _mtimes(out)
    _forbid_pool(monkeypatch)
    again = run([src], out, options=Options(), run_options=RunOptions(batch_profile=True))
    assert (again.cleaned, again.up_to_date, again.failed) == (0, 9, [])
    assert again.profile_lines == first.profile_lines
    after = _snapshot(out)
    assert {k: v for k, v in after.items() if k != "cleaner-report.json"} == {
        k: v for k, v in before.items() if k != "cleaner-report.json"
    }
    assert _mtimes(out) == mtimes
    report = json.loads((out / "cleaner-report.json").read_text())
    assert report["counts"]["up_to_date"] == 9 and report["skipped"] == [
        {"source": "image.png", "reason": "unsupported file type"}
    ]  # up-to-date files are counted, not listed


def test_only_changed_inputs_are_cleaned(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    run([src], out, options=Options())
    later = time.time_ns() + 10_000_000_000
    os.utime(src / "top.text", ns=(later, later))  # touched: same bytes
    (src / "a" / "b" / "page.html").write_text(
        "<html><body><article><p>An entirely different article body that is long enough to"
        " be kept by the extractor as the main text.</p></article></body></html>"
    )
    planned: list[tuple[str, str]] = []
    dry = run(
        [src],
        out,
        options=Options(),
        run_options=RunOptions(dry_run=True),
        hooks=batch_module.Hooks(planned=lambda s, r: planned.append((s, r))),
    )
    assert planned == [("a/b/page.html", "changed")] and dry.up_to_date == 2
    report = run([src], out, options=Options())
    assert (report.cleaned, report.up_to_date) == (1, 2)
    assert "entirely different" in (out / "a" / "b" / "page.txt").read_text()
    assert run([src], out, options=Options()).up_to_date == 3  # the touch was recorded


def test_options_change_force_and_missing_outputs(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    run([src], out, options=Options())
    other = run([src], out, options=Options(remove_noise=False), run_options=RunOptions(
        dry_run=True
    ))
    assert {r for _s, r in other.planned} == {"options changed"}
    forced = run([src], out, options=Options(), run_options=RunOptions(force=True))
    assert forced.cleaned == 3
    (out / "top.json").unlink()
    report = run([src], out, options=Options())
    assert report.cleaned == 1 and (out / "top.json").is_file()


def test_failed_file_is_retried_next_run(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    (src / "later.txt").write_bytes(b"")
    assert [s for s, _ in run([src], out, options=Options()).failed] == ["later.txt"]
    again = run([src], out, options=Options())
    assert [s for s, _ in again.failed] == ["later.txt"] and again.up_to_date == 3
    (src / "later.txt").write_text(GOOD_TEXT)
    fixed = run([src], out, options=Options())
    assert (fixed.cleaned, fixed.failed) == (1, [])


def test_prune_removes_only_recorded_outputs(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    run([src], out, options=Options())
    (out / "mine.txt").write_text("not cleaner's")
    (src / "top.text").unlink()
    kept = run([src], out, options=Options())
    assert (out / "top.txt").is_file() and kept.pruned == 0
    pruned = run([src], out, options=Options(), run_options=RunOptions(prune=True))
    assert pruned.pruned == 1
    assert not (out / "top.txt").exists() and not (out / "top.json").exists()
    assert (out / "mine.txt").is_file() and (out / "a" / "story.txt").is_file()
    assert "top.text" not in json.loads((out / MANIFEST_NAME).read_text())["files"]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    report = run([src], out, options=Options(), run_options=RunOptions(dry_run=True))
    assert sorted(report.planned) == [
        ("a/b/page.html", "new"), ("a/story.txt.gz", "new"), ("top.text", "new")
    ]
    assert not out.exists()


def _slow_on_hang(
    data: bytes | str, *, name: str = "<input>", options: Options | None = None
) -> Any:
    if "hang" in name:
        time.sleep(120)
    return _real_clean(data, name=name, options=options)


_real_clean = pipeline_module.clean


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_file_is_stopped_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    (src / "hang.txt").write_text(GOOD_TEXT)
    monkeypatch.setattr(pipeline_module, "clean", _slow_on_hang)  # workers are forked
    started = time.monotonic()
    report = run([src], out, options=Options(), run_options=RunOptions(jobs=jobs, timeout=1.0))
    assert time.monotonic() - started < 60
    assert report.failed == [("hang.txt", "timed out after 1 s")]
    assert report.cleaned == 3 and (out / "top.txt").is_file()
    assert not _temps(out)


def test_fail_fast_stops_at_first_failure(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    (src / "a" / "aaa.txt").write_bytes(b"")  # sorts before the other files
    report = run([src], out, options=Options(), run_options=RunOptions(fail_fast=True))
    assert report.stopped_early and [s for s, _ in report.failed] == ["a/aaa.txt"]
    assert report.cleaned == 0


def test_jsonl_sorted_and_same_text_as_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    (src / "empty.txt").write_bytes(b"")
    run([src], tmp_path / "files", options=Options())
    dest = tmp_path / "all.jsonl"
    report = run_jsonl(
        [src], dest, options=Options(), run_options=RunOptions(jobs=2, batch_profile=True)
    )
    assert [s for s, _ in report.failed] == ["empty.txt"]
    rows = [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows] == ["a/b/page.html", "a/story.txt.gz", "top.text"]
    for row in rows:
        stem = batch_module.output_stem(row["source"])
        assert row["text"] == (tmp_path / "files" / f"{stem}.txt").read_text(encoding="utf-8")
        assert row["metadata"]["source"] == row["source"]
    assert not _temps(tmp_path)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_full_or_read_only_out_stops_with_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    run([src], out, options=Options())
    before = _snapshot(out)
    (src / "top.text").write_text(GOOD_TEXT + "\nOne more paragraph of the story, added later.\n")
    (src / "a" / "story.txt.gz").unlink()
    (src / "a" / "story.txt").write_text(GOOD_TEXT + "\nA changed ending of the story, too.\n")
    real_stage = write_module._stage

    def stage_json_fails(path: Path, data: bytes, folder: int, *, durable: bool) -> Any:
        if path.suffix == ".json":
            raise OSError(code, os.strerror(code))
        return real_stage(path, data, folder, durable=durable)

    monkeypatch.setattr(write_module, "_stage", stage_json_fails)
    with pytest.raises(OutputError, match=os.strerror(code)):
        run([src], out, options=Options(), run_options=RunOptions(jobs=2))
    monkeypatch.undo()
    assert _snapshot(out) == before  # the .txt staged before the failing .json was not renamed
    assert not _temps(out)
    assert _snapshot(src)  # inputs still there
    final = run([src], out, options=Options())
    assert final.cleaned == 2 and not final.failed
