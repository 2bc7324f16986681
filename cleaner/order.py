"""Stage 4, order: detect a scrambled article, repair its paragraph order, flag spliced paragraphs.

Runs after the noise stage, on the kept blocks of plain-text inputs (the pipeline does not run
it on HTML, whose DOM order is the published order). The unit is the paragraph (kept blocks
sharing a ``Block.para``): it is what scrapers shuffle, and a paragraph is always rendered as it
came in.

1. **Model.** A pairwise precedence model (logistic regression on the cheap cues of
   :mod:`cleaner.order_features`, weights and a learned word-position lexicon in
   ``cleaner/data/order_model.json``, trained by ``bench/order/train.py`` on ordered gold
   articles) gives for every pair of units the log-odds ``L[i][j]`` that unit *i* comes before
   unit *j*; ``L`` is antisymmetric. The score of an order is the sum of ``L`` over its pairs.
   Besides hand-written cues, a learned unary score feeds it: a position regressor (ridge
   least squares of a paragraph's relative position on its sparse cues: first words, last
   word, content stems, bucketed unary cues). A lede classifier (logistic, "is the first
   paragraph") over the same cues was tried and got no weight: it is not shipped.
2. **Gate and repair by hard evidence.** A wire dateline ("HANOI, Vietnam (AP) —") opens a
   story and nothing else: a unit that starts with one and is not first is moved first. A
   person's bare surname ("Kerry said") used before any
   paragraph gives the full name ("Secretary of State John Kerry") is something a reader sees
   at once, and in-order news almost never does it. When it happens, the repair is the fewest
   and shortest single-paragraph moves (at most :data:`MAX_MOVES`) after which every surname
   is first met in full, the model breaking ties; if no such moves exist the article is left
   alone. Nothing else is moved.
3. **Gate and repair by the model.** Without hard evidence, the article counts as scrambled
   only when the model finds the given order far worse than chance: its score divided by the
   spread of a random order's score (a z-score) below a threshold set under every in-order
   training article. Then up to :data:`MAX_MOVES` greedy confident moves are compared with a
   global order (units sorted by total log-odds, then improved by single moves until none
   helps), and the global order is taken only when it gains :data:`GLOBAL_MARGIN` times more.
   The search objective is the precedence score plus a calibrated weight times the cohesion
   of adjacent units (:func:`cohesion_matrix`: neighbouring paragraphs share words).
   The model is weak on its own (55-60% of held-out pairs right), so this gate seldom
   fires: in-order web articles whose paragraphs carry no order cues score like shuffled
   ones, and they must stay untouched.
   Softer cues (an acronym before its definition, a first unit opening with a pronoun or a
   connective) are shown as evidence but decide nothing: in-order articles show them too.
   An article judged in order keeps its blocks untouched, so its text is byte-identical.
4. **Splices.** Units whose content words and names barely occur in the title and the rest of
   the article, and whose cohesion with the other units is low against the article's own
   spread (a leave-one-out z-score, :func:`drift`), are flagged as off-topic (``offtopic``:
   their positions in the output); with ``options.drop_offtopic`` they are dropped with the
   reason ``off-topic: ...``.

The unit is always the paragraph (``"unit": "paragraph"``): sentences are not re-ordered
across paragraphs, so a paragraph comes out exactly as it went in.

**Block order after the stage.** ``doc.blocks`` is rewritten so that the kept paragraphs appear
in output order; every dropped block travels with the kept paragraph it followed in the input
(blocks before the first kept paragraph stay first). ``Block.index`` keeps the input position,
so ``explain`` still tells where each block came from, and ``Block.para`` is unchanged, so
``render_text`` separates the paragraphs exactly as before.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from cleaner.config import Options
from cleaner.document import Block, Document
from cleaner.order_features import (
    CONNECTIVE_OPENERS,
    FEATURE_NAMES,
    PRONOUN_OPENERS,
    UNARY_NAMES,
    WIRE_DATELINE,
    Lexicon,
    Unit,
    analyse,
    opener,
    pair_features,
)
from cleaner.text import stems

MODEL_FILE = "order_model.json"
MIN_UNITS = 3  # with two paragraphs there is no order worth repairing or judging
# Articles are judged only in the length range the stage is evaluated on (make eval-order: 4-25
# paragraphs). Longer texts (live blogs, round-ups, long reads) carry datelines and late
# introductions of their own: with a limit of 60 (and "Epstein's" read as a name of its own),
# 5 of 181 ScrapingHub and 3 of 627 WCXB tuning gold articles fed back in were re-ordered; with
# 25 (and possessives stripped), 1 and 1.
MAX_UNITS = 25
LATE_SLIP_GAP = 2  # see late_slip()
MAX_MOVES = 3  # small moves: at most this many single-unit moves from the given order
MOVE_MIN_GAIN = 1.0  # log-odds a single move must gain to be taken
GLOBAL_MARGIN = 1.5  # the global order must gain this many times the small moves' gain
EVIDENCE_LIMIT = 8  # lines of evidence kept in the metadata
OFFTOPIC_MIN_SD = 0.02  # floor of the cohesion spread: near-identical units give no z-score


@dataclass(frozen=True, slots=True)
class Model:
    """The shipped model: feature weights and the thresholds calibrated with them."""

    unary: tuple[float, ...]
    pair: tuple[float, ...]
    gate: float  # z below which an article without hard evidence counts as scrambled
    cohesion: float  # weight of adjacent units' cohesion in the search objective
    offtopic_words: float  # share of content words found elsewhere, below which a unit drifts
    offtopic_entities: float  # same for names
    offtopic_min_stems: int  # units with fewer content words are too short to judge
    offtopic_z: float  # cohesion z-score against the article's other units below which it drifts
    lexicon: Lexicon
    raw: dict[str, Any]


def model_from_json(data: dict[str, Any]) -> Model:
    """Build a :class:`Model` from the JSON written by the training script."""
    names = tuple(data["features"])
    if names != FEATURE_NAMES:
        raise ValueError("order model was trained with other features; run make train-order")
    weights = [float(data["weights"][name]) for name in names]
    thresholds = data["thresholds"]
    return Model(
        unary=tuple(weights[: len(UNARY_NAMES)]),
        pair=tuple(weights[len(UNARY_NAMES) :]),
        gate=float(thresholds["gate"]),
        cohesion=float(thresholds.get("cohesion", 0.0)),
        offtopic_words=float(thresholds["offtopic_words"]),
        offtopic_entities=float(thresholds["offtopic_entities"]),
        offtopic_min_stems=int(thresholds["offtopic_min_stems"]),
        offtopic_z=float(thresholds.get("offtopic_z", math.inf)),
        lexicon=Lexicon(
            {k: float(v) for k, v in data["lexicon"]["words"].items()},
            {k: float(v) for k, v in data["lexicon"]["openers"].items()},
            {k: float(v) for k, v in data["lexicon"].get("cues", {}).items()},
        ),
        raw=data,
    )


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The packaged model (read once per process)."""
    text = resources.files("cleaner").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return model_from_json(json.loads(text))


# --- scoring -------------------------------------------------------------------------------


def logit_matrix(units: list[Unit], model: Model) -> list[list[float]]:
    """``L[i][j]``: log-odds that unit i precedes unit j (antisymmetric, zero diagonal)."""
    scores = [sum(w * x for w, x in zip(model.unary, u.unary, strict=True)) for u in units]
    n = len(units)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        a = units[i]
        for j in range(i + 1, n):
            b = units[j]
            value = scores[i] - scores[j]
            if _related(a, b):  # otherwise every pair cue is 0 (the common case: skip them)
                pair = pair_features(a, b)
                value += sum(w * x for w, x in zip(model.pair, pair, strict=True))
            matrix[i][j] = value
            matrix[j][i] = -value
    return matrix


def _related(a: Unit, b: Unit) -> bool:
    """Whether any pair cue of (a, b) can be non-zero: they share a name or an acronym."""
    return not (
        a.entities.isdisjoint(b.entities)
        and a.full_names.isdisjoint(b.bare_names)
        and b.full_names.isdisjoint(a.bare_names)
        and a.defined.isdisjoint(b.acronyms)
        and b.defined.isdisjoint(a.acronyms)
    )


def order_score(order: list[int], matrix: list[list[float]]) -> float:
    """Sum of the log-odds of every ordered pair of ``order``."""
    total = 0.0
    for p, a in enumerate(order):
        row = matrix[a]
        for b in order[p + 1 :]:
            total += row[b]
    return total


def moves(order: list[int], matrix: list[list[float]]) -> Iterator[tuple[float, list[int]]]:
    """Every single-unit move (take one unit out, put it elsewhere) with its gain in score."""
    n = len(order)
    for p in range(n):
        x = order[p]
        row = matrix[x]
        gain = 0.0
        for q in range(p - 1, -1, -1):  # move x to position q, before order[q..p-1]
            gain += 2 * row[order[q]]
            yield gain, [*order[:q], x, *order[q:p], *order[p + 1 :]]
        gain = 0.0
        for q in range(p + 1, n):  # move x to just after order[q]
            gain -= 2 * row[order[q]]
            yield gain, order[:p] + order[p + 1 : q + 1] + [x] + order[q + 1 :]


def cohesion_matrix(units: list[Unit]) -> list[list[float]]:
    """``C[i][j]``: cosine of the content-word sets of units i and j (symmetric). Neighbouring
    paragraphs of a story share words; a paragraph moved away from its neighbours leaves two
    seams with few shared words. (On web articles the signal is weak: the best single move
    undoes a displaced paragraph in only a few percent of cases, see ``bench.order.probe``.)"""
    n = len(units)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        a = units[i].stems
        for j in range(i + 1, n):
            b = units[j].stems
            if a and b:
                matrix[i][j] = matrix[j][i] = len(a & b) / math.sqrt(len(a) * len(b))
    return matrix


@dataclass(frozen=True, slots=True)
class Scorer:
    """The objective of the search: pairwise precedence log-odds plus ``weight`` times the
    cohesion of adjacent units."""

    logits: list[list[float]]
    cohesion: list[list[float]]
    weight: float

    def score(self, order: list[int]) -> float:
        adjacent = sum(self.cohesion[a][b] for a, b in pairwise(order))
        return order_score(order, self.logits) + self.weight * adjacent

    def best_move(self, order: list[int]) -> tuple[float, list[int]]:
        """The single-unit move that gains most in the objective (the order itself when none
        gains), in O(n^2): precedence gains accumulate along the sweep, cohesion changes only
        at the three seams a move touches."""
        n = len(order)
        c = self.cohesion
        best_gain, best_p, best_q = 0.0, -1, -1
        for p in range(n):
            x = order[p]
            row = self.logits[x]
            prev = order[p - 1] if p > 0 else -1
            nxt = order[p + 1] if p < n - 1 else -1
            out = -(c[prev][x] if prev >= 0 else 0.0) - (c[x][nxt] if nxt >= 0 else 0.0)
            if prev >= 0 and nxt >= 0:
                out += c[prev][nxt]
            gain = 0.0
            for q in range(p - 1, -1, -1):  # x goes between order[q - 1] and order[q]
                gain += 2 * row[order[q]]
                u = order[q - 1] if q > 0 else -1
                total = gain + self.weight * (out + _seam(c, u, x, order[q]))
                if total > best_gain + 1e-12:
                    best_gain, best_p, best_q = total, p, q
            gain = 0.0
            for q in range(p + 1, n):  # x goes between order[q] and order[q + 1]
                gain -= 2 * row[order[q]]
                v = order[q + 1] if q < n - 1 else -1
                total = gain + self.weight * (out + _seam(c, order[q], x, v))
                if total > best_gain + 1e-12:
                    best_gain, best_p, best_q = total, p, q
        if best_p < 0:
            return 0.0, order
        return best_gain, _moved(order, best_p, best_q)


def _seam(c: list[list[float]], u: int, x: int, v: int) -> float:
    """Cohesion change of putting x between u and v (-1: no unit on that side)."""
    change = (c[u][x] if u >= 0 else 0.0) + (c[x][v] if v >= 0 else 0.0)
    return change - (c[u][v] if u >= 0 and v >= 0 else 0.0)


def _moved(order: list[int], p: int, q: int) -> list[int]:
    """``order`` with the unit at p moved as :func:`moves` describes target q."""
    x = order[p]
    if q < p:
        return [*order[:q], x, *order[q:p], *order[p + 1 :]]
    return order[:p] + order[p + 1 : q + 1] + [x] + order[q + 1 :]


def small_moves(scorer: Scorer) -> tuple[float, list[int], int]:
    """Greedy confident single-unit moves from the given order: (gain, order, moves)."""
    order = list(range(len(scorer.logits)))
    total = 0.0
    count = 0
    while count < MAX_MOVES:
        gain, moved = scorer.best_move(order)
        if gain < MOVE_MIN_GAIN:
            break
        total, order, count = total + gain, moved, count + 1
    return total, order, count


def global_order(scorer: Scorer) -> tuple[float, list[int]]:
    """Sort by total log-odds (a Borda count), then apply improving moves to a local optimum
    of the search objective (precedence plus adjacent cohesion)."""
    n = len(scorer.logits)
    totals = [sum(row) for row in scorer.logits]
    order = sorted(range(n), key=lambda i: (-totals[i], i))
    for _ in range(n * n):
        gain, moved = scorer.best_move(order)
        if gain <= 1e-9:
            break
        order = moved
    return scorer.score(order) - scorer.score(list(range(n))), order


# --- evidence ------------------------------------------------------------------------------


def hard_evidence(units: list[Unit]) -> list[str]:
    """Reasons a reader would see at once that the given order is wrong: a person's bare
    surname ("Kerry said") used before any paragraph gives the full name (except a
    :func:`late_slip`). This drives the gate; see :func:`soft_evidence` for weaker cues."""
    found: list[str] = []
    for surname, (full, bare) in _introductions(units):
        first = min(full | bare)
        if first in bare and not late_slip(full, bare, len(units)):
            found.append(
                f"'{surname.title()}' is used bare in unit {first} before unit {min(full)} "
                "gives the full name"
            )
    return found


def late_slip(full: frozenset[int], bare: frozenset[int], n: int) -> bool:
    """A bare surname in the second half of the given order, introduced in full at most
    :data:`LATE_SLIP_GAP` units later, is not evidence of scrambling: updated stories insert
    late quotes that way (a held-out ScrapingHub article does: "Clarke said" two paragraphs
    before "NASA's Steve Clarke"), and such a move would gain a reader little."""
    first = min(full | bare)
    return first in bare and 2 * first >= n and min(full) - first <= LATE_SLIP_GAP


def soft_evidence(units: list[Unit]) -> list[str]:
    """Cues shown by ``explain`` that do not decide alone (in-order articles show them too):
    an acronym used before its definition, how the first unit opens."""
    found = [
        f"acronym {acro} is used in unit {i} before unit {j} defines it"
        for j, later in enumerate(units)
        for i in range(j)
        for acro in sorted(later.defined & (units[i].acronyms - units[i].defined))
    ]
    first = opener(units[0].text)
    if first in PRONOUN_OPENERS:
        found.append(f"the first unit opens with the pronoun '{first}'")
    elif first in CONNECTIVE_OPENERS:
        found.append(f"the first unit opens with the connective '{first}'")
    elif units[0].text[:1].islower():
        found.append("the first unit opens in lower case (a continuation)")
    return found


# --- off-topic splices ---------------------------------------------------------------------


Drift = tuple[float, float, int, float]


def drift(units: list[Unit], title: str | None) -> list[Drift]:
    """Per unit: share of its content words, and of its names, found in the title or the other
    units; how many content words it has; and how its mean cohesion with the other units
    compares with theirs (a leave-one-out z-score: each article is its own yardstick, so a
    story whose paragraphs share few words anyway does not flag them all)."""
    z = cohesion_z(units)
    return [(*share, z[i]) for i, share in enumerate(shares(units, title))]


def shares(units: list[Unit], title: str | None) -> list[tuple[float, float, int]]:
    """The first three entries of :func:`drift` (cheap: no pair of units is compared)."""
    title_stems = set(stems(title or ""))
    # A word is "elsewhere" when the title has it or another unit does: count units per word.
    word_units = Counter(s for u in units for s in u.stems)
    name_units = Counter(e for u in units for e in u.entities)
    result: list[tuple[float, float, int]] = []
    for unit in units:
        own = unit.stems
        shared_words = sum(1 for s in own if s in title_stems or word_units[s] > 1)
        shared_names = sum(1 for e in unit.entities if e in title_stems or name_units[e] > 1)
        word_share = shared_words / len(own) if own else 1.0
        name_share = shared_names / len(unit.entities) if unit.entities else 1.0
        result.append((word_share, name_share, len(own)))
    return result


def cohesion_z(units: list[Unit]) -> list[float]:
    """The last entry of :func:`drift`: each unit's mean cohesion, as a z-score against the
    other units' mean cohesions."""
    cohesion = cohesion_matrix(units)
    n = len(units)
    means = [sum(row) / (n - 1) if n > 1 else 0.0 for row in cohesion]
    return [_loo_z(m, means[:i] + means[i + 1 :]) for i, m in enumerate(means)]


def _loo_z(value: float, others: list[float]) -> float:
    """(value - mean) / sd of ``others``, 0 when they are too few or all alike."""
    if len(others) < 2:
        return 0.0
    mean = sum(others) / len(others)
    sd = math.sqrt(sum((x - mean) ** 2 for x in others) / (len(others) - 1))
    return (value - mean) / max(sd, OFFTOPIC_MIN_SD)


def is_offtopic(d: Drift, model: Model) -> bool:
    """The off-topic rule on one unit's :data:`Drift` (thresholds from the model file)."""
    word_share, name_share, size, z = d
    return (
        size >= model.offtopic_min_stems
        and word_share < model.offtopic_words
        and name_share < model.offtopic_entities
        and z < model.offtopic_z
    )


def offtopic_units(units: list[Unit], title: str | None, model: Model) -> list[int]:
    """Units whose vocabulary and names drift from the rest of the article and the title.
    The cohesion z-score (quadratic in the units) is computed only when some unit passes the
    cheap tests."""
    cheap = shares(units, title)
    if not any(is_offtopic((*share, -math.inf), model) for share in cheap):
        return []
    z = cohesion_z(units)
    return [i for i, share in enumerate(cheap) if is_offtopic((*share, z[i]), model)]


# --- the stage -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """What the search and the gate concluded for one list of units."""

    scrambled: bool
    score: float
    order: list[int]
    evidence: list[str]


Names = list[tuple[frozenset[int], frozenset[int]]]


def _introductions(units: list[Unit]) -> list[tuple[str, tuple[frozenset[int], frozenset[int]]]]:
    """Per surname that some unit gives in full and some unit uses bare, in name order: the
    surname, the units that introduce it and the units that use it bare."""
    found = []
    for surname in sorted({n for u in units for n in u.full_names}):
        bare = frozenset(k for k, u in enumerate(units) if surname in u.bare_names)
        if bare:
            full = frozenset(k for k, u in enumerate(units) if surname in u.full_names)
            found.append((surname, (full, bare)))
    return found


def introductions(units: list[Unit]) -> Names:
    """Per surname that some unit gives in full: (units that introduce it, units that use it
    bare). Surnames never used bare, and :func:`late_slip` ones, are left out."""
    n = len(units)
    return [names for _, names in _introductions(units) if not late_slip(*names, n)]


def violations(names: Names, order: list[int]) -> int:
    """How many surnames are first mentioned bare in ``order`` (before any full mention)."""
    count = 0
    for full, bare in names:
        first = next(k for k in order if k in full or k in bare)
        count += first not in full
    return count


def resolve(names: Names, start: list[int], matrix: list[list[float]]) -> list[int]:
    """Fewest, shortest single-unit moves from ``start`` that put introductions first: each
    move must remove a violation; among those, the one that moves a unit over the fewest
    others (a scraper that displaced one paragraph is undone by the shortest move), the model
    breaking ties. Moves nothing else."""
    order = list(start)
    for _ in range(MAX_MOVES):
        current = violations(names, order)
        if current == 0:
            break
        best: tuple[int, int, float] | None = None
        chosen = order
        for gain, moved in moves(order, matrix):
            left = violations(names, moved)
            if left >= current:
                continue
            key = (left, displacement(order, moved), -gain)
            if best is None or key < best:
                best, chosen = key, moved
        order = chosen
    return order


def displacement(before: list[int], after: list[int]) -> int:
    """How many units a single move jumped over (positions that changed, minus one)."""
    return sum(1 for x, y in zip(before, after, strict=True) if x != y) - 1


def z_score(matrix: list[list[float]]) -> float:
    """How much better than chance the model finds the given order: its score over the
    standard deviation of the score of a random order (0 for a random order, high when the
    model agrees with the given order)."""
    n = len(matrix)
    spread = math.sqrt(sum(matrix[i][j] ** 2 for i in range(n) for j in range(i + 1, n)))
    return order_score(list(range(n)), matrix) / spread if spread else 0.0


def wire_dateline(units: list[Unit]) -> int:
    """The one unit, if not the first, that opens with a wire dateline ("HANOI (AP) —"); 0
    when there is none, several, or it is already first. A dateline only opens an article."""
    found = [k for k, unit in enumerate(units) if WIRE_DATELINE.match(unit.text)]
    return found[0] if len(found) == 1 else 0


def decide(units: list[Unit], model: Model) -> Decision:
    """Gate and search on analysed units; ``order`` is the identity when not scrambled.

    With hard evidence -- a wire dateline that does not open the article (it is moved first),
    a surname before its introduction (the fewest single-paragraph moves that leave no
    violation, the model choosing among them) -- the evidence alone decides;
    without it, the order is repaired only when the model finds the given order far worse than
    chance (``z`` below the calibrated gate).
    """
    n = len(units)
    identity = list(range(n))
    matrix = logit_matrix(units, model)
    z = round(z_score(matrix), 3)
    evidence = hard_evidence(units) + soft_evidence(units)
    evidence.append(f"model agreement with the given order z = {z:.2f} (gate {model.gate:.2f})")
    order = identity
    wire = wire_dateline(units)
    if wire:
        order = [wire, *(k for k in identity if k != wire)]
        evidence.append(f"unit {wire} opens with a wire dateline: moved first")
    pairs = introductions(units)
    if violations(pairs, order):
        repaired = resolve(pairs, order, matrix)
        if not violations(pairs, repaired):
            evidence.append("moving the fewest paragraphs puts every introduction first")
            return Decision(True, z, repaired, evidence)
        evidence.append("no small move puts every introduction first: left as it is")
    if order != identity:
        return Decision(True, z, order, evidence)
    if violations(pairs, identity):
        return Decision(False, z, identity, evidence)
    if z >= model.gate:
        return Decision(False, z, identity, evidence)
    scorer = Scorer(matrix, cohesion_matrix(units), model.cohesion)
    local_gain, local, moves = small_moves(scorer)
    global_gain, global_ = global_order(scorer)
    if local_gain > 0 and global_gain < GLOBAL_MARGIN * local_gain:
        evidence.append(f"{moves} small move(s) chosen (gain {local_gain:.1f} log-odds)")
        return Decision(local != identity, z, local, evidence)
    evidence.append(f"global re-order chosen (gain {global_gain:.1f} log-odds)")
    return Decision(global_ != identity, z, global_, evidence)


def paragraphs(blocks: tuple[Block, ...]) -> list[list[Block]]:
    """Kept blocks grouped by paragraph, in the current order."""
    groups: list[list[Block]] = []
    last: int | None = None
    for block in blocks:
        if not block.keep:
            continue
        if block.para != last:
            groups.append([])
            last = block.para
        groups[-1].append(block)
    return groups


def _segments(blocks: tuple[Block, ...]) -> tuple[list[Block], list[list[Block]]]:
    """The blocks before the first kept paragraph, then one segment per kept paragraph: its
    blocks followed by the dropped blocks up to the next kept paragraph."""
    head: list[Block] = []
    segments: list[list[Block]] = []
    last: int | None = None
    for block in blocks:
        if block.keep and block.para != last:
            segments.append([])
            last = block.para
        (segments[-1] if segments else head).append(block)
    return head, segments


def _reordered(doc: Document, order: list[int]) -> tuple[Block, ...]:
    head, segments = _segments(doc.blocks)
    return tuple(head + [b for i in order for b in segments[i]])


def _metadata(
    decision: Decision | None, *, n: int, offtopic: list[int], evidence: list[str]
) -> dict[str, object]:
    changed = decision is not None and decision.scrambled
    return {
        "scrambled": changed,
        "score": decision.score if decision else 0.0,
        "changed": changed,
        "permutation": list(decision.order) if decision and changed else None,
        "unit": "paragraph",
        "units": n,
        "offtopic": offtopic,
        "evidence": evidence[:EVIDENCE_LIMIT],
    }


def repair_order(doc: Document, *, options: Options, model: Model | None = None) -> Document:
    """Judge the kept paragraphs' order, repair it when scrambled, flag off-topic paragraphs.

    When the article is judged in order and nothing is dropped, ``doc.blocks`` is returned
    as it is (only ``doc.order`` is set), so an ordered article's output is byte-identical.
    ``doc.order`` is the metadata: ``scrambled``/``changed`` (the same here: an article judged
    scrambled is always changed), ``score`` (the model's z-score for the given order: about 0
    for a random order, higher the more the model agrees with it), ``permutation`` (input
    paragraph index for each output paragraph, ``None`` when unchanged), ``unit``
    (``"paragraph"``), ``units`` (paragraphs judged), ``offtopic`` (output positions of
    flagged paragraphs) and ``evidence`` (lines for ``explain``, see :func:`describe`).
    ``model`` defaults to the packaged one (tests pass their own).
    """
    groups = paragraphs(doc.blocks)
    n = len(groups)
    if n < MIN_UNITS or n > MAX_UNITS:
        reason = f"{n} paragraph(s): order not judged (needs {MIN_UNITS}-{MAX_UNITS})"
        return replace(doc, order=_metadata(None, n=n, offtopic=[], evidence=[reason]))
    model = model or load_model()
    texts = ["\n".join(b.text for b in g) for g in groups]
    units = analyse(texts, doc.title, lexicon=model.lexicon)
    decision = decide(units, model)
    ordered = [units[i] for i in decision.order]
    offtopic = offtopic_units(ordered, doc.title, model)
    evidence = list(decision.evidence)
    for k in offtopic:
        evidence.append(f"paragraph {k} shares few words and names with the article and title")
    meta = _metadata(decision, n=n, offtopic=offtopic, evidence=evidence)
    if not decision.scrambled and not (offtopic and options.drop_offtopic):
        return replace(doc, order=meta)
    blocks = _reordered(doc, decision.order) if decision.scrambled else doc.blocks
    if offtopic and options.drop_offtopic:
        blocks = _drop_paragraphs(blocks, offtopic)
    return replace(doc, blocks=blocks, order=meta)


def _drop_paragraphs(blocks: tuple[Block, ...], targets: list[int]) -> tuple[Block, ...]:
    """Drop the kept paragraphs at the given output positions, with the off-topic reason."""
    paras = [g[0].para for g in paragraphs(blocks)]
    doomed = {paras[k] for k in targets}
    return tuple(
        b.drop("off-topic: shares few words and names with the article")
        if b.keep and b.para in doomed
        else b
        for b in blocks
    )


def describe(order: dict[str, Any] | None) -> list[str]:
    """Lines for ``cleaner explain``: the decision, the move and the evidence behind it."""
    if order is None:
        return ["order: not checked (--no-reorder)"]
    lines = [
        f"order: {'scrambled, repaired' if order.get('changed') else 'in order, untouched'}"
        f" (score {order.get('score', 0.0)}, unit {order.get('unit')})"
    ]
    permutation = order.get("permutation")
    if permutation:
        lines.append("  new order of input paragraphs: " + " ".join(str(i) for i in permutation))
    if order.get("offtopic"):
        lines.append(
            "  off-topic paragraphs (output positions): "
            + " ".join(str(i) for i in order["offtopic"])
        )
    lines.extend(f"  - {line}" for line in order.get("evidence", []))
    return lines


def kendall_tau(order: list[int]) -> float:
    """Kendall's tau of a permutation against the identity (1 = in order, -1 = reversed)."""
    n = len(order)
    if n < 2:
        return 1.0
    concordant = sum(1 for p in range(n) for q in range(p + 1, n) if order[p] < order[q])
    pairs = n * (n - 1) // 2
    return (2 * concordant - pairs) / pairs
