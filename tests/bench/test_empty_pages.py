"""bench.empty_pages and the issue-13 rows of bench.summary, on hand-made pages and results
(no ../shared data needed)."""

from __future__ import annotations

from typing import Any

from bench import summary
from bench.empty_pages import Verdict, cleaner_verdict, part_page, tally

PAGE = (
    b"<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
    b"<article><p>The story.</p></article><footer>Copyright 2026</footer></body></html>"
)


def test_a_part_page_holds_only_that_part() -> None:
    nav = part_page(PAGE, "nav")
    assert nav is not None and "Home" in nav and "story" not in nav and "Copyright" not in nav
    assert part_page(b"<html><body><p>x</p></body></html>", "nav") is None


def test_a_nav_only_page_is_flagged_by_cleaner() -> None:
    page = part_page(PAGE, "nav")
    assert page is not None
    assert cleaner_verdict(page).outcome in {"no text", "flagged"}


def test_tally_counts_each_outcome_per_part_and_split() -> None:
    rows = [
        ("nav tuning", "a.html.gz", Verdict("flagged"), Verdict("article")),
        ("nav tuning", "b.html.gz", Verdict("article", True), Verdict("article")),
        ("nav untuned", "0005.html.gz", Verdict("no text"), Verdict("no text")),
    ]
    result = tally(rows)
    tuning = result["nav tuning"]
    assert tuning["pages"] == 2
    assert tuning["cleaner"] == {"no text": 0, "flagged": 1, "article": 1,
                                 "article with language": 1}  # fmt: skip
    assert tuning["trafilatura"] == {"article": 2}
    assert tuning["cleaner articles"] == ["b.html.gz"]
    assert result["nav untuned"]["cleaner"]["no text"] == 1


def _parts(ours: int, theirs: int) -> dict[str, Any]:
    part = {"cleaner": {"article with language": ours}, "trafilatura": {"article": theirs}}
    return {"parts": {"nav tuning": part, "nav untuned": part}, "environment": {"date": "d"}}


def _row(table: str, label: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(f"| {label} |"))


def test_at_most_rows_say_met_or_how_far_over() -> None:
    label = "<nav>-only pages reported as an article with a language"
    assert _row(summary.render({"empty-pages": _parts(0, 9)}), label).endswith(
        "| 0 docs | trafilatura 9 docs | <= 0 docs | yes |"
    )
    assert _row(summary.render({"empty-pages": _parts(3, 9)}), label).endswith(
        "| 3 docs | trafilatura 9 docs | <= 0 docs | no, 3 docs over |"
    )


def test_the_repeat_rows_read_the_outputs_repeating_where_the_gold_does_not() -> None:
    scores = {s: {"repeats_3x_not_in_gold": n} for s, n in (("cleaner", 2), ("trafilatura", 5))}
    result = {"scores": scores, "splits": {}, "environment": {"date": "d"}}
    row = _row(
        summary.render({"scrapinghub-html": result}),
        "ScrapingHub HTML, outputs repeating a paragraph 3x (gold does not)",
    )
    assert row.endswith("| 2 docs | trafilatura 5 docs | <= 0 docs | no, 2 docs over |")
