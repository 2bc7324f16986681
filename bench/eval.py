"""Run the benchmark: ``python -m bench.eval [--corpus NAME ...] [--limit N] [--out DIR]``.

Runs ``cleaner`` and its baselines over every corpus of :mod:`bench.corpora`, prints one
markdown table per corpus (system | docs | F1 | P | R | exact acc | ... | docs/s), every row
measured in the same run on the same machine, and writes ``<out>/<corpus>.json`` with the
scores and per-document figures so that a regression can be traced to the documents it hits.

Scores: the ScrapingHub metric (every corpus with a gold text), WCXB's word metric as well on
WCXB pages, trafilatura's snippet metric on its evaluation set; see :mod:`bench.metrics`. Text
corpora add the text-mode figures of issue 12: the share of output paragraphs that start as a
fragment beside the gold's own share ("frag out" / "frag gold"), title accuracy of the metadata
title where the input holds the headline ("title right", n/a for a system without titles) and
the share of documents that lost no gold paragraph ("no para lost"); the lost paragraphs are
counted per reason of the removed blocks holding their tokens (``cleaner`` variants only).
Throughput (docs/s) is the number of documents divided by the summed time of the system calls
alone (reading files and scoring are not timed). Calls run in a pool of ``--workers``
processes (2 by default), each call timed inside its worker: the figure is per core, i.e.
what one process achieves, not the pool's aggregate. Results do not depend on the pool: every
system is deterministic and results are gathered by document id.

Data credits: ScrapingHub article-extraction benchmark (MIT), WCXB (Murrough Foley, CC-BY-4.0),
trafilatura's evaluation set (Adrien Barbaresi, Apache-2.0); see :mod:`bench.corpora`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench.corpora import CORPORA, Corpus, Doc, load_corpus
from bench.metrics import (
    DocScore,
    TextScore,
    aggregate_scrapinghub,
    aggregate_snippets,
    aggregate_text,
    aggregate_titles,
    aggregate_wcxb,
    repeats_a_paragraph,
    scrapinghub_doc,
    snippet_counts,
    text_doc,
    title_right,
    wcxb_doc_score,
)
from bench.systems import METADATA_SYSTEMS, SYSTEMS, output_parts
from cleaner import Options

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True, slots=True)
class DocResult:
    """One system on one document: call time, error (if any) and the per-document scores.

    ``title`` is whether the system's metadata title is the gold one: ``None`` when it is not
    scored (no gold title, no title metric, or a system that gives no metadata)."""

    id: str
    seconds: float
    error: str | None
    scrapinghub: DocScore | None = None
    wcxb: DocScore | None = None
    snippet: tuple[int, int, int, int] | None = None
    text: TextScore | None = None
    title: bool | None = None
    repeats: bool = False


@dataclass(slots=True)
class SystemRun:
    """One system's results on one corpus, by document id."""

    system: str
    docs: dict[str, DocResult] = field(default_factory=dict)

    @property
    def errors(self) -> dict[str, str]:
        """Document id -> exception, for the documents the system failed on."""
        return {i: r.error for i, r in self.docs.items() if r.error is not None}

    def throughput(self, ids: Iterable[str]) -> float:
        """Documents per second of summed call time over ``ids``."""
        chosen = list(ids)
        total = sum(self.docs[i].seconds for i in chosen)
        return len(chosen) / total if total > 0 else float("inf")


def package_version(name: str) -> str:
    """Installed version of a distribution, or ``"not installed"``."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def environment() -> dict[str, str]:
    """What the figures were measured with, printed atop the run and stored with the results."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "python": platform.python_version(),
        "trafilatura": package_version("trafilatura"),
        "cleaner": package_version("cleaner-news"),
        "jusText": package_version("jusText"),
        "platform": platform.platform(),
        "cpus": str(multiprocessing.cpu_count()),
        # What the ``cleaner`` system runs: the shipped default of the text noise stage.
        "text_noise": Options().text_noise,
    }


def _call(task: tuple[str, Doc, tuple[str, ...]]) -> DocResult:
    """Run one system on one document (in a worker) and score it: only the call is timed.

    Never raises: a crash is an empty output plus the exception, so one bad document neither
    stops the run nor goes unnoticed (it is listed under the table and in the JSON). Scoring
    here, in the worker, spreads its cost over the pool and sends back numbers, not texts.
    """
    system, doc, metrics = task
    data = doc.read()
    error = None
    start = time.perf_counter()
    try:
        output = SYSTEMS[system](data, doc)
    except Exception as exc:  # any failure is a result to report, not a reason to stop
        output = ""
        first_line = (str(exc).strip().splitlines() or [""])[0][:200]
        error = f"{type(exc).__name__}: {first_line}"
    seconds = time.perf_counter() - start
    text, meta = output_parts(output)
    if meta is None and error is not None and system in METADATA_SYSTEMS:
        meta = {}  # a crash: no title, no removed block, scored as such
    removed = None if meta is None else list(meta.get("removed") or [])
    title = None
    if "title" in metrics and meta is not None:
        title = title_right(meta.get("title"), doc.title)
    return DocResult(
        id=doc.id,
        seconds=seconds,
        error=error,
        scrapinghub=scrapinghub_doc(text, doc.gold) if "scrapinghub" in metrics else None,
        wcxb=wcxb_doc_score(text, doc.gold) if "wcxb" in metrics else None,
        snippet=snippet_counts(text, doc.item or {}) if "snippet" in metrics else None,
        text=text_doc(text, doc.gold, removed) if "text" in metrics else None,
        title=title,
        repeats=repeats_a_paragraph(text),
    )


def warm_up() -> None:
    """Pay one-time costs (lazy imports, language profiles, stoplists) before any timing.

    Done in the parent before the pool forks, so workers inherit a warm process."""
    page = "<html><head><title>T</title></head><body><article><p>" + "Some words. " * 40
    page += "</p></article></body></html>"
    text = "A first paragraph with a few words in it.\n\n" * 5
    for system, data, name in (
        ("cleaner", page, "warm.html"),
        ("cleaner", text, "warm.txt"),
        ("cleaner-rules", text, "warm.txt"),
        ("cleaner-model", text, "warm.txt"),
        ("trafilatura", page, "warm.html"),
        ("justext", text, "warm.txt"),
        ("c4-filter", text, "warm.txt"),
    ):
        _call((system, Doc(id="warm-up", name=name, text=data), ()))


def run_system(system: str, corpus: Corpus, pool: Any | None) -> SystemRun:
    """Run ``system`` over the corpus, in ``pool`` if given (order-preserving), else inline."""
    tasks = [(system, doc, corpus.metrics) for doc in corpus.docs]
    results: Iterator[DocResult] = (
        map(_call, tasks) if pool is None else pool.imap(_call, tasks, chunksize=4)
    )
    run = SystemRun(system)
    for result in results:
        run.docs[result.id] = result
    return run


def _rounded(score: Mapping[str, Any]) -> dict[str, Any]:
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in score.items()}


def score_run(corpus: Corpus, run: SystemRun, ids: list[str]) -> dict[str, Any]:
    """All of the corpus's metrics for one system, aggregated over the documents ``ids``."""
    results = [run.docs[i] for i in ids]
    scores: dict[str, Any] = {}
    if "scrapinghub" in corpus.metrics:
        shingled = [r.scrapinghub for r in results if r.scrapinghub is not None]
        scores["scrapinghub"] = aggregate_scrapinghub(shingled)
    if "wcxb" in corpus.metrics:
        scores["wcxb"] = aggregate_wcxb(r.wcxb for r in results if r.wcxb is not None)
    if "snippet" in corpus.metrics:
        scores["snippet"] = aggregate_snippets(r.snippet for r in results if r.snippet is not None)
    if "text" in corpus.metrics:
        scores["text"] = aggregate_text(r.text for r in results if r.text is not None)
    if "title" in corpus.metrics:
        scores["title"] = aggregate_titles(r.title for r in results)
    return scores


def _cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _rate(value: float) -> str:
    return "inf" if value == float("inf") else f"{value:,.1f}"


def table(
    corpus: Corpus, runs: list[SystemRun], ids: list[str], title: str
) -> tuple[str, dict[str, Any]]:
    """One markdown table (and the matching JSON-ready scores) for the documents ``ids``."""
    wcxb = "wcxb" in corpus.metrics
    snippet = "snippet" in corpus.metrics
    text = "text" in corpus.metrics
    titles = "title" in corpus.metrics
    if snippet:
        head = ["system", "docs", "F1", "P", "R", "acc", "TP", "FP", "FN", "TN", "docs/s", "errors"]
    else:
        head = ["system", "docs", "F1", "P", "R", "exact acc"]
        if wcxb:
            head += ["WCXB F1", "WCXB P", "WCXB R"]
        if text:
            head += ["frag out", "frag gold"]
        if titles:
            head += ["title right"]
        if text:
            head += ["no para lost"]
        head += ["docs/s", "errors"]
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    result: dict[str, Any] = {}
    gold_repeats = {d.id for d in corpus.docs if not snippet and repeats_a_paragraph(d.gold)}
    for run in runs:
        scores = score_run(corpus, run, ids)
        errors = sum(1 for i in ids if run.docs[i].error is not None)
        rate = run.throughput(ids)
        cells: list[float | None]
        if snippet:
            s = scores["snippet"]
            cells = [s["f1"], s["precision"], s["recall"], s["accuracy"]]
            row = [run.system, str(len(ids)), *map(_cell, cells)]
            row += [str(s[k]) for k in ("tp", "fp", "fn", "tn")]
        else:
            s = scores["scrapinghub"]
            cells = [s["f1"], s["precision"], s["recall"], s["accuracy"]]
            if wcxb:
                w = scores["wcxb"]
                cells += [w["f1"], w["precision"], w["recall"]]
            if text:
                cells += [scores["text"]["fragment_rate"], scores["text"]["gold_fragment_rate"]]
            if titles:
                cells += [scores["title"]["accuracy"]]
            if text:
                cells += [scores["text"]["no_para_lost"]]
            row = [run.system, str(len(ids)), *map(_cell, cells)]
        row += [_rate(rate), str(errors)]
        lines.append("| " + " | ".join(row) + " |")
        result[run.system] = {
            "docs": len(ids),
            "docs_per_s": None if rate == float("inf") else round(rate, 3),
            "seconds": round(sum(run.docs[i].seconds for i in ids), 4),
            "errors": errors,
            "repeats_3x": sum(run.docs[i].repeats for i in ids),
            # The issue-13 figure: outputs repeating where the gold does not (snippet-scored
            # pages have no gold text, so there every repeat counts).
            "repeats_3x_not_in_gold": sum(
                run.docs[i].repeats and i not in gold_repeats for i in ids
            ),
            **{metric: _rounded(score) for metric, score in scores.items()},
        }
    lines += ["", repeat_line(corpus, runs, ids, result)]
    reasons = lost_reason_lines(runs, result)
    if reasons:
        lines += ["", *reasons]
    return "\n".join(lines), result


def repeat_line(
    corpus: Corpus, runs: list[SystemRun], ids: list[str], result: dict[str, Any]
) -> str:
    """How many outputs hold a paragraph of 8+ words three times or more (the goal is none
    beyond the gold's own: some articles repeat an interview question or an ingredient list)."""
    counts = " · ".join(f"{run.system} {result[run.system]['repeats_3x']}" for run in runs)
    line = f"Outputs repeating a paragraph of 8+ words 3+ times: {counts}"
    if "snippet" in corpus.metrics:
        return line
    docs = {d.id: d for d in corpus.docs}
    gold = sum(repeats_a_paragraph(docs[i].gold) for i in ids)
    key = "repeats_3x_not_in_gold"
    beyond = " · ".join(f"{run.system} {result[run.system][key]}" for run in runs)
    return f"{line} (the gold itself: {gold}; where the gold does not: {beyond})"


def lost_reason_lines(runs: list[SystemRun], result: dict[str, Any], top: int = 5) -> list[str]:
    """One line per system that reports removed blocks: the gold paragraphs it lost, and the
    most frequent reasons of the removed blocks that held their tokens."""
    lines = []
    for run in runs:
        text = result[run.system].get("text") or {}
        reasons = text.get("lost_reasons")
        if reasons is None:
            continue
        shown = " · ".join(f"{reason} {n}" for reason, n in list(reasons.items())[:top])
        lost, total = text.get("paras_lost", 0), text.get("gold_paras", 0)
        lines.append(
            f"- {run.system}: {lost} of {total} gold paragraphs lost"
            + (f"; by reason: {shown}" if shown else "")
        )
    if lines:
        lines.insert(0, "Gold paragraphs lost, by reason of the removed blocks holding them:")
    return lines


def _r4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def per_doc(corpus: Corpus, run: SystemRun) -> dict[str, dict[str, Any]]:
    """Per-document figures of one system, to diff two runs and find what regressed."""
    out: dict[str, dict[str, Any]] = {}
    for doc in corpus.docs:
        r = run.docs[doc.id]
        entry: dict[str, Any] = {}
        if r.scrapinghub is not None:
            entry["f1"] = _r4(r.scrapinghub["f1"])
            entry["p"] = _r4(r.scrapinghub["precision"])
            entry["r"] = _r4(r.scrapinghub["recall"])
            entry["exact"] = r.scrapinghub["exact"]
        if r.wcxb is not None:
            entry["wcxb_f1"] = _r4(r.wcxb["f1"])
        if r.snippet is not None:
            entry.update(zip(("tp", "fp", "fn", "tn"), r.snippet, strict=True))
        if r.text is not None:
            entry["frag"] = [r.text["fragments"], r.text["paragraphs"]]
            entry["gold_frag"] = [r.text["gold_fragments"], r.text["gold_paragraphs"]]
            entry["lost"] = r.text["lost"]
            if r.text["lost_reasons"]:
                entry["lost_reasons"] = r.text["lost_reasons"]
        if r.title is not None:
            entry["title_right"] = r.title
        if r.repeats:
            entry["repeats_3x"] = True
        for split, member in corpus.splits.items():
            if member(doc.id):
                entry["split"] = split
        if r.error is not None:
            entry["error"] = r.error
        out[doc.id] = entry
    return out


def evaluate_corpus(
    corpus: Corpus,
    systems: list[str],
    pool: Any | None,
    out: Path | None,
    limit: int | None = None,
) -> tuple[str, float]:
    """Run, score, print-format and save one corpus; returns its report and wall time.

    A corpus without documents (``sh-titled``: the ScrapingHub gold has no headlines) is
    reported as skipped and writes no JSON."""
    if not corpus.docs:
        return f"### {corpus.name}: {corpus.description}: no documents, skipped", 0.0
    start = time.perf_counter()
    chosen = list(systems) if systems else list(corpus.systems)
    runs = [run_system(system, corpus, pool) for system in chosen]
    wall = time.perf_counter() - start
    ids = [d.id for d in corpus.docs]
    title = f"{corpus.name}: {corpus.description} ({len(ids)} docs, {wall:.0f} s wall)"
    report, scores = table(corpus, runs, ids, title)
    parts = [report]
    split_scores: dict[str, Any] = {}
    for split, member in corpus.splits.items():
        split_ids = [i for i in ids if member(i)]
        split_report, split_scores[split] = table(
            corpus, runs, split_ids, f"{corpus.name}, {split} split ({len(split_ids)} docs)"
        )
        if split == "untuned":  # the held-out figure is printed apart; tuning is in the JSON
            parts.append(split_report)
    failed = [(run.system, i, e) for run in runs for i, e in sorted(run.errors.items())]
    if failed:
        parts.append(
            "Errors (empty output scored):\n"
            + "\n".join(f"- {system} {doc_id}: {err}" for system, doc_id, err in failed)
        )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        payload = {
            "corpus": corpus.name,
            "description": corpus.description,
            "environment": environment(),
            "wall_seconds": round(wall, 2),
            "docs": len(ids),
            "limit": limit,
            "metrics": list(corpus.metrics),
            "scores": scores,
            "splits": split_scores,
            "per_doc": {run.system: per_doc(corpus, run) for run in runs},
        }
        path = out / f"{corpus.name}.json"
        path.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return "\n\n".join(parts), wall


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.eval", description=__doc__.split("\n")[0] if __doc__ else None
    )
    # "extend": ``--corpus a --corpus b`` runs both (with "store" the last one alone ran).
    parser.add_argument(
        "--corpus",
        nargs="+",
        action="extend",
        choices=list(CORPORA),
        default=None,
        help="default: all corpora",
    )
    parser.add_argument(
        "--system",
        nargs="+",
        action="extend",
        choices=list(SYSTEMS),
        default=None,
        help="default: each corpus's systems",
    )
    parser.add_argument("--limit", type=int, default=None, help="first N documents per corpus")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results folder")
    parser.add_argument("--no-save", action="store_true", help="print only, write no JSON")
    parser.add_argument("--workers", type=int, default=2, help="processes (1 = no pool)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the selected corpora and systems; print the tables; write the JSON results."""
    args = parse_args(argv)
    env = environment()
    print("# cleaner benchmark\n")
    print(
        f"date {env['date']} · python {env['python']} · trafilatura {env['trafilatura']}"
        f" · cleaner {env['cleaner']} · jusText {env['jusText']} · {env['platform']}"
        f" · {env['cpus']} cpus · {args.workers} worker(s)\n"
    )
    print("docs/s = documents / summed time of the system calls, per process (single core).\n")
    warm_up()
    names = args.corpus or list(CORPORA)
    out = None if args.no_save else args.out
    total_start = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(args.workers) if args.workers > 1 else None
    try:
        for name in names:
            corpus = load_corpus(name)
            if args.limit is not None:
                corpus = Corpus(
                    corpus.name,
                    corpus.kind,
                    corpus.docs[: args.limit],
                    corpus.metrics,
                    corpus.systems,
                    corpus.description,
                    corpus.splits,
                )
            report, _ = evaluate_corpus(corpus, args.system or [], pool, out, args.limit)
            print(report + "\n", flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    print(f"Total wall time: {time.perf_counter() - total_start:.0f} s")
    if out is not None:
        print(f"JSON results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
