"""Evidence that an article's paragraph order is wrong, as a reader would see it.

*Hard* evidence decides alone. A wire dateline ("HANOI, Vietnam (AP) —") opens a story and
nothing else: a unit that starts with one and is not first is moved first
(:func:`wire_dateline`). A person's bare surname ("Kerry said") used before any paragraph
gives the full name ("Secretary of State John Kerry") is something a reader sees at once, and
in-order news almost never does it (:func:`hard_evidence`); the repair is
:func:`cleaner.order.search.resolve`'s, and if no small move puts every introduction first
the article is left alone. Nothing else is moved. A bare surname in the second half of the
article introduced just after (:func:`late_slip`) does not count. Paragraphs numbered "1."
to "m." (or "1)"), each number once, count up (:func:`numbered`; a countdown exactly as given
is left alone): a list out of sequence is repaired the same way.

*Softer* cues (an acronym before its definition, a first unit opening with a pronoun or a
connective) are shown as evidence but decide nothing: in-order articles show them too
(:func:`soft_evidence`).
"""

from __future__ import annotations

import re

from cleaner.order.features import (
    CONNECTIVE_OPENERS,
    PRONOUN_OPENERS,
    WIRE_DATELINE,
    Unit,
    opener,
)

LATE_SLIP_GAP = 2  # see late_slip()
NUMBERED = re.compile(r"(\d{1,2})[.)]\s+\S")  # "1. Text" or "2) Text" opening a paragraph
# A numbered list longer than this is left alone: on the training split every list of 2-9
# numbered paragraphs was in sequence (python -m bench.order.cues: 941 of 941 pairs; also 246
# and 239 of the held-out and untuned splits), and the two longer lists out of it were
# countdowns of more than 25 paragraphs.
NUMBERED_MAX = 9

# Pairs (A, B): the first of A | B in reading order must be in A. One per surname (the units
# that introduce it, those that use it bare), or one per two numbered paragraphs ({a}, {b}).
Constraints = list[tuple[frozenset[int], frozenset[int]]]

# (surname, (units that give it in full, units that use it bare))
Mentions = list[tuple[str, tuple[frozenset[int], frozenset[int]]]]


def surname_mentions(units: list[Unit]) -> Mentions:
    """Per surname that some unit gives in full and some unit uses bare, in name order: the
    surname, the units that introduce it and the units that use it bare."""
    found = []
    for surname in sorted({n for u in units for n in u.full_names}):
        bare = frozenset(k for k, u in enumerate(units) if surname in u.bare_names)
        if bare:
            full = frozenset(k for k, u in enumerate(units) if surname in u.full_names)
            found.append((surname, (full, bare)))
    return found


def _list_numbers(units: list[Unit]) -> list[tuple[int, int]]:
    """(number, unit) of the paragraphs that open with a list number, by number."""
    found = ((NUMBERED.match(u.text), k) for k, u in enumerate(units))
    return sorted((int(m.group(1)), k) for m, k in found if m)


def numbered(units: list[Unit]) -> Constraints:
    """(earlier, later) for every two paragraphs opening with the numbers of one list: the
    numbers found are exactly 1..m, each once, with 2 <= m <= :data:`NUMBERED_MAX`. A list
    counts up; one that counts down exactly as given is a countdown, and says nothing. (An
    earlier rule followed whichever way most pairs ran: in shuffled articles it put short
    lists in reverse as often as not, and no list of 9 or fewer counts down in the gold.)"""
    found = _list_numbers(units)
    if not 2 <= len(found) <= NUMBERED_MAX:
        return []
    if [n for n, _ in found] != list(range(1, len(found) + 1)):
        return []
    places = [k for _, k in found]  # by number
    if places == sorted(places, reverse=True):
        return []  # a countdown as given ("5." to "1.")
    return [
        (frozenset({a}), frozenset({b})) for i, a in enumerate(places) for b in places[i + 1 :]
    ]


def numbering_evidence(units: list[Unit]) -> list[str]:
    """A line for the first paragraph, in the given order, that comes too early for its
    list's sequence."""
    early = sorted(min(b) for a, b in numbered(units) if min(b) < min(a))
    if not early:
        return []
    number = {k: n for n, k in _list_numbers(units)}[early[0]]
    return [f"unit {early[0]} is numbered {number}, out of its list's sequence"]


def hard_evidence(units: list[Unit]) -> list[str]:
    """Reasons a reader would see at once that the given order is wrong: a person's bare
    surname ("Kerry said") used before any paragraph gives the full name (except a
    :func:`late_slip`), a numbered list out of sequence. This drives the gate; see
    :func:`soft_evidence` for weaker cues."""
    found: list[str] = []
    for surname, (full, bare) in surname_mentions(units):
        first = min(full | bare)
        if first in bare and not late_slip(full, bare, len(units)):
            found.append(
                f"'{surname.title()}' is used bare in unit {first} before unit {min(full)} "
                "gives the full name"
            )
    return found + numbering_evidence(units)


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


def wire_dateline(units: list[Unit]) -> int:
    """The one unit, if not the first, that opens with a wire dateline ("HANOI (AP) —"); 0
    when there is none, several, or it is already first. A dateline only opens an article."""
    found = [k for k, unit in enumerate(units) if WIRE_DATELINE.match(unit.text)]
    return found[0] if len(found) == 1 else 0

