"""Batch figures: the no-op re-run, the peak RSS over many small files and their targets of
issue 5, and the time per stage from cProfile over a sample."""

from __future__ import annotations

import cProfile
import json
import pstats
from pathlib import Path
from typing import Any

from bench.speed.inputs import small_texts
from bench.speed.report import Row, Target, ratio
from bench.speed.runner import cleaner_cli, measured, median_of, timed

NOOP_FILES = 2_000
NOOP_MIN_REPEATS = 5  # cheap, and the noisiest figure: always a median of several runs
RSS_FILES = 10_000
PROFILE_SAMPLE = 80
QUICK_PROFILE_SAMPLE = 15
# Targets of issue 5.
TARGET_NOOP_SECONDS = 1.0
TARGET_RSS_MB = 300.0
# Stage -> (file of the cleaner package, entry function): its cumulative profile time.
STAGES: dict[str, tuple[str, str]] = {
    "read": ("cleaner/read.py", "read"),
    "extract": ("cleaner/extract.py", "extract"),
    "noise": ("cleaner/noise.py", "remove_noise"),
    "order": ("cleaner/order/stage.py", "repair_order"),
    "language": ("cleaner/language.py", "add_language"),
    "write": ("cleaner/write.py", "write_outputs"),
}


def noop_rerun(scratch: Path, repeats: int) -> Row:
    src, out = scratch / "noop-src", scratch / "noop-out"
    small_texts(src, NOOP_FILES)
    timed(cleaner_cli(src, out))
    median, runs = median_of(repeats, lambda: timed(cleaner_cli(src, out)))
    counts = json.loads((out / "cleaner-report.json").read_text(encoding="utf-8"))["counts"]
    if counts["up_to_date"] != NOOP_FILES:  # the figure must be of a real no-op run
        raise RuntimeError(f"no-op re-run was not a no-op: {counts}")
    return Row(f"no-op re-run, {NOOP_FILES:,} files", median, runs, NOOP_FILES, None)


def peak_rss_mb(scratch: Path, files: int) -> float:
    src = scratch / "rss-src"
    small_texts(src, files)
    return measured(cleaner_cli(src, scratch / "rss-out")).rss_mb


def batch_targets(noop: Row, rss: float, rss_files: int) -> list[Target]:
    """Issue 5's targets for a no-op re-run and for the peak RSS over many small files."""
    noop_goal, rss_goal = f"<= {TARGET_NOOP_SECONDS:g} s", f"<= {TARGET_RSS_MB:g} MB"
    return [
        Target(f"no-op re-run, {NOOP_FILES:,} files", f"{noop.seconds:.2f} s", noop_goal,
               noop.seconds <= TARGET_NOOP_SECONDS),
        Target(f"peak RSS, {rss_files:,} files (largest process)", f"{rss:.0f} MB", rss_goal,
               rss <= TARGET_RSS_MB),
    ]  # fmt: skip


def profile_sample(src: Path, quick: bool) -> list[Path]:
    plain = sorted(src.iterdir())
    return plain[:: max(1, len(plain) // (QUICK_PROFILE_SAMPLE if quick else PROFILE_SAMPLE))]


def stage_times(files: list[Path], scratch: Path) -> dict[str, float | None]:
    """Cumulative seconds per stage entry function over ``files`` (None: stage not found)."""
    from cleaner import clean
    from cleaner.write import write_outputs

    out = scratch / "profile-out"
    profiler = cProfile.Profile()
    profiler.enable()
    for path in files:
        result = clean(path.read_bytes(), name=path.name)
        write_outputs(out / path.stem, result.text, result.metadata)
    profiler.disable()
    stats: dict[tuple[str, int, str], Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    found: dict[str, float | None] = {}
    for stage, (module, function) in STAGES.items():
        times = [
            value[3]
            for (filename, _line, name), value in stats.items()
            if filename.endswith(module) and name == function
        ]
        found[stage] = max(times) if times else None
    return found


def stages_table(stages: dict[str, float | None]) -> str:
    lines = ["| stage | seconds (profile sample) | share |", "|---|---|---|"]
    total = sum(v for v in stages.values() if v)
    for stage, seconds in stages.items():
        if seconds is None:
            lines.append(f"| {stage} | not present | |")
        else:
            lines.append(f"| {stage} | {seconds:.2f} | {ratio(seconds, total):.0%} |")
    return "\n".join(lines)
