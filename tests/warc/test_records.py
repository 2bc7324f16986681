"""Reading a WARC archive: which records are pages, why the others are skipped, and how a
broken archive or record fails (one error, the other records read)."""

from __future__ import annotations

import gzip
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.warc.records import Record, records
from tests.warc.common import PAGE, Rec, http, write_warc

pytest.importorskip("fastwarc")
CAP = 1024 * 1024


def _read(path: Path, **kwargs: int) -> list[Record]:
    return list(records(path, max_bytes=kwargs.pop("max_bytes", CAP), **kwargs))


def _one(tmp_path: Path, rec: Rec, *, max_bytes: int = CAP) -> Record:
    path = tmp_path / "one.warc.gz"
    write_warc(path, [rec])
    [found] = _read(path, max_bytes=max_bytes)
    return found


def test_a_response_page_with_its_metadata(tmp_path: Path) -> None:
    found = _one(tmp_path, Rec("response", "http://example.com/a", http()))
    assert (found.body, found.charset, found.skip, found.error) == (PAGE, "utf-8", None, None)
    assert found.uri == "http://example.com/a" and found.kind == "response" and found.offset == 0
    assert found.record_id.startswith("<urn:uuid:") and found.date == "2026-11-30T10:00:00Z"


@pytest.mark.parametrize(
    ("rec", "skip"),
    [
        (Rec("response", "http://x.org/", http(status="404 Not Found")), "HTTP status 404"),
        (Rec("response", "http://x.org/", http(status="301 Moved")), "HTTP status 301"),
        (
            Rec(
                "response",
                "http://x.org/i",
                http(b"\xff\xd8", headers=("Content-Type: image/jpeg",)),
            ),
            "content type image/jpeg",
        ),
        (Rec("request", "http://x.org/", b"GET / HTTP/1.1\r\n\r\n"), "request record"),
        (Rec("metadata", "http://x.org/", b"fetchTimeMs: 12\r\n"), "metadata record"),
        (Rec("revisit", "http://x.org/", http()), "revisit record"),
        (Rec("warcinfo", "", b"software: test\r\n"), "warcinfo record"),
    ],
    ids=["404", "redirect", "image", "request", "metadata", "revisit", "warcinfo"],
)
def test_records_that_are_not_pages_are_skipped_with_a_reason(
    tmp_path: Path, rec: Rec, skip: str
) -> None:
    found = _one(tmp_path, rec)
    assert (found.skip, found.body, found.error) == (skip, None, None)


def test_a_resource_record_is_a_page(tmp_path: Path) -> None:
    found = _one(tmp_path, Rec("resource", "file:///a.html", PAGE, content_type="text/html"))
    assert found.body == PAGE


def _chunked(body: bytes) -> bytes:
    half = len(body) // 2
    return b"%x\r\n%s\r\n%x;ext=1\r\n%s\r\n0\r\n\r\n" % (
        half,
        body[:half],
        len(body) - half,
        body[half:],
    )


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (gzip.compress(PAGE), ("Content-Type: text/html", "Content-Encoding: gzip")),
        (zlib.compress(PAGE), ("Content-Type: text/html", "Content-Encoding: deflate")),
        (zlib.compress(PAGE)[2:-4], ("Content-Type: text/html", "Content-Encoding: deflate")),
        (PAGE, ("Content-Type: text/html", "Content-Encoding: gzip")),  # stored decoded
        (
            _chunked(gzip.compress(PAGE)),
            ("Content-Type: text/html", "Transfer-Encoding: chunked", "Content-Encoding: gzip"),
        ),
    ],
    ids=["gzip", "deflate", "raw-deflate", "label-only", "chunked-gzip"],
)
def test_encodings_are_undone(tmp_path: Path, body: bytes, headers: tuple[str, ...]) -> None:
    assert (
        _one(tmp_path, Rec("response", "http://x.org/", http(body, headers=headers))).body == PAGE
    )


def test_br_is_undone(tmp_path: Path) -> None:
    brotli = pytest.importorskip("brotli")
    headers = ("Content-Type: text/html", "Content-Encoding: br")
    rec = Rec("response", "http://x.org/", http(brotli.compress(PAGE), headers=headers))
    assert _one(tmp_path, rec).body == PAGE


@pytest.mark.parametrize(
    ("block", "error"),
    [
        (http(headers=("Content-Type: text/html", "Content-Encoding: zstd-x")), "is not supported"),
        (b"not http at all\r\n\r\n<p>x</p>", "not an HTTP response"),
        (http(b"5\r\nab", headers=("Transfer-Encoding: chunked",)), "chunked body cut short"),
        (
            http(gzip.compress(b"x" * 5000), headers=("Content-Encoding: gzip",)),
            "exceeds the limit",
        ),
    ],
    ids=["unknown-encoding", "not-http", "chunks-cut", "gzip-bomb"],
)
def test_a_bad_http_message_is_an_error(tmp_path: Path, block: bytes, error: str) -> None:
    found = _one(tmp_path, Rec("response", "http://x.org/", block), max_bytes=4096)
    assert found.body is None and error in (found.error or "")


def test_a_record_over_the_cap_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    big = http(b"<p>" + b"word " * 40_000 + b"</p>")
    write_warc(
        path, [Rec("response", "http://x.org/a", big), Rec("response", "http://x.org/b", http())]
    )
    first, second = _read(path, max_bytes=1000)
    assert "over the size limit" in (first.error or "") and second.body == PAGE


def test_seeking_to_a_record_offset_reads_from_it(tmp_path: Path) -> None:
    path = tmp_path / "three.warc.gz"
    recs = [Rec("response", f"http://x.org/{k}", http()) for k in range(3)]
    offsets = write_warc(path, recs)
    assert [r.offset for r in _read(path)] == offsets
    assert [r.uri for r in _read(path, start=offsets[2])] == ["http://x.org/2"]


def test_an_uncompressed_archive(tmp_path: Path) -> None:
    path = tmp_path / "plain.warc"
    write_warc(path, [Rec("response", "http://x.org/", http())], packed=False)
    assert [r.body for r in _read(path)] == [PAGE]


def test_a_truncated_archive_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    offsets = write_warc(path, [Rec("response", f"http://x.org/{k}", http()) for k in range(3)])
    data = path.read_bytes()
    path.write_bytes(data[: offsets[2] + (len(data) - offsets[2]) // 2])
    found = _read(path)
    assert [r.body for r in found[:2]] == [PAGE, PAGE]
    assert found[2:] and all(r.body is None and r.error for r in found[2:])


@pytest.mark.parametrize(
    "data",
    [gzip.compress(PAGE), PAGE, bytes(range(256)) * 4],
    ids=["gzipped-html", "html", "binary"],
)
def test_a_file_that_is_no_warc_is_one_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "page.warc.gz"
    path.write_bytes(data)
    [found] = _read(path)
    assert found.body is None and found.error == "not a WARC file (no WARC/1.x record at offset 0)"


def test_an_empty_archive_has_no_records(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc.gz"
    path.write_bytes(b"")
    assert _read(path) == []


def test_a_record_claiming_more_than_it_holds_is_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "short.warc.gz"
    block = http()
    write_warc(path, [Rec("response", "http://x.org/", block, claimed=len(block) + 500)])
    found = _read(path)
    assert found[0].body is None and "cut short" in (found[0].error or "")


@pytest.mark.parametrize("packed", [True, False], ids=["gz", "plain"])
@pytest.mark.parametrize("claimed", [10**9, 50_000], ids=["huge", "too-long"])
def test_a_wrong_content_length_costs_its_record_alone(
    tmp_path: Path, packed: bool, claimed: int
) -> None:
    """The reader would read the records after it as its content; they are found again."""
    path = tmp_path / ("lying.warc.gz" if packed else "lying.warc")
    recs = [Rec("response", f"http://x.org/{k}", http()) for k in range(5)]
    recs[1] = Rec("response", "http://x.org/1", http(), claimed=claimed)
    offsets = write_warc(path, recs, packed=packed)
    found = _read(path)
    assert [r.uri for r in found] == [f"http://x.org/{k}" for k in range(5)]
    assert found[1].error and [r.body for r in found[2:]] == [PAGE] * 3
    assert [r.offset for r in found[2:]] == offsets[2:]


def test_a_corrupt_member_costs_its_record_alone(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.warc.gz"
    offsets = write_warc(path, [Rec("response", f"http://x.org/{k}", http()) for k in range(4)])
    data = bytearray(path.read_bytes())
    middle = (offsets[1] + offsets[2]) // 2
    data[middle : middle + 12] = b"\x00garbage!!\xff\xfe"
    path.write_bytes(bytes(data))
    found = _read(path)
    assert [r.body for r in found if r.uri in ("http://x.org/2", "http://x.org/3")] == [PAGE] * 2
    assert any(r.error for r in found) and found[0].body == PAGE


def test_a_member_damaged_at_its_start_is_an_error_not_a_silent_gap(tmp_path: Path) -> None:
    """Its first bytes do not inflate, so the search for the next record skips it: the
    reader says what lies between the record before it and the one after."""
    path = tmp_path / "damaged.warc.gz"
    offsets = write_warc(path, [Rec("response", f"http://x.org/{k}", http()) for k in range(3)])
    data = bytearray(path.read_bytes())
    for at in range(offsets[1] + 20, offsets[1] + 60):
        data[at] ^= 0x55
    path.write_bytes(bytes(data))
    found = _read(path)
    pages = [(r.offset, r.uri) for r in found if r.body]
    assert pages == [(offsets[0], "http://x.org/0"), (offsets[2], "http://x.org/2")]
    [error] = [r for r in found if r.error]
    assert error.offset == offsets[1]
    assert error.error and error.error.startswith(f"unreadable record at offset {offsets[1]}: ")


@pytest.mark.parametrize("victim", [0, 2, 4], ids=["first", "middle", "last"])
def test_an_uncompressed_record_whose_header_is_damaged_is_an_error(
    tmp_path: Path, victim: int
) -> None:
    """FastWARC passes over a record whose header it cannot parse, silently: the bytes it
    skipped between two records (or after the last) are reported."""
    path = tmp_path / "damaged.warc"
    offsets = write_warc(
        path, [Rec("response", f"http://x.org/{k}", http()) for k in range(5)], packed=False
    )
    data = bytearray(path.read_bytes())
    data[offsets[victim] + 8 : offsets[victim] + 20] = b"\x00" * 12  # inside "WARC-Type: ..."
    path.write_bytes(bytes(data))
    found = _read(path)
    assert [r.uri for r in found if r.body] == [
        f"http://x.org/{k}" for k in range(5) if k != victim
    ]
    [error] = [r for r in found if r.error]
    assert (
        error.offset == offsets[victim]
        and error.error == f"unreadable record at offset {offsets[victim]}"
    )


def test_an_intact_uncompressed_archive_has_no_gaps(tmp_path: Path) -> None:
    path = tmp_path / "fine.warc"
    write_warc(path, [Rec("response", f"http://x.org/{k}", http()) for k in range(5)], packed=False)
    assert not [r for r in _read(path) if r.error]


@settings(max_examples=80, derandomize=True, deadline=None)
@given(
    packed=st.booleans(),
    victim=st.integers(0, 5),
    where=st.floats(0, 1, exclude_max=True),
    flips=st.binary(min_size=1, max_size=30).filter(lambda b: all(b)),
)
def test_no_record_is_lost_without_an_error(
    packed: bool, victim: int, where: float, flips: bytes
) -> None:
    """Whatever bytes of one record are damaged, each of the six is read or an error is."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.warc"
        recs = [Rec("response", f"http://x.org/{k}", http()) for k in range(6)]
        offsets = [*write_warc(path, recs, packed=packed), path.stat().st_size]
        data = bytearray(path.read_bytes())
        at = offsets[victim] + int(where * (offsets[victim + 1] - offsets[victim]))
        for k, flip in enumerate(flips[: offsets[victim + 1] - at]):
            data[at + k] ^= flip
        path.write_bytes(bytes(data))
        found = _read(path)
    assert len([r for r in found if not r.error]) == 6 or any(r.error for r in found)
