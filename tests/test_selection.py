"""Which files are inputs: known names, names that say nothing (then the content decides),
.bz2 and .xz beside .gz, and --include / --exclude. Cases as data, with negatives."""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import clean
from cleaner.batch import Selection, plan
from cleaner.batch.inputs import output_stem
from cleaner.batch.selection import NOT_HTML, UNSUPPORTED
from cleaner.cli import app
from tests.conftest import ARTICLE

PAGE = (
    "<!doctype html><html><head><title>Bridge</title></head><body><article>"
    + "".join(f"<p>{ARTICLE.splitlines()[0]} {i}</p>" for i in range(5))
    + "</article></body></html>"
)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        pytest.param("story", PAGE, None, id="wget without -E"),
        pytest.param("page.php", PAGE, None, id="server-side extension"),
        pytest.param("article.shtml", PAGE, None, id="shtml"),
        pytest.param("a.aspx", PAGE, None, id="aspx"),
        pytest.param("index.html?p=2", PAGE, None, id="query string"),
        pytest.param("notes", "just some words, no markup at all", NOT_HTML, id="no markup"),
        pytest.param("feed.php", "{\"items\": []}", NOT_HTML, id="json from php"),
        pytest.param("photo.jpg", PAGE, UNSUPPORTED, id="known other type: not read"),
        pytest.param("style.css", "body {}", UNSUPPORTED, id="css"),
    ],
)  # fmt: skip
def test_a_name_that_says_nothing_is_decided_by_content(
    tmp_path: Path, name: str, content: str, reason: str | None
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = plan([tmp_path], tmp_path / "out")
    if reason is None:
        assert [job.source for job in result.jobs] == [name]
    else:
        assert result.skipped == [(name, reason)]


def test_a_query_string_keeps_its_own_output(tmp_path: Path) -> None:
    for name in ("index.html", "index.html?p=2"):
        (tmp_path / name).write_text(PAGE, encoding="utf-8")
    result = plan([tmp_path], tmp_path / "out")
    assert not result.errors
    assert sorted(output_stem(job.source) for job in result.jobs) == ["index", "index?p=2"]


@pytest.mark.parametrize("pack", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_inputs_read_as_the_plain_file(pack: object) -> None:
    assert callable(pack)
    plain = clean(PAGE.encode(), name="a.html")
    packed = clean(pack(PAGE.encode()), name="a.html.x")
    assert packed.text == plain.text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(bz2.compress(PAGE.encode())[:-10], "truncated bzip2 data", id="bz2 cut"),
        pytest.param(lzma.compress(PAGE.encode())[:-10], "xz data", id="xz cut"),
        pytest.param(bz2.compress(PAGE.encode())[:10] + b"\x00" * 40, "corrupt bzip2 data",
                     id="bz2 garbage"),
    ],
)
def test_broken_compressed_inputs_fail_with_a_reason(data: bytes, error: str) -> None:
    from cleaner.errors import InputError

    with pytest.raises(InputError, match=error):
        clean(data, name="a.html.bz2")


def test_a_compression_bomb_stops_at_the_cap() -> None:
    from cleaner.config import Options
    from cleaner.errors import InputError

    bomb = bz2.compress(b"<p>" + b"a" * 5_000_000)
    with pytest.raises(InputError, match="exceeds the limit"):
        clean(bomb, name="a.html.bz2", options=Options(max_bytes=1_000_000))


def test_include_and_exclude(tmp_path: Path) -> None:
    for rel in ("news/a.html", "news/b.txt", "ads/c.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(PAGE, encoding="utf-8")
    only = Selection(include=("*.html",), exclude=("ads/*",))
    result = plan([tmp_path], tmp_path / "out", only=only)
    assert [job.source for job in result.jobs] == ["news/a.html"]
    assert sorted(result.skipped) == [
        ("ads/c.html", "excluded by --exclude ads/*"),
        ("news/b.txt", "not matched by --include"),
    ]


def test_verbose_lists_the_skips(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.html").write_text(PAGE, encoding="utf-8")
    (src / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (src / "b.html").write_text(PAGE, encoding="utf-8")
    args = ["clean", str(src), "--out", str(tmp_path / "out"), "-v", "--exclude", "b.*"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert f"skipped {src}/logo.png ({UNSUPPORTED})" in result.stderr
    assert f"skipped {src}/b.html (excluded by --exclude b.*)" in result.stderr


def test_a_text_that_starts_like_bzip2_is_read_as_text() -> None:
    text = "BZh9 is how a bzip2 file opens.\n\n" + ARTICLE
    assert "city council" in clean(text.encode(), name="a.txt").text  # read, not refused


def test_a_utf16_page_without_extension_is_taken_for_html(tmp_path: Path) -> None:
    (tmp_path / "story").write_bytes(b"\xff\xfe" + PAGE.encode("utf-16-le"))
    assert [job.source for job in plan([tmp_path], tmp_path / "out").jobs] == ["story"]


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("release-1.1", "release-1.1"),
        ("u.s.-troops-leave", "u.s.-troops-leave"),
        ("search?q=a/story.html", "search?q=a/story"),
        ("a.Txt.GZ", "a"),
        ("page.php?id=3", "page?id=3"),
    ],
)
def test_only_an_extension_that_tells_the_kind_leaves_the_output_name(name: str, stem: str) -> None:
    assert output_stem(name) == stem


@pytest.mark.parametrize(("name", "folder"), [("crawl.warc.gz", "crawl"), ("plain.WARC", "plain")])
def test_a_warc_archive_is_an_input_whose_pages_go_in_a_folder(
    tmp_path: Path, name: str, folder: str
) -> None:
    (tmp_path / name).write_bytes(gzip.compress(b"WARC/1.1\r\n\r\n"))
    result = plan([tmp_path], tmp_path / "out")
    assert [(job.source, job.stem) for job in result.jobs] == [(name, tmp_path / "out" / folder)]
    assert result.skipped == []


def test_an_archive_and_a_file_of_the_same_name_live_side_by_side(tmp_path: Path) -> None:
    (tmp_path / "x.warc.gz").write_bytes(b"")
    (tmp_path / "x.html").write_bytes(b"<p>x</p>")
    (tmp_path / "y.warc").write_bytes(b"")
    (tmp_path / "y.warc.gz").write_bytes(b"")  # both would fill the folder y/
    result = plan([tmp_path], tmp_path / "out")
    assert [job.source for job in result.jobs] == ["x.html", "x.warc.gz"]
    assert sorted(source for source, _reason in result.errors) == ["y.warc", "y.warc.gz"]
