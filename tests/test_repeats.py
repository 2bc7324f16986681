"""Repeated paragraphs of an HTML page: cases as data, with must-stay negatives."""

from __future__ import annotations

import pytest

from cleaner import clean
from cleaner.config import Options

LONG = (
    "The council approved the budget for the new bridge on Tuesday evening after a long debate "
    "about its cost and its route through the old harbour district of the city."
)
OTHER = (
    "Work is due to start next spring and to end in three years, the mayor said at a press "
    "conference after the vote, adding that the old ferry would keep running until then."
)
SHORT = "Photo: city council press office"


def page(*paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body><article><h1>Bridge approved</h1>{body}</article></body></html>"


def test_a_later_copy_of_a_long_paragraph_goes_and_names_the_first() -> None:
    result = clean(page(LONG, OTHER, LONG.upper(), OTHER), name="a.html")
    assert result.text.count("Tuesday evening") == 1
    assert result.text.count("ferry") == 1
    reasons = [r["reason"] for r in result.metadata["removed"]]
    assert sum(r.startswith("repeated: same as paragraph ") for r in reasons) == 2


@pytest.mark.parametrize(
    "paragraphs",
    [
        pytest.param((LONG, SHORT, OTHER, SHORT), id="short line repeated"),
        pytest.param((LONG, OTHER), id="no repeat"),
    ],
)
def test_what_is_not_a_long_repeat_stays(paragraphs: tuple[str, ...]) -> None:
    result = clean(page(*paragraphs), name="a.html")
    assert not any(r["reason"].startswith("repeated") for r in result.metadata["removed"])


def test_no_noise_removal_keeps_the_copies() -> None:
    result = clean(page(LONG, OTHER, LONG), name="a.html", options=Options(remove_noise=False))
    assert result.text.count("Tuesday evening") == 2


def long_paragraph(n: int) -> str:
    return (
        f"Paragraph {n} of the story says that the council met again on day {n} to weigh the "
        f"bridge, its cost and its route, and that {n} members asked for a new vote on it."
    )


STORY = tuple(p for n in range(5) for p in (long_paragraph(n), f"Caption {n}: the bridge"))


def test_a_second_copy_of_the_story_goes_with_its_captions() -> None:
    result = clean(page(*STORY, OTHER, *STORY), name="a.html")
    assert result.text.count("Caption 3: the bridge") == 1
    assert result.text.count("day 4") == 1
    assert "ferry" in result.text


def test_a_short_run_of_copies_keeps_its_short_lines() -> None:
    # Two long paragraphs copied with a line between them: a recipe's shared step, not a
    # copy of the story; the long copies go, the short line stays.
    step = "Stir in the beans and simmer."
    shared = (long_paragraph(1), step, long_paragraph(2))
    result = clean(page(*shared, OTHER, *shared), name="a.html")
    assert result.text.count(step) == 2
    assert result.text.count("day 2") == 1


def test_curly_and_straight_quotes_are_the_same_copy() -> None:
    curly = LONG.replace("the old harbour", "the \u2018old\u2019 harbour")
    straight = LONG.replace("the old harbour", "the 'old' harbour")
    result = clean(page(curly, OTHER, straight), name="a.html")
    assert result.text.count("Tuesday evening") == 1


def test_a_copy_that_differs_by_a_comma_stays() -> None:
    result = clean(page(LONG, OTHER, LONG.replace("cost and", "cost, and")), name="a.html")
    assert result.text.count("Tuesday evening") == 2
