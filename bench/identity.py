"""Byte identity of every default output: ``python -m bench.identity --save FILE | --check FILE``.

For work that must change no output (the speed levers of issue 15), this cleans every document
of the HTML sets (the 181 ScrapingHub pages, all 1,497 WCXB dev pages whatever their type, and
trafilatura's eval set) and of the text corpora (naive, seed-style and gold text of both
sources) with the default options, and keeps a sha256 of each output: the text and the
metadata JSON as the sidecar writes it. ``--save`` writes the digests;
``--check`` cleans again and prints, per corpus, how many documents differ (exit 1 if any).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from multiprocessing import Pool
from pathlib import Path

from bench.corpora import Doc, data_dir, load_corpus

WCXB_PAGES = "wcxb-all-pages"
CORPORA = (
    "scrapinghub-html",
    WCXB_PAGES,
    "trafilatura-eval",
    "sh-naive",
    "sh-seed",
    "sh-gold",
    "wcxb-naive",
    "wcxb-seed",
    "wcxb-gold",
)


def digest(doc: Doc) -> tuple[str, str]:
    """The document's id and the sha256 of its text and metadata (or of its error)."""
    from cleaner.errors import InputError
    from cleaner.pipeline import clean
    from cleaner.write import metadata_json

    try:
        result = clean(doc.read(), name=doc.name)
        blob = result.text + "\0" + metadata_json(result.metadata)
    except InputError as exc:
        blob = f"error: {exc.reason}"
    return doc.id, hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _docs(name: str) -> list[Doc]:
    if name != WCXB_PAGES:
        return load_corpus(name).docs
    pages = sorted((data_dir() / "wcxb" / "dev" / "html").glob("*.html.gz"))
    return [Doc(id=path.name.split(".")[0], name=path.name, path=path) for path in pages]


def digests(names: tuple[str, ...], jobs: int) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    with Pool(jobs) as pool:
        for name in names:
            docs = _docs(name)
            result[name] = dict(pool.imap(digest, docs, chunksize=8))
            print(f"{name}: {len(docs)} documents", file=sys.stderr)
    return result


def compare(saved: dict[str, dict[str, str]], now: dict[str, dict[str, str]]) -> int:
    """Print the differences per corpus; the number of documents that differ."""
    total = 0
    for name, before in saved.items():
        after = now.get(name, {})
        differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        total += len(differ)
        shown = ", ".join(differ[:5]) + (" ..." if len(differ) > 5 else "")
        print(f"{name:18} {len(before):5} documents, {len(differ):4} differ {shown}")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, metavar="FILE")
    group.add_argument("--check", type=Path, metavar="FILE")
    parser.add_argument("--corpus", nargs="+", default=list(CORPORA), choices=CORPORA)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    now = digests(tuple(args.corpus), args.jobs)
    if args.save:
        args.save.write_text(json.dumps(now, sort_keys=True, indent=1) + "\n")
        return 0
    saved = json.loads(args.check.read_text())
    saved = {k: v for k, v in saved.items() if k in args.corpus}
    return 1 if compare(saved, now) else 0


if __name__ == "__main__":
    sys.exit(main())
