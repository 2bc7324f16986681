"""Big pages (``--only big``): one run each of cleaner and of the trafilatura loop on generated
pages of growing size, the growth exponent, the tables and the 10 MB target of issue 15."""

from __future__ import annotations

import json
import math
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.speed.inputs import markup_page, prose_page
from bench.speed.report import Target
from bench.speed.runner import Run, cleaner_cli, loop_command, measured

MB = 1024 * 1024
BIG_SIZES_MB = (1, 4, 10, 25)
QUICK_BIG_SIZES_MB = (1, 4)
BIG_TIMEOUT_S = 120  # cleaner's --timeout on one big page
BIG_LIMIT_S = 900  # the wrapper stops a big-page process (either tool) past this
# Target of issue 15.
TARGET_BIG_MB = 10
TARGET_BIG_SECONDS = 10.0

BIG_KINDS: dict[str, Callable[[int], bytes]] = {
    "prose": lambda size: prose_page(size),
    "markup-heavy": lambda size: markup_page(size),
}


def exit_outcome(run: Run) -> str:
    if run.returncode is None:
        return f"stopped after {BIG_LIMIT_S} s"
    return "done" if run.returncode == 0 else f"exit {run.returncode}"


def report_outcome(out: Path, run: Run) -> str:
    """What cleaner's report in ``out`` says of its one input: cleaned, or the failure."""
    path = out / "cleaner-report.json"
    if not path.exists():
        return f"no report ({exit_outcome(run)})"
    failed = json.loads(path.read_text(encoding="utf-8"))["failed"]
    return f"failed: {failed[0]['error']}" if failed else "cleaned"


def big_row(kind: str, size_mb: int, path: Path, scratch: Path) -> dict[str, Any]:
    """One run each of ``cleaner clean FILE --jobs 1`` and of the trafilatura loop on ``path``."""
    out = scratch / "big-out"
    shutil.rmtree(out, ignore_errors=True)
    limits = ("--jobs", "1", "--timeout", str(BIG_TIMEOUT_S))
    ours = measured(cleaner_cli(path, out, *limits), BIG_LIMIT_S)
    theirs = measured(loop_command(path), BIG_LIMIT_S)
    return {
        "page": kind,
        "mb": size_mb,
        "bytes": path.stat().st_size,
        "cleaner": {**asdict(ours), "outcome": report_outcome(out, ours)},
        "trafilatura": {**asdict(theirs), "outcome": exit_outcome(theirs)},
    }


def big_rows(scratch: Path, sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    folder = scratch / "big-src"
    folder.mkdir(parents=True)
    rows = []
    for kind, make in BIG_KINDS.items():
        for size in sizes:
            path = folder / f"{kind}-{size}mb.html"
            path.write_bytes(make(size * MB))
            rows.append(big_row(kind, size, path, scratch))
            path.unlink()
            c, t = rows[-1]["cleaner"], rows[-1]["trafilatura"]
            print(f"  {kind} {size} MB: cleaner {c['wall']:.1f} s, trafilatura {t['wall']:.1f} s",
                  file=sys.stderr)  # fmt: skip
    return rows


def growth_exponent(sizes: list[float], seconds: list[float]) -> float | None:
    """Slope of log(seconds) against log(size), by least squares: about 1 for time linear in
    the size, 2 for quadratic (None: fewer than two sizes). Process start-up, paid once, pulls
    it below 1 where the pages are small."""
    points = [(math.log(s), math.log(t)) for s, t in zip(sizes, seconds, strict=True) if t > 0]
    if len({x for x, _ in points}) < 2:
        return None
    xs, ys = zip(*points, strict=True)
    return statistics.linear_regression(xs, ys).slope


def _completed(rows: list[dict[str, Any]], kind: str, system: str) -> list[dict[str, Any]]:
    """The big-page runs of ``system`` on ``kind`` pages that finished their work."""
    done = ("cleaned", "done")
    return [r for r in rows if r["page"] == kind and r[system]["outcome"] in done]


def big_growth(rows: list[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """The growth exponent of CPU time per kind of page and system, over completed runs: over
    all sizes, and over the two largest alone (where start-up weighs least)."""
    found: dict[str, dict[str, float | None]] = {}
    for kind in BIG_KINDS:
        for system in ("cleaner", "trafilatura"):
            done = _completed(rows, kind, system)
            sizes, cpu = [r["mb"] for r in done], [r[system]["cpu"] for r in done]
            found[f"{kind}/{system}"] = {
                "all": growth_exponent(sizes, cpu),
                "largest": growth_exponent(sizes[-2:], cpu[-2:]),
            }
    return found


def big_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| page | MB | system | wall s | CPU s | wall s/MB | CPU s/MB | peak RSS | outcome |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for system, label in (("cleaner", "cleaner --jobs 1"), ("trafilatura", "trafilatura")):
            r, mb = row[system], row["bytes"] / MB
            lines.append(
                f"| {row['page']} | {mb:.1f} | {label} | {r['wall']:.2f} | {r['cpu']:.2f}"
                f" | {r['wall'] / mb:.3f} | {r['cpu'] / mb:.3f} | {r['rss_mb']:.0f} MB"
                f" | {r['outcome']} |"
            )
    return "\n".join(lines)


def _exponent(slope: float | None) -> str:
    return "n/a" if slope is None else f"{slope:.2f}"


def growth_table(growth: dict[str, dict[str, float | None]]) -> str:
    lines = [
        "| page | system | growth exponent of CPU s in MB, all sizes | two largest sizes |",
        "|---|---|---|---|",
    ]
    for name, slopes in growth.items():
        kind, system = name.split("/")
        shown = f"{_exponent(slopes['all'])} | {_exponent(slopes['largest'])}"
        lines.append(f"| {kind} | {system} | {shown} |")
    lines.append("")
    lines.append("(1: time linear in the size, 2: quadratic; start-up pulls it below 1.)")
    return "\n".join(lines)


def big_targets(rows: list[dict[str, Any]]) -> list[Target]:
    """Issue 15: a page of TARGET_BIG_MB cleaned in under TARGET_BIG_SECONDS (wall)."""
    targets = []
    goal = f"cleaned, < {TARGET_BIG_SECONDS:g} s"
    for kind in BIG_KINDS:
        what = f"{TARGET_BIG_MB} MB {kind} page, cleaner clean --jobs 1 wall"
        found = [r["cleaner"] for r in rows if r["page"] == kind and r["mb"] == TARGET_BIG_MB]
        if not found:
            targets.append(Target(what, "not measured", goal, None))
            continue
        met = found[0]["outcome"] == "cleaned" and found[0]["wall"] < TARGET_BIG_SECONDS
        targets.append(Target(what, f"{found[0]['wall']:.1f} s, {found[0]['outcome']}", goal, met))
    return targets


def big_report(rows: list[dict[str, Any]]) -> str:
    return big_table(rows) + "\n\n" + growth_table(big_growth(rows))


def big_part(scratch: Path, quick: bool) -> tuple[dict[str, Any], list[Target], str]:
    rows = big_rows(scratch, QUICK_BIG_SIZES_MB if quick else BIG_SIZES_MB)
    results = {"big": rows, "big_growth": big_growth(rows)}
    return results, big_targets(rows), big_report(rows)
