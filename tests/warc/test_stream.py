"""A WARC archive on stdin: one JSON line per page, in order, read in one pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import invoke
from tests.warc.common import FIXTURE_HOST, Rec, fixture_recs, http, write_warc

pytest.importorskip("fastwarc")
PAGES = 14


@pytest.mark.parametrize("packed", [True, False], ids=["record-gzipped", "plain"])
def test_an_archive_on_stdin_gives_a_json_line_per_page(tmp_path: Path, packed: bool) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, fixture_recs(), packed=packed)
    code, out, err = invoke("clean", "-", stdin=path.read_bytes())
    assert (code, err) == (0, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == PAGES
    assert lines[0]["source"] == "news.example.org/html/de-latin1-tagespost-demut"
    assert {line["metadata"]["warc"]["file"] for line in lines} == {"<stdin>"}


def test_a_cut_archive_on_stdin_cleans_what_came_and_says_what_did_not(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = write_warc(path, fixture_recs())
    cut = path.read_bytes()[: offsets[4] + 300]  # inside the second page
    code, out, err = invoke("clean", "-", stdin=cut)
    assert code == 1
    assert len(out.splitlines()) == 1
    assert err.startswith(
        f"cleaner: error: <stdin>: record at offset {offsets[4]}: record cut short"
    )
    assert len(err.splitlines()) == 1


def test_a_record_over_the_cap_on_stdin_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    big = http(b"<p>" + b"x" * 300_000 + b"</p>")
    recs = [Rec("response", f"{FIXTURE_HOST}/{name}", body) for name, body in
            (("a", http()), ("big", big), ("c", http()))]  # fmt: skip
    offsets = write_warc(path, recs)
    code, out, err = invoke("clean", "-", "--max-bytes", "100000", stdin=path.read_bytes())
    assert code == 1
    assert [json.loads(line)["source"] for line in out.splitlines()] == [
        "news.example.org/a", "news.example.org/c",
    ]  # fmt: skip
    assert err.splitlines() == [
        f"cleaner: error: <stdin>: record at offset {offsets[1]}: record of {len(big)} bytes"
        " over the size limit (100000)"
    ]


def test_a_page_on_stdin_is_still_one_document() -> None:
    page = b"<html><body><p>" + b"A line of text. " * 20 + b"</p>"
    code, out, _err = invoke("clean", "-", stdin=page)
    assert code == 0 and out.startswith("A line of text.")


def test_explain_refuses_an_archive_rather_than_explain_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, fixture_recs())
    code, out, err = invoke("explain", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"cleaner: error: {path}: a WARC archive holds many pages")


def test_data_a_stream_cannot_read_ends_it_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "damaged.warc.gz"
    offsets = write_warc(path, fixture_recs()[:5])
    data = bytearray(path.read_bytes())
    for at in range(offsets[3] + 20, offsets[3] + 60):
        data[at] ^= 0x55
    code, out, err = invoke("clean", "-", stdin=bytes(data))
    assert code == 1 and len(out.splitlines()) == 1
    assert err.startswith("cleaner: error: <stdin>: unreadable data after the record at offset")
    assert err.rstrip().endswith("the rest of the stream was not read")
