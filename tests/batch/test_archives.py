"""WARC archives in a run: found in the walk, cleaned page by page, incremental per archive."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import time
from pathlib import Path

import pytest

from cleaner.batch import archives as archives_module
from cleaner.batch import engines as engines_module
from cleaner.batch.pages import PageJob, process_page
from cleaner.config import Options
from cleaner.pipeline import clean
from cleaner.read import read
from tests.test_cli import invoke
from tests.warc.common import (
    FIXTURE_HOST,
    Rec,
    fixture_pages,
    fixture_recs,
    http,
    record_bytes,
    write_warc,
)

pytest.importorskip("fastwarc")

PAGES = 14  # the fixture pages; the crawl also holds 17 records that are not pages


def _crawl(root: Path, **write: bool) -> Path:
    """src/ holding crawl.warc.gz (the fixture pages) and one ordinary page beside it."""
    src = root / "src"
    src.mkdir()
    write_warc(src / "crawl.warc.gz", fixture_recs(), **write)
    (src / "beside.html").write_bytes(fixture_pages()[0][1])
    return src


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _texts(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.txt")}


def test_a_crawl_cleans_to_the_texts_of_its_pages_as_files(tmp_path: Path) -> None:
    src, out = _crawl(tmp_path), tmp_path / "out"
    code, _out, err = invoke("clean", str(src), "--out", str(out), "--jobs", "2")
    assert code == 0, err
    assert f"{PAGES + 1} cleaned, 0 skipped (and 17 archive records that are not pages)" in err
    texts = _texts(out)
    for name, data, media in fixture_pages():
        stem = name.rsplit(".", 1)[0]
        expected = clean(read(data, name=name, max_bytes=Options().max_bytes), name=name).text
        assert texts[f"crawl/news.example.org/{media.split('/')[1]}/{stem}.txt"] == expected
    assert len(texts) == PAGES + 1  # and beside.txt


def test_a_page_s_metadata_names_its_archive_record_and_fetch(tmp_path: Path) -> None:
    src, out = _crawl(tmp_path), tmp_path / "out"
    assert invoke("clean", str(src), "--out", str(out))[0] == 0
    meta = json.loads((out / "crawl/news.example.org/plain/seed-syria.json").read_text("utf-8"))
    assert meta["source"] == "crawl/news.example.org/plain/seed-syria"
    assert meta["url"] == f"{FIXTURE_HOST}/plain/seed-syria.txt"  # a text names no URL
    assert meta["fetched"] == "2026-11-30T10:00:00Z"
    assert meta["warc"]["file"] == "crawl.warc.gz" and meta["warc"]["uri"] == meta["url"]
    assert meta["warc"]["record_id"].startswith("<urn:uuid:")
    report = json.loads((out / "cleaner-report.json").read_text("utf-8"))
    assert report["records_skipped"] == {
        "HTTP status 301": 1, "content type image/png": 1, "request record": 14,
        "warcinfo record": 1,
    }  # fmt: skip


def test_jobs_1_and_2_write_the_same_bytes(tmp_path: Path) -> None:
    src = _crawl(tmp_path)
    for jobs in ("1", "2"):
        assert invoke("clean", str(src), "--out", str(tmp_path / jobs), "--jobs", jobs)[0] == 0
        jsonl = str(tmp_path / f"{jobs}.jsonl")
        assert (
            invoke("clean", str(src), "--out", jsonl, "--format", "jsonl", "--jobs", jobs)[0] == 0
        )
    assert _tree(tmp_path / "1") == _tree(tmp_path / "2")
    assert (tmp_path / "1.jsonl").read_bytes() == (tmp_path / "2.jsonl").read_bytes()


def test_an_unchanged_archive_is_up_to_date_and_a_changed_one_drops_gone_pages(
    tmp_path: Path,
) -> None:
    src, out = _crawl(tmp_path), tmp_path / "out"
    assert invoke("clean", str(src), "--out", str(out))[0] == 0
    code, _out, err = invoke("clean", str(src), "--out", str(out))
    assert code == 0 and "0 cleaned, 0 skipped, 0 failed, 2 up to date" in err
    (src / "crawl.warc.gz").touch()  # touched, not changed: its hash says so
    code, _out, err = invoke("clean", str(src), "--out", str(out))
    assert code == 0 and "0 cleaned, 0 skipped, 0 failed, 2 up to date" in err
    kept = [r for r in fixture_recs() if "seed-syria" not in r.uri]
    write_warc(src / "crawl.warc.gz", kept)
    code, _out, err = invoke("clean", str(src), "--out", str(out))
    assert code == 0 and f"{PAGES - 1} cleaned" in err and "1 up to date" in err
    assert not (out / "crawl/news.example.org/plain/seed-syria.txt").exists()
    assert len(_texts(out)) == PAGES
    (src / "crawl.warc.gz").unlink()
    code, _out, err = invoke("clean", str(src), "--out", str(out), "--prune")
    assert code == 0 and "1 pruned" in err
    assert list(_texts(out)) == ["beside.txt"]
    assert not [path for path in (out / "crawl").rglob("*") if path.is_file()]


def test_jsonl_holds_the_pages_in_archive_order_and_copies_an_unchanged_archive(
    tmp_path: Path,
) -> None:
    src, dest = _crawl(tmp_path), tmp_path / "corpus.jsonl"
    assert invoke("clean", str(src), "--out", str(dest), "--format", "jsonl")[0] == 0
    first = dest.read_bytes()
    lines = [json.loads(line) for line in first.splitlines()]
    assert lines[0]["source"] == "beside.html"
    offsets = [line["metadata"]["warc"]["offset"] for line in lines[1:]]
    assert len(offsets) == PAGES and offsets == sorted(offsets)
    code, _out, err = invoke("clean", str(src), "--out", str(dest), "--format", "jsonl")
    assert code == 0 and "0 cleaned, 0 skipped, 0 failed, 2 up to date" in err
    (src / "beside.html").write_bytes(fixture_pages()[1][1])  # the file changes, not the crawl
    code, _out, err = invoke("clean", str(src), "--out", str(dest), "--format", "jsonl")
    assert code == 0 and "1 cleaned" in err and "1 up to date" in err
    assert dest.read_bytes().splitlines()[1:] == first.splitlines()[1:]


def test_stdout_jsonl_streams_every_page(tmp_path: Path) -> None:
    src = _crawl(tmp_path)
    code, out, err = invoke("clean", str(src), "--out", "-", "--format", "jsonl")
    assert code == 0, err
    assert len(out.splitlines()) == PAGES + 1


def test_an_archive_gzipped_whole_is_read_in_one_pass(tmp_path: Path) -> None:
    src, out = _crawl(tmp_path), tmp_path / "out"
    whole = tmp_path / "whole"
    whole.mkdir()
    plain = write_warc(whole / "crawl.warc", fixture_recs(), packed=False)
    assert plain  # the same records, then gzipped as one member
    (whole / "crawl.warc.gz").write_bytes(gzip.compress((whole / "crawl.warc").read_bytes()))
    (whole / "crawl.warc").unlink()
    assert invoke("clean", str(src), "--out", str(out))[0] == 0
    code, _out, err = invoke("clean", str(whole), "--out", str(tmp_path / "out2"), "--jobs", "2")
    assert code == 0 and f"{PAGES} cleaned" in err
    texts = {k: v for k, v in _texts(out).items() if k != "beside.txt"}
    assert _texts(tmp_path / "out2") == texts


def _broken(src: Path) -> dict[str, int]:
    """Three archives with one bad record each (and a WARC that is not one): their offsets."""
    good = Rec("response", f"{FIXTURE_HOST}/good", http())
    cut = Rec("response", f"{FIXTURE_HOST}/cut", http(), claimed=5000)
    offsets = write_warc(
        src / "cut.warc.gz", [good, cut, Rec("response", f"{FIXTURE_HOST}/after", http())]
    )
    big = Rec("response", f"{FIXTURE_HOST}/big", http(b"<p>" + b"x" * 300_000 + b"</p>"))
    big_offsets = write_warc(src / "big.warc.gz", [good, big])
    (src / "fake.warc.gz").write_bytes(gzip.compress(b"<html><p>not an archive</p></html>"))
    return {"cut": offsets[1], "big": big_offsets[1]}


def test_bad_records_cost_one_line_each_and_the_batch_goes_on(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    at = _broken(src)
    before = {name: hashlib.sha256(data).hexdigest() for name, data in _tree(src).items()}
    code, _out, err = invoke("clean", str(src), "--out", str(out), "--max-bytes", "100000")
    assert code == 1
    lines = sorted(line for line in err.splitlines() if line.startswith("cleaner: error:"))
    errors = [re.sub(r"short \([0-9]+ of", "short (N of", line) for line in lines]
    assert errors == [
        f"cleaner: error: {src}/big.warc.gz: record at offset {at['big']}: record of"
        f" {len(http(b'<p>' + b'x' * 300_000 + b'</p>'))} bytes over the size limit (100000)",
        f"cleaner: error: {src}/cut.warc.gz: record at offset {at['cut']}: record cut short"
        " (N of 5000 bytes)",
        f"cleaner: error: {src}/fake.warc.gz: not a WARC file (no WARC/1.x record at offset 0)",
    ]
    assert "3 cleaned" in err and "3 failed" in err  # good twice and after; a line per bad record
    assert (out / "cut/news.example.org/after.txt").is_file()
    after = {name: hashlib.sha256(data).hexdigest() for name, data in _tree(src).items()}
    assert after == before  # inputs untouched


def test_a_page_over_the_time_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(page: PageJob, options: Options, **how: bool):  # type: ignore[no-untyped-def]
        if page.uri.endswith("seed-syria.txt"):
            time.sleep(30)
        return process_page(page, options, **how)

    monkeypatch.setattr(engines_module, "process_page", slow)
    src, out = _crawl(tmp_path), tmp_path / "out"
    code, _out, err = invoke("clean", str(src), "--out", str(out), "--jobs", "2", "--timeout", "2")
    assert code == 1
    assert (
        f"cleaner: error: {src}/crawl.warc.gz: record at offset" in err
        and f"({FIXTURE_HOST}/plain/seed-syria.txt): timed out after 2 s" in err
    )
    assert f"{PAGES} cleaned" in err
    # The archive failed, so it is read again; only the page fails, within the bound.
    code, _out, err = invoke(
        "clean", str(src), "--out", str(out), "--timeout", "2", "--max-failures", "1"
    )
    assert code == 0 and f"{PAGES - 1} cleaned" in err and "within --max-failures 1" in err


def test_without_the_warc_extra_an_archive_is_one_line_saying_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives_module, "available", lambda: False)
    src, out = _crawl(tmp_path), tmp_path / "out"
    code, _out, err = invoke("clean", str(src), "--out", str(out))
    assert code == 1
    assert (
        f"cleaner: error: {src}/crawl.warc.gz: reading a WARC archive needs the warc extra,"
        " not installed: pip install 'cleaner-news[warc]'"
    ) in err.splitlines()
    assert "1 cleaned" in err


def test_a_page_never_overwrites_the_output_of_a_file(tmp_path: Path) -> None:
    src, out = _crawl(tmp_path), tmp_path / "out"
    clash = src / "crawl" / "news.example.org" / "plain"
    clash.mkdir(parents=True)
    (clash / "seed-syria.html").write_bytes(fixture_pages()[0][1])
    code, _out, err = invoke("clean", str(src), "--out", str(out))
    assert code == 1
    assert (
        "collides with the input crawl/news.example.org/plain/seed-syria.html" in err
        and f"{PAGES + 1} cleaned" in err
    )
    meta = json.loads((out / "crawl/news.example.org/plain/seed-syria.json").read_text("utf-8"))
    assert meta["source"] == "crawl/news.example.org/plain/seed-syria.html"


def test_shards_split_by_archive_and_together_equal_one_run(tmp_path: Path) -> None:
    src, one, shards = _crawl(tmp_path), tmp_path / "one", tmp_path / "shards"
    write_warc(src / "second.warc.gz", fixture_recs()[:9])
    assert invoke("clean", str(src), "--out", str(one))[0] == 0
    for index in ("1/2", "2/2"):
        assert invoke("clean", str(src), "--out", str(shards), "--shard", index)[0] == 0
    texts = _texts(shards)
    assert texts == _texts(one) and len(texts) == PAGES + 1 + 3


def test_two_archives_never_write_the_same_page(tmp_path: Path) -> None:
    """crawl/x.warc.gz's https://example.com/b/c and crawl/x/example.com.warc.gz's https://b/c
    both map to crawl/x/example.com/b/c: the first in order keeps it, the other fails, and an
    archive up to date keeps its pages against one cleaned later."""
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "crawl" / "x").mkdir(parents=True)
    write_warc(src / "crawl/x.warc.gz", [Rec("response", "https://example.com/b/c", http())])
    inner = src / "crawl/x/example.com.warc.gz"
    write_warc(inner, [Rec("response", "https://b/c", http())])
    code, _out, err = invoke("clean", str(src), "--out", str(out))
    assert code == 1 and "1 cleaned" in err and "1 failed" in err
    assert "collides with page crawl/x/example.com/b/c of crawl/x.warc.gz" in err
    write_warc(
        inner, [Rec("response", "https://b/c", http()), Rec("response", "https://b/d", http())]
    )
    code, _out, err = invoke("clean", str(src), "--out", str(out))
    assert code == 1 and "collides with a page of crawl/x.warc.gz" in err
    meta = json.loads((out / "crawl/x/example.com/b/c.json").read_text("utf-8"))
    assert meta["warc"]["file"] == "crawl/x.warc.gz"


def test_a_page_that_fails_in_an_archive_gzipped_whole_costs_itself(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    broken = http(b"not gzip at all", headers=("Content-Type: text/html", "Content-Encoding: br"))
    recs = [Rec("response", f"{FIXTURE_HOST}/{name}", body, number=k) for k, (name, body) in
            enumerate((("a", http()), ("bad", broken), ("c", http())))]  # fmt: skip
    data = b"".join(record_bytes(rec) for rec in recs)
    (src / "whole.warc.gz").write_bytes(gzip.compress(data, mtime=0))
    code, _out, err = invoke("clean", str(src), "--out", str(out), "--jobs", "2")
    assert code == 1 and "2 cleaned" in err and "1 failed" in err
    assert f"({FIXTURE_HOST}/bad): " in err and "changed since it was scanned" not in err
