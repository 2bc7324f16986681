"""Build the gate's data from the shared evaluation data: ``python -m tests.gate.make_data``.

Run by hand, never by the tests: the tests read only what this writes under ``tests/data/``,
so CI needs neither ``../shared`` nor the network. Rebuilding from the same sources gives
byte-identical files (sorted keys, gzip without timestamps), so ``git diff`` shows whether the
sources changed. ``--write-floors`` re-measures cleaner on the subset and rewrites
``floors.json``; do that only when a change is *meant* to move the scores, and say so in the
commit, because a floor lowered to let a regression through makes the gate useless.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from bench.check_metric import load_gold, load_output
from bench.corpora import data_dir, is_untuned
from tests.gate.common import (
    CORPORA,
    FLOORS_FILE,
    METRICS,
    OUTPUTS_DIR,
    PUBLISHED,
    SUBSET_DIR,
    SUBSET_SIZE,
    floor_for,
    run_corpus,
    write_json_gz,
)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def build_outputs(root: Path) -> None:
    """Copy the published tools' outputs and the ground truth, reduced to ``id -> articleBody``
    (the only field the metric reads), gzipped; plus the benchmark's licence note."""
    OUTPUTS_DIR.mkdir(parents=True, exist_ok=True)
    write_json_gz(OUTPUTS_DIR / "ground-truth.json.gz", load_gold(root))
    for stem in PUBLISHED:
        texts, _version = load_output(root / "scrapinghub" / "output" / f"{stem}.json")
        write_json_gz(OUTPUTS_DIR / f"{stem}.json.gz", texts)
    licence = (root / "scrapinghub" / "LICENSE").read_text(encoding="utf-8").strip()
    stems = ", ".join(f"`{stem}.json.gz`" for stem in PUBLISHED)
    note = LICENSE_NOTE.format(stems=stems, licence=licence)
    (OUTPUTS_DIR / "LICENSE-NOTE.md").write_text(note, encoding="utf-8")


LICENSE_NOTE = """\
# Source and licence

The files in this folder come from the ScrapingHub (Zyte) article-extraction benchmark,
https://github.com/scrapinghub/article-extraction-benchmark (Copyright (c) 2020 Scrapinghub),
released under the MIT licence reproduced below.

* `ground-truth.json.gz`: the benchmark's `ground-truth.json` (181 pages).
* {stems}: the benchmark's shipped outputs
  `output/<tool>.json` of trafilatura 2.0.0, readability-lxml 0.8.4.1 and html-text 0.7.0.

Changes: every file reduced to `{{id: articleBody}}` (other fields such as `url` and `version`
dropped), re-serialised as JSON with sorted keys and gzipped; the texts are unchanged.
Built by `python -m tests.gate.make_data`; `tests/gate/test_published_scores.py` re-scores the
outputs against the figures the benchmark's README publishes for them.

## Licence of the ScrapingHub article-extraction benchmark

```
{licence}
```
"""


def _first_ids(ids: list[str], *, held_out_filter: bool = False) -> list[str]:
    """The pinned subset: the first :data:`SUBSET_SIZE` ids in sorted order, after removing
    WCXB's held-out split where asked. No id is picked by hand."""
    kept = sorted(i for i in ids if not (held_out_filter and is_untuned(i)))
    if len(kept) < SUBSET_SIZE:
        raise SystemExit(f"only {len(kept)} ids, {SUBSET_SIZE} needed")
    return kept[:SUBSET_SIZE]


def _reset(folder: Path) -> None:
    """Empty a corpus folder before filling it, so an id that left the subset leaves no file."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def build_subset(root: Path) -> dict[str, list[str]]:
    """Copy the pinned inputs and golds into ``tests/data/gate/<corpus>/``; returns the ids."""
    chosen: dict[str, list[str]] = {}

    truth: dict[str, dict[str, Any]] = _json(root / "scrapinghub" / "ground-truth.json")
    ids = _first_ids(list(truth))
    folder = SUBSET_DIR / "sh-html"
    _reset(folder)
    for doc_id in ids:
        name = f"{doc_id}.html.gz"
        shutil.copyfile(root / "scrapinghub" / "html" / name, folder / name)
    write_json_gz(folder / "gold.json.gz", {i: truth[i].get("articleBody") or "" for i in ids})
    chosen["sh-html"] = ids

    for name, source, variant, held_out in (
        ("sh-seed", "scrapinghub", "seed-style", False),
        ("wcxb-naive", "wcxb-dev", "naive-text", True),
    ):
        base = root / "text-corpora" / source
        gold: dict[str, dict[str, Any]] = _json(base / "gold.json")
        ids = _first_ids(list(gold), held_out_filter=held_out)
        folder = SUBSET_DIR / name
        _reset(folder)
        for doc_id in ids:
            raw = (base / variant / f"{doc_id}.txt").read_bytes()
            (folder / f"{doc_id}.txt.gz").write_bytes(gzip.compress(raw, 9, mtime=0))
        write_json_gz(folder / "gold.json.gz", {i: gold[i].get("text") or "" for i in ids})
        chosen[name] = ids
    chosen["sh-gold"] = chosen["sh-seed"]
    return chosen


def write_floors() -> None:
    """Measure cleaner on the subset now and pin each floor by :func:`floor_for`."""
    corpora: dict[str, dict[str, dict[str, float]]] = {}
    for corpus in CORPORA:
        result = run_corpus(corpus)
        corpora[corpus.name] = {
            metric: {
                "measured": round(result.scores[metric], 4),
                "floor": floor_for(result.scores[metric]),
            }
            for metric in METRICS
        }
        print(corpus.name, {m: v["measured"] for m, v in corpora[corpus.name].items()})
    floors = {
        "date": datetime.date.today().isoformat(),
        "rule": "floor = measured rounded down to 2 decimals, minus 0.01 (not below 0)",
        "metric": "ScrapingHub F1 and exact accuracy (bench.metrics.scrapinghub_scores)",
        "corpora": corpora,
    }
    FLOORS_FILE.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Copy the data (default) and, with ``--write-floors``, re-pin the floors."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="shared evaluation data")
    parser.add_argument("--write-floors", action="store_true", help="re-measure, pin floors")
    args = parser.parse_args(argv)
    root: Path = args.data or data_dir()
    build_outputs(root)
    for name, ids in build_subset(root).items():
        print(f"{name}: {len(ids)} docs, {ids[0]} .. {ids[-1]}")
    if args.write_floors:
        write_floors()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
