"""Pages that hold no article: ``python -m bench.empty_pages`` (part of ``make eval``).

From every HTML page of the ScrapingHub set and of WCXB dev (all page types), two pages with no
article by construction: the page's ``<nav>`` elements alone, and its ``<footer>`` elements
alone, each in a bare ``<body>`` (a page without such an element gives none). Each is cleaned
and counted as: no text at all, flagged (``no article found`` in its warnings, the batch counts
it as empty), or reported as an article (text and no such warning), and among those the ones
that also carry a language. trafilatura alone has no flag: any text it returns is an article.

The target (issue 13) is that no navigation-only page is reported as an article with a language.
WCXB's untuned split (id % 5 == 0) is a row of its own.
The table is printed and saved to ``bench/results/empty-pages.json`` for ``bench.summary``.
Data credits as in :mod:`bench.corpora`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import trafilatura

from bench.corpora import data_dir, is_untuned
from bench.eval import environment
from bench.summary import DEFAULT_RESULTS
from cleaner import clean
from cleaner.errors import InputError
from cleaner.found import is_empty

PARTS = ("nav", "footer")
RESULT_NAME = "empty-pages.json"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one system made of one page that holds no article."""

    outcome: str  # "no text", "flagged" or "article"
    language: bool = False


def source_pages(root: Path) -> list[Path]:
    """Every HTML page of the ScrapingHub set and of WCXB dev, in a fixed order."""
    sh = sorted((root / "scrapinghub" / "html").glob("*.html.gz"))
    return sh + sorted((root / "wcxb" / "dev" / "html").glob("*.html.gz"))


def part_page(html: bytes, tag: str) -> str | None:
    """The page's ``tag`` elements alone in a bare body, or ``None`` when it has none."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    parts = [lxml.html.tostring(e, encoding="unicode") for e in tree.iter(tag)]
    if not parts:
        return None
    return "<html><body>" + "".join(parts) + "</body></html>"


def cleaner_verdict(page: str) -> Verdict:
    try:
        result = clean(page, name="page.html")
    except InputError:
        return Verdict("no text")
    if not result.text.strip():
        return Verdict("no text")
    if is_empty(result.metadata["warnings"]):
        return Verdict("flagged")
    return Verdict("article", result.metadata["language"] is not None)


def trafilatura_verdict(page: str) -> Verdict:
    text = trafilatura.extract(page) or ""
    return Verdict("article" if text.strip() else "no text")


Row = tuple[str, str, Verdict, Verdict]


def split_of(path: Path) -> str:
    """WCXB's untuned split (id % 5 == 0) is reported apart; ScrapingHub pages are all tuning."""
    stem = path.name.split(".")[0]
    return "untuned" if stem.isdigit() and is_untuned(stem) else "tuning"


def judge(path: Path) -> list[Row]:
    """``(part and split, page name, cleaner's verdict, trafilatura's)`` per part of the page."""
    html = gzip.decompress(path.read_bytes())
    rows = []
    for tag in PARTS:
        page = part_page(html, tag)
        if page is not None:
            key = f"{tag} {split_of(path)}"
            rows.append((key, path.name, cleaner_verdict(page), trafilatura_verdict(page)))
    return rows


def tally(rows: list[Row]) -> dict[str, dict[str, object]]:
    """Per part and split: page count, each system's outcome counts, and the pages cleaner
    called articles."""
    out: dict[str, dict[str, object]] = {}
    for key in (f"{tag} {split}" for tag in PARTS for split in ("tuning", "untuned")):
        mine = [r for r in rows if r[0] == key]
        ours = Counter(r[2].outcome for r in mine)
        out[key] = {
            "pages": len(mine),
            "cleaner": {**{k: ours[k] for k in ("no text", "flagged", "article")},
                        "article with language": sum(r[2].language for r in mine)},
            "trafilatura": {"article": sum(r[3].outcome == "article" for r in mine)},
            "cleaner articles": [r[1] for r in mine if r[2].outcome == "article"],
        }
    return out


def render(result: dict[str, dict[str, object]]) -> str:
    lines = [
        "| page made of | pages | cleaner: no text | flagged empty | reported as article "
        "| of which with a language | trafilatura: any text |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, r in result.items():
        c, t = r["cleaner"], r["trafilatura"]
        assert isinstance(c, dict) and isinstance(t, dict)
        tag, split = key.split()
        lines.append(
            f"| `<{tag}>` only, {split} pages | {r['pages']} | {c['no text']} | {c['flagged']} "
            f"| {c['article']} | {c['article with language']} | {t['article']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    pages = source_pages(data_dir())
    with multiprocessing.Pool(args.workers) as pool:
        rows = [row for rows in pool.imap(judge, pages, chunksize=8) for row in rows]
    result = tally(rows)
    print(f"## Pages with no article ({len(pages)} source pages)\n\n{render(result)}")
    args.out.mkdir(parents=True, exist_ok=True)
    saved = {"environment": environment(), "parts": result}
    (args.out / RESULT_NAME).write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
