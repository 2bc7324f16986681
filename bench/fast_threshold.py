"""The ``--fast`` fallback bound: ``python -m bench.fast_threshold [--workers N]``.

With ``--fast``, a page whose fast-mode text is shorter than
:data:`cleaner.settings.FAST_MIN_CHARS` characters is extracted again in the full mode. This
measures, per page, trafilatura's extraction as :mod:`cleaner.extract` calls it in both modes
(its text length, its F1 against the gold, its CPU time), then prints for each candidate bound
the F1 and the time per page that the fallback would give, on the tuning pages (the 181
ScrapingHub pages and the WCXB dev article pages outside the untuned split) and, apart, on the
untuned split, which plays no part in the choice. The bound chosen has the best tuning F1 among
those whose extraction time stays within :data:`TIME_SHARE` of the full mode's: F1 rises with
the bound towards the full mode's, and so does the time, so a bound is a price on that curve.

The F1 is of the extraction alone (the ScrapingHub metric on ScrapingHub, WCXB's on WCXB),
before the noise stage: the fallback decides between two extractions. Data credits as in
:mod:`bench.corpora`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from collections.abc import Sequence
from multiprocessing import Pool
from typing import Any

from bench.corpora import Doc, is_untuned, load_corpus
from bench.metrics import scrapinghub_doc, wcxb_doc_score

CORPORA = ("scrapinghub-html", "wcxb-html")
CANDIDATES = (0, 250, 500, 750, 1_000, 1_250, 1_500, 2_000, 2_500, 3_000)
TIME_SHARE = 0.85  # --fast must save at least 15% of the extraction time
Page = dict[str, Any]


def _extraction(html: str, fast: bool) -> tuple[str, float]:
    """The extraction's text as cleaner runs it, and its CPU seconds (parse included)."""
    from trafilatura.utils import load_html

    from cleaner.config import Options
    from cleaner.extract import _bare_extraction

    started = time.process_time()
    tree = load_html(html)
    result = None if tree is None else _bare_extraction(tree, Options(), fast=fast)
    text = (getattr(result, "raw_text", None) or "") if result is not None else ""
    return text, time.process_time() - started


def measure(task: tuple[str, Doc]) -> Page:
    """One page's length, F1 and time in both modes."""
    from cleaner.read import read

    corpus, doc = task
    assert doc.path is not None
    data = doc.path.read_bytes()
    data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    html = read(data, name=doc.name.removesuffix(".gz"), max_bytes=1 << 30).text
    score = wcxb_doc_score if corpus.startswith("wcxb") else scrapinghub_doc
    page: Page = {"tuning": corpus == "scrapinghub-html" or not is_untuned(doc.id)}
    for mode in ("fast", "full"):
        text, seconds = _extraction(html, mode == "fast")
        f1 = score(text, doc.gold)["f1"]
        page |= {f"{mode}_len": len(text), f"{mode}_s": seconds, f"{mode}_f1": f1}
    return page


def with_bound(pages: Sequence[Page], bound: int) -> tuple[float, float, int]:
    """Mean F1, mean ms per page and fallbacks if pages under ``bound`` fall back."""
    def falls(page: Page) -> bool:
        return bool(page["fast_len"] < bound)

    f1 = [p["full_f1"] if falls(p) else p["fast_f1"] for p in pages]
    ms = [(p["fast_s"] + p["full_s"] if falls(p) else p["fast_s"]) * 1000 for p in pages]
    return statistics.mean(f1), statistics.mean(ms), sum(map(falls, pages))


def choose(pages: Sequence[Page]) -> int:
    """The candidate of best F1 whose time is within TIME_SHARE of the full mode's."""
    budget = TIME_SHARE * statistics.mean(p["full_s"] for p in pages) * 1000
    scores = {bound: with_bound(pages, bound) for bound in CANDIDATES}
    affordable = [bound for bound, (_f1, ms, _n) in scores.items() if ms <= budget]
    return max(affordable, key=lambda bound: (scores[bound][0], -bound))


def table(tuning: Sequence[Page], untuned: Sequence[Page]) -> list[str]:
    lines = [
        "| fast text under | tuning F1 | ms/page | fallbacks | untuned F1 | ms/page | fallbacks |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, mode in (("full mode", "full"), ("fast mode alone", "fast")):
        cells = [_mode_cells(pages, mode) for pages in (tuning, untuned)]
        lines.append(f"| {label} | {cells[0]} | | {cells[1]} | |")
    for bound in CANDIDATES:
        a, b = with_bound(tuning, bound), with_bound(untuned, bound)
        lines.append(
            f"| {bound:,} chars | {a[0]:.4f} | {a[1]:.1f} | {a[2]} |"
            f" {b[0]:.4f} | {b[1]:.1f} | {b[2]} |"
        )
    return lines


def _mode_cells(pages: Sequence[Page], mode: str) -> str:
    f1 = statistics.mean(p[f"{mode}_f1"] for p in pages)
    ms = statistics.mean(p[f"{mode}_s"] for p in pages) * 1000
    return f"{f1:.4f} | {ms:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fast_threshold", description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    tasks = [(name, doc) for name in CORPORA for doc in load_corpus(name).docs if doc.path]
    with Pool(args.workers) as pool:
        pages = pool.map(measure, tasks, chunksize=8)
    tuning = [p for p in pages if p["tuning"]]
    untuned = [p for p in pages if not p["tuning"]]
    print(f"{len(tuning)} tuning pages, {len(untuned)} untuned (reported apart, not used)")
    print("\n".join(table(tuning, untuned)))
    print(f"\nchosen: {choose(tuning):,} characters (best tuning F1 within {TIME_SHARE:.0%} of"
          " the full mode's time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
