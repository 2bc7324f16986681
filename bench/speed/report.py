"""What every part shares to report: rows, targets and their tables, the header line, the
environment and the saved JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: what was measured, its median, the runs, and a derived figure."""

    what: str
    seconds: float
    runs: list[float]
    docs: int
    docs_per_s: float | None


@dataclass(frozen=True, slots=True)
class Target:
    """One line of a targets table; ``met`` is None when it was not measured."""

    what: str
    measured: str
    goal: str
    met: bool | None


Part = tuple[dict[str, Any], str]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def yes_no(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _verdict(met: bool | None) -> str:
    return "not measured" if met is None else yes_no(met)


def targets_table(targets: list[Target]) -> str:
    lines = ["| target | measured | goal | met |", "|---|---|---|---|"]
    lines += [f"| {t.what} | {t.measured} | {t.goal} | {_verdict(t.met)} |" for t in targets]
    return "\n".join(lines)


def rows_table(rows: list[Row], rss_mb: float | None = None, rss_files: int = 0) -> str:
    """The wall-time rows (no-op re-run, dask), and the peak RSS over many small files."""
    lines = ["| measurement | docs | median s | runs (s) | docs/s |", "|---|---|---|---|---|"]
    for row in rows:
        rate = f"{row.docs_per_s:.1f}" if row.docs_per_s else ""
        runs = ", ".join(f"{r:.2f}" for r in row.runs)
        lines.append(f"| {row.what} | {row.docs:,} | {row.seconds:.2f} | {runs} | {rate} |")
    if rss_mb is not None:
        lines.append(f"| peak RSS, {rss_files:,} files (largest process) | | | | {rss_mb:.0f} MB |")
    return "\n".join(lines)


def with_targets(results: dict[str, Any], targets: list[Target], tables: list[str]) -> Part:
    """``results`` with its targets, and the tables followed by the targets table."""
    results["targets"] = [asdict(t) for t in targets]
    return results, "\n\n".join([*tables, targets_table(targets)])


def environment(args: argparse.Namespace, pages: int | None) -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "quick": args.quick,
        "repeats": args.repeats,
        "pages": pages,
    }


def header(results: dict[str, Any]) -> str:
    """The one line above the tables: when, on what, over what."""
    part = f"--only {results['only']}" if results["only"] else "full"
    over = f"{results['pages']:,} pages" if results["pages"] is not None else "generated pages"
    repeats = results["repeats"]
    plural = "" if repeats == 1 else "s"
    runs = "one run each" if results["only"] == "big" else f"{repeats} repeat{plural}"
    return (
        f"Speed run ({part}) of {results['when']} · python {results['python']}"
        f" · {results['cpus']} cpus · {over} · {runs}"
    )


def save(results: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
