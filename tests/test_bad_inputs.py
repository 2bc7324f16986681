"""The bad-input list of issue 5, as one batch: each bad file gets a one-line error naming it
(or is read correctly, for the encoding cases), the batch goes on, inputs are unchanged and no
temp file is left. Cases already covered elsewhere: collisions and OUT inside SRC
(test_batch.py), full and read-only OUT (test_batch_runs.py), the property test of clean()
(test_pipeline.py), killed runs (test_crash.py)."""

from __future__ import annotations

import gzip
import os
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.batch import RunOptions, run
from cleaner.cli import app
from cleaner.config import Options
from cleaner.write import TEMP_PREFIX
from tests.test_batch import GOOD_TEXT, _snapshot

# A cap small enough that the "huge page" case is quick: the same check guards the default
# 64 MB cap against a 50 MB+ page.
MAX_BYTES = 2 * 1024 * 1024
PROSE = "Le café était très bon à Paris, dit-il, et la crème brûlée aussi ce soir-là."


def _zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", GOOD_TEXT)
    return buffer.getvalue()


def _html(body: str, charset: str) -> str:
    return f'<html><head><meta charset="{charset}"></head><body><article><p>{body}</p>' + (
        "</article></body></html>"
    )


# name -> (bytes, expected: "error: <substring>" or "text: <substring of the .txt>")
CASES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "error: empty file"),
    "image.html": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "error: binary file (PNG image)"),
    "archive.txt": (_zip(), "error: binary file (ZIP archive)"),
    "doc.html": (b"%PDF-1.7\n" + bytes(range(256)) * 4, "error: binary file (PDF document)"),
    "nul.txt": (b"\x00" * 400 + GOOD_TEXT.encode(), "error: binary file (NUL bytes)"),
    "bad-utf8.txt": (GOOD_TEXT.encode() + b"caf\xe9 \xff\xfe end.\n", "text: A first paragraph"),
    "utf16.txt": (
        ("\ufeff" + GOOD_TEXT.replace("A first", "Schöne")).encode("utf-16-le"),
        "text: Schöne paragraph",
    ),
    "latin1-says-utf8.html": (_html(PROSE, "utf-8").encode("latin-1"), "text: " + PROSE),
    "utf8-says-latin1.html": (_html(PROSE, "iso-8859-1").encode(), "text: " + PROSE),
    "truncated.txt.gz": (gzip.compress(GOOD_TEXT.encode())[:30], "error: truncated gzip"),
    "corrupt.txt.gz": (b"\x1f\x8b\x08\x00" + b"\xff" * 60, "error: corrupt gzip"),
    "bomb.txt.gz": (gzip.compress(b" " * (MAX_BYTES * 8)), "error: decompressed size exceeds"),
    "huge.html": (
        b"<html><body>" + b"<p>word word word word.</p>" * (MAX_BYTES // 20) + b"</body></html>",
        "error: file size exceeds",
    ),
    "deep.html": (
        b"<html><body>" + b"<div>" * 100_000 + b"<p>" + PROSE.encode() + b"</p>"
        + b"</div>" * 100_000 + b"</body></html>",
        "any",  # cleaned or "too deeply nested": either way one file, never the batch
    ),
    "name with spaces.txt": (GOOD_TEXT.encode(), "text: A first paragraph"),
    "ünïcödé 新闻.txt": (GOOD_TEXT.encode(), "text: A first paragraph"),
    "new\nline.txt": (GOOD_TEXT.encode(), "text: A first paragraph"),
}


# Cases whose cost depends on the size cap, which the command line cannot lower.
CAPPED = ("huge.html", "bomb.txt.gz", "deep.html")


def _build(src: Path, *, skip: tuple[str, ...] = ()) -> None:
    src.mkdir()
    for name, (data, _expected) in CASES.items():
        if name not in skip:
            (src / name).write_bytes(data)
    (src / "good.txt").write_text(GOOD_TEXT)
    os.symlink("loop.txt", src / "loop.txt")  # a symlink loop
    os.symlink(Path(__file__).resolve(), src / "outside.txt")  # points out of SRC


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("bad")
    src, out = root / "src", root / "out"
    _build(src)
    before = _snapshot(src)
    report = run([src], out, options=Options(max_bytes=MAX_BYTES), run_options=RunOptions(jobs=2))
    assert _snapshot(src) == before  # inputs unchanged
    skipped = dict(report.skipped)
    assert skipped == {
        "loop.txt": "symbolic link (not followed)",
        "outside.txt": "symbolic link (not followed)",
    }
    return out, dict(report.failed)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(outcome: tuple[Path, dict[str, str]], name: str) -> None:
    out, failed = outcome
    expected = CASES[name][1]
    stem = name.split(".")[0]
    if expected.startswith("error: "):
        assert expected.removeprefix("error: ") in failed[name]
        assert "\n" not in failed[name]
        assert not (out / f"{stem}.txt").exists()
    elif expected.startswith("text: "):
        assert name not in failed
        text = (out / f"{stem}.txt").read_text(encoding="utf-8")
        assert expected.removeprefix("text: ") in text
    else:
        assert name in failed or (out / f"{stem}.txt").is_file()
    assert (out / "good.txt").is_file()  # the batch went on
    assert not list(out.rglob(TEMP_PREFIX + "*"))


def test_errors_are_one_line_naming_the_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _build(src, skip=CAPPED)
    result = CliRunner().invoke(
        app, ["clean", str(src), "--out", str(tmp_path / "out"), "-j", "2", "--no-batch-profile"]
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("cleaner: error: ")]
    assert "cleaner: error: empty.txt: empty file" in errors
    truncated = "cleaner: error: truncated.txt.gz: truncated gzip"
    assert any(line.startswith(truncated) for line in errors)
    assert (tmp_path / "out" / "new\nline.txt").is_file()


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 000 does not stop root from reading the file",
)
def test_unreadable_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(GOOD_TEXT)
    secret = src / "secret.txt"
    secret.write_text(GOOD_TEXT)
    secret.chmod(0)
    try:
        report = run([src], tmp_path / "out", options=Options())
    finally:
        secret.chmod(0o644)
    assert dict(report.failed)["secret.txt"].startswith("cannot read: Permission denied")
    assert report.cleaned == 1
