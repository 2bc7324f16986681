"""FastWARC vs warcio as the WARC reader of issue 17: records/s, CPU and peak RSS.

Builds a WARC (record-gzipped, as crawlers write them, and uncompressed) in a temp dir
from the 1,678 shared HTML pages (ScrapingHub 181 + WCXB dev 1,497): one ``response``
record per page with a synthetic ``HTTP/1.1 200 OK`` header (``Content-Type: text/html``,
``; charset=...`` when the page declares one in a ``<meta>``), the page URL from the gold
as ``WARC-Target-URI`` (else ``http://example.invalid/<corpus>/<id>``), plus a ``warcinfo``
record and a ``request`` and a ``metadata`` record every 100 pages. Then for each library:

* ``iterate``: iterate all records, read WARC headers (type, target URI), HTTP status and
  Content-Type of responses and their full (decoded) body;
* ``seek``: seek to each ``response`` record offset (collected by a first pass with that
  library, given in a fixed shuffled order), read that one record.

Bodies are read decoded (fastwarc ``auto_decode="all"``, warcio ``content_stream()``); the
synthetic records carry no Content-Encoding or chunking, so this measures parsing and gzip.
Caveat found with these probes: fastwarc 2.0.1 with ``auto_decode="all"`` silently ends
iteration after a record that is both ``Transfer-Encoding: chunked`` and content-encoded.

Each measurement runs in a fresh subprocess (so ``ru_maxrss`` is that library's peak),
5 rounds interleaved between libraries; the table shows medians of wall and CPU
(``time.process_time``) and the largest peak RSS (``VmHWM``, else ``ru_maxrss``).

    PYTHONPATH=. python -m bench.warc_readers [--rounds 5]

Needs ``fastwarc`` and ``warcio`` importable (not dependencies of cleaner). Data: the
shared pages under ``$CLEANER_BENCH_DATA`` or ``../shared/data`` (licences: ScrapingHub
MIT, WCXB CC-BY-4.0); nothing is written outside the temp dir.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
LIBS = ("fastwarc", "warcio")
MODES = ("iterate", "seek")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class Page:
    corpus: str
    id: str
    url: str
    html: bytes
    charset: str | None


def data_dir() -> Path:
    return Path(os.environ.get("CLEANER_BENCH_DATA") or DEFAULT_DATA)


def sniff_charset(html: bytes) -> str | None:
    """The charset a ``<meta>`` in the first 4 KiB declares, lower-cased, or None."""
    m = META_CHARSET.search(html[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def load_pages(root: Path) -> list[Page]:
    """The ScrapingHub and WCXB dev HTML pages, with their URL where the gold gives one."""
    pages: list[Page] = []
    sh_gold = json.loads((root / "scrapinghub" / "ground-truth.json").read_text("utf-8"))
    for path in sorted((root / "scrapinghub" / "html").glob("*.html.gz")):
        doc_id = path.name.removesuffix(".html.gz")
        url = sh_gold.get(doc_id, {}).get("url") or f"http://example.invalid/scrapinghub/{doc_id}"
        html = gzip.decompress(path.read_bytes())
        pages.append(Page("scrapinghub", doc_id, url, html, sniff_charset(html)))
    wcxb = root / "wcxb" / "dev"
    for path in sorted((wcxb / "html").glob("*.html.gz")):
        doc_id = path.name.removesuffix(".html.gz")
        gold_path = wcxb / "ground-truth" / f"{doc_id}.json"
        gold = json.loads(gold_path.read_text("utf-8")) if gold_path.exists() else {}
        url = gold.get("url") or f"http://example.invalid/wcxb/{doc_id}"
        html = gzip.decompress(path.read_bytes())
        pages.append(Page("wcxb", doc_id, url, html, sniff_charset(html)))
    return pages


def build_warc(pages: list[Page], path: Path, compress: bool) -> int:
    """Write the pages as ``response`` records (+ warcinfo, request, metadata) to ``path``;
    returns the number of records written."""
    from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
    from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

    n = 0
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        info = {"software": "bench.warc_readers"}
        writer.write_record(writer.create_warcinfo_record(path.name, info))
        n += 1
        for i, page in enumerate(pages):
            if i % 100 == 0:
                req = StatusAndHeaders(f"GET /{page.id} HTTP/1.1", [("Host", "example.invalid")],
                                       is_http_request=True)
                writer.write_record(
                    writer.create_warc_record(page.url, "request", http_headers=req))
                meta = f"fetchTimeMs: 1\nid: {page.corpus}/{page.id}\n".encode()
                writer.write_record(writer.create_warc_record(
                    page.url, "metadata", payload=io.BytesIO(meta),
                    warc_content_type="application/warc-fields"))
                n += 2
            ctype = "text/html" + (f"; charset={page.charset}" if page.charset else "")
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype),
                                               ("Content-Length", str(len(page.html)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                page.url, "response", payload=io.BytesIO(page.html), http_headers=http))
            n += 1
    return n


# --- readers: each returns (records seen, documents, body bytes read) ----------------------
# A document is what issue 17 keeps: a response with HTTP status 200 and an HTML/text type.

def is_doc(status: int | str | None, content_type: str | None) -> bool:
    kind = (content_type or "").lower()
    return str(status) == "200" and kind.startswith(("text/", "application/xhtml+xml"))


def fastwarc_iterate(path: Path) -> tuple[int, int, int]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    records = docs = nbytes = 0
    with path.open("rb") as f:
        for rec in ArchiveIterator(f, parse_http=True, auto_decode="all"):
            records += 1
            uri = rec.headers.get("WARC-Target-URI")
            if rec.record_type == WarcRecordType.response:
                ctype, _charset = rec.http_content_type, rec.http_charset
                docs += bool(uri) and is_doc(rec.http_headers.status_code, ctype)
            nbytes += len(rec.reader.read())
    return records, docs, nbytes


def warcio_iterate(path: Path) -> tuple[int, int, int]:
    from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

    records = docs = nbytes = 0
    with path.open("rb") as f:
        for rec in ArchiveIterator(f):
            records += 1
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            if rec.rec_type == "response":
                http = rec.http_headers
                ctype = http.get_header("Content-Type")
                docs += bool(uri) and is_doc(http.get_statuscode(), ctype)
            nbytes += len(rec.content_stream().read())
    return records, docs, nbytes


def fastwarc_offsets(path: Path) -> list[int]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with path.open("rb") as f:
        return [rec.stream_pos for rec in ArchiveIterator(f, parse_http=False)
                if rec.record_type == WarcRecordType.response]


def warcio_offsets(path: Path) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    out: list[int] = []
    with path.open("rb") as f:
        it = ArchiveIterator(f)
        for rec in it:
            if rec.rec_type == "response":
                out.append(it.get_record_offset())
    return out


def fastwarc_seek(path: Path, offsets: list[int]) -> tuple[int, int, int]:
    from fastwarc.warc import ArchiveIterator

    records = docs = nbytes = 0
    with path.open("rb") as f:
        for off in offsets:
            f.seek(off)
            rec = next(iter(ArchiveIterator(f, parse_http=True, auto_decode="all")))
            uri = rec.headers.get("WARC-Target-URI")
            docs += bool(uri) and is_doc(rec.http_headers.status_code, rec.http_content_type)
            nbytes += len(rec.reader.read())
            records += 1
    return records, docs, nbytes


def warcio_seek(path: Path, offsets: list[int]) -> tuple[int, int, int]:
    from warcio.archiveiterator import ArchiveIterator

    records = docs = nbytes = 0
    with path.open("rb") as f:
        for off in offsets:
            f.seek(off)
            rec = next(ArchiveIterator(f))
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            http = rec.http_headers
            docs += bool(uri) and is_doc(http.get_statuscode(), http.get_header("Content-Type"))
            nbytes += len(rec.content_stream().read())
            records += 1
    return records, docs, nbytes


OFFSETS = {"fastwarc": fastwarc_offsets, "warcio": warcio_offsets}
ITERATE = {"fastwarc": fastwarc_iterate, "warcio": warcio_iterate}
SEEK = {"fastwarc": fastwarc_seek, "warcio": warcio_seek}


def peak_rss_mib() -> float:
    """This process's peak RSS. ``VmHWM`` (Linux) belongs to the address space, so it starts
    afresh at exec; ``ru_maxrss`` keeps the parent's high-water mark across fork + exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker(lib: str, mode: str, path: Path, offsets_file: Path | None) -> dict[str, float]:
    """One measurement, in this (fresh) process."""
    __import__(lib)
    offsets = json.loads(offsets_file.read_text()) if offsets_file else []
    rss_before = peak_rss_mib()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    records, docs, nbytes = ITERATE[lib](path) if mode == "iterate" else SEEK[lib](path, offsets)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"records": records, "docs": docs, "bytes": nbytes, "wall": wall, "cpu": cpu,
            "rss_base": rss_before, "rss_peak": peak_rss_mib()}


def run_worker(lib: str, mode: str, path: Path, offsets_file: Path | None) -> dict[str, float]:
    cmd = [sys.executable, "-m", "bench.warc_readers", "--worker", lib, mode, str(path),
           str(offsets_file) if offsets_file else "-"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def jobs(rounds: int, files: list[Path]) -> Iterator[tuple[int, str, str, Path]]:
    """Interleaved: every round runs every (file, mode) for both libraries, order alternating."""
    for r in range(rounds):
        libs = LIBS if r % 2 == 0 else LIBS[::-1]
        for path in files:
            for mode in MODES:
                for lib in libs:
                    yield r, lib, mode, path


Runs = dict[tuple[str, str, str], list[dict[str, float]]]


def offsets_files(
    files: list[Path], tmp: Path, quiet: bool = False
) -> dict[tuple[str, Path], Path]:
    """Each library's response offsets of each file, in a fixed shuffled order, saved in
    ``tmp`` for the seek workers (and whether both libraries agree on them, printed)."""
    out: dict[tuple[str, Path], Path] = {}
    rng = random.Random(17)
    for p in files:
        got = {lib: OFFSETS[lib](p) for lib in LIBS}
        if not quiet:
            print(f"{p.name}: {len(got['warcio'])} response offsets; fastwarc stream_pos == "
                  f"warcio get_record_offset(): {got['fastwarc'] == got['warcio']}")
        for lib in LIBS:
            offs = got[lib][:]
            rng.shuffle(offs)
            f = tmp / f"offsets-{lib}-{p.name}.json"
            f.write_text(json.dumps(offs))
            out[(lib, p)] = f
    return out


def measure(files: list[Path], rounds: int, tmp: Path, quiet: bool = False) -> Runs:
    """Every (file, mode, library)'s runs, ``rounds`` interleaved rounds of fresh processes."""
    offsets = offsets_files(files, tmp, quiet)
    results: Runs = {}
    for _, lib, mode, path in jobs(rounds, files):
        offs_file = offsets[(lib, path)] if mode == "seek" else None
        run = run_worker(lib, mode, path, offs_file)
        results.setdefault((path.name, mode, lib), []).append(run)
    return results


def summary(results: Runs) -> list[dict[str, Any]]:
    """One row per (file, mode, library): medians of wall and CPU, the largest peak RSS."""
    rows: list[dict[str, Any]] = []
    for (fname, mode, lib), runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        n = int(runs[0]["records"])
        rows.append({"file": fname, "task": mode, "library": lib, "records": n,
                     "docs": int(runs[0]["docs"]), "records_per_s": n / wall, "wall": wall,
                     "cpu": statistics.median(r["cpu"] for r in runs),
                     "body_mib_per_s": runs[0]["bytes"] / 2**20 / wall,
                     "peak_rss_mib": max(r["rss_peak"] for r in runs),
                     "rss_after_import_mib": max(r["rss_base"] for r in runs),
                     "runs_wall": [r["wall"] for r in runs]})
    return rows


def same_reads(results: Runs) -> bool:
    """Did both libraries see the same documents and body bytes in every (file, mode)?"""
    seen: dict[tuple[str, str], set[tuple[float, float]]] = {}
    for (fname, mode, _), runs in results.items():
        seen.setdefault((fname, mode), set()).add((runs[0]["docs"], runs[0]["bytes"]))
    return all(len(v) == 1 for v in seen.values())


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| file | task | library | records | docs | records/s (wall) | wall s | CPU s "
             "| body MiB/s | peak RSS MiB (after import) |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['file']} | {r['task']} | {r['library']} | {r['records']} | {r['docs']} "
                     f"| {r['records_per_s']:,.0f} | {r['wall']:.3f} | {r['cpu']:.3f} "
                     f"| {r['body_mib_per_s']:,.0f} | {r['peak_rss_mib']:.1f} "
                     f"({r['rss_after_import_mib']:.1f}) |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-plain", action="store_true", help="skip the uncompressed .warc")
    ap.add_argument("--worker", nargs=4, metavar=("LIB", "MODE", "PATH", "OFFSETS"),
                    help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        lib, mode, path, offs = args.worker
        print(json.dumps(worker(lib, mode, Path(path), None if offs == "-" else Path(offs))))
        return

    pages = load_pages(data_dir())
    with tempfile.TemporaryDirectory(prefix="warc-bench-") as tmp:
        files = [Path(tmp) / "pages.warc.gz"]
        if not args.no_plain:
            files.append(Path(tmp) / "pages.warc")
        total = 0
        for p in files:
            total = build_warc(pages, p, compress=p.suffix == ".gz")
        html_mib = sum(len(p.html) for p in pages) / 2**20
        print(f"{len(pages)} pages ({html_mib:.1f} MiB HTML, {sum(bool(p.charset) for p in pages)} "
              f"with a declared charset), {total} records per file; "
              + ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MiB" for p in files))
        results = measure(files, args.rounds, Path(tmp))

    print(f"\nmedian of {args.rounds} interleaved rounds, fresh process per run "
          f"(Python {sys.version.split()[0]})\n")
    print(table(summary(results)))
    print("\ndocs and body bytes identical across libraries: " + str(same_reads(results)))


if __name__ == "__main__":
    main()
