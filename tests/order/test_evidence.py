"""Hard evidence: displaced introductions and wire datelines moved back, the seed's Kerry, and
late slips left alone."""

from __future__ import annotations

import pytest

from cleaner import clean
from cleaner.order.evidence import numbered
from cleaner.order.features import analyse
from tests.order.common import (
    ORDER_DATA,
    joined,
    paragraphs,
    seed_paragraphs,
)


@pytest.mark.parametrize("name", ["en-names-db6b", "en-names-8e3e", "en-names-bc13"])
def test_introduction_moved_below_the_bare_surname_is_moved_back(name: str) -> None:
    text = (ORDER_DATA / f"{name}.txt").read_text(encoding="utf-8")
    paras = paragraphs(text)
    units = analyse(paras, None)
    intro = next(k for k, u in enumerate(units) if u.full_names & units[k + 1].bare_names)
    scrambled = [*paras[:intro], paras[intro + 1], paras[intro], *paras[intro + 2 :]]
    result = clean(joined(scrambled), name="x.txt")
    assert result.text == text
    order = result.metadata["order"]
    assert order["changed"] is True
    assert sorted(order["permutation"]) == list(range(len(paras)))
    assert any("full name" in line for line in order["evidence"])


def test_seed_kerry_is_introduced_before_he_speaks() -> None:
    paras = seed_paragraphs()
    intro = next(k for k, p in enumerate(paras) if p.startswith("Secretary of State John Kerry"))
    speaking = [k for k, p in enumerate(paras) if "Kerry said" in p or "Kerry insisted" in p]
    assert len(speaking) == 3
    assert all(intro < k for k in speaking)


def test_seed_de_mistura_paragraph_is_not_first() -> None:
    assert "de Mistura said" not in seed_paragraphs()[0]


def test_wire_dateline_lede_is_moved_back_first() -> None:
    text = (ORDER_DATA / "en-names-db6b.txt").read_text(encoding="utf-8")
    paras = paragraphs(text)
    assert paras[0].startswith("HANOI, Vietnam (AP) —")
    result = clean(joined([*paras[1:4], paras[0], *paras[4:]]), name="x.txt")
    assert result.text == text
    assert any("wire dateline" in line for line in result.metadata["order"]["evidence"])


def _late_quote_article(bare_at: int) -> list[str]:
    paras = [f"Paragraph {k} of the council story reports budget item {k}." for k in range(8)]
    paras[bare_at] = '"We will see," Novak said in a call with reporters.'
    paras[bare_at + 2] = "The plan, said city treasurer Anna Novak, covers the next two years."
    return paras


def test_late_bare_surname_introduced_just_after_is_left_alone() -> None:
    # An updated story inserts a late quote before the paragraph that introduces its speaker.
    text = joined(_late_quote_article(bare_at=5))
    result = clean(text, name="x.txt")
    assert result.text == text
    assert result.metadata["order"]["changed"] is False


def test_early_bare_surname_is_still_repaired() -> None:
    result = clean(joined(_late_quote_article(bare_at=1)), name="x.txt")
    order = result.metadata["order"]
    assert order["changed"] is True
    paras = paragraphs(result.text)
    assert paras.index(next(p for p in paras if "Anna Novak" in p)) < paras.index(
        next(p for p in paras if "Novak said" in p)
    )


LIST = [
    "Five ways the council plans to spend the new parks budget over the next five years.",
    "1. New playgrounds in every district, starting with the oldest ones downtown.",
    "2. Repairs to the public gardens damaged by the floods last winter.",
    "3) Longer opening hours for the swimming pools during the summer months.",
    "4. A tree for every street that has none, planted by volunteers in the spring.",
    "The council will vote on the plan again next year, officials said on Tuesday.",
]


def _numbered(paras: list[str]) -> list[tuple[int, int]]:
    return sorted((min(a), min(b)) for a, b in numbered(analyse(paras, None)))


def test_numbered_list_out_of_sequence_is_put_back() -> None:
    scrambled = [LIST[0], LIST[3], LIST[1], LIST[2], *LIST[4:]]
    result = clean(joined(scrambled), name="x.txt")
    assert result.text == joined(LIST)
    order = result.metadata["order"]
    assert order["changed"] is True
    assert "unit 1 is numbered 3, out of its list's sequence" in order["evidence"]


def test_numbered_list_in_sequence_is_untouched() -> None:
    result = clean(joined(LIST), name="x.txt")
    assert result.text == joined(LIST)
    assert result.metadata["order"]["changed"] is False
    assert not any("numbered" in line for line in result.metadata["order"]["evidence"])


@pytest.mark.parametrize(
    ("numbers", "pairs"),
    [
        (["1", "2", "3"], [(0, 1), (0, 2), (1, 2)]),
        (["3", "2", "1"], []),  # a countdown, as given: no evidence
        (["3", "1", "2", "4"], [(0, 3), (1, 0), (1, 2), (1, 3), (2, 0), (2, 3)]),  # 4 of 6 up
        (["1", "3", "2"], [(0, 1), (0, 2), (2, 1)]),
        (["2", "1"], []),  # two: a countdown too
        (["2", "4", "1", "3"], [(0, 1), (0, 3), (2, 0), (2, 1), (2, 3), (3, 1)]),  # counts up
        (["1", "2", "4"], []),  # a gap: not one list
        (["1", "1", "2"], []),  # a number twice
        (["1"], []),  # one number is no list
        ([str(k) for k in range(1, 11)], []),  # longer than NUMBERED_MAX
    ],
    ids=["up", "countdown", "one-moved", "swapped", "two", "mixed", "gap", "twice", "one", "ten"],
)
def test_what_counts_as_a_numbered_list(numbers: list[str], pairs: list[tuple[int, int]]) -> None:
    paras = [f"{n}. Item {n} of the list, with a few words to read." for n in numbers]
    assert _numbered(paras) == sorted(pairs)


def test_an_in_order_countdown_is_untouched() -> None:
    countdown = [LIST[0], LIST[4], LIST[3].replace("3)", "3."), LIST[2], LIST[1], LIST[5]]
    result = clean(joined(countdown), name="x.txt")
    assert result.text == joined(countdown)
