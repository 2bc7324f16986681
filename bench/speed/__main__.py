"""``python -m bench.speed``: the options, and the part ``--only`` asks for (all without it)."""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench import speed
from bench.corpora import data_dir
from bench.speed.batch import (
    NOOP_FILES,
    NOOP_MIN_REPEATS,
    RSS_FILES,
    batch_targets,
    noop_rerun,
    peak_rss_mb,
    profile_sample,
    stage_times,
    stages_table,
)
from bench.speed.big import big_part
from bench.speed.cluster import dask_available, dask_target, measure_alternating
from bench.speed.inputs import pages, spread, unpack
from bench.speed.memory import memory_report, memory_rows
from bench.speed.report import Part, environment, header, ratio, rows_table, save, with_targets
from bench.speed.throughput import throughput
from bench.speed.warc import warc_available, warc_part

RESULTS = Path(__file__).resolve().parent.parent / "results" / "speed.json"


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
    text = "\n\n".join([text, stages_table(stages), memory_report(memory)])
    if not warc_available():  # the archive is written with warcio
        return results, text + "\n\nWARC part not run: warcio is not importable (the bench extra)"
    results["warc"], warc_text = warc_part(scratch / "warc-part", args.quick, args.repeats)
    return results, "\n\n".join([text, warc_text])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.speed",
        description=speed.__doc__,
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
        choices=["pages", "big", "dask", "memory", "warc"],
        help="pages: the page and text throughput and its targets; big: the big pages alone;"
        " dask: only --jobs 2 against --dask on a 2-worker LocalCluster, alternated; memory:"
        " only the peak RSS of one worker on bad inputs; warc: cleaner clean over a WARC of the"
        " pages against the same pages as files, and FastWARC against warcio (each saved to"
        " speed-PART.json unless --out is given)",
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
    if args.only == "warc" and not warc_available():
        return "--only warc needs warcio and fastwarc: pip install 'cleaner[bench,warc]'"
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
    if args.only == "warc":
        results, text = warc_part(scratch, args.quick, args.repeats)
        return (results, text), results["docs"]
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
