"""Page and text throughput (``--only pages``): the systems, their interleaved runs, the paired
ratios against the trafilatura loop, the targets of issues 5 and 15 and the tables."""

from __future__ import annotations

import statistics
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.speed.inputs import text_folder
from bench.speed.report import Target, ratio
from bench.speed.runner import (
    BIN,
    Measured,
    Run,
    System,
    cleaner_cli,
    interleaved,
    loop_command,
    rotated,
    trafilatura_folder,
)

# The rows of the page-throughput table: key -> label. ``loop`` is the baseline of the ratios.
LABELS: dict[str, str] = {
    "loop": "trafilatura.extract loop (own process)",
    "jobs1": "cleaner clean --jobs 1",
    "fast": "cleaner clean --jobs 1 --fast",
    "jobs2": "cleaner clean --jobs 2",
    "traf2": "trafilatura --input-dir --parallel 2",
    "traf1": "trafilatura --input-dir --parallel 1",
}
CLEANER_ARGS: dict[str, tuple[str, ...]] = {
    "jobs1": ("--jobs", "1"),
    "fast": ("--jobs", "1", "--fast"),
    "jobs2": ("--jobs", "2"),
}
TRAFILATURA_PARALLEL = (2, 1)
TEXT_CORPORA = ("wcxb-naive", "wcxb-seed")
# Paired ratios reported: (system, against); time of ``against`` / time of ``system``.
RATIOS = (
    ("jobs1", "loop"),
    ("fast", "loop"),
    ("jobs2", "loop"),
    ("jobs2", "jobs1"),
    ("jobs2", "traf2"),
    ("jobs1", "traf1"),
)
# Targets of issues 5 and 15.
TARGET_JOBS1_VS_LOOP = 0.85
TARGET_FAST_VS_LOOP = 1.0
TARGET_JOBS2_VS_JOBS1 = 1.8
TARGET_TEXT_DOCS_PER_CPU_S = 300.0
TARGET_RSS_VS_TRAFILATURA = 1.5


def fast_supported() -> bool:
    """Whether this cleaner has ``--fast``: its ``clean --help`` names the flag."""
    help_text = subprocess.run(
        [str(BIN / "cleaner"), "clean", "--help"], capture_output=True, text=True, check=False
    ).stdout
    return "--fast" in help_text


def page_systems(src: Path, scratch: Path, fast: bool) -> list[System]:
    """The page-throughput rows over the folder ``src`` (``--fast`` only when ``fast``)."""
    n = sum(1 for _ in src.iterdir())
    out, traf_out = scratch / "out", scratch / "traf-out"
    systems = [System("loop", LABELS["loop"], loop_command(src), n)]
    for key, extra in CLEANER_ARGS.items():
        if key != "fast" or fast:
            systems.append(System(key, LABELS[key], cleaner_cli(src, out, *extra), n, out))
    for parallel in TRAFILATURA_PARALLEL:
        key, command = f"traf{parallel}", trafilatura_folder(src, traf_out, parallel)
        systems.append(System(key, LABELS[key], command, n, traf_out))
    return systems


def text_systems(scratch: Path, quick: bool) -> list[System]:
    """Text mode: ``cleaner clean --jobs 1`` over a folder of each text corpus."""
    systems = []
    for name in TEXT_CORPORA:
        folder, out = scratch / f"text-{name}", scratch / "out"
        docs = text_folder(name, folder, quick)
        label = f"text mode: cleaner clean --jobs 1, {name}"
        systems.append(System(name, label, cleaner_cli(folder, out, "--jobs", "1"), docs, out))
    return systems


def paired(base: list[float], other: list[float]) -> list[float]:
    """Per repeat, ``base / other``: with ``base`` the times of a baseline measured beside
    ``other``, the throughput of ``other`` relative to it (above 1: faster)."""
    return [ratio(b, o) for b, o in zip(base, other, strict=True)]


def relative(system: Measured, base: Measured) -> dict[str, Any]:
    """``system``'s throughput relative to ``base``: medians of the paired ratios, by CPU and
    by wall time, and the ratios themselves."""
    cpu = paired([run.cpu for run in base.runs], [run.cpu for run in system.runs])
    wall = paired([run.wall for run in base.runs], [run.wall for run in system.runs])
    return {
        "cpu": statistics.median(cpu),
        "wall": statistics.median(wall),
        "cpu_runs": cpu,
        "wall_runs": wall,
    }


def relatives(found: dict[str, Measured]) -> dict[str, dict[str, Any]]:
    """The RATIOS of the systems measured, keyed ``system/against``."""
    return {
        f"{key}/{base}": relative(found[key], found[base])
        for key, base in RATIOS
        if key in found and base in found
    }


def measured_json(found: Measured) -> dict[str, Any]:
    return {
        "label": found.label,
        "docs": found.docs,
        "median_wall": found.wall,
        "median_cpu": found.cpu,
        "median_rss_mb": found.rss_mb,
        "docs_per_s_wall": ratio(found.docs, found.wall),
        "docs_per_s_cpu": ratio(found.docs, found.cpu),
        "runs": [asdict(run) for run in found.runs],
    }


def vs_loop_target(rel: dict[str, dict[str, Any]], key: str, goal: float) -> Target:
    """Throughput of ``key`` over the trafilatura loop's, by CPU (the verdict) and by wall."""
    what = f"{LABELS[key]} / trafilatura.extract loop, throughput (verdict by CPU)"
    found = rel.get(f"{key}/loop")
    if found is None:
        return Target(what, "not available", f">= {goal:g}x", None)
    shown = f"{found['cpu']:.2f}x CPU, {found['wall']:.2f}x wall"
    return Target(what, shown, f">= {goal:g}x", found["cpu"] >= goal)


def scaling_target(rel: dict[str, dict[str, Any]]) -> Target:
    found = rel["jobs2/jobs1"]
    met = found["wall"] >= TARGET_JOBS2_VS_JOBS1
    what = "cleaner clean --jobs 2 / --jobs 1, throughput by wall"
    return Target(what, f"{found['wall']:.2f}x", f">= {TARGET_JOBS2_VS_JOBS1:g}x", met)


def parallel_wall_target(found: dict[str, Measured], rel: dict[str, dict[str, Any]]) -> Target:
    """Wall of ``--jobs 2`` against trafilatura's folder mode on 2 processes; the verdict on
    the paired ratio (trafilatura's wall over cleaner's, above 1: cleaner is faster)."""
    paired_wall = rel["jobs2/traf2"]["wall"]
    shown = (
        f"{found['jobs2'].wall:.1f} s vs {found['traf2'].wall:.1f} s"
        f" (trafilatura / cleaner, paired: {paired_wall:.2f}x)"
    )
    what = f"wall of {LABELS['jobs2']} vs {LABELS['traf2']}"
    return Target(what, shown, "less (paired > 1x)", paired_wall > 1)


def rss_target(found: dict[str, Measured]) -> Target:
    ours, theirs = found["jobs2"].rss_mb, found["traf2"].rss_mb
    share = ratio(ours, theirs)
    what = (
        f"peak RSS of {LABELS['jobs2']} / {LABELS['traf2']}"
        " (largest single process: RUSAGE_CHILDREN ru_maxrss)"
    )
    shown = f"{ours:.0f} MB vs {theirs:.0f} MB ({share:.2f}x)"
    met = share <= TARGET_RSS_VS_TRAFILATURA
    return Target(what, shown, f"<= {TARGET_RSS_VS_TRAFILATURA:g}x", met)


def text_target(found: Measured, name: str) -> Target:
    rate = ratio(found.docs, found.cpu)
    what = f"text mode, {name}: docs per CPU-second (docs/s per core)"
    goal = f">= {TARGET_TEXT_DOCS_PER_CPU_S:g}"
    return Target(what, f"{rate:.0f} docs/s", goal, rate >= TARGET_TEXT_DOCS_PER_CPU_S)


def throughput_targets(found: dict[str, Measured], rel: dict[str, dict[str, Any]]) -> list[Target]:
    """The targets of issues 5 and 15 that the page and text throughput runs measure."""
    return [
        vs_loop_target(rel, "jobs1", TARGET_JOBS1_VS_LOOP),
        vs_loop_target(rel, "fast", TARGET_FAST_VS_LOOP),
        scaling_target(rel),
        parallel_wall_target(found, rel),
        rss_target(found),
        *(text_target(found[name], name) for name in TEXT_CORPORA),
    ]


def _runs(runs: list[Run]) -> str:
    return ", ".join(f"{run.wall:.2f}/{run.cpu:.2f}" for run in runs)


def throughput_table(found: dict[str, Measured], unavailable: list[str]) -> str:
    """One system per line: medians, rates by wall and by CPU, and every run."""
    lines = [
        "| system | docs | median wall s | median CPU s | docs/s (wall) | docs per CPU-s"
        " | median peak RSS | runs, wall/CPU s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in found.values():
        lines.append(
            f"| {m.label} | {m.docs:,} | {m.wall:.2f} | {m.cpu:.2f} | {ratio(m.docs, m.wall):.1f}"
            f" | {ratio(m.docs, m.cpu):.1f} | {m.rss_mb:.0f} MB | {_runs(m.runs)} |"
        )
    lines += [f"| {label} | not available | | | | | | |" for label in unavailable]
    return "\n".join(lines)


def ratios_table(rel: dict[str, dict[str, Any]]) -> str:
    """The paired ratios: time of the baseline over time of the system, per repeat."""
    lines = [
        "| throughput of | relative to | by CPU (median of paired) | by wall | per repeat,"
        " CPU/wall |",
        "|---|---|---|---|---|",
    ]
    for name, found in rel.items():
        key, base = name.split("/")
        pairs = zip(found["cpu_runs"], found["wall_runs"], strict=True)
        each = ", ".join(f"{c:.2f}/{w:.2f}" for c, w in pairs)
        lines.append(
            f"| {LABELS[key]} | {LABELS[base]} | {found['cpu']:.2f}x | {found['wall']:.2f}x"
            f" | {each} |"
        )
    return "\n".join(lines)


def throughput(
    src: Path, scratch: Path, quick: bool, repeats: int
) -> tuple[dict[str, Any], list[Target], str]:
    """The interleaved page and text throughput runs: (results, targets, tables)."""
    fast = fast_supported()
    systems = page_systems(src, scratch, fast) + text_systems(scratch, quick)
    runs = interleaved(systems, repeats)
    found = {s.key: Measured(s.label, s.docs, runs[s.key]) for s in systems}
    rel = relatives(found)
    unavailable = [] if fast else [LABELS["fast"]]
    results = {
        "systems": {key: measured_json(m) for key, m in found.items()},
        "unavailable": unavailable,
        "orders": [[s.key for s in rotated(systems, r)] for r in range(repeats)],
        "ratios": rel,
    }
    tables = throughput_table(found, unavailable) + "\n\n" + ratios_table(rel)
    return results, throughput_targets(found, rel), tables
