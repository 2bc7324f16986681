"""The first pass over an archive: page offsets, skips by reason, errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cleaner.warc.records import records
from cleaner.warc.scan import scan
from tests.warc.common import PAGE, Rec, http, record_bytes, write_warc

pytest.importorskip("fastwarc")
CAP = 1024 * 1024


def _mixed(path: Path) -> list[int]:
    recs = [
        Rec("warcinfo", "", b"software: test\r\n"),
        Rec("response", "http://x.org/a", http()),
        Rec("request", "http://x.org/a", b"GET /a HTTP/1.1\r\n\r\n"),
        Rec("response", "http://x.org/b", http(status="404 Not Found")),
        Rec("response", "http://x.org/c", http()),
        Rec("response", "http://x.org/d", b"garbage"),
        Rec("response", "http://x.org/e", http()),
    ]
    return write_warc(path, recs)


def test_scan_finds_pages_skips_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    offsets = _mixed(path)
    found = scan(path, max_bytes=CAP)
    assert [page.offset for page in found.pages] == [offsets[1], offsets[4], offsets[6]]
    assert [page.uri for page in found.pages] == ["http://x.org/a", "http://x.org/c", "http://x.org/e"]
    assert found.skipped == {"warcinfo record": 1, "request record": 1, "HTTP status 404": 1}
    assert found.errors == [(offsets[5], "not an HTTP response")]
    assert not found.sequential


def test_a_worker_reads_a_page_from_its_offset_alone(tmp_path: Path) -> None:
    path = tmp_path / "many.warc.gz"
    offsets = write_warc(path, [Rec("response", f"http://x.org/{k}", http()) for k in range(5)])
    pages = scan(path, max_bytes=CAP).pages
    assert [page.offset for page in pages] == offsets
    third = records(path, max_bytes=CAP, start=pages[2].offset)
    assert [next(third).uri, next(third).uri] == ["http://x.org/2", "http://x.org/3"]


def test_an_archive_gzipped_whole_is_one_chunk(tmp_path: Path) -> None:
    path = tmp_path / "whole.warc.gz"
    recs = [Rec("response", f"http://x.org/{k}", http(), number=k) for k in range(3)]
    path.write_bytes(gzip.compress(b"".join(record_bytes(r) for r in recs), mtime=0))
    found = scan(path, max_bytes=CAP)
    assert len(found.pages) == 3 and found.sequential
    assert [r.body for r in records(path, max_bytes=CAP)] == [PAGE] * 3
