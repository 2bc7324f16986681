"""The systems compared by ``bench.eval``: ``cleaner`` and the baselines it has to beat.

Every system is a function ``(data: bytes, doc) -> str`` registered in :data:`SYSTEMS` by name,
so worker processes can look it up (functions travel between processes by name). A system
gets the input bytes as a user would have them; decoding is part of its work. ``cleaner``'s
variants return ``(text, metadata)`` instead: the metadata (its ``title`` and the ``removed``
blocks with their reasons) feeds the title and lost-paragraph figures; :func:`output_parts`
reads either form. Baselines return the text alone (no title, no reasons).

``cleaner`` runs with the shipped options; ``cleaner-rules`` and ``cleaner-model`` force
``Options(text_noise=...)``, the text noise stage's hand-written rules alone or the line model
alone (the default, ``model+rules``, is what ``cleaner`` runs).

Baselines:

* ``cleaner+profile`` -- ``cleaner`` with the batch profile learned over the document's folder
  (the default of ``cleaner clean FOLDER``); text corpora only.
* ``trafilatura`` -- ``trafilatura.extract`` with its defaults on the (ungzipped) HTML bytes:
  "trafilatura alone", the extractor ``cleaner`` builds on.
* ``as-is`` -- the text input unchanged: the floor a text cleaner must rise above.
* ``justext`` -- jusText (Pomikálek's boilerplate classifier) applied to the text's blocks.
* ``c4-filter`` -- the line heuristics of C4 (Raffel et al. 2020, "Exploring the Limits of
  Transfer Learning", section 2.2), as used to clean Common Crawl text.
"""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import justext
import trafilatura

from bench.corpora import Doc
from cleaner import Options, clean
from cleaner import settings as cleaner_settings
from cleaner.profile import Profile, candidate_lines, learn

Metadata = dict[str, Any]
Output = str | tuple[str, Metadata]
System = Callable[[bytes, Doc], Output]

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n+")
_WORD_RE = re.compile(r"\w+")

# C4's line rules. Terminal marks as in the TFDS implementation (c4_utils ``_END_MARKS``:
# . ? ! and the ASCII double quote) plus the typographic closing quotes, which C4's ASCII list
# misses and which end a fifth of the quoted paragraphs of the ScrapingHub gold.
# C4 keeps lines of at least 3 words ("only retained lines that contained at least 3 words");
# 3 is used here, not 5: C4's 5 is its page-level minimum of sentences.
C4_END_MARKS = (".", "?", "!", '"', "\u201d", "\u2019")
C4_MIN_WORDS = 3
# C4 drops lines mentioning "javascript" and cookie/policy notices; its "lorem ipsum" and
# curly-bracket rules drop the whole page, which is too blunt for scoring one article, so they
# are applied per line here. C4's page-level rules (>= 5 sentences, bad-words list) are left
# out: they decide whether to keep a page at all, not which of its lines are the article.
C4_BAD_SUBSTRINGS = ("javascript", "cookie", "lorem ipsum", "{", "}")


def decode(data: bytes) -> str:
    """Text input as UTF-8 (the text corpora are UTF-8); undecodable bytes are replaced."""
    return data.decode("utf-8", errors="replace")


def blocks(text: str) -> list[str]:
    """Paragraph blocks: runs of lines separated by a blank line, stripped, empty ones dropped."""
    return [b.strip() for b in _BLOCK_SPLIT.split(text.replace("\r\n", "\n")) if b.strip()]


def output_parts(output: Output) -> tuple[str, Metadata | None]:
    """A system's output as ``(text, metadata)``; ``None`` metadata for a text-only system.

    >>> output_parts("text"), output_parts(("text", {"title": "T"}))
    (('text', None), ('text', {'title': 'T'}))
    """
    if isinstance(output, str):
        return output, None
    return output


def _cleaned(data: bytes, doc: Doc, options: Options | None = None) -> tuple[str, Metadata]:
    result = clean(data, name=doc.name, options=options)
    return result.text, result.metadata


def run_cleaner(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner.clean`` on the raw file bytes (gzip included) under the document's file name."""
    return _cleaned(data, doc)


def run_cleaner_rules(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner`` with ``Options(text_noise="rules")``: the hand-written text rules alone."""
    return _cleaned(data, doc, Options(text_noise="rules"))


def run_cleaner_model(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner`` with ``Options(text_noise="model")``: the line model alone."""
    return _cleaned(data, doc, Options(text_noise="model"))


@cache
def folder_profile(folder: Path) -> Profile:
    """The batch profile ``cleaner clean FOLDER`` would learn: every file of the folder is one
    file of the batch. Cached per process, so each worker learns it once."""
    files = sorted(folder.iterdir())
    return learn(
        (
            candidate_lines(
                decode(path.read_bytes()), max_words=cleaner_settings.PROFILE_MAX_WORDS
            )
            for path in files
            if path.suffix == ".txt"
        ),
        min_files=cleaner_settings.PROFILE_MIN_FILES,
        min_share=cleaner_settings.PROFILE_MIN_SHARE,
    )


def run_cleaner_profile(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner`` with the batch profile of the document's folder, as ``cleaner clean`` runs
    by default on a folder. Documents built in memory (gold fed back) have no folder: for them
    this is plain ``cleaner``."""
    if doc.path is None:
        return run_cleaner(data, doc)
    return _cleaned(data, doc, Options(profile=folder_profile(doc.path.parent)))


def run_cleaner_precision(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner clean --favor precision``: trafilatura's precision setting under our noise
    stage (not in the default tables; run it with ``--system cleaner-precision``)."""
    return _cleaned(data, doc, Options(favor="precision"))


def run_cleaner_recall(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner clean --favor recall`` (run it with ``--system cleaner-recall``)."""
    return _cleaned(data, doc, Options(favor="recall", reorder="never"))


def run_cleaner_comments(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner clean --comments``: readers' comments kept after the article (run it with
    ``--system cleaner-comments``; trafilatura keeps them by default)."""
    return _cleaned(data, doc, Options(comments=True))


def run_cleaner_fast(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner --fast``: trafilatura's fast mode, the full mode where its text is short."""
    return _cleaned(data, doc, Options(fast=True))


def run_cleaner_no_reorder(data: bytes, doc: Doc) -> tuple[str, Metadata]:
    """``cleaner clean --reorder never``: the extraction and noise stages alone, to show what the
    order stage does to the scores (run it with ``--system cleaner-no-reorder``)."""
    return _cleaned(data, doc, Options(reorder="never"))


def run_cleaner_second_opinion(data: bytes, doc: Doc) -> str:
    """The issue-13 experiment of the text line model as a second opinion on HTML: the HTML
    output cleaned again as plain text by the text noise stage (model+rules). Not shipped: it
    did not win (run it with ``--system cleaner-second-opinion`` on the HTML corpora)."""
    text, _ = _cleaned(data, doc)
    return clean(text, name="second.txt").text if text.strip() else text


def run_trafilatura(data: bytes, doc: Doc) -> str:
    """``trafilatura.extract`` with defaults on the ungzipped page bytes."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return trafilatura.extract(data) or ""


def run_as_is(data: bytes, doc: Doc) -> str:
    """The input text itself."""
    return decode(data)


# langdetect's ISO 639-1 codes -> jusText stoplist names, for the languages both know.
# (langdetect's ja, pa, so, th and zh have no jusText stoplist and fall back to English.)
JUSTEXT_LANGUAGES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "kn": "Kannada", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi",
    "ne": "Nepali", "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sq": "Albanian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip


@cache
def _stoplist(name: str) -> frozenset[str]:
    return frozenset(justext.get_stoplist(name))


def guess_stoplist(text: str, default: str = "English") -> str:
    """The jusText stoplist for the text's language, as guessed by langdetect.

    langdetect (already a dependency of ``cleaner``) is seeded, so the guess is deterministic.
    Choosing the stoplist that merely covers the most words does not work: several of
    jusText's stoplists (Marathi, Nepali, ...) were built from Wikipedia and hold hundreds of
    English words, so they "win" on English pages. No words, no guess, or a language without
    a jusText stoplist: ``default``.

    >>> guess_stoplist("Der Hund und die Katze sind in dem Haus, aber nicht mit uns.")
    'German'
    >>> guess_stoplist("")
    'English'
    """
    if not _WORD_RE.search(text):
        return default
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        code = detect(text)
    except LangDetectException:
        return default
    return JUSTEXT_LANGUAGES.get(code, default)


def justext_blocks(text: str) -> str:
    """jusText on a plain text: each blank-line block becomes one ``<p>`` (its lines joined
    with a newline), jusText classifies them with its default thresholds and the guessed
    stoplist, and the non-boilerplate blocks are returned, separated by a blank line."""
    paras = blocks(text)
    if not paras:
        return ""
    page = "<html><body>{}</body></html>".format(
        "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
    )
    stoplist = _stoplist(guess_stoplist(text))
    kept = [p.text for p in justext.justext(page, stoplist) if not p.is_boilerplate]
    return "\n\n".join(kept)


def run_justext(data: bytes, doc: Doc) -> str:
    """jusText on the blocks of the text input (see :func:`justext_blocks`)."""
    return justext_blocks(decode(data))


def c4_keep_line(line: str) -> bool:
    """C4's line test: terminal punctuation, at least 3 words, no script/cookie/template noise.

    >>> c4_keep_line("The cat sat on the mat.")
    True
    >>> c4_keep_line("Share this.")
    False
    >>> c4_keep_line("We use cookies to improve your experience.")
    False
    """
    line = line.strip()
    if not line.endswith(C4_END_MARKS) or len(line.split()) < C4_MIN_WORDS:
        return False
    lowered = line.lower()
    return not any(bad in lowered for bad in C4_BAD_SUBSTRINGS)


def c4_filter(text: str) -> str:
    """Keep the lines C4 keeps; blocks keep their blank-line separation."""
    kept_blocks = []
    for block in blocks(text):
        lines = [ln.strip() for ln in block.split("\n") if c4_keep_line(ln)]
        if lines:
            kept_blocks.append("\n".join(lines))
    return "\n\n".join(kept_blocks)


def run_c4_filter(data: bytes, doc: Doc) -> str:
    """The C4 line filter on the text input (see :func:`c4_filter`)."""
    return c4_filter(decode(data))


# The systems that return ``(text, metadata)``: a crash of one of them still counts as a wrong
# title (and unexplained lost paragraphs), as a crash counts as an empty text for every system.
METADATA_SYSTEMS = frozenset(
    {
        "cleaner",
        "cleaner-rules",
        "cleaner-model",
        "cleaner+profile",
        "cleaner-precision",
        "cleaner-no-reorder",
        "cleaner-recall",
        "cleaner-comments",
        "cleaner-fast",
    }
)

SYSTEMS: dict[str, System] = {
    "cleaner": run_cleaner,
    "cleaner-rules": run_cleaner_rules,
    "cleaner-model": run_cleaner_model,
    "cleaner+profile": run_cleaner_profile,
    "cleaner-precision": run_cleaner_precision,
    "cleaner-no-reorder": run_cleaner_no_reorder,
    "cleaner-recall": run_cleaner_recall,
    "cleaner-comments": run_cleaner_comments,
    "cleaner-fast": run_cleaner_fast,
    "cleaner-second-opinion": run_cleaner_second_opinion,
    "trafilatura": run_trafilatura,
    "as-is": run_as_is,
    "justext": run_justext,
    "c4-filter": run_c4_filter,
}
