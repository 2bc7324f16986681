"""Cleaning a WARC archive: the same texts as the pages as files, the WARC metadata, and a
bad record that fails alone."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.warc.archive import clean_archive
from tests.conftest import FIXTURES
from tests.warc.common import Rec, http, write_warc

pytest.importorskip("fastwarc")
PAGES = sorted((FIXTURES / "inputs" / "html").iterdir())
TEXTS = sorted((FIXTURES / "inputs" / "text").iterdir())[:3]


def _page_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _archive(tmp_path: Path) -> Path:
    recs = [
        Rec(
            "response",
            f"https://news.example/{p.name.split('.')[0]}",
            http(_page_bytes(p), headers=("Content-Type: text/html",)),
        )
        for p in PAGES
    ]
    recs += [
        Rec(
            "response",
            f"https://news.example/t/{p.stem}",
            http(p.read_bytes(), headers=("Content-Type: text/plain; charset=utf-8",)),
        )
        for p in TEXTS
    ]
    recs.insert(2, Rec("request", "https://news.example/", b"GET / HTTP/1.1\r\n\r\n"))
    recs.insert(4, Rec("response", "https://news.example/bad", b"garbage, no HTTP"))
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, recs)
    return path


def test_an_archive_cleans_to_the_same_texts_as_its_pages_as_files(tmp_path: Path) -> None:
    items = list(clean_archive(_archive(tmp_path)))
    cleaned = [i for i in items if i.result is not None]
    assert len(cleaned) == len(PAGES) + len(TEXTS)
    for item, path in zip(cleaned, [*PAGES, *TEXTS], strict=True):
        assert item.result is not None
        assert item.result.text == clean(path.read_bytes(), name=path.name).text, path.name


def test_skips_and_errors_are_items_with_reasons(tmp_path: Path) -> None:
    items = list(clean_archive(_archive(tmp_path)))
    assert [i.record.skip for i in items if i.record.skip] == ["request record"]
    assert [i.error for i in items if i.error] == ["not an HTTP response"]


def test_warc_metadata(tmp_path: Path) -> None:
    first = next(i for i in clean_archive(_archive(tmp_path)) if i.result is not None)
    assert first.result is not None
    meta = first.result.metadata
    name = PAGES[0].name.split(".")[0]
    assert first.stem == f"crawl/news.example/{name}"
    assert meta["source"] == first.stem
    assert meta["warc"] == {
        "file": "crawl.warc.gz",
        "record_id": "<urn:uuid:00000000-0000-0000-0000-000000000000>",
        "offset": 0,
        "uri": f"https://news.example/{name}",
    }
    assert meta["fetched"] == "2026-11-30T10:00:00Z"
    assert meta["url"]


def test_the_http_charset_decodes_the_page(tmp_path: Path) -> None:
    body = (
        "<html><body><article><p>"
        + "Grüße aus München, sagte sie. " * 12
        + "</p></article></body></html>"
    )
    headers = ("Content-Type: text/html; charset=ISO-8859-1",)
    path = tmp_path / "latin.warc.gz"
    write_warc(
        path, [Rec("response", "http://x.de/a", http(body.encode("latin-1"), headers=headers))]
    )
    [item] = list(clean_archive(path))
    assert item.result is not None and "Grüße aus München" in item.result.text
    assert item.result.metadata["encoding"] == "cp1252"
    assert item.result.metadata["url"] == "http://x.de/a"  # the page names none of its own
