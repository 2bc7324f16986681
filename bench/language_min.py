"""How many words langdetect needs: ``python -m bench.language_min``.

For every gold text of ScrapingHub and of the first 400 WCXB dev pages (untuned split left
out), the language detected on its first k words against the one detected on the whole text.
Prints the share that agree per k; :data:`cleaner.settings.LANGUAGE_MIN_WORDS` is chosen
from it. Data credits as in :mod:`bench.corpora`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bench.corpora import data_dir, is_untuned
from cleaner.language import detect_language

WORD_COUNTS = (2, 3, 5, 8, 12, 20, 30)
WCXB_PAGES = 400
MAX_CHARS = 5000


def gold_texts(root: Path) -> list[str]:
    gold = json.loads((root / "text-corpora" / "scrapinghub" / "gold.json").read_text("utf-8"))
    texts = [v.get("text") or "" for v in gold.values()]
    pages = sorted((root / "wcxb" / "dev" / "ground-truth").glob("*.json"))[:WCXB_PAGES]
    for path in pages:
        if is_untuned(path.stem):
            continue
        record = json.loads(path.read_text("utf-8"))
        texts.append((record.get("ground_truth") or {}).get("main_content") or "")
    return [t for t in texts if t.strip()]


def code(text: str) -> str | None:
    language, _ = detect_language(text, max_chars=MAX_CHARS)
    return None if language is None else str(language["code"])


def main() -> int:
    agree: Counter[int] = Counter()
    total = 0
    for text in gold_texts(data_dir()):
        full = code(text)
        if full is None:
            continue
        total += 1
        words = text.split()
        agree.update(k for k in WORD_COUNTS if code(" ".join(words[:k])) == full)
    print("| first k words | same language as the whole text |\n|---|---|")
    for k in WORD_COUNTS:
        print(f"| {k} | {agree[k] / max(1, total):.3f} |")
    print(f"\n{total} gold texts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
