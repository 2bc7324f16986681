from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.batch import MANIFEST_NAME, REPORT_NAME, RunOptions, output_stem, plan, run
from cleaner.batch.inputs import Job
from cleaner.config import Options
from cleaner.manifest import Manifest
from cleaner.profile import Profile
from tests.test_extract import PAGE

GOOD_TEXT = (
    "A first paragraph of an article that is long enough to be read as prose.\n\n"
    "A second paragraph continues the story with more details, as articles do.\n"
)


def _tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "a" / "story.txt.gz").write_bytes(gzip.compress(GOOD_TEXT.encode()))
    (root / "top.text").write_text(GOOD_TEXT, encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _outputs(root: Path) -> dict[str, bytes]:
    """The snapshot without the manifest (which records how the profile was obtained)."""
    return {k: v for k, v in _snapshot(root).items() if k != MANIFEST_NAME}


@pytest.mark.parametrize(
    ("relative", "stem"),
    [("a/b/x.html.gz", "a/b/x"), ("x.txt", "x"), ("x.y.htm", "x.y"), ("X.HTML.GZ", "X")],
)
def test_output_stem(relative: str, stem: str) -> None:
    assert output_stem(relative) == stem


def test_run_mirrors_tree_and_writes_report(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    before = _snapshot(src)
    report = run([src], out, options=Options(), run_options=RunOptions(jobs=1))
    assert report.cleaned == 3 and not report.failed
    assert [s for s, _ in report.skipped] == ["image.png"]
    for stem in ("a/b/page", "a/story", "top"):
        assert (out / f"{stem}.txt").is_file()
        meta = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert meta["source"].startswith(stem.split("/")[-1]) or "/" in meta["source"]
    report_json = json.loads((out / REPORT_NAME).read_text(encoding="utf-8"))
    assert report_json["counts"] == {
        "cleaned": 3, "empty": 0, "up_to_date": 0, "skipped": 1, "failed": 0, "pruned": 0
    }
    assert _snapshot(src) == before  # inputs untouched
    assert not list(out.rglob(".cleaner-tmp-*"))


def test_the_manifest_is_saved_only_after_out_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers do not fsync each output; a manifest that claims them must follow a sync.
    events: list[str] = []
    real_save = Manifest.save

    def save(self: Manifest, out: Path, name: str = MANIFEST_NAME) -> None:
        events.append("save " + str(len(self.entries)))
        real_save(self, out, name)

    monkeypatch.setattr("cleaner.batch.driver.sync_folder", lambda out: events.append("sync"))
    monkeypatch.setattr(Manifest, "save", save)
    src, out = tmp_path / "src", tmp_path / "out"
    _tree(src)
    run([src], out, options=Options(), run_options=RunOptions(jobs=1))
    assert events == ["sync", "save 3"]


def test_jobs_do_not_change_outputs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    run([src], tmp_path / "o1", options=Options(), run_options=RunOptions(jobs=1))
    run([src], tmp_path / "o2", options=Options(), run_options=RunOptions(jobs=2))
    assert _snapshot(tmp_path / "o1") == _snapshot(tmp_path / "o2")


def test_collisions_are_errors_before_writing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "same.html").write_text(PAGE, encoding="utf-8")
    (src / "same.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (src / "other.txt").write_text(GOOD_TEXT, encoding="utf-8")
    the_plan = plan([src], tmp_path / "out")
    assert sorted(s for s, _ in the_plan.errors) == ["same.html", "same.txt"]
    assert [j.source for j in the_plan.jobs] == ["other.txt"]
    report = run([src], tmp_path / "out", options=Options())
    assert len(report.failed) == 2
    assert not (tmp_path / "out" / "same.txt").exists()
    assert (tmp_path / "out" / "other.txt").exists()


def test_out_inside_src_is_not_walked(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    run([src], src / "out", options=Options())
    report = run([src], src / "out", options=Options())
    assert (report.cleaned, report.up_to_date) == (0, 3) and not report.failed


def test_bad_files_fail_alone(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    (src / "empty.txt").write_bytes(b"")
    (src / "broken.html.gz").write_bytes(gzip.compress(PAGE.encode())[:40])
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (src / "latin.txt").write_bytes("Ein schöner Tag in Köln, sagte er.".encode("latin-1"))
    report = run([src], tmp_path / "out", options=Options())
    failed = dict(report.failed)
    assert set(failed) == {"empty.txt", "broken.html.gz", "binary.txt"}
    assert "empty" in failed["empty.txt"] and "gzip" in failed["broken.html.gz"]
    assert report.cleaned == 4
    assert not (tmp_path / "out" / "empty.txt").exists()
    assert (tmp_path / "out" / "latin.txt").read_text(encoding="utf-8").startswith("Ein schöner")


def _site(root: Path, n: int) -> None:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"story{i}.txt").write_text(
            "Home\n\nLocal News Network\n\n"
            f"Story number {i} begins with a sentence that is long enough to be prose.\n\n"
            "Weather Center And Forecast\n\n"
            f"Story number {i} continues with another sentence of the article here.\n\n"
            "Contact the Newsroom\n",
            encoding="utf-8",
        )


def test_batch_profile_drops_recurring_lines(tmp_path: Path) -> None:
    _site(tmp_path / "src", 6)
    src = [tmp_path / "src"]
    run(src, tmp_path / "on", options=Options(), run_options=RunOptions(batch_profile=True))
    run(src, tmp_path / "off", options=Options(), run_options=RunOptions(batch_profile=False))
    on = json.loads((tmp_path / "on" / "story0.json").read_text())
    off = (tmp_path / "off" / "story0.txt").read_text()
    reasons = {r["text"]: r["reason"] for r in on["removed"]}
    assert reasons["Weather Center And Forecast"].startswith("recurring boilerplate")
    assert "Weather Center And Forecast" in off  # 4 words: only the profile catches it
    assert (tmp_path / "on" / "story0.txt").read_text().count("Story number 0") == 2


def test_saved_profile_gives_the_same_output(tmp_path: Path) -> None:
    _site(tmp_path / "src", 6)
    run(
        [tmp_path / "src"],
        tmp_path / "a",
        options=Options(),
        run_options=RunOptions(batch_profile=True, save_profile=tmp_path / "profile.json"),
    )
    profile = Profile.load(tmp_path / "profile.json")
    assert "weather center and forecast" in profile.lines
    run([tmp_path / "src"], tmp_path / "b", options=Options(profile=profile))
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")


@pytest.mark.parametrize("writes_here", [True, False])
def test_workers_fsync_each_output_only_when_the_driver_cannot_sync_them(
    writes_here: bool,
) -> None:
    from cleaner.batch.engines import clean_all

    class Recording:
        def __init__(self) -> None:
            self.keywords: dict[str, object] = {}
            self.writes_here = writes_here

        def map(
            self, fn: functools.partial[object], _items: object, **_: object
        ) -> Iterator[object]:
            self.keywords = fn.keywords
            return iter(())

    engine = Recording()
    job = Job(Path("a.html"), "a.html", Path("a"))
    list(clean_all([job], Options(), engine=engine, timeout=None, write=True))  # type: ignore[arg-type]
    assert engine.keywords["durable"] is not writes_here


def test_a_dask_cluster_may_write_elsewhere() -> None:
    from cleaner.batch.dask import DaskEngine

    assert DaskEngine("tcp://127.0.0.1:1").writes_here is False  # does not connect
