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
from functools import cache
from itertools import pairwise

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
# _bin(n, _N_EDGES) looked up rather than searched: the line model bins every line's word
# count several times (its own features, its neighbours', the join and headline models).
_N_BINS = tuple(_bin(n, _N_EDGES) for n in range(_N_EDGES[-1] + 1))


def _nbin(n: int) -> int:
    return _N_BINS[n] if 0 <= n < len(_N_BINS) else _bin(n, _N_EDGES)


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
    """What the line model asks of one line, each fact computed once."""
    lower, caps, stop, digits, content = _token_facts(text.words(line))
    return LineFacts(
        text=line,
        lower=lower,
        n=text.word_count(line),
        end=_end(line),
        start=_start(line),
        caps=caps,
        stop=stop,
        digits=digits,
        prose=noise.is_prose(line),
        pattern=noise.pattern_reason(line),
        byline=noise.byline_author(line) is not None,
        dateline=noise.is_dateline(line),
        content=content,
        normal=normalise_line(line),
    )


def _token_facts(tokens: list[str]) -> tuple[tuple[str, ...], int, int, int, frozenset[str]]:
    """The lowercased tokens, how many are capitalised, function words and numbers, and the
    content stems: one plain loop, which in CPython beats one generator (or map) per count."""
    lower: list[str] = []
    content: set[str] = set()
    caps = stop = digits = 0
    for token in tokens:
        low = token.lower()
        lower.append(low)
        if token[0].isupper():  # a \w+ token is never empty
            caps += 1
        if token.isdigit():
            digits += 1
        if low in text.STOPWORDS:
            stop += 1
        elif len(low) >= CONTENT_MIN_CHARS:
            content.add(low[: text.STEM])
    return tuple(lower), caps, stop, digits, frozenset(content)


def _share(part: int, whole: int) -> int:
    """A share in fifths (0-5), so that 'mostly capitals' is one feature, not thirty."""
    return 0 if whole == 0 else round(5 * part / whole)


def own(f: LineFacts) -> list[str]:
    """Features of the line alone; its neighbours see them too, under their offset."""
    feats = list(_head(_nbin(f.n), f.end, f.start))
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


# The neighbours see the first four features of :func:`own`: word-count bin, ending, start,
# and bin with ending.
_SEEN = 4


# The strings below are looked up, not formatted again per line: facts() gives 11 word-count
# bins x 8 endings x 6 starts, so these caches stay a few hundred (join: a few thousand) small.
@cache
def _head(nb: int, end: str, start: str) -> tuple[str, ...]:
    """Word-count bin, ending and start, alone and paired."""
    return (f"n:{nb}", f"e:{end}", f"s:{start}", f"ne:{nb}{end}", f"ns:{nb}{start}")


@cache
def _seen_from(nb: int, end: str, start: str, prose: bool) -> tuple[tuple[str, ...], ...]:
    """What the line shows each neighbour, one tuple per offset in :data:`CONTEXT`: its head
    features under the offset ("-1e:." for the line after it), and whether it is prose."""
    head = _head(nb, end, start)[:_SEEN]
    return tuple(
        (*(f"{d}{x}" for x in head), *((f"{d}prose",) if prose else ())) for d in CONTEXT
    )


# What a line sees where a neighbour is missing (before the first line, after the last).
_NONE = tuple((f"{d}none",) for d in CONTEXT)


def vocabulary(f: LineFacts) -> list[str]:
    if f.n > VOCAB_MAX_WORDS:
        return [f"f:{f.lower[0]}"] if f.lower else []
    feats = ["w:" + w for w in sorted(set(f.lower))]
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
    kept), which the model weighs like any other evidence. Built a kind at a time over the
    whole document (then joined per line, in a fixed order), so that what each line shares
    with its neighbours is computed once."""
    owns = [own(f) for f in lines]
    doc = _document([f.prose for f in lines], paras)
    parts = zip(
        lines,
        owns,
        _placements(lines, owns, doc[2]),
        _contexts(lines),
        _ties(lines, paras, owns, doc[0]),
        _verdicts(rules, owns, doc[2]),
        strict=True,
    )
    return [
        ["bias", *o, *vocabulary(f), *doc, *place, *context, *ties, *verdict]
        for f, o, place, context, ties, verdict in parts
    ]


# "i:k" / "j:k": how far the line is from the first / last line, capped at 6.
_FROM_FIRST = tuple(f"i:{k}" for k in range(7))
_FROM_LAST = tuple(f"j:{k}" for k in range(7))


def _placements(lines: Sequence[LineFacts], owns: list[list[str]], layout: str) -> list[list[str]]:
    """Where each line stands: from the first and last line, against the main run, and (with
    its word-count bin) the layout, the run and whether the lines around are prose."""
    count = len(lines)
    run_start, run_end = main_run(lines)
    prose = [None, *(f.prose for f in lines), None]  # padded: no line before the first
    result: list[list[str]] = []
    for i, o in enumerate(owns):
        where = _where(i, run_start, run_end)
        nb = o[0]
        result.append([
            _FROM_FIRST[min(i, 6)],
            _FROM_LAST[min(count - 1 - i, 6)],
            where,
            f"{nb}|{layout}",
            f"{nb}|{where}",
            f"{nb}|{o[1]}|{prose[i]}|{prose[i + 2]}",
        ])
    return result


def _contexts(lines: Sequence[LineFacts]) -> list[tuple[str, ...]]:
    """Each line's view of the two lines on either side (in :data:`CONTEXT` order)."""
    # Padded with two missing lines at each end, line i stands at seen[i + 2].
    seen = [_NONE, _NONE, *(_seen_from(_nbin(f.n), f.end, f.start, f.prose) for f in lines)]
    seen += [_NONE, _NONE]
    return [
        (*seen[i][0], *seen[i + 1][1], *seen[i + 3][2], *seen[i + 4][3])
        for i in range(len(lines))
    ]


def _ties(
    lines: Sequence[LineFacts], paras: Sequence[int], owns: list[list[str]], prose_share: str
) -> list[list[str]]:
    """What binds each line to the others: its paragraph, the sentence it continues or that
    continues it, the article's words it uses, its repeats; and its bin against the prose."""
    count = len(lines)
    # continues[i]: line i + 1 carries on the sentence of line i (line i's "cont-next", line
    # i + 1's "cont-prev"), asked once per pair.
    continues = [_continues(a, b) for a, b in pairwise(lines)]
    article, repeats = _article_words(lines), Counter([f.normal for f in lines])
    result: list[list[str]] = []
    for i, f in enumerate(lines):
        feats = ["samepara"] if i and paras[i] == paras[i - 1] else []
        if i and continues[i - 1]:
            feats.append("cont-prev")
        following = lines[i + 1] if i + 1 < count else None
        if following is not None and continues[i]:
            feats.append("cont-next")
        feats.append(_overlap(f, article, following))
        if repeats[f.normal] > 1:
            feats.append("repeated")
        feats.append(f"{owns[i][0]}|{prose_share}")
        result.append(feats)
    return result


def _article_words(lines: Sequence[LineFacts]) -> Counter[str]:
    """How many prose lines use each content word."""
    article: Counter[str] = Counter()
    for f in lines:
        if f.prose:
            article.update(f.content)
    return article


def _verdicts(
    rules: Sequence[str | None] | None, owns: list[list[str]], layout: str
) -> list[tuple[str, ...]]:
    """The rules' verdict on each line, alone and with its word-count bin and the layout."""
    if rules is None:
        return [()] * len(owns)
    result: list[tuple[str, ...]] = []
    for i, o in enumerate(owns):
        verdict = rule_verdict(rules[i])
        result.append((verdict, f"{verdict}|{o[0]}", f"{verdict}|{layout}"))
    return result


def _where(i: int, start: int, end: int) -> str:
    if start <= i < end:
        return "run:in"
    if i < start:
        return f"run:before{min(start - i, 4)}"
    return f"run:after{min(i - end + 1, 4)}"


def _overlap(f: LineFacts, article: Counter[str], following: LineFacts | None) -> str:
    """How many of the line's content words the article's prose uses elsewhere, and
    whether the next line shares one (a subheading names what follows)."""
    if not f.content:
        return "ov:none"
    own_count = 1 if f.prose else 0
    # .get, not article[w]: a Counter's missing key goes through a Python __missing__.
    shared = len([w for w in f.content if article.get(w, 0) > own_count])
    nxt = following is not None and not f.content.isdisjoint(following.content)
    return f"ov:{_share(shared, len(f.content))}{'+' if nxt else ''}"


def join_features(previous: LineFacts, line: LineFacts, layout: str) -> list[str]:
    """Does ``line`` carry on the sentence that ``previous`` left open (a page dump breaks
    lines wherever a link or emphasis was)? The two edges decide, with the page's layout."""
    last = previous.lower[-1] if previous.lower else ""
    feats = [*_join_edges(previous.end, _nbin(previous.n), line.start, _nbin(line.n)), layout]
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


@cache  # bounded as _head: 8 endings x 11 bins x 6 starts x 11 bins at most
def _join_edges(end: str, previous_bin: int, start: str, line_bin: int) -> tuple[str, ...]:
    """The two edges of a break between lines and their word-count bins, alone and paired."""
    return (
        "bias",
        f"pe:{end}",
        f"ts:{start}",
        f"pe:{end}|ts:{start}",
        f"pn:{previous_bin}",
        f"tn:{line_bin}",
        f"pn:{previous_bin}|pe:{end}",
        f"tn:{line_bin}|ts:{start}",
    )


# Headline candidates: the dropped lines this close above the article's first line.
TITLE_WINDOW = 30


def title_features(
    f: LineFacts, distance: int, article: frozenset[str], repeated: bool
) -> list[str]:
    """Is this line, ``distance`` lines above the article, its headline? Headlines are a few
    capitalised words, rarely end in a period, name what the article is about, and a page
    dump often holds them twice (the title bar and the heading)."""
    nb = _nbin(f.n)
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
