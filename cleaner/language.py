"""Stage 4, language: langdetect on the start of the clean text, made deterministic.

langdetect samples n-grams at random; ``DetectorFactory.seed`` fixes its generator. It is set here
at import, so every process that imports the pipeline (worker processes included) has it.
"""

from __future__ import annotations

from dataclasses import replace

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from cleaner.document import Document, render_text

DetectorFactory.seed = 0


def detect_language(text: str, *, max_chars: int) -> tuple[dict[str, object] | None, str | None]:
    """Return ``({"code", "probability"}, None)`` or ``(None, warning)`` when undecidable."""
    sample = text[:max_chars]
    if not sample.strip():
        return None, "language unknown: no text left after cleaning"
    try:
        candidates = detect_langs(sample)
    except LangDetectException as exc:
        return None, f"language unknown: {exc}"
    if not candidates:
        return None, "language unknown: no candidate"
    best = candidates[0]
    return {"code": str(best.lang), "probability": round(float(best.prob), 4)}, None


def add_language(doc: Document, *, max_chars: int) -> Document:
    language, warning = detect_language(render_text(doc.kept), max_chars=max_chars)
    doc = replace(doc, language=language)
    return doc.warn(warning) if warning else doc
