"""Peak RSS of one worker on bad inputs (``--only memory``), against the target of issue 11."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from bench.speed.big import MB, report_outcome
from bench.speed.inputs import prose_page, write_gzipped_text
from bench.speed.report import yes_no
from bench.speed.runner import cleaner_cli, measured

# Target of issue 11: no bad input takes a worker past this peak RSS.
TARGET_WORKER_RSS_MB = 600.0
SPARSE_BYTES = 2 * 1024 * MB
GZIP_TEXT_BYTES = 60 * MB
PAGE_SIZES_MB = (1, 10, 50)


def memory_inputs(folder: Path) -> list[tuple[str, Path]]:
    """The bad inputs of the memory table, written into ``folder``: (label, path)."""
    folder.mkdir(parents=True)
    cases: list[tuple[str, Path]] = []
    for size in PAGE_SIZES_MB:
        path = folder / f"page-{size}mb.html"
        path.write_bytes(prose_page(size * MB))
        cases.append((f"{size} MB page of prose", path))
    sparse = folder / "sparse-2gb.txt"
    with sparse.open("wb") as handle:
        handle.truncate(SPARSE_BYTES)
    cases.append(("2 GB sparse .txt", sparse))
    gz = folder / "text-60mb.txt.gz"
    write_gzipped_text(gz, GZIP_TEXT_BYTES)
    cases.append((f"{gz.stat().st_size / 1024:,.0f} KB .gz of 60 MB of text", gz))
    return cases


def worker_memory(label: str, path: Path, scratch: Path) -> dict[str, Any]:
    """Peak RSS (of the run and its worker), time and outcome of ``cleaner clean`` on one input
    with the default limits."""
    out = scratch / "memory-out"
    shutil.rmtree(out, ignore_errors=True)
    run = measured(cleaner_cli(path, out, "--jobs", "1"))
    return {"input": label, "bytes": path.stat().st_size, "peak_rss_mb": run.rss_mb,
            "seconds": run.wall, "outcome": report_outcome(out, run)}  # fmt: skip


def memory_rows(scratch: Path) -> list[dict[str, Any]]:
    rows = []
    for label, path in memory_inputs(scratch / "memory-src"):
        rows.append(worker_memory(label, path, scratch))
        print(f"  {label}: {rows[-1]['peak_rss_mb']:.0f} MB", file=sys.stderr)
        path.unlink()
    return rows


def memory_report(rows: list[dict[str, Any]]) -> str:
    """The memory table: one bad input per line, its peak RSS against the target."""
    lines = [
        f"| input (cleaner clean --jobs 1) | peak RSS | seconds | outcome |"
        f" <= {TARGET_WORKER_RSS_MB:g} MB |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        ok = row["peak_rss_mb"] <= TARGET_WORKER_RSS_MB
        lines.append(
            f"| {row['input']} | {row['peak_rss_mb']:.0f} MB | {row['seconds']:.1f} |"
            f" {row['outcome']} | {yes_no(ok)} |"
        )
    return "\n".join(lines)
