"""Whole-process runs: the measuring wrapper, the commands timed, and systems run interleaved."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
# Runs argv[2:] as one whole process (stdout dropped, stderr passed up), stopped past argv[1]
# seconds (0: never); prints its wall time and the CPU time and peak RSS of RUSAGE_CHILDREN,
# which covers every descendant that was waited for: a CLI's worker processes too.
MEASURE_WRAPPER = """
import json, resource, subprocess, sys, time
limit = float(sys.argv[1]) or None
started = time.perf_counter()
try:
    code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, timeout=limit).returncode
except subprocess.TimeoutExpired:
    code = None
wall = time.perf_counter() - started
use = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = use.ru_utime + use.ru_stime
print(json.dumps({"wall": wall, "cpu": cpu, "maxrss_kib": use.ru_maxrss, "returncode": code}))
"""


@dataclass(frozen=True, slots=True)
class Run:
    """One whole-process run: wall seconds, CPU seconds (the process and its workers), peak RSS
    in MB of its largest single process, exit code (None: stopped by the wrapper)."""

    wall: float
    cpu: float
    rss_mb: float
    returncode: int | None


@dataclass(frozen=True, slots=True)
class System:
    """A command timed as a whole process over ``docs`` inputs; ``out`` is emptied before each
    run, so that every input is processed."""

    key: str
    label: str
    command: list[str]
    docs: int
    out: Path | None = None


@dataclass(frozen=True, slots=True)
class Measured:
    """A system's runs, one per repeat, and their medians."""

    label: str
    docs: int
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def rss_mb(self) -> float:
        return statistics.median(run.rss_mb for run in self.runs)


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_of(repeats: int, once: Callable[[], float]) -> tuple[float, list[float]]:
    runs = [once() for _ in range(repeats)]
    return statistics.median(runs), runs


def child_env() -> dict[str, str]:
    """This environment with the repository on PYTHONPATH, so that ``-m bench.loop_trafilatura``
    is found from any working directory."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def measured(command: list[str], limit: float = 0) -> Run:
    """``command`` run as a whole process through MEASURE_WRAPPER, stopped past ``limit`` s."""
    wrapper = [sys.executable, "-c", MEASURE_WRAPPER, str(limit), *command]
    proc = subprocess.run(wrapper, check=True, capture_output=True, text=True, env=child_env())
    got = json.loads(proc.stdout)
    if got["returncode"] != 0:
        tail = " / ".join(proc.stderr.strip().splitlines()[-2:])
        print(f"  exit {got['returncode']} of {' '.join(command[:4])} ...: {tail}", file=sys.stderr)
    return Run(got["wall"], got["cpu"], got["maxrss_kib"] / 1024, got["returncode"])


def cleaner_cli(src: Path, out: Path, *extra: str) -> list[str]:
    return [str(BIN / "cleaner"), "clean", str(src), "--out", str(out), "-q", *extra]


def loop_command(*paths: Path) -> list[str]:
    return [sys.executable, "-m", "bench.loop_trafilatura", *map(str, paths)]


def trafilatura_folder(src: Path, out: Path, parallel: int) -> list[str]:
    folder = ["--input-dir", str(src), "--output-dir", str(out)]
    return [str(BIN / "trafilatura"), *folder, "--parallel", str(parallel)]


def fresh_run(src: Path, scratch: Path, *extra: str) -> Callable[[], float]:
    """A run into an empty OUT, so every page is cleaned."""

    def once() -> float:
        out = scratch / "out"
        shutil.rmtree(out, ignore_errors=True)
        return timed(cleaner_cli(src, out, *extra))

    return once


def rotated(items: Sequence[T], shift: int) -> list[T]:
    """``items`` starting at index ``shift`` (modulo their number), wrapping round."""
    if not items:
        return []
    k = shift % len(items)
    return [*items[k:], *items[:k]]


def run_once(system: System) -> Run:
    if system.out is not None:
        shutil.rmtree(system.out, ignore_errors=True)
    return measured(system.command)


def interleaved(systems: list[System], repeats: int) -> dict[str, list[Run]]:
    """Each system's runs, in repeat order: per repeat every system runs once, in an order
    rotated by the repeat, so that a burst of load on the machine falls on all of them alike."""
    runs: dict[str, list[Run]] = {system.key: [] for system in systems}
    for r in range(repeats):
        for system in rotated(systems, r):
            run = run_once(system)
            runs[system.key].append(run)
            print(
                f"  [{r + 1}/{repeats}] {system.label}: {run.wall:.2f} s wall,"
                f" {run.cpu:.2f} s CPU, {run.rss_mb:.0f} MB",
                file=sys.stderr,
            )
    return runs
