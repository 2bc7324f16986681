"""Stage 5, language: langdetect on the start of the clean text, made deterministic and faster.

langdetect samples n-grams at random; ``DetectorFactory.seed`` fixes its generator. It is set here
at import, so every process that imports the pipeline (worker processes included) has it.

langdetect spends most of its time in ``Detector._extract_ngrams``, a per-character loop that
looks up each character's Unicode block again and again. :func:`_extract_ngrams` computes the
very same list (a test checks equality on real text in many scripts) with each character
normalised once per process and each distinct word once per text; it is bound to each detector
we create, langdetect itself is not patched. :func:`_detect_block` likewise replaces the
probability estimation, whose per-language index loop was then most of the time, with the same
arithmetic in list comprehensions.
"""

from __future__ import annotations

import re
import types
from collections import Counter
from dataclasses import replace

from langdetect import DetectorFactory, detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram
from langdetect.utils.unicode_block import unicode_block

from cleaner import settings
from cleaner.document import Document, render_text
from cleaner.text import word_count

DetectorFactory.seed = 0

_NORMAL: dict[int, str] = {}
_WORD = re.compile(r"[^ ]+ ?")
# Per-process cache of each distinct word's n-grams (valid for one profile map; bounded).
_WORDS: dict[str, list[str]] = {}
_WORDS_FOR: object = None
_MAX_WORDS = 300_000


def _word_ngrams(word: str, known: dict[str, object]) -> list[str]:
    """langdetect's n-gram loop over one normalised word (with its following space, if any),
    starting from the state it always has at a word start (buffer " ", no capital run)."""
    result: list[str] = []
    grams = " "
    capital = False
    for ch in word:
        last = grams[-1]
        if last == " ":
            grams = " "
            capital = False
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        if ch != " " and ch in known:
            result.append(ch)
        if len(grams) >= 2:
            pair = grams[-2:]
            if pair in known:
                result.append(pair)
            if len(grams) >= 3 and grams in known:
                result.append(grams)
    return result


def _extract_ngrams(self: Detector) -> list[str]:
    """Same result as ``Detector._extract_ngrams``: the 1-3-grams of the text that the profiles
    know, skipping runs of capitals, with langdetect's character normalisation.

    langdetect's loop carries no state across a space (the buffer restarts at each word), so
    the list is the concatenation of per-word lists, and a word's list depends only on the word
    and on whether a space follows it: those are computed once per distinct word.
    """
    known = self.word_lang_prob_map
    text = self.text
    missing = {ord(ch) for ch in set(text)} - _NORMAL.keys()
    for code in missing:
        _NORMAL[code] = NGram.normalize(chr(code))
    normalised = text.translate(_NORMAL)
    global _WORDS_FOR
    if _WORDS_FOR is not known or len(_WORDS) > _MAX_WORDS:
        _WORDS.clear()
        _WORDS_FOR = known
    cache = _WORDS
    result: list[str] = []
    for match in _WORD.finditer(normalised):
        word = match.group()
        grams = cache.get(word)
        if grams is None:
            grams = cache[word] = _word_ngrams(word, known)
        result.extend(grams)
    return result


# Detector.cleaning_text's "Latin" characters: the code point range 'A'..'z'.
_LATIN = re.compile("[A-z]")


def _cleaning_text(detector: Detector) -> None:
    """Same as ``Detector.cleaning_text``: drop 'A'..'z' from a text that is mostly non-Latin.

    Counts per distinct character instead of a loop (with a Unicode block search) per character.
    langdetect compares the block's number with a block name, so that test never excludes a
    character; it is kept, to stay the same computation.
    """
    latin = non_latin = 0
    for ch, count in Counter(detector.text).items():
        if "A" <= ch <= "z":
            latin += count
        elif ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional":
            non_latin += count
    if latin * 2 < non_latin:
        detector.text = _LATIN.sub("", detector.text)


def _detect_block(self: Detector) -> None:
    """Same result as ``Detector._detect_block`` (a test checks equality on real text).

    langdetect runs ``n_trial`` random walks: each draws n-grams from the text with its seeded
    generator and multiplies every language's probability by ``weight + p(n-gram | language)``,
    normalising and testing convergence after the first update and then after every fifth.
    Here the five updates between two tests are one list comprehension whose products are taken
    in the same order, so the floats are identical; the generator is called as often and in the
    same order, and the normalisation divides by the same ``sum``. An indexed loop per update
    was most of the language stage's time.
    """
    _cleaning_text(self)
    ngrams = self._extract_ngrams()
    if not ngrams:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    table = self.word_lang_prob_map
    choice = self.random.choice
    self.random.seed(self.seed)
    n_trial = self.n_trial
    langprob = [0.0] * len(self.langlist)
    for _ in range(n_trial):
        prob = self._init_probability()
        alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
        weight = alpha / self.BASE_FREQ
        first = table[choice(ngrams)]
        prob = [p * (weight + q) for p, q in zip(prob, first, strict=True)]
        updates = 0  # langdetect's i: index of the last update
        while True:
            total = sum(prob)
            prob = [p / total for p in prob]
            # Probabilities stay positive and finite: max() is langdetect's running maximum.
            if max(prob) > self.CONV_THRESHOLD or updates >= self.ITERATION_LIMIT:
                break
            a = table[choice(ngrams)]
            b = table[choice(ngrams)]
            c = table[choice(ngrams)]
            d = table[choice(ngrams)]
            e = table[choice(ngrams)]
            prob = [
                p * (weight + qa) * (weight + qb) * (weight + qc) * (weight + qd) * (weight + qe)
                for p, qa, qb, qc, qd, qe in zip(prob, a, b, c, d, e, strict=True)
            ]
            updates += 5
        langprob = [lp + p / n_trial for lp, p in zip(langprob, prob, strict=True)]
    self.langprob = langprob


_SPACES = re.compile(" {2,}")


def _append(detector: Detector, text: str) -> None:
    """Same as ``Detector.append`` on a fresh detector (URLs and e-mails blanked, Vietnamese
    normalised, cut to the length limit, runs of spaces collapsed) without its per-character
    string concatenation."""
    text = detector.URL_RE.sub(" ", text)
    text = detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    detector.text += _SPACES.sub(" ", text[: detector.max_text_length])


def _detector(text: str) -> Detector:
    detector_factory.init_factory()
    detector = detector_factory._factory.create()
    detector._extract_ngrams = types.MethodType(_extract_ngrams, detector)
    detector._detect_block = types.MethodType(_detect_block, detector)
    _append(detector, text)
    return detector


def detect_language(text: str, *, max_chars: int) -> tuple[dict[str, object] | None, str | None]:
    """Return ``({"code", "probability"}, None)`` or ``(None, warning)`` when undecidable."""
    sample = text[:max_chars]
    if not sample.strip():
        return None, "language unknown: no text left after cleaning"
    try:
        candidates = _detector(sample).get_probabilities()
    except LangDetectException as exc:
        return None, f"language unknown: {exc}"
    if not candidates:
        return None, "language unknown: no candidate"
    best = candidates[0]
    return {"code": str(best.lang), "probability": round(float(best.prob), 4)}, None


def add_language(doc: Document, *, max_chars: int) -> Document:
    """The language of the kept text; null, with a warning, under
    :data:`~cleaner.settings.LANGUAGE_MIN_WORDS` words (too few for langdetect)."""
    text = render_text(doc.kept)
    words = word_count(text)
    if 0 < words < settings.LANGUAGE_MIN_WORDS:
        too_little = f"language unknown: too little text ({words} words)"
        return replace(doc, language=None).warn(too_little)
    language, warning = detect_language(text, max_chars=max_chars)
    doc = replace(doc, language=language)
    return doc.warn(warning) if warning else doc
