"""What the line model sees: each line's facts, computed once, turned into named features.

A feature is a string ("n:2" = two words, "-1e:." = the line before ends with a period,
"w:share" = the word "share" on a short line). The model is a weight per string, so a
decision can be explained by its heaviest features, and a feature the model never saw
weighs nothing. Three scopes:

* the line itself: length, ending, first character, capitals, function words, digits,
  the rule lists' verdicts (as evidence, not as decisions), and on short lines its words:
  labels such as "Advertisement" recur across thousands of sites, subheadings do not;
* its context: the same facts for the two lines on each side, whether it continues the
  sentence of the line before, how many of its content words the article uses elsewhere
  (a subheading shares words with the paragraphs it heads, a menu item does not), where it
  sits against the densest run of prose;
* the document: how much of it is prose, how many lines it has, whether every line is its
  own paragraph (a page dump) or paragraphs hold sentences (a saved article).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner import noise, text
from cleaner.text import normalise_line

# A short line's own words are features up to this length; longer lines are prose and
# their vocabulary says nothing about noise.
VOCAB_MAX_WORDS = 8
# The whole normalised line is a feature up to this length ("read more", "sign up free").
LINE_MAX_WORDS = 5
CONTEXT = (-2, -1, 1, 2)
# Content words: long enough to carry a topic, not a function word.
CONTENT_MIN_CHARS = 4
_OPENERS = "\"'“‘«„¿¡([("
_CLOSING = ",.;:!?)]}»”’"


@dataclass(frozen=True, slots=True)
class LineFacts:
    """Everything about one line that its features (and its neighbours') are built from."""

    text: str
    lower: tuple[str, ...]
    n: int
    end: str
    start: str
    caps: int
    stop: int
    digits: int
    prose: bool
    pattern: str | None
    byline: bool
    dateline: bool
    content: frozenset[str]
    normal: str


def _bin(n: int, edges: Sequence[int]) -> int:
    for i, edge in enumerate(edges):
        if n <= edge:
            return i
    return len(edges)


_N_EDGES = (0, 1, 2, 3, 4, 6, 9, 14, 24, 49)


def _end(line: str) -> str:
    core = line.rstrip().rstrip(text.CLOSERS)
    last = core[-1:]
    if last in ".。":
        return "."
    if last in "!?！？":
        return "!"
    if last in ":;":
        return ":"
    if last == ",":
        return ","
    if last == "…" or core.endswith("..."):
        return "…"
    if last.isdigit():
        return "9"
    return "a" if last.isalpha() else "p"


def _start(line: str) -> str:
    first = line[:1]
    if first.isupper():
        return "A"
    if first.islower():
        return "a"
    if first.isdigit():
        return "9"
    if first in _OPENERS:
        return "q"
    if first in _CLOSING:
        return ","
    return "p"


def facts(line: str) -> LineFacts:
    tokens = text.words(line)
    lower = tuple(t.lower() for t in tokens)
    return LineFacts(
        text=line,
        lower=lower,
        n=text.word_count(line),
        end=_end(line),
        start=_start(line),
        caps=sum(1 for t in tokens if t[:1].isupper()),
        stop=sum(1 for t in lower if t in text.STOPWORDS),
        digits=sum(1 for t in tokens if t.isdigit()),
        prose=noise.is_prose(line),
        pattern=noise.pattern_reason(line),
        byline=noise.byline_author(line) is not None,
        dateline=noise.is_dateline(line),
        content=frozenset(
            t[: text.STEM] for t in lower if len(t) >= CONTENT_MIN_CHARS and t not in text.STOPWORDS
        ),
        normal=normalise_line(line),
    )


def _share(part: int, whole: int) -> int:
    """A share in fifths (0-5), so that 'mostly capitals' is one feature, not thirty."""
    return 0 if whole == 0 else round(5 * part / whole)


def own(f: LineFacts) -> list[str]:
    """Features of the line alone; its neighbours see them too, under their offset."""
    nb = _bin(f.n, _N_EDGES)
    feats = [f"n:{nb}", f"e:{f.end}", f"s:{f.start}", f"ne:{nb}{f.end}", f"ns:{nb}{f.start}"]
    alpha = len(f.lower) - f.digits
    feats.append(f"c:{_share(f.caps, alpha)}")
    feats.append(f"st:{_share(f.stop, len(f.lower))}")
    if f.digits:
        feats.append(f"d:{_share(f.digits, len(f.lower))}")
    if f.prose:
        feats.append("prose")
    if f.pattern:
        feats.append(f"pat:{f.pattern}")
    if f.byline:
        feats.append("byline")
    if f.dateline:
        feats.append("dateline")
    return feats


def vocabulary(f: LineFacts) -> list[str]:
    if f.n > VOCAB_MAX_WORDS:
        return [f"f:{f.lower[0]}"] if f.lower else []
    feats = [f"w:{w}" for w in sorted(set(f.lower))]
    if f.n <= LINE_MAX_WORDS and f.normal:
        feats.append(f"L:{f.normal}")
    return feats


def main_run(lines: Sequence[LineFacts]) -> tuple[int, int]:
    """[start, end) of the maximum-sum run of lines, prose counting its words and any other
    line a small penalty: the article's densest stretch (Kadane's algorithm)."""
    best, best_run = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, f in enumerate(lines):
        value = float(f.n) if f.prose else -2.0 - 0.5 * min(f.n, 8)
        if total <= 0:
            total, start = value, i
        else:
            total += value
        if total > best:
            best, best_run = total, (start, i + 1)
    return best_run


def _continues(previous: LineFacts, line: LineFacts) -> bool:
    if previous.end in ".!:…" or not line.text:
        return False
    if line.start in "a,":
        return True
    return bool(previous.lower) and previous.lower[-1] in text.STOPWORDS


def document_layout(paras: Sequence[int]) -> str:
    """How many paragraphs hold a single line, in fifths: a page dump puts every line in
    its own paragraph, a saved article holds sentences together."""
    sizes = Counter(paras)
    single = sum(1 for s in sizes.values() if s == 1)
    return f"D:single{_share(single, len(sizes))}"


def _document(prose: Sequence[bool], paras: Sequence[int]) -> list[str]:
    return [
        f"D:p{_share(sum(prose), len(prose))}",
        f"D:n{_bin(len(prose), (3, 8, 20, 50, 120))}",
        document_layout(paras),
    ]


def document_features(
    texts: Sequence[str], paras: Sequence[int], rules: Sequence[str | None] | None = None
) -> list[list[str]]:
    """The features of every line of one document, in order."""
    return features_of([facts(t) for t in texts], paras, rules)


def rule_verdict(reason: str | None) -> str:
    """The hand-written rules' decision on a line, as a feature: which rule, not its wording."""
    if reason is None:
        return "rule:keep"
    if reason == CLEAN:
        return "rule:clean"
    return "rule:" + RULE_KINDS.get(reason.split(" (")[0], "pattern")


# The rules' reason for every line of a text they found already clean.
CLEAN = "clean text"
RULE_KINDS = {
    "outside the main article": "outside",
    "related headline after the article": "related",
    "short label inside the article": "inline",
    "headline": "headline",
    "byline": "byline",
    "dateline/timestamp": "dateline",
}


def features_of(
    lines: Sequence[LineFacts],
    paras: Sequence[int],
    rules: Sequence[str | None] | None = None,
) -> list[list[str]]:
    """Every line's features; ``rules`` are the hand-written rules' reasons per line (None:
    kept), which the model weighs like any other evidence."""
    count = len(lines)
    owns = [own(f) for f in lines]
    doc = _document([f.prose for f in lines], paras)
    run_start, run_end = main_run(lines)
    article_words = Counter(w for f in lines if f.prose for w in f.content)
    repeats = Counter(f.normal for f in lines)
    result: list[list[str]] = []
    for i, f in enumerate(lines):
        feats = ["bias", *owns[i], *vocabulary(f), *doc]
        feats.append(f"i:{min(i, 6)}")
        feats.append(f"j:{min(count - 1 - i, 6)}")
        where = _where(i, run_start, run_end)
        feats.append(where)
        nb = owns[i][0]
        before = lines[i - 1].prose if i else None
        after = lines[i + 1].prose if i + 1 < count else None
        feats.append(f"{nb}|{doc[2]}")
        feats.append(f"{nb}|{where}")
        feats.append(f"{nb}|{owns[i][1]}|{before}|{after}")
        for d in CONTEXT:
            j = i + d
            if 0 <= j < count:
                feats.extend(f"{d}{x}" for x in owns[j][:4])
                if lines[j].prose:
                    feats.append(f"{d}prose")
            else:
                feats.append(f"{d}none")
        if i and paras[i] == paras[i - 1]:
            feats.append("samepara")
        if i and _continues(lines[i - 1], f):
            feats.append("cont-prev")
        if i + 1 < count and _continues(f, lines[i + 1]):
            feats.append("cont-next")
        feats.append(_overlap(f, article_words, i + 1 < count and lines[i + 1]))
        if repeats[f.normal] > 1:
            feats.append("repeated")
        feats.append(f"{owns[i][0]}|{doc[0]}")
        if rules is not None:
            verdict = rule_verdict(rules[i])
            feats.append(verdict)
            feats.append(f"{verdict}|{owns[i][0]}")
            feats.append(f"{verdict}|{doc[2]}")
        result.append(feats)
    return result


def _where(i: int, start: int, end: int) -> str:
    if start <= i < end:
        return "run:in"
    if i < start:
        return f"run:before{min(start - i, 4)}"
    return f"run:after{min(i - end + 1, 4)}"


def _overlap(f: LineFacts, article: Counter[str], following: LineFacts | bool) -> str:
    """How many of the line's content words the article's prose uses elsewhere, and
    whether the next line shares one (a subheading names what follows)."""
    if not f.content:
        return "ov:none"
    own_count = 1 if f.prose else 0
    shared = sum(1 for w in f.content if article[w] > own_count)
    nxt = isinstance(following, LineFacts) and bool(f.content & following.content)
    return f"ov:{_share(shared, len(f.content))}{'+' if nxt else ''}"


def join_features(previous: LineFacts, line: LineFacts, layout: str) -> list[str]:
    """Does ``line`` carry on the sentence that ``previous`` left open (a page dump breaks
    lines wherever a link or emphasis was)? The two edges decide, with the page's layout."""
    last = previous.lower[-1] if previous.lower else ""
    feats = [
        "bias",
        f"pe:{previous.end}",
        f"ts:{line.start}",
        f"pe:{previous.end}|ts:{line.start}",
        f"pn:{_bin(previous.n, _N_EDGES)}",
        f"tn:{_bin(line.n, _N_EDGES)}",
        f"pn:{_bin(previous.n, _N_EDGES)}|pe:{previous.end}",
        f"tn:{_bin(line.n, _N_EDGES)}|ts:{line.start}",
        layout,
    ]
    if last in text.STOPWORDS:
        feats.append("p-stop")
    if line.text[:1] in _CLOSING:
        feats.append(f"t-close:{line.text[:1]}")
    if previous.text[-1:] in "([{“‘«„\"'-–—/":
        feats.append("p-open")
    if previous.prose:
        feats.append("p-prose")
    if line.prose:
        feats.append("t-prose")
    return feats


# Headline candidates: the dropped lines this close above the article's first line.
TITLE_WINDOW = 30


def title_features(
    f: LineFacts, distance: int, article: frozenset[str], repeated: bool
) -> list[str]:
    """Is this line, ``distance`` lines above the article, its headline? Headlines are a few
    capitalised words, rarely end in a period, name what the article is about, and a page
    dump often holds them twice (the title bar and the heading)."""
    nb = _bin(f.n, _N_EDGES)
    shared = sum(1 for w in f.content if w in article)
    feats = [
        "bias",
        f"n:{nb}",
        f"e:{f.end}",
        f"s:{f.start}",
        f"ne:{nb}{f.end}",
        f"c:{_share(f.caps, len(f.lower) - f.digits)}",
        f"st:{_share(f.stop, len(f.lower))}",
        f"dist:{min(distance, 8) if distance < 16 else 16}",
        f"ov:{_share(shared, len(f.content)) if f.content else 'none'}",
        f"ovn:{min(shared, 4)}",
    ]
    if repeated:
        feats.append("repeated")
    if f.pattern:
        feats.append("pattern")
    if f.prose:
        feats.append("prose")
    if f.byline or f.dateline:
        feats.append("byline-or-date")
    if "|" in f.text or " - " in f.text:
        feats.append("separator")
    return feats


def clean_features(
    prose: Sequence[bool],
    paras: Sequence[int],
    probabilities: Sequence[float],
    rules: Sequence[str | None],
) -> list[str]:
    """Does this whole text look already clean? The line model's doubts summed over the
    document (how many lines it would drop, how sure it is of the worst one), what the rules
    found, and the layout: a scraped dump betrays itself in several places at once."""
    count = len(prose)
    worst = max(probabilities, default=0.0)
    doubtful = sum(1 for p in probabilities if p > 0.5)
    sure = sum(1 for p in probabilities if p > 0.9)
    verdicts = Counter(rule_verdict(r) for r in rules)
    feats = [
        "bias",
        f"worst:{min(int(worst * 20), 19)}",
        f"doubtful:{_bin(doubtful, (0, 1, 2, 3, 5, 8))}",
        f"sure:{_bin(sure, (0, 1, 2, 3, 5))}",
        f"share:{_share(doubtful, count)}",
        *_document(prose, paras),
        f"first:{'prose' if prose and prose[0] else 'other'}",
    ]
    feats.extend(f"{v}:{_bin(c, (0, 1, 2, 4))}" for v, c in sorted(verdicts.items()))
    return feats
