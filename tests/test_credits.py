"""Credit and copyright sentences at the end of an HTML paragraph: split off and dropped, the
article sentence kept. Cases as data, with must-stay-unchanged negatives."""

from __future__ import annotations

import pytest

from cleaner import clean
from cleaner.config import Options

LEAD = (
    "The council approved the budget for the new bridge on Tuesday evening after a long debate "
    "about its cost and its route through the old harbour district of the city."
)
SAID = "The next meeting is scheduled for March 3 at City Hall, officials said."


def page(last: str) -> str:
    return f"<html><body><article><h1>Bridge</h1><p>{LEAD}</p><p>{last}</p></article></body></html>"


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        pytest.param(
            "Copyright 2007 by Bay City News, Inc. Republication, Rebroadcast or any other Reuse "
            "without the express written consent of Bay City News, Inc. is prohibited.",
            "copyright/footer", id="copyright notice and its terms",
        ),
        pytest.param("© 2019 The Associated Press. All rights reserved.", "copyright/footer",
                     id="mark and year"),
        pytest.param("All Rights Reserved.", "copyright/footer", id="rights line"),
        pytest.param("Jane Roe contributed to this report.", "reporting credit",
                     id="reporting credit"),
    ],
)  # fmt: skip
def test_a_credit_at_the_end_of_a_paragraph_goes_alone(tail: str, reason: str) -> None:
    result = clean(page(f"{SAID} {tail}"), name="a.html")
    assert result.text.endswith(f"{SAID}\n")
    removed = {r["text"]: r["reason"] for r in result.metadata["removed"]}
    assert removed[tail] == f"{reason} (end of the paragraph)"


@pytest.mark.parametrize(
    "last",
    [
        pytest.param(f"{SAID} Copyright law protects the plans of the architects.",
                     id="about copyright"),
        pytest.param(f"{SAID} Help!", id="a short label as a sentence"),
        pytest.param(f"{SAID} Copyright (all rights reserved) differs from the public domain, "
                     "the lawyers of the council told its members.",
                     id="a sentence naming a rights phrase"),
        pytest.param(f"{SAID} All rights reserved, the mayor said, and " + "more words " * 15
                     + "were spoken.", id="tail too long for a credit"),
        pytest.param(SAID, id="no credit"),
        pytest.param("", id="empty paragraph"),
    ],
)  # fmt: skip
def test_what_is_not_a_tail_credit_stays(last: str) -> None:
    result = clean(page(last), name="a.html")
    assert result.text.endswith(f"{last}\n")


def test_no_noise_removal_keeps_the_credit() -> None:
    last = f"{SAID} All Rights Reserved."
    result = clean(page(last), name="a.html", options=Options(remove_noise=False))
    assert result.text.endswith(f"{last}\n")
