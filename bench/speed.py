"""Speed of whole runs: ``python -m bench.speed [--quick] [--repeats N] [--only PART]``
(``make bench``).

Every throughput figure is of a whole process as a user runs it (start-up, imports, workers),
through one wrapper process that reports the wall time, the CPU time (user + sys of
``RUSAGE_CHILDREN``: the process and every worker it waited for) and the peak RSS (the
``ru_maxrss`` of the same, i.e. of the largest single process, not a sum). Printed as markdown
tables and saved to ``bench/results/speed.json`` (``--only PART``: ``speed-PART.json``):

* page throughput (``--only pages``), over one folder of plain ``.html`` pages: a
  ``trafilatura.extract`` loop in its own process (``bench.loop_trafilatura``, the baseline),
  ``cleaner clean --jobs 1``, ``--jobs 1 --fast`` (when this cleaner has it), ``--jobs 2``
  (each into a fresh OUT, so every page is cleaned), ``trafilatura --input-dir --output-dir``
  with ``--parallel 2`` and ``--parallel 1``; and text mode, ``cleaner clean --jobs 1`` over
  folders of the ``wcxb-naive`` and ``wcxb-seed`` text documents. The runs are interleaved:
  per repeat every system runs once, in an order rotated by the repeat, so the load of other
  jobs on a shared machine falls on all of them alike. Each row gives the median wall, CPU and
  peak RSS and all runs; the ratios against the trafilatura loop are medians of the ratios
  paired per repeat. Then the targets of issues 5 and 15;
* big pages (``--only big``): generated pages of 1, 4, 10 and 25 MB, of prose and of
  markup-heavy prose (half the bytes an inline ``<style>``, ``<svg>`` and ``<script>``), one
  run each of ``cleaner clean FILE --jobs 1 --timeout 120`` (default memory limit) and of the
  trafilatura loop on the file: seconds, seconds per MB and a log-log growth exponent, to tell
  linear growth from quadratic, and the 10 MB target of issue 15;
* a no-op re-run over 2,000 small text files (the second run of ``cleaner clean`` into the same
  OUT, everything up to date);
* peak RSS of the largest process on a folder of 10,000 small text files;
* time per stage (read, extract, noise, order, language, write) from cProfile over a sample:
  the cumulative time of each stage's entry function;
* when the ``dask`` extra is installed, ``cleaner clean --dask`` on a ``LocalCluster`` of 2
  single-threaded worker processes against ``--jobs 2`` on the same pages (issue 6: overhead
  <= 15%). The cluster is started and its workers warmed up before timing, as a standing
  cluster would be; each run is the CLI from start to exit into a fresh OUT, alternated with a
  ``--jobs 2`` run (``--jobs 2``, then a freshly started and warmed cluster, ``--dask``, per
  repeat) so that load falls on both alike and the cluster's idle cost does not slow the
  ``--jobs 2`` runs. ``--only dask`` measures just these two rows;
* peak RSS of one worker (``cleaner clean FILE --jobs 1`` with the default limits, one input
  each) on bad inputs that used to take gigabytes: generated pages of prose of 1, 10 and 50 MB,
  a 2 GB sparse ``.txt`` and a ``.gz`` of 60 MB of text, against the 600 MB target (issue 11).
  ``--only memory`` measures just these (about a minute, no page corpus needed).

Pages: the ScrapingHub benchmark HTML plus every WCXB dev page (181 + 1,497 = 1,678), un-gzipped
into a temp folder so that every tool reads the same plain ``.html`` files; ``--pages N`` (with
``--only pages`` or ``--only dask``) takes N of them spread evenly. Timing only: nothing is
scored or tuned here. The machine may be shared, so compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import importlib.util
import json
import math
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bench.corpora import data_dir, load_corpus, scrapinghub_html

T = TypeVar("T")

RESULTS = Path(__file__).resolve().parent / "results" / "speed.json"
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOOP_FILES = 2_000
NOOP_MIN_REPEATS = 5  # cheap, and the noisiest figure: always a median of several runs
RSS_FILES = 10_000
PROFILE_SAMPLE = 80
QUICK_PAGES = 60
QUICK_TEXT_DOCS = 60
QUICK_PROFILE_SAMPLE = 15
# Stage -> (file of the cleaner package, entry function): its cumulative profile time.
STAGES: dict[str, tuple[str, str]] = {
    "read": ("cleaner/read.py", "read"),
    "extract": ("cleaner/extract.py", "extract"),
    "noise": ("cleaner/noise.py", "remove_noise"),
    "order": ("cleaner/order.py", "repair_order"),
    "language": ("cleaner/language.py", "add_language"),
    "write": ("cleaner/write.py", "write_outputs"),
}
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
TARGET_NOOP_SECONDS = 1.0
TARGET_RSS_MB = 300.0
TARGET_BIG_MB = 10
TARGET_BIG_SECONDS = 10.0
# Target of issue 6: a 2-worker LocalCluster's wall time over --jobs 2's, minus one.
TARGET_DASK_OVERHEAD = 0.15
DASK_WORKERS = 2
# Target of issue 11: no bad input takes a worker past this peak RSS.
TARGET_WORKER_RSS_MB = 600.0
MB = 1024 * 1024
SPARSE_BYTES = 2 * 1024 * MB
GZIP_TEXT_BYTES = 60 * MB
PAGE_SIZES_MB = (1, 10, 50)
BIG_SIZES_MB = (1, 4, 10, 25)
QUICK_BIG_SIZES_MB = (1, 4)
BIG_TIMEOUT_S = 120  # cleaner's --timeout on one big page
BIG_LIMIT_S = 900  # the wrapper stops a big-page process (either tool) past this
PROSE_WORDS = (
    "the council said on monday that its new budget for the city parks would include more "
    "money for playgrounds trees and benches while critics argued that it came too late and "
    "residents who gathered at the town hall heard the mayor explain how the plan would work"
).split()
# Markup of no article text, repeated (``{i}`` varies) to fill a markup-heavy page.
STYLE_RULE = ".c{i} {{margin: 0 {i}px; color: #{i:06x}; font: 14px/1.4 sans-serif}}\n"
SVG_PATH = '<path d="M{i} 0 L0 {i} L{i} {i} Z" fill="#3a6" stroke="#000"/>\n'
SCRIPT_LINE = 'var d{i} = {{"key": "value {i}", "list": [{i}, 2, 3]}};\n'
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
class Row:
    """One line of the table: what was measured, its median, the runs, and a derived figure."""

    what: str
    seconds: float
    runs: list[float]
    docs: int
    docs_per_s: float | None


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


@dataclass(frozen=True, slots=True)
class Target:
    """One line of a targets table; ``met`` is None when it was not measured."""

    what: str
    measured: str
    goal: str
    met: bool | None


def pages(quick: bool) -> list[Path]:
    """The page files: ScrapingHub (via bench.corpora) plus every WCXB dev page."""
    root = data_dir()
    found = [doc.path for doc in scrapinghub_html(root).docs if doc.path is not None]
    found += sorted((root / "wcxb" / "dev" / "html").glob("*.html.gz"))
    return found[:QUICK_PAGES] if quick else found


def spread(items: list[T], count: int | None) -> list[T]:
    """``count`` of ``items`` taken at even steps (every corpus represented), or all of them."""
    if count is None or count >= len(items):
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def unpack(files: list[Path], folder: Path) -> None:
    """Un-gzip each page into ``folder`` under a unique plain ``.html`` name."""
    folder.mkdir(parents=True)
    for path in files:
        name = f"{path.parent.parent.name}-{path.name.removesuffix('.gz')}"
        (folder / name).write_bytes(gzip.decompress(path.read_bytes()))


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


def text_folder(name: str, folder: Path, quick: bool) -> int:
    """The input of every document of text corpus ``name`` written to ``folder/<id>.txt``;
    returns their number."""
    docs = spread(load_corpus(name).docs, QUICK_TEXT_DOCS if quick else None)
    folder.mkdir(parents=True)
    for doc in docs:
        (folder / f"{doc.id}.txt").write_bytes(doc.read())
    return len(docs)


def text_systems(scratch: Path, quick: bool) -> list[System]:
    """Text mode: ``cleaner clean --jobs 1`` over a folder of each text corpus."""
    systems = []
    for name in TEXT_CORPORA:
        folder, out = scratch / f"text-{name}", scratch / "out"
        docs = text_folder(name, folder, quick)
        label = f"text mode: cleaner clean --jobs 1, {name}"
        systems.append(System(name, label, cleaner_cli(folder, out, "--jobs", "1"), docs, out))
    return systems


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


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


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


def _verdict(met: bool | None) -> str:
    return "not measured" if met is None else _yes(met)


def targets_table(targets: list[Target]) -> str:
    lines = ["| target | measured | goal | met |", "|---|---|---|---|"]
    lines += [f"| {t.what} | {t.measured} | {t.goal} | {_verdict(t.met)} |" for t in targets]
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


def _filler(template: str, size: int) -> str:
    """``template`` formatted with i = 0, 1, ... and joined, to about ``size`` characters."""
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(template.format(i=len(parts)))
        total += len(parts[-1])
    return "".join(parts)


def markup_page(size: int, seed: int = 0) -> bytes:
    """A page of about ``size`` bytes: ``prose_page`` of half that, plus markup of no article
    text, as pages that inline their assets carry: a ``<style>`` in the head, an ``<svg>`` in
    the article and a ``<script>`` before ``</body>``, a sixth of the bytes each."""
    page = prose_page(size // 2, seed).decode()
    part = size // 6
    style = f"<style>\n{_filler(STYLE_RULE, part)}</style>"
    svg = f"<svg viewBox='0 0 100 100'>\n{_filler(SVG_PATH, part)}</svg>"
    script = f"<script>\n{_filler(SCRIPT_LINE, part)}</script>"
    page = page.replace("</head>", style + "</head>", 1).replace("</h1>", "</h1>" + svg, 1)
    return page.replace("</body>", script + "</body>", 1).encode()


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


def _warm_dask_worker() -> None:
    """Worker-side: import the pipeline and clean one page (what a local run does before it
    forks its workers), so the timing is of a standing, warmed cluster."""
    from cleaner.batch.work import warm_up

    warm_up()


@contextlib.contextmanager
def dask_cluster(scratch: Path) -> Iterator[str]:
    """A LocalCluster of DASK_WORKERS single-threaded processes on 127.0.0.1, warmed up; yields
    its scheduler address. Its scratch space stays under ``scratch``."""
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=DASK_WORKERS,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,  # no dashboard; its health routes on a free local port:
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        local_directory=str(scratch / "dask-scratch"),
    ) as cluster:
        with Client(cluster.scheduler_address, set_as_default=False) as client:
            client.run(_warm_dask_worker)
        yield cluster.scheduler_address


def measure_alternating(src: Path, scratch: Path, repeats: int) -> tuple[Row, Row]:
    """``--jobs 2`` and ``--dask`` rows, their runs alternated: per repeat, a ``--jobs 2`` run
    with no cluster up, then a ``--dask`` run on a cluster started and warmed for it."""
    n = sum(1 for _ in src.iterdir())
    local: list[float] = []
    remote: list[float] = []
    for _ in range(repeats):
        local.append(fresh_run(src, scratch, "--jobs", "2")())
        with dask_cluster(scratch) as address:
            remote.append(fresh_run(src, scratch, "--dask", address)())
        print(f"  --jobs 2 {local[-1]:.2f} s, --dask {remote[-1]:.2f} s", file=sys.stderr)
    rows = []
    for what, runs in (
        ("cleaner clean --jobs 2", local),
        (f"cleaner clean --dask (LocalCluster, {DASK_WORKERS} workers)", remote),
    ):
        median = statistics.median(runs)
        rows.append(Row(what, median, runs, n, n / median))
    return rows[0], rows[1]


def dask_available() -> bool:
    return importlib.util.find_spec("distributed") is not None


def dask_target(rows: tuple[Row, Row] | None) -> Target:
    what = f"--dask LocalCluster({DASK_WORKERS}) wall over --jobs 2"
    goal = f"<= {TARGET_DASK_OVERHEAD:+.0%}"
    if rows is None:
        return Target(what, "not measured (no dask extra)", goal, None)
    overhead = ratio(rows[1].seconds, rows[0].seconds) - 1
    return Target(what, f"{overhead:+.0%}", goal, overhead <= TARGET_DASK_OVERHEAD)


def small_texts(folder: Path, count: int) -> None:
    """``count`` short articles in 100 sub-folders (one sentence varies, so none repeat)."""
    for i in range(count):
        sub = folder / f"d{i % 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"story{i}.txt").write_text(
            f"Story {i} begins with a sentence long enough to read as prose, as articles do.\n\n"
            f"It continues with a second paragraph about item {i} and what happened next.\n",
            encoding="utf-8",
        )


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


def _prose(rnd: random.Random, sentences: int) -> str:
    """Sentences of 8 to 24 words drawn from PROSE_WORDS: text with the shape of an article."""
    out = []
    for _ in range(sentences):
        words = [rnd.choice(PROSE_WORDS) for _ in range(rnd.randint(8, 24))]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def prose_page(size: int, seed: int = 0) -> bytes:
    """A news page of about ``size`` bytes: head, navigation, headline, ``<p>`` paragraphs of
    prose, footer."""
    rnd = random.Random(seed)
    head = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>City budget</title>"
        "</head><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
        "</ul></nav><article><h1>Council approves the city budget</h1>"
    )
    tail = "</article><footer><p>All rights reserved.</p></footer></body></html>"
    parts, total = [head], len(head) + len(tail)
    while total < size:
        paragraph = f"<p>{_prose(rnd, rnd.randint(2, 6))}</p>\n"
        parts.append(paragraph)
        total += len(paragraph)
    return ("".join(parts) + tail).encode()


def write_gzipped_text(path: Path, size: int) -> None:
    """A ``.gz`` of ``size`` bytes of plain text: one 20 KB article repeated, so it compresses
    to well under 1 MB, as the reported 92 KB bomb of 60 MB did."""
    article = "\n\n".join(_prose(random.Random(1), 4) for _ in range(60)).encode() + b"\n\n"
    with gzip.open(path, "wb", compresslevel=6) as handle:
        for _ in range(size // len(article)):
            handle.write(article)
        handle.write(article[: size % len(article)])


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
            f" {row['outcome']} | {_yes(ok)} |"
        )
    return "\n".join(lines)


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


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


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


Part = tuple[dict[str, Any], str]


def with_targets(results: dict[str, Any], targets: list[Target], tables: list[str]) -> Part:
    """``results`` with its targets, and the tables followed by the targets table."""
    results["targets"] = [asdict(t) for t in targets]
    return results, "\n\n".join([*tables, targets_table(targets)])


def pages_part(src: Path, scratch: Path, args: argparse.Namespace) -> Part:
    results, targets, tables = throughput(src, scratch, args.quick, args.repeats)
    return with_targets(results, targets, [tables])


def dask_part(src: Path, scratch: Path, args: argparse.Namespace) -> Part:
    rows = measure_alternating(src, scratch, args.repeats)
    local, remote = rows
    results = {
        "rows": [asdict(row) for row in rows],
        "dask_overhead": ratio(remote.seconds, local.seconds) - 1,
        "dask_overhead_runs": [
            ratio(d, j) - 1 for j, d in zip(local.runs, remote.runs, strict=True)
        ],
    }
    return with_targets(results, [dask_target(rows)], [rows_table(list(rows))])


def profile_sample(src: Path, quick: bool) -> list[Path]:
    plain = sorted(src.iterdir())
    return plain[:: max(1, len(plain) // (QUICK_PROFILE_SAMPLE if quick else PROFILE_SAMPLE))]


def batch_targets(noop: Row, rss: float, rss_files: int) -> list[Target]:
    """Issue 5's targets for a no-op re-run and for the peak RSS over many small files."""
    noop_goal, rss_goal = f"<= {TARGET_NOOP_SECONDS:g} s", f"<= {TARGET_RSS_MB:g} MB"
    return [
        Target(f"no-op re-run, {NOOP_FILES:,} files", f"{noop.seconds:.2f} s", noop_goal,
               noop.seconds <= TARGET_NOOP_SECONDS),
        Target(f"peak RSS, {rss_files:,} files (largest process)", f"{rss:.0f} MB", rss_goal,
               rss <= TARGET_RSS_MB),
    ]  # fmt: skip


def full_part(src: Path, scratch: Path, args: argparse.Namespace) -> Part:
    """Everything: throughput, dask, no-op re-run, RSS of many files, big pages, stages,
    memory."""
    results, targets, tables = throughput(src, scratch, args.quick, args.repeats)
    dask_rows = measure_alternating(src, scratch, args.repeats) if dask_available() else None
    rows = [noop_rerun(scratch, max(NOOP_MIN_REPEATS, args.repeats)), *(dask_rows or ())]
    rss_files = NOOP_FILES if args.quick else RSS_FILES
    rss = peak_rss_mb(scratch, rss_files)
    big, big_goals, big_tables = big_part(scratch, args.quick)
    targets += [*batch_targets(rows[0], rss, rss_files), dask_target(dask_rows), *big_goals]
    sample = profile_sample(src, args.quick)
    stages, memory = stage_times(sample, scratch), memory_rows(scratch)
    results |= big | {"rows": [asdict(r) for r in rows], "rss_files": rss_files,
                      "peak_rss_mb": rss, "profile_sample": len(sample), "stages": stages,
                      "memory": memory}  # fmt: skip
    parts = [tables, rows_table(rows, rss, rss_files), big_tables]
    results, text = with_targets(results, targets, parts)
    return results, "\n\n".join([text, stages_table(stages), memory_report(memory)])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a small sample, for testing")
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="interleaved runs of every throughput system (medians and paired ratios); each"
        " repeat runs every system once",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to save the JSON")
    parser.add_argument(
        "--only",
        choices=["pages", "big", "dask", "memory"],
        help="pages: the page and text throughput and its targets; big: the big pages alone;"
        " dask: only --jobs 2 against --dask on a 2-worker LocalCluster, alternated; memory:"
        " only the peak RSS of one worker on bad inputs (each saved to speed-PART.json unless"
        " --out is given)",
    )
    parser.add_argument(
        "--pages",
        type=int,
        help="with --only pages or dask: N pages spread evenly over the set instead of all",
    )
    return parser.parse_args(argv)


def arg_problem(args: argparse.Namespace) -> str | None:
    if args.repeats < 1:
        return "--repeats N needs N >= 1"
    if args.pages is not None and (args.only not in ("pages", "dask") or args.pages < 1):
        return "--pages N (N >= 1) goes with --only pages or --only dask"
    if args.only == "dask" and not dask_available():
        return "--only dask needs the dask extra: pip install 'cleaner[dask]'"
    return None


def output_path(args: argparse.Namespace) -> Path:
    if args.out != RESULTS or args.only is None:
        return Path(args.out)
    return RESULTS.with_name(f"speed-{args.only}.json")


def memory_only(out: Path) -> int:
    """``--only memory``: the memory table alone, saved to ``out``."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cleaner-memory-") as tmp:
        rows = memory_rows(Path(tmp))
    results = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "python": platform.python_version(),
        "memory": rows,
        "total_seconds": time.perf_counter() - started,
    }
    save(results, out)
    print(f"Memory run of {results['when']} · one worker, default limits")
    print(memory_report(rows))
    return 0


def run_part(args: argparse.Namespace, scratch: Path) -> tuple[Part, int | None]:
    """The part ``--only`` asks for (all of them without it), in ``scratch``; and the number
    of pages it ran over (None: generated inputs only)."""
    if args.only == "big":
        results, targets, tables = big_part(scratch, args.quick)
        return with_targets(results, targets, [tables]), None
    files = spread(pages(args.quick), args.pages)
    if not files:
        raise SystemExit(f"no pages under {data_dir()}")
    src = scratch / "pages"
    unpack(files, src)
    parts = {"pages": pages_part, "dask": dask_part}
    return parts.get(args.only, full_part)(src, scratch, args), len(files)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    problem = arg_problem(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    if args.only == "memory":
        return memory_only(output_path(args))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        (results, text), n = run_part(args, Path(tmp))
    results = {**environment(args, n), "only": args.only, **results}
    results["total_seconds"] = time.perf_counter() - started
    save(results, output_path(args))
    print(header(results))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
