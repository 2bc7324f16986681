"""Speed of batch runs: ``python -m bench.speed [--quick] [--repeats N]`` (``make bench``).

Measured in one script on one machine, printed as one table and saved to
``bench/results/speed.json``:

* throughput (docs/s) of ``cleaner clean --jobs 1`` and ``--jobs 2`` (the CLI, wall time from
  start to exit, a fresh OUT each time so every page is cleaned) against ``trafilatura.extract``
  alone over the same files (a loop in this process: read the file, extract);
* wall time of ``cleaner clean`` (default jobs, i.e. the ``--jobs 2`` run on 2 CPUs) against
  trafilatura's own folder mode, ``trafilatura --input-dir IN --output-dir OUT``, on the same
  folder;
* a no-op re-run over 2,000 small text files (the second run of ``cleaner clean`` into the same
  OUT, everything up to date);
* peak RSS of the largest process (``getrusage(RUSAGE_CHILDREN)`` of a wrapper process, which
  covers the cleaner and its workers) on a folder of 10,000 small text files;
* time per stage (read, extract, noise, order, language, write) from cProfile over a sample:
  the cumulative time of each stage's entry function;
* when the ``dask`` extra is installed, ``cleaner clean --dask`` on a ``LocalCluster`` of 2
  single-threaded worker processes against ``--jobs 2`` on the same pages (issue 6: overhead
  <= 15%). The cluster is started and its workers warmed up before timing, as a standing
  cluster would be; each run is the CLI from start to exit into a fresh OUT.
  ``--only dask`` measures just these two rows, alternating them (``--jobs 2``, then a freshly
  started and warmed cluster, ``--dask``, per repeat) so that the load of other jobs on a shared
  machine falls on both alike and the cluster's idle cost does not slow the ``--jobs 2`` runs;
  ``--pages N`` takes N pages spread evenly over the set, for a shorter run;
* peak RSS of one worker (``cleaner clean FILE --jobs 1`` with the default limits, one input
  each) on bad inputs that used to take gigabytes: generated pages of prose of 1, 10 and 50 MB,
  a 2 GB sparse ``.txt`` and a ``.gz`` of 60 MB of text, against the 600 MB target (issue 11).
  ``--only memory`` measures just these (about a minute, no page corpus needed; saved to
  ``bench/results/speed-memory.json``).

Pages: the ScrapingHub benchmark HTML plus every WCXB dev page (181 + 1,497 = 1,678), un-gzipped
into a temp folder so that both tools read the same plain ``.html`` files. Timing only: nothing
is scored or tuned here. Each figure is the median of ``--repeats`` runs; the machine is shared,
so compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import importlib.util
import json
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
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpora import data_dir, scrapinghub_html

RESULTS = Path(__file__).resolve().parent / "results" / "speed.json"
BIN = Path(sys.executable).parent
NOOP_FILES = 2_000
NOOP_MIN_REPEATS = 5  # cheap, and the noisiest figure: always a median of several runs
DEFAULT_JOBS = min(4, os.cpu_count() or 1)  # as the CLI (cleaner.settings.DEFAULT_MAX_JOBS)
RSS_FILES = 10_000
PROFILE_SAMPLE = 80
QUICK_PAGES = 60
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
# Targets of issue 5.
TARGET_JOBS1_VS_TRAFILATURA = 0.85
TARGET_JOBS2_VS_JOBS1 = 1.8
TARGET_NOOP_SECONDS = 1.0
TARGET_RSS_MB = 300.0
# Target of issue 6: a 2-worker LocalCluster's wall time over --jobs 2's, minus one.
TARGET_DASK_OVERHEAD = 0.15
DASK_WORKERS = 2
# Target of issue 11: no bad input takes a worker past this peak RSS.
TARGET_WORKER_RSS_MB = 600.0
MB = 1024 * 1024
SPARSE_BYTES = 2 * 1024 * MB
GZIP_TEXT_BYTES = 60 * MB
PAGE_SIZES_MB = (1, 10, 50)
PROSE_WORDS = (
    "the council said on monday that its new budget for the city parks would include more "
    "money for playgrounds trees and benches while critics argued that it came too late and "
    "residents who gathered at the town hall heard the mayor explain how the plan would work"
).split()
RSS_WRAPPER = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=False, "
    "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: what was measured, its median, the runs, and a derived figure."""

    what: str
    seconds: float
    runs: list[float]
    docs: int
    docs_per_s: float | None


def pages(quick: bool) -> list[Path]:
    """The page files: ScrapingHub (via bench.corpora) plus every WCXB dev page."""
    root = data_dir()
    found = [doc.path for doc in scrapinghub_html(root).docs if doc.path is not None]
    found += sorted((root / "wcxb" / "dev" / "html").glob("*.html.gz"))
    return found[:QUICK_PAGES] if quick else found


def spread(files: list[Path], count: int | None) -> list[Path]:
    """``count`` of ``files`` taken at even steps (both corpora represented), or all of them."""
    if count is None or count >= len(files):
        return files
    step = len(files) / count
    return [files[int(i * step)] for i in range(count)]


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


def cleaner_cli(src: Path, out: Path, *extra: str) -> list[str]:
    return [str(BIN / "cleaner"), "clean", str(src), "--out", str(out), "-q", *extra]


def fresh_run(src: Path, scratch: Path, *extra: str) -> Callable[[], float]:
    """A run into an empty OUT, so every page is cleaned."""

    def once() -> float:
        out = scratch / "out"
        shutil.rmtree(out, ignore_errors=True)
        return timed(cleaner_cli(src, out, *extra))

    return once


def trafilatura_alone(files: list[Path]) -> Callable[[], float]:
    import trafilatura

    def once() -> float:
        started = time.perf_counter()
        for path in files:
            trafilatura.extract(path.read_bytes())
        return time.perf_counter() - started

    return once


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


def trafilatura_cli(src: Path, scratch: Path) -> Callable[[], float]:
    def once() -> float:
        out = scratch / "traf-out"
        shutil.rmtree(out, ignore_errors=True)
        return timed([str(BIN / "trafilatura"), "--input-dir", str(src), "--output-dir", str(out)])

    return once


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
    command = [sys.executable, "-c", RSS_WRAPPER, *cleaner_cli(src, scratch / "rss-out")]
    proc = subprocess.run(command, check=True, capture_output=True, text=True)
    return int(proc.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


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
    """Peak RSS (of the run and its worker: ``RUSAGE_CHILDREN`` of a wrapper process), time and
    outcome of ``cleaner clean`` on one input with the default limits."""
    out = scratch / "memory-out"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-c", RSS_WRAPPER, *cleaner_cli(path, out, "--jobs", "1")]
    started = time.perf_counter()
    proc = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    report = json.loads((out / "cleaner-report.json").read_text(encoding="utf-8"))
    failed = report["failed"]
    outcome = f"failed: {failed[0]['error']}" if failed else "cleaned"
    rss = int(proc.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux
    return {"input": label, "bytes": path.stat().st_size, "peak_rss_mb": rss,
            "seconds": seconds, "outcome": outcome}


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
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Memory run of {results['when']} · one worker, default limits")
    print(memory_report(rows))
    return 0


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


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def report(results: dict[str, Any]) -> str:
    rows: list[dict[str, Any]] = results["rows"]
    lines = [
        "| measurement | docs | median s | runs (s) | docs/s |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        rate = f"{row['docs_per_s']:.1f}" if row["docs_per_s"] else ""
        runs = ", ".join(f"{r:.2f}" for r in row["runs"])
        lines.append(
            f"| {row['what']} | {row['docs']:,} | {row['seconds']:.2f} | {runs} | {rate} |"
        )
    lines.append(
        f"| peak RSS, {results['rss_files']:,} files (largest process) | | | |"
        f" {results['peak_rss_mb']:.0f} MB |"
    )
    t = results["targets"]
    jobs1_ok = t["jobs1_vs_trafilatura"] >= TARGET_JOBS1_VS_TRAFILATURA
    lines += [
        "",
        "| target | measured | goal | met |",
        "|---|---|---|---|",
        f"| --jobs 1 / trafilatura.extract | {t['jobs1_vs_trafilatura']:.2f}x |"
        f" >= {TARGET_JOBS1_VS_TRAFILATURA}x | {_yes(jobs1_ok)} |",
        f"| --jobs 2 / --jobs 1 | {t['jobs2_vs_jobs1']:.2f}x | >= {TARGET_JOBS2_VS_JOBS1}x |"
        f" {_yes(t['jobs2_vs_jobs1'] >= TARGET_JOBS2_VS_JOBS1)} |",
        f"| cleaner wall / trafilatura CLI wall | {t['wall_vs_trafilatura_cli']:.2f} | < 1 |"
        f" {_yes(t['wall_vs_trafilatura_cli'] < 1)} |",
        f"| no-op re-run, {NOOP_FILES:,} files | {t['noop_seconds']:.2f} s |"
        f" <= {TARGET_NOOP_SECONDS:g} s | {_yes(t['noop_seconds'] <= TARGET_NOOP_SECONDS)} |",
        f"| peak RSS, {results['rss_files']:,} files | {results['peak_rss_mb']:.0f} MB |"
        f" <= {TARGET_RSS_MB:g} MB | {_yes(results['peak_rss_mb'] <= TARGET_RSS_MB)} |",
        *_dask_target(t),
        "",
        "| stage | seconds (profile sample) | share |",
        "|---|---|---|",
    ]
    stages: dict[str, float | None] = results["stages"]
    total = sum(v for v in stages.values() if v)
    for stage, seconds in stages.items():
        if seconds is None:
            lines.append(f"| {stage} | not present | |")
        else:
            lines.append(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} |")
    return "\n".join(lines)


def _dask_target(targets: dict[str, Any]) -> list[str]:
    overhead = targets.get("dask_overhead")
    if overhead is None:
        return ["| --dask LocalCluster(2) / --jobs 2 | not measured (no dask extra) | | |"]
    return [
        f"| --dask LocalCluster(2) over --jobs 2 | {overhead:+.0%} |"
        f" <= {TARGET_DASK_OVERHEAD:+.0%} | {_yes(overhead <= TARGET_DASK_OVERHEAD)} |"
    ]


def dask_report(results: dict[str, Any]) -> str:
    """The table of an ``--only dask`` run."""
    lines = ["| measurement | docs | median s | runs (s) | docs/s |", "|---|---|---|---|---|"]
    for row in results["rows"]:
        runs = ", ".join(f"{r:.2f}" for r in row["runs"])
        lines.append(
            f"| {row['what']} | {row['docs']:,} | {row['seconds']:.2f} | {runs} |"
            f" {row['docs_per_s']:.1f} |"
        )
    lines += ["", "| target | measured | goal | met |", "|---|---|---|---|"]
    return "\n".join(lines + _dask_target(results["targets"]))


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small sample, for testing")
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="runs per page-throughput figure (median); one full pass takes ~20 min on 2 cores",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to save the JSON")
    parser.add_argument(
        "--only",
        choices=["dask", "memory"],
        help="dask: only --jobs 2 against --dask on a 2-worker LocalCluster, alternated (saved"
        " to speed-dask.json unless --out is given); memory: only the peak RSS of one worker"
        " on bad inputs (saved to speed-memory.json unless --out is given)",
    )
    parser.add_argument(
        "--pages",
        type=int,
        help="with --only dask: N pages spread evenly over the set instead of all of them",
    )
    args = parser.parse_args(argv)
    if args.only == "dask" and not dask_available():
        print("--only dask needs the dask extra: pip install 'cleaner[dask]'", file=sys.stderr)
        return 2
    if args.pages is not None and (args.only != "dask" or args.pages < 1):
        print("--pages N (N >= 1) goes with --only dask", file=sys.stderr)
        return 2
    if args.only == "dask" and args.out == RESULTS:
        args.out = RESULTS.with_name("speed-dask.json")
    if args.only == "memory":
        default_out = RESULTS.with_name("speed-memory.json")
        return memory_only(default_out if args.out == RESULTS else args.out)
    files = spread(pages(args.quick), args.pages)
    if not files:
        print(f"no pages under {data_dir()}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cleaner-speed-") as tmp:
        scratch = Path(tmp)
        src = scratch / "pages"
        unpack(files, src)
        plain = sorted(src.iterdir())
        n = len(plain)
        rows: list[Row] = []

        def measure(what: str, once: Callable[[], float]) -> Row:
            median, runs = median_of(args.repeats, once)
            row = Row(what, median, runs, n, n / median)
            rows.append(row)
            print(f"  {what}: {median:.2f} s", file=sys.stderr)
            return row

        def measure_dask() -> Row | None:
            if not dask_available():
                print("  --dask: not measured (no dask extra)", file=sys.stderr)
                return None
            with dask_cluster(scratch) as address:
                label = f"cleaner clean --dask (LocalCluster, {DASK_WORKERS} workers)"
                return measure(label, fresh_run(src, scratch, "--dask", address))

        if args.only == "dask":
            local_row, remote_row = measure_alternating(src, scratch, args.repeats)
            rows += [local_row, remote_row]
            results_dask: dict[str, Any] = {
                "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "quick": args.quick,
                "repeats": args.repeats,
                "pages": n,
                "rows": [asdict(row) for row in rows],
                "targets": {
                    "dask_overhead": ratio(remote_row.seconds, local_row.seconds) - 1,
                    "dask_overhead_runs": [
                        ratio(d, j) - 1
                        for j, d in zip(local_row.runs, remote_row.runs, strict=True)
                    ],
                },
                "total_seconds": time.perf_counter() - started,
            }
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results_dask, indent=2) + "\n", encoding="utf-8")
            print(
                f"Dask speed run of {results_dask['when']} · {n} pages · median of {args.repeats}"
            )
            print(dask_report(results_dask))
            return 0
        traf = measure("trafilatura.extract alone (one process)", trafilatura_alone(plain))
        jobs1 = measure("cleaner clean --jobs 1", fresh_run(src, scratch, "--jobs", "1"))
        jobs2 = measure("cleaner clean --jobs 2", fresh_run(src, scratch, "--jobs", "2"))
        dask_row = measure_dask()
        default = jobs2  # the same run unless the default differs (min(4, CPUs) != 2)
        if DEFAULT_JOBS != 2:
            label = f"cleaner clean (default --jobs {DEFAULT_JOBS})"
            default = measure(label, fresh_run(src, scratch))
        cli = measure("trafilatura --input-dir --output-dir", trafilatura_cli(src, scratch))
        noop = noop_rerun(scratch, max(NOOP_MIN_REPEATS, args.repeats))
        rows.append(noop)
        rss_files = NOOP_FILES if args.quick else RSS_FILES
        rss = peak_rss_mb(scratch, rss_files)
        sample = plain[:: max(1, n // (QUICK_PROFILE_SAMPLE if args.quick else PROFILE_SAMPLE))]
        stages = stage_times(sample, scratch)
        memory = memory_rows(scratch)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "quick": args.quick,
        "repeats": args.repeats,
        "pages": n,
        "profile_sample": len(sample),
        "rows": [asdict(row) for row in rows],
        "rss_files": rss_files,
        "peak_rss_mb": rss,
        "stages": stages,
        "memory": memory,
        "targets": {
            "jobs1_vs_trafilatura": ratio(jobs1.docs_per_s or 0, traf.docs_per_s or 0),
            "jobs2_vs_jobs1": ratio(jobs2.docs_per_s or 0, jobs1.docs_per_s or 0),
            "wall_vs_trafilatura_cli": ratio(default.seconds, cli.seconds),
            "noop_seconds": noop.seconds,
            "dask_overhead": (
                None if dask_row is None else ratio(dask_row.seconds, jobs2.seconds) - 1
            ),
        },
        "total_seconds": time.perf_counter() - started,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"Speed run of {results['when']} · python {results['python']} · {results['cpus']} cpus"
        f" · {n} pages · median of {args.repeats}"
    )
    print(report(results))
    print()
    print(memory_report(memory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
