"""``--only warc`` (issue 17): ``cleaner clean`` over one WARC of the shared pages against
the same pages as files, and the WARC reader libraries compared.

The 1,678 shared HTML pages (``bench.warc_readers.load_pages``) are written once as a
record-gzipped ``pages.warc.gz`` (``build_warc``: one ``response`` per page, plus warcinfo,
request and metadata records) in a folder of its own, and once as ``<corpus>-<id>.html``
files of the same bytes in another. Then ``cleaner clean SRC --out OUT --jobs 2 --force -q``
runs on each folder as a whole process, in interleaved rounds (the order alternating per
round, so a burst of load on the shared machine falls on both alike), each into an empty OUT.

Per run, through ``bench.speed.runner``'s wrapper process: wall time; CPU time, user + sys
of the wrapper's ``RUSAGE_CHILDREN`` (the CLI and every worker it reaped); the largest single
process's peak RSS (``ru_maxrss`` of the same: one process, the largest of the tree); and,
sampled from here, the tree's peak: the sum of the RSS (``/proc/PID/statm``) of the
CLI and its workers every 50 ms, which counts a page the forked workers share with the
parent once in each, so it bounds the tree's use from above. The ratios WARC/files are of
medians measured in this same run.

Then the texts: every page's ``.txt`` of the files run against its record's ``.txt`` of the
WARC run, found where ``cleaner.warc.mapping`` puts it (``OUT/pages/<host>/<path>.txt``, the
stem claimed in archive order by ``Stems``). Metadata differ by design (url, warc, fetched,
source), so only the texts are compared. While the command line does not read archives (it
skips them with a reason), the WARC rows say so and carry no figures, and the texts of
``cleaner.warc.archive.clean_archive`` (the Python API, default options) stand in for the
WARC run's in the comparison.

Last, with ``warcio`` importable, ``bench.warc_readers``' FastWARC against warcio on the same
archive (records/s iterating and seeking, peak RSS, fresh processes, interleaved).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from bench import warc_readers
from bench.corpora import data_dir
from bench.speed.inputs import spread
from bench.speed.report import Part, ratio
from bench.speed.runner import MEASURE_WRAPPER, REPO, child_env, cleaner_cli, rotated

ARCHIVE = "pages.warc.gz"
ARCHIVE_FOLDER = "pages"  # where its outputs go: OUT/<archive name without .warc.gz>
QUICK_PAGES = 50
JOBS = "2"
SAMPLE_SECONDS = 0.05  # often enough to catch the workers' peak, cheap enough not to load
KIB = 1024
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // KIB


@dataclass(frozen=True, slots=True)
class Layout:
    """The two inputs: the folder holding the archive, the folder of page files, and per page
    (in archive order) its output stem in the files run and in the WARC run."""

    warc_dir: Path
    files_dir: Path
    records: int
    stems: list[tuple[str, str]]

    @property
    def archive(self) -> Path:
        return self.warc_dir / ARCHIVE


@dataclass(frozen=True, slots=True)
class TreeRun:
    """One whole-process run: wall and CPU seconds, the largest process's peak RSS and the
    tree's sampled peak RSS sum in MB, the exit code and the outputs it wrote."""

    wall: float
    cpu: float
    largest_mb: float
    tree_mb: float
    returncode: int | None
    outputs: int


# --- inputs ---------------------------------------------------------------------------------


def page_name(page: warc_readers.Page) -> str:
    return f"{page.corpus}-{page.id}"


def lay_out(scratch: Path, quick: bool) -> Layout:
    """The archive and the page files in ``scratch``, with their output stems."""
    pages = warc_readers.load_pages(data_dir())
    pages = spread(pages, QUICK_PAGES) if quick else pages  # both corpora in a sample
    warc_dir, files_dir = scratch / "warc", scratch / "files"
    records = write_inputs(pages, warc_dir, files_dir)
    names = [page_name(page) for page in pages]
    stems = record_stems(warc_dir / ARCHIVE)
    if len(stems) != len(names):  # a page the reader skipped would pair the rest wrongly
        raise SystemExit(f"{len(names)} pages but {len(stems)} page records in {ARCHIVE}")
    return Layout(warc_dir, files_dir, records, list(zip(names, stems, strict=True)))


def write_inputs(pages: list[warc_readers.Page], warc_dir: Path, files_dir: Path) -> int:
    """The archive in ``warc_dir`` (alone: the WARC run cleans nothing else) and the same
    bytes as ``.html`` files in ``files_dir``; returns the archive's number of records."""
    warc_dir.mkdir(parents=True)
    files_dir.mkdir()
    for page in pages:
        (files_dir / f"{page_name(page)}.html").write_bytes(page.html)
    return warc_readers.build_warc(pages, warc_dir / ARCHIVE, compress=True)


def load_batch() -> None:
    """Import the batch before ``cleaner.warc``: the mapping imports the batch's selection and
    the batch imports the mapping, so this is the order (the command line's) that loads."""
    import cleaner.batch  # noqa: F401


def record_stems(archive: Path) -> list[str]:
    """Each page record's output stem under OUT, in archive order, as the batch maps it."""
    load_batch()
    from cleaner.config import Options
    from cleaner.warc.mapping import Stems
    from cleaner.warc.records import records

    folder, stems = ARCHIVE_FOLDER, Stems()
    found = records(archive, max_bytes=Options().max_bytes, bodies=False)
    return [f"{folder}/{stems.claim(r.uri, r.record_id)}" for r in found if r.page]


# --- one run of a process tree ----------------------------------------------------------------


def children(pid: int) -> list[int]:
    """The child processes of ``pid``, through every thread's ``children`` list (a pool may
    start workers from a helper thread)."""
    kids: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            kids += map(int, Path(task.path, "children").read_text().split())
    except OSError:  # gone meanwhile
        pass
    return kids


def tree(pid: int) -> Iterator[int]:
    yield pid
    for kid in children(pid):
        yield from tree(kid)


def rss_kib(pid: int) -> int:
    """Resident set of one process in KiB (0 when it is gone). ``statm``, not the PSS of
    ``smaps_rollup``: that walks the page tables, 10 ms a process here, and sampling it took
    a quarter of a core from the run it measured."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
    except (OSError, ValueError, IndexError):
        return 0


def sampled_peak(proc: subprocess.Popen[str]) -> int:
    """The largest RSS sum over ``proc``'s descendants (not ``proc``, the wrapper) seen
    until it exits, in KiB."""
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(rss_kib(p) for kid in children(proc.pid) for p in tree(kid)))
        time.sleep(SAMPLE_SECONDS)
    return peak


def run_tree(command: list[str], out: Path, log: Path) -> TreeRun:
    """``command`` run into an emptied ``out``, measured as a tree (stderr kept in ``log``).

    Through runner's small wrapper process: a child's ``ru_maxrss`` starts at the high-water
    mark of the process that forked it, and this one holds every page in memory."""
    shutil.rmtree(out, ignore_errors=True)
    wrapper = [sys.executable, "-c", MEASURE_WRAPPER, "0", *command]
    with log.open("w") as err:
        proc = subprocess.Popen(
            wrapper, stdout=subprocess.PIPE, stderr=err, text=True, env=child_env()
        )
        peak = sampled_peak(proc)  # one line of output: the pipe never fills meanwhile
        got = json.loads(proc.communicate()[0])
    outputs = sum(1 for _ in out.rglob("*.txt"))
    rss = got["maxrss_kib"] / KIB
    return TreeRun(got["wall"], got["cpu"], rss, peak / KIB, got["returncode"], outputs)


# --- the two systems, interleaved --------------------------------------------------------------


def commands(layout: Layout, scratch: Path) -> dict[str, tuple[list[str], Path]]:
    """Each system's command line and OUT."""
    runs = {"warc": layout.warc_dir, "files": layout.files_dir}
    outs = {key: scratch / f"out-{key}" for key in runs}
    flags = ("--jobs", JOBS, "--force")
    return {k: (cleaner_cli(src, outs[k], *flags), outs[k]) for k, src in runs.items()}


def not_read(layout: Layout, out: Path) -> str | None:
    """Why the WARC run wrote no record's output where the mapping puts it (None: it did),
    from its report: a skip or failure reason, or what it wrote instead."""
    if any((out / f"{stem}.txt").exists() for _, stem in layout.stems):
        return None
    try:
        report = json.loads((out / "cleaner-report.json").read_text("utf-8"))
    except (OSError, ValueError):
        return "the command line wrote neither record outputs nor a report"
    reasons = [s.get("reason", "") for s in report.get("skipped", [])]
    reasons += [f.get("reason", "") for f in report.get("failed", [])]
    wrote = sorted(str(p.relative_to(out)) for p in out.rglob("*.txt"))[:3]
    instead = f"no record output under OUT/{ARCHIVE_FOLDER}/; wrote {wrote or 'no .txt'}"
    return "; ".join([*(r for r in reasons if r), instead])


Runs = dict[str, list[TreeRun]]


def interleave(layout: Layout, scratch: Path, rounds: int) -> tuple[Runs, str | None]:
    """Every system's runs, alternating which goes first; the WARC system is dropped after a
    run that cleaned nothing of the archive (with the reason)."""
    systems = commands(layout, scratch)
    runs: Runs = {key: [] for key in systems}
    reason: str | None = None
    for r in range(rounds):
        for key in rotated(list(systems), r):  # which goes first alternates
            if key == "warc" and reason is not None:
                continue
            command, out = systems[key]
            log = scratch / f"{key}.log"
            runs[key].append(run_tree(command, out, log))
            progress(r, rounds, key, runs[key][-1], log)
            if key == "warc":
                reason = not_read(layout, out)
    if reason is not None:
        runs["warc"] = []  # no figures for a run that did not read the archive
    return runs, reason


def progress(r: int, rounds: int, key: str, run: TreeRun, log: Path) -> None:
    """One line per run on stderr, with the end of its stderr when it failed."""
    tail = "" if run.returncode == 0 else ": " + " / ".join(log.read_text().splitlines()[-2:])
    print(
        f"  [{r + 1}/{rounds}] {key}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU,"
        f" {run.largest_mb:.0f} MB largest, {run.tree_mb:.0f} MB tree, {run.outputs} .txt,"
        f" exit {run.returncode}{tail}",
        file=sys.stderr,
    )


def medians(runs: list[TreeRun], docs: int) -> dict[str, Any]:
    """A system's medians, rates and runs."""
    wall = statistics.median(run.wall for run in runs)
    cpu = statistics.median(run.cpu for run in runs)
    return {
        "docs": docs,
        "median_wall": wall,
        "median_cpu": cpu,
        "docs_per_s_wall": ratio(docs, wall),
        "docs_per_s_cpu": ratio(docs, cpu),
        "largest_process_rss_mb": max(run.largest_mb for run in runs),
        "tree_rss_mb": max(run.tree_mb for run in runs),
        "runs": [asdict(run) for run in runs],
    }


# --- the texts ---------------------------------------------------------------------------------


def cli_texts(layout: Layout, out: Path) -> Iterator[str | None]:
    """The WARC run's text of each page, in archive order (None: no output)."""
    for _, stem in layout.stems:
        path = out / f"{stem}.txt"
        yield path.read_text("utf-8") if path.exists() else None


def api_texts(layout: Layout) -> Iterator[str | None]:
    """``clean_archive``'s text of each page record, in archive order (None: not cleaned)."""
    load_batch()
    from cleaner.warc.archive import clean_archive

    for item in clean_archive(layout.archive, name=ARCHIVE):
        if item.stem is not None:
            yield item.result.text if item.result is not None else None


SAME = {True: "identical", False: "differing"}


def compare(layout: Layout, files_out: Path, warc: Iterator[str | None]) -> dict[str, Any]:
    """Every page's ``.txt`` of the files run against its record's text."""
    counts = {"identical": 0, "differing": 0, "missing": 0}
    differing: list[str] = []
    for (name, _), text in zip(layout.stems, warc, strict=True):
        path = files_out / f"{name}.txt"
        mine = path.read_text("utf-8") if path.exists() else None
        key = "missing" if mine is None or text is None else SAME[mine == text]
        counts[key] += 1
        if key != "identical":
            differing.append(name)
    return {**counts, "not_identical": differing[:20]}


# --- the readers -------------------------------------------------------------------------------


def warc_available() -> bool:
    """warcio writes the archive and is one of the two readers compared; FastWARC the other."""
    return find_spec("warcio") is not None and find_spec("fastwarc") is not None


def readers(layout: Layout, scratch: Path, rounds: int) -> dict[str, Any]:
    """FastWARC against warcio on the archive (``bench.warc_readers``)."""
    runs = warc_readers.measure([layout.archive], rounds, scratch, quiet=True)
    return {"rows": warc_readers.summary(runs), "same_reads": warc_readers.same_reads(runs)}


# --- the part ----------------------------------------------------------------------------------


def warc_part(scratch: Path, quick: bool, rounds: int) -> Part:
    """The WARC part's results and tables."""
    layout = lay_out(scratch, quick)
    runs, reason = interleave(layout, scratch, rounds)
    systems = commands(layout, scratch)
    files_out, warc_out = systems["files"][1], systems["warc"][1]
    docs = len(layout.stems)
    results: dict[str, Any] = {
        "docs": docs,
        "cleaner_at": code_version(),
        "archive_records": layout.records,
        "archive_mb": layout.archive.stat().st_size / 2**20,
        "commands": {k: " ".join([*c[:2], "SRC", *c[3:]]) for k, (c, _) in systems.items()},
        "cli_reads_warc": reason is None,
        "cli_not_read_reason": reason,
        "systems": {k: medians(v, docs) for k, v in runs.items() if v},
        "texts_from": "cli" if reason is None else "the Python API, clean_archive",
    }
    warc_texts = cli_texts(layout, warc_out) if reason is None else api_texts(layout)
    results["texts"] = compare(layout, files_out, warc_texts)
    results["ratios"] = warc_ratios(results["systems"])
    results["paired_ratios"] = paired(runs) if reason is None else None
    warc = results["systems"].get("warc")
    results["warc_records_per_s_wall"] = layout.records / warc["median_wall"] if warc else None
    results["readers"] = readers(layout, scratch, rounds)
    return results, tables(results, rounds)


RSS_KEYS = ("largest_process_rss_mb", "tree_rss_mb")


def code_version() -> str:
    """The commit measured, and ``+ changes`` when ``cleaner/`` differs from it (the code
    may be edited while a bench runs; a run is only of a commit when it says so)."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "cleaner"], capture_output=True, text=True
    )
    return head.stdout.strip() + (" + changes in cleaner/" if dirty.stdout.strip() else "")


def warc_ratios(systems: dict[str, Any]) -> dict[str, float] | None:
    """WARC over files, of the medians: wall, CPU, docs/s, peak RSS."""
    if "warc" not in systems:
        return None
    w, f = systems["warc"], systems["files"]
    keys = ("median_wall", "median_cpu", "docs_per_s_wall", "docs_per_s_cpu", *RSS_KEYS)
    return {key: ratio(w[key], f[key]) for key in keys}


def paired(runs: Runs) -> dict[str, list[float]]:
    """WARC over files per round, for wall and CPU: the two ran back to back, so a burst of
    load that a median of each hides shows here as one round's outlier."""
    pairs = list(zip(runs["warc"], runs["files"], strict=True))
    return {
        "wall": [ratio(w.wall, f.wall) for w, f in pairs],
        "cpu": [ratio(w.cpu, f.cpu) for w, f in pairs],
    }


# --- tables ------------------------------------------------------------------------------------


def tables(results: dict[str, Any], rounds: int) -> str:
    parts = [runs_table(results, rounds), texts_line(results)]
    same = results["readers"]["same_reads"]
    parts.append(f"WARC readers on {ARCHIVE}, fresh process per run, median of {rounds} rounds:")
    parts.append(warc_readers.table(results["readers"]["rows"]))
    parts.append(f"docs and body bytes identical across libraries: {same}")
    return "\n\n".join(parts)


LABELS = {"warc": f"cleaner clean on 1 {ARCHIVE}", "files": "cleaner clean on the .html files"}


def runs_table(results: dict[str, Any], rounds: int) -> str:
    head = (
        f"`cleaner clean SRC --out OUT --jobs {JOBS} --force -q`, median of {rounds} interleaved"
        f" runs; archive {results['archive_records']:,} records, {results['archive_mb']:.1f} MB"
        "\n\n| input | docs | median wall s | median CPU s | docs/s (wall) | docs/s (CPU) |"
        " peak RSS, largest process (ru_maxrss) | peak RSS, sum over the tree (sampled 50 ms) |"
        "\n|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for key, label in LABELS.items():
        lines.append(system_line(label, results["systems"].get(key)))
    if results["ratios"] is not None:
        r = results["ratios"]
        lines.append(
            f"| ratio WARC / files | | {r['median_wall']:.2f} | {r['median_cpu']:.2f} |"
            f" {r['docs_per_s_wall']:.2f} | {r['docs_per_s_cpu']:.2f} |"
            f" {r['largest_process_rss_mb']:.2f} | {r['tree_rss_mb']:.2f} |"
        )
    if results["warc_records_per_s_wall"] is not None:
        every = f"{results['archive_records']:,} records, pages and others"
        lines.append(f"\nWARC records/s (wall): {results['warc_records_per_s_wall']:.1f} ({every})")
    if results["paired_ratios"] is not None:
        lines.append(paired_line(results["paired_ratios"]))
    if not results["cli_reads_warc"]:
        why = results["cli_not_read_reason"]
        lines.append(f"\n**The command line could not read the archive**: {why}")
    return "\n".join(lines)


def system_line(label: str, row: dict[str, Any] | None) -> str:
    if row is None:
        return f"| {label} | not measured: the archive was not read | | | | | | |"
    return (
        f"| {label} | {row['docs']:,} | {row['median_wall']:.2f} | {row['median_cpu']:.2f} |"
        f" {row['docs_per_s_wall']:.1f} | {row['docs_per_s_cpu']:.1f} |"
        f" {row['largest_process_rss_mb']:.0f} MB | {row['tree_rss_mb']:.0f} MB |"
    )


def texts_line(results: dict[str, Any]) -> str:
    t = results["texts"]
    total = t["identical"] + t["differing"] + t["missing"]
    return (
        f"Texts, files run against WARC ({results['texts_from']}): {t['identical']:,} of"
        f" {total:,} identical, {t['differing']:,} differing, {t['missing']:,} missing"
        + (f" (first: {', '.join(t['not_identical'][:5])})" if t["not_identical"] else "")
    )


def paired_line(pairs: dict[str, list[float]]) -> str:
    def show(values: list[float]) -> str:
        runs = ", ".join(f"{v:.2f}" for v in values)
        return f"{runs} (median {statistics.median(values):.2f})"

    return f"WARC / files per round: wall {show(pairs['wall'])}; CPU {show(pairs['cpu'])}"
