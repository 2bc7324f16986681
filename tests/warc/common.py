"""Small WARC archives built byte by byte, good and broken, for the WARC tests."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

PAGE = (
    b"<html><head><title>Parks budget</title></head><body><article>"
    b"<p>The city council approved the new budget for parks on Tuesday.</p></article>"
    b"</body></html>"
)


@dataclass(frozen=True)
class Rec:
    """One record to write: its WARC-Type, target URI and block (the HTTP message for a
    response), and a Content-Length to claim instead of the true one (a broken record)."""

    kind: str
    uri: str
    block: bytes
    content_type: str = "application/http; msgtype=response"
    claimed: int | None = None
    number: int = 0


def http(body: bytes = PAGE, *, status: str = "200 OK", headers: tuple[str, ...] = ()) -> bytes:
    fields = headers or ("Content-Type: text/html; charset=utf-8",)
    head = "\r\n".join([f"HTTP/1.1 {status}", *fields, f"Content-Length: {len(body)}"])
    return head.encode() + b"\r\n\r\n" + body


def record_bytes(rec: Rec) -> bytes:
    length = len(rec.block) if rec.claimed is None else rec.claimed
    head = [
        "WARC/1.1",
        f"WARC-Type: {rec.kind}",
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{rec.number:012d}>",
        "WARC-Date: 2026-11-30T10:00:00Z",
        f"WARC-Target-URI: {rec.uri}",
        f"Content-Type: {rec.content_type}",
        f"Content-Length: {length}",
    ]
    return "\r\n".join(head).encode() + b"\r\n\r\n" + rec.block + b"\r\n\r\n"


def write_warc(path: Path, recs: list[Rec], *, packed: bool = True) -> list[int]:
    """Write the records (one gzip member each when ``packed``); their byte offsets."""
    offsets, data = [], b""
    for number, rec in enumerate(recs):
        offsets.append(len(data))
        raw = record_bytes(Rec(**{**rec.__dict__, "number": number}))
        data += gzip.compress(raw, mtime=0) if packed else raw
    path.write_bytes(data)
    return offsets


FIXTURE_HOST = "https://news.example.org"


def fixture_pages() -> list[tuple[str, bytes, str]]:
    """The fixture pages as (file name, bytes, media type): HTML and text, unpacked."""
    root = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
    pages = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            media = "text/plain" if path.parent.name == "text" else "text/html"
            pages.append((path.name.removesuffix(".gz"), data, media))
    return pages


def fixture_recs() -> list[Rec]:
    """A crawl of the fixture pages as a crawler writes it: a warcinfo record, then a request
    and a response per page, with a redirect and an image among them."""
    recs = [Rec("warcinfo", "", b"software: test\r\n")]
    for name, data, media in fixture_pages():
        uri = f"{FIXTURE_HOST}/{media.split('/')[1]}/{name}"
        recs.append(Rec("request", uri, b"GET / HTTP/1.1\r\n\r\n"))
        recs.append(Rec("response", uri, http(data, headers=(f"Content-Type: {media}",))))
    recs.insert(5, Rec("response", f"{FIXTURE_HOST}/old", http(b"", status="301 Moved")))
    image = http(b"\x89PNG\r\n\x1a\n", headers=("Content-Type: image/png",))
    recs.insert(8, Rec("response", f"{FIXTURE_HOST}/logo.png", image))
    return recs
