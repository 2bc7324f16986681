"""Reader comments on request (--comments, [tool.cleaner] comments, Options(comments=True)):
after the article, counted in the metadata; left out by default."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cleaner import clean
from cleaner.cli import app
from cleaner.config import Options

ARTICLE = [
    "The city council voted on Tuesday to approve the plan for a new bridge over the river, after"
    " a year of public hearings on its cost and its route through the old harbour district.",
    "The plan puts the cost of the bridge at 40 million euros, which the council says it can"
    " borrow at a low rate because the city's debt has fallen for five years in a row.",
    "Work is due to start next spring and to end in three years, the mayor said at a press"
    " conference after the vote, adding that the old ferry would keep running until then.",
]
COMMENT = "About time too, the ferry queues in summer have been unbearable for years now."
PAGE = (
    "<html><head><title>Bridge approved</title></head><body><article><h1>Bridge approved</h1>"
    + "".join(f"<p>{p}</p>" for p in ARTICLE)
    + '</article><div id="comments" class="comments"><ol class="comment-list">'
    + f'<li class="comment"><div class="comment-content"><p>{COMMENT}</p></div></li>'
    + "</ol></div></body></html>"
)


def test_comments_are_left_out_by_default() -> None:
    result = clean(PAGE, name="a.html")
    assert COMMENT not in result.text
    assert result.metadata["comments"] is None


def test_comments_on_request_come_after_the_article_and_are_counted() -> None:
    result = clean(PAGE, name="a.html", options=Options(comments=True))
    assert result.text.index(ARTICLE[-1]) < result.text.index(COMMENT)
    counted = result.metadata["comments"]
    assert counted["count"] == 1
    paragraphs = result.text.rstrip("\n").split("\n\n")
    assert paragraphs[counted["start"] - 1] == COMMENT


def test_the_article_is_the_same_with_or_without_comments() -> None:
    plain = clean(PAGE, name="a.html").text
    with_comments = clean(PAGE, name="a.html", options=Options(comments=True)).text
    assert with_comments.startswith(plain.rstrip("\n"))


def test_comments_from_the_flag_and_from_pyproject(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.html").write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["clean", str(src), "--out", str(tmp_path / "a"), "--comments"])
    assert result.exit_code == 0, result.stderr
    assert COMMENT in (tmp_path / "a" / "page.txt").read_text(encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.cleaner]\ncomments = true\n", encoding="utf-8")
    args = ["clean", str(src), "--out", str(tmp_path / "b"), "--config", str(config)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    meta = json.loads((tmp_path / "b" / "page.json").read_text(encoding="utf-8"))
    assert meta["comments"]["count"] == 1
