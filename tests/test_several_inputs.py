"""Several input folders: each is mirrored under OUT by its own name, the shortest distinct
tail of its path when two share a name, and ``source`` says which folder a file came from."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner.batch import plan
from cleaner.batch.inputs import folder_labels
from cleaner.cli import app
from tests.conftest import ARTICLE


def _folder(path: Path, *names: str) -> Path:
    path.mkdir(parents=True)
    for name in names:
        (path / name).write_text(ARTICLE, encoding="utf-8")
    return path


def test_two_folders_are_mirrored_by_name(tmp_path: Path) -> None:
    d1 = _folder(tmp_path / "d1", "a.txt")
    d2 = _folder(tmp_path / "d2", "a.txt")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["clean", str(d1), str(d2), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "d1" / "a.txt").is_file() and (out / "d2" / "a.txt").is_file()
    meta = json.loads((out / "d2" / "a.json").read_text(encoding="utf-8"))
    assert meta["source"] == "d2/a.txt"


def test_folders_with_one_name_get_the_shortest_distinct_tail(tmp_path: Path) -> None:
    first = _folder(tmp_path / "scraped" / "site", "index.txt")
    second = _folder(tmp_path / "backup" / "site", "index.txt")
    other = _folder(tmp_path / "news", "index.txt")
    labels = folder_labels([first, second, other])
    assert labels == {first: "scraped/site", second: "backup/site", other: "news"}
    sources = [job.source for job in plan([first, second, other], tmp_path / "out").jobs]
    assert sources == ["backup/site/index.txt", "news/index.txt", "scraped/site/index.txt"]


def test_one_folder_is_mirrored_into_out_itself(tmp_path: Path) -> None:
    src = _folder(tmp_path / "src", "a.txt")
    assert [job.source for job in plan([src], tmp_path / "out").jobs] == ["a.txt"]
    # the same folder twice, spelled differently, is one folder
    again = plan([src, src / ".." / "src"], tmp_path / "out")
    assert [job.source for job in again.jobs] == ["a.txt"] and not again.errors


def test_a_wget_mirror_of_several_hosts_has_no_collisions(tmp_path: Path) -> None:
    hosts = [_folder(tmp_path / "mirror" / h, "index.txt") for h in ("a.com", "b.org", "c.net")]
    result = plan(hosts, tmp_path / "out")
    assert not result.errors
    assert [job.source for job in result.jobs] == [f"{h.name}/index.txt" for h in hosts]


def test_error_lines_name_the_file_as_typed(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.chdir(tmp_path)
    _folder(tmp_path / "d1", "a.txt")
    (tmp_path / "d1" / "empty.txt").write_bytes(b"")
    _folder(tmp_path / "d2", "b.txt")
    (tmp_path / "one.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["clean", "d1/", "d2", "one.txt", "--out", "out"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("cleaner: error")]
    assert errors == [
        "cleaner: error: d1/empty.txt: empty file",
        "cleaner: error: one.txt: empty file",
    ]
    report = json.loads((tmp_path / "out" / "cleaner-report.json").read_text(encoding="utf-8"))
    assert [f["source"] for f in report["failed"]] == ["d1/empty.txt", "one.txt"]


def test_a_folder_inside_another_input_folder_is_cleaned_once(tmp_path: Path) -> None:
    src = _folder(tmp_path / "src", "a.txt")
    _folder(src / "sub", "c.txt")
    sources = [job.source for job in plan([src, src / "sub"], tmp_path / "out").jobs]
    assert sources == ["a.txt", "sub/c.txt"]


def test_a_linked_folder_is_labelled_by_its_own_name(tmp_path: Path) -> None:
    first = _folder(tmp_path / "data" / "x" / "current", "a.txt")
    second = _folder(tmp_path / "data" / "y" / "current", "a.txt")
    (tmp_path / "siteA").symlink_to(first)
    (tmp_path / "siteB").symlink_to(second)
    labels = folder_labels([tmp_path / "siteA", tmp_path / "siteB"])
    assert labels == {tmp_path / "siteA": "siteA", tmp_path / "siteB": "siteB"}


def test_prune_keeps_the_outputs_of_files_the_patterns_leave_out(tmp_path: Path) -> None:
    src = _folder(tmp_path / "src", "a.txt", "b.txt")
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["clean", str(src), "--out", str(out)]).exit_code == 0
    args = ["clean", str(src), "--out", str(out), "--prune", "--exclude", "b.txt"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert (out / "b.txt").is_file() and "pruned" not in result.stderr
