"""What the line model sees: features as data, checked on lines whose facts are plain."""

from __future__ import annotations

import pytest

from cleaner.extract import text_blocks
from cleaner.textmode import features as F

PAGE = """Home

News

Share

The council votes on the new bridge

The city council will vote on Tuesday on the plan for a new bridge over the river, after a
year of public hearings on its cost.

Bridge costs

The plan puts the cost of the bridge at 40 million, which the council says it can borrow.

Advertisement

Leading the list is

Barnett Ghostwriting

, a standout company that the council hired to write the report.
"""


def _features() -> tuple[list[str], list[list[str]]]:
    blocks = text_blocks(PAGE)
    texts = [b.text for b in blocks]
    return texts, F.document_features(texts, [b.para for b in blocks])


def _of(line: str) -> list[str]:
    texts, feats = _features()
    return feats[texts.index(line)]


@pytest.mark.parametrize(
    ("line", "present"),
    [
        ("Share", ["n:1", "L:share", "w:share", "pat:share/social label", "i:2"]),
        ("Advertisement", ["L:advertisement", "run:in"]),
        ("Home", ["i:0", "-1none", "-2none", "run:before4"]),
        ("Bridge costs", ["ov:2+", "w:bridge", "w:costs"]),
        ("Barnett Ghostwriting", ["cont-next"]),
        (", a standout company that the council hired to write the report.", ["s:,", "e:."]),
    ],
)
def test_line_features(line: str, present: list[str]) -> None:
    feats = _of(line)
    missing = [f for f in present if f not in feats]
    assert not missing, (missing, feats)


def test_long_prose_lines_carry_no_vocabulary_but_their_first_word() -> None:
    feats = _of(
        "The plan puts the cost of the bridge at 40 million, which the council says it can borrow."
    )
    assert "prose" in feats
    assert [f for f in feats if f.startswith(("w:", "L:"))] == []
    assert "f:the" in feats


def test_features_are_deterministic() -> None:
    assert _features() == _features()


@pytest.mark.parametrize(
    ("previous", "line", "present", "absent"),
    [
        ("Leading the list is", "Barnett Ghostwriting", ["p-stop", "pe:a|ts:A"], ["p-prose"]),
        ("Barnett Ghostwriting", ", a standout company.", ["t-close:,", "ts:,"], []),
        (
            "The plan for the new bridge over the river is set.",
            "The vote is on Tuesday.",
            ["pe:.|ts:A", "p-prose"],
            ["p-stop"],
        ),
    ],
)
def test_join_features(previous: str, line: str, present: list[str], absent: list[str]) -> None:
    feats = F.join_features(F.facts(previous), F.facts(line), "D:single5")
    assert all(f in feats for f in present), feats
    assert not any(f in feats for f in absent), feats


def test_main_run_is_the_densest_prose() -> None:
    prose = "The council will vote on Tuesday on the plan for a new bridge over the river."
    lines = [F.facts(t) for t in ["Home", "News", prose, "Menu"]]
    assert F.main_run(lines) == (2, 3)
