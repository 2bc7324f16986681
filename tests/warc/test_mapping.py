"""Where a WARC record's outputs go: cases as data, and the names that must never come out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.names import archive_stem
from cleaner.warc.mapping import SEGMENT_BYTES, Stems, uri_stem

CASES = [
    ("https://Example.com:8443/News/a%20b.html?p=2#top", "example.com_8443/News/a b?p=2"),
    ("http://example.com/", "example.com/index"),
    ("http://example.com", "example.com/index"),
    ("http://example.com:80/a/b/", "example.com/a/b/index"),
    ("https://example.com:443/a", "example.com/a"),
    ("http://example.com/2024/05/story-title", "example.com/2024/05/story-title"),
    ("http://example.com/release-1.1", "example.com/release-1.1"),  # not an extension of a kind
    ("http://example.com/a/story.php?id=7", "example.com/a/story?id=7"),
    ("http://x.org/../../etc/passwd", "x.org/etc/passwd"),
    ("http://x.org/a%2Fb/c", "x.org/a%2Fb/c"),  # a slash inside a segment stays inside it
    ("http://x.org/q?a=b/c", "x.org/q?a=b%2Fc"),
    ("http://x.org/a.txt/b", "x.org/_a.txt/b"),  # a folder named like an output file
    ("http://x.org/.hidden", "x.org/_.hidden"),
    ("http://x.org/%00%0a/q", "x.org/%00%0A/q"),
    ("http://x.org/%ff%fe", "x.org/%FF%FE"),
    ("http://xn--bcher-kva.ch/caf%C3%A9", "xn--bcher-kva.ch/café"),
    ("http://x.org:abc/y", "x.org/y"),
    ("urn:uuid:123", "_no-host/uuid:123"),
]


@pytest.mark.parametrize(("uri", "stem"), CASES, ids=[c[0][:40] for c in CASES])
def test_uri_stem(uri: str, stem: str) -> None:
    assert uri_stem(uri) == stem


def test_long_segment_is_cut_with_a_hash() -> None:
    stem = uri_stem("http://x.org/" + "y" * 300 + ".html")
    name = stem.split("/")[-1]
    assert len(name.encode()) <= SEGMENT_BYTES and "~" in name
    assert uri_stem("http://x.org/" + "y" * 301 + ".html") != stem


@given(st.text())
def test_no_stem_escapes_its_folder(path: str) -> None:
    stem = uri_stem("http://x.org/" + path)
    parts = stem.split("/")
    assert all(p and p not in (".", "..") and not p.startswith(".") for p in parts)
    assert all(len(p.encode("utf-8", "surrogateescape")) <= 255 for p in parts)
    assert "\0" not in stem and "\n" not in stem


def test_same_stem_later_in_the_archive_gets_a_hash_of_its_record_id() -> None:
    stems = Stems()
    first = stems.claim("http://a.com/x", "<urn:uuid:1>")
    again = stems.claim("http://a.com/x.html", "<urn:uuid:2>")
    case = stems.claim("http://A.com/X", "<urn:uuid:3>")  # one file on a case-blind disk
    repeated = stems.claim("http://a.com/x", "<urn:uuid:2>")  # a broken archive's repeated id
    assert first == "a.com/x"
    assert again.startswith("a.com/x~") and case.startswith("a.com/X~")
    assert len({first, again, case, repeated}) == 4
    assert Stems().claim("http://a.com/x.html", "<urn:uuid:2>") == "a.com/x"


@pytest.mark.parametrize(
    ("relative", "stem"),
    [("crawl/CC-NEWS-1.warc.gz", "crawl/CC-NEWS-1"), ("a.WARC", "a"), ("b.warc.gz", "b")],
)
def test_archive_stem(relative: str, stem: str) -> None:
    assert archive_stem(relative) == stem
