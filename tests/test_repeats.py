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
