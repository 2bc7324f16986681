from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from tests.conftest import ARTICLE
from tests.test_batch import GOOD_TEXT, _snapshot, _tree

runner = CliRunner()


def invoke(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_clean_folder_exit_0_and_summary(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    code, _out, err = invoke("clean", str(tmp_path / "src"), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "3 cleaned, 1 skipped, 0 failed" in err
    assert (tmp_path / "out" / "a" / "b" / "page.txt").is_file()
    assert (tmp_path / "out" / "a" / "story.json").is_file()


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    code, out, err = invoke("clean", str(tmp_path / "src"), "-o", str(tmp_path / "o"), "-q")
    assert (code, out, err) == (0, "", "")


def test_good_and_bad_files_exit_1_and_name_each_bad_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    (src / "empty.txt").write_bytes(b"")
    (src / "bad\nname.txt").write_bytes(b"\x00" * 50)
    code, _out, err = invoke("clean", str(src), "--out", str(tmp_path / "out"))
    assert code == 1
    lines = err.splitlines()
    # error lines name the file as typed (under SRC); the report keeps the relative source
    assert f"cleaner: error: {src}/empty.txt: empty file" in lines
    assert any(line.startswith(f"cleaner: error: {src}/bad\\nname.txt: binary") for line in lines)
    assert "3 cleaned, 1 skipped, 2 failed" in lines[-1]
    report = json.loads((tmp_path / "out" / "cleaner-report.json").read_text())
    assert [f["source"] for f in report["failed"]] == ["bad\nname.txt", "empty.txt"]
    assert (tmp_path / "out" / "top.txt").is_file()


def test_collision_reported(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "x.txt").write_text(GOOD_TEXT)
    (src / "x.html").write_text(GOOD_TEXT)
    code, _out, err = invoke("clean", str(src), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.count("collides") == 2
    assert not (tmp_path / "out" / "x.txt").exists()


def test_two_runs_byte_identical(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    invoke("clean", str(tmp_path / "src"), "-o", str(tmp_path / "o1"), "-j", "1")
    invoke("clean", str(tmp_path / "src"), "-o", str(tmp_path / "o2"), "-j", "2")
    assert _snapshot(tmp_path / "o1") == _snapshot(tmp_path / "o2")


def test_stdin_to_stdout() -> None:
    code, out, _err = invoke("clean", "-", stdin=ARTICLE)
    assert code == 0
    assert out.startswith("The city council")
    assert "Advertisement" not in out


def test_stdin_bad_input_exit_1() -> None:
    code, out, err = invoke("clean", "-", stdin=b"")
    assert code == 1 and out == ""
    assert "cleaner: error: <stdin>: empty file" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke("clean", str(tmp_path))[0] == 2  # no --out
    assert invoke("clean", "-", "--out", str(tmp_path))[0] == 2
    assert invoke("clean", str(tmp_path), "-o", str(tmp_path / "o"), "--favor", "fast")[0] == 2
    assert invoke("clean", "--jobs", "0", str(tmp_path), "-o", str(tmp_path / "o"))[0] == 2
    assert invoke("nonsense")[0] == 2


def test_unwritable_out_exit_2(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _out, err = invoke("clean", str(tmp_path / "src"), "--out", str(blocker / "out"))
    assert code == 2
    assert "cannot create output folder" in err


def test_missing_input_is_a_failure(tmp_path: Path) -> None:
    code, _out, err = invoke("clean", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert code == 1
    assert "no such file or folder" in err


def test_noise_phrases_option(tmp_path: Path) -> None:
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("Library hours to be extended in spring\n")
    code, out, _err = invoke("explain", "-", "--noise-phrases", str(phrases), stdin=ARTICLE)
    assert code == 0
    assert "DROP  user phrase" in out


def test_explain_shows_each_block_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE)
    code, out, _err = invoke("explain", str(path))
    assert code == 0
    assert "DROP  share/social label" in out
    assert "DROP  headline (moved to title)" in out
    assert out.count("KEEP") == 3
    meta = json.loads(out[out.index("\n{") + 1 :])
    assert meta["title"] == "Council approves new budget for city parks"


def test_version_and_module_entry_point() -> None:
    code, out, _err = invoke("--version")
    assert code == 0 and out.startswith("cleaner ")
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and proc.stdout.startswith("cleaner ")


def test_files_given_directly_map_by_name(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    code, _out, err = invoke(
        "clean",
        str(tmp_path / "src" / "a" / "b" / "page.html"),
        str(tmp_path / "src" / "top.text"),
        "--out",
        str(tmp_path / "out"),
        "--verbose",
    )
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".cleaner-lock", ".cleaner-manifest.json", "cleaner-report.json", "page.json",
        "page.txt", "top.json", "top.txt",
    ]
    # -v names each file as typed
    src = tmp_path / "src"
    assert f"cleaned {src}/a/b/page.html" in err and f"cleaned {src}/top.text" in err


def test_batch_profile_flags(tmp_path: Path) -> None:
    from tests.test_batch import _site

    _site(tmp_path / "src", 6)
    saved = tmp_path / "profile.json"
    code, _o, err = invoke(
        "clean", str(tmp_path / "src"), "-o", str(tmp_path / "on"), "--save-profile", str(saved)
    )
    assert code == 0, err
    assert "Weather Center And Forecast" not in (tmp_path / "on" / "story1.txt").read_text()
    code, _o, _e = invoke(
        "clean", str(tmp_path / "src"), "-o", str(tmp_path / "off"), "--no-batch-profile"
    )
    assert "Weather Center And Forecast" in (tmp_path / "off" / "story1.txt").read_text()
    code, out, _e = invoke("explain", str(tmp_path / "src" / "story1.txt"), "--profile", str(saved))
    assert code == 0 and "DROP  recurring boilerplate" in out
    (tmp_path / "bad.json").write_text("{}")
    code, _o, err = invoke("explain", "-", "--profile", str(tmp_path / "bad.json"), stdin=ARTICLE)
    assert code == 2 and "not a cleaner profile" in err


def test_help_documents_exit_codes_and_new_flags() -> None:
    code, out, _err = invoke("clean", "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "Exit codes: 0" in flat and "1 some files failed" in flat
    for flag in ("--force", "--prune", "--dry-run", "--fail-fast", "--timeout", "--format",
                 "--no-reorder", "--drop-offtopic"):
        assert flag in out
    assert "--no-reorder" in invoke("explain", "--help")[1]


def test_order_flags_reach_explain() -> None:
    code, out, _err = invoke("explain", "-", "--no-reorder", "--drop-offtopic", stdin=ARTICLE)
    assert code == 0 and "KEEP" in out


def test_rerun_reports_up_to_date_and_dry_run_lists_reasons(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    args = ("clean", str(tmp_path / "src"), "-o", str(tmp_path / "out"))
    assert invoke(*args)[0] == 0
    code, _out, err = invoke(*args)
    assert code == 0 and "0 cleaned, 1 skipped, 0 failed, 3 up to date" in err
    code, out, err = invoke(*args, "--dry-run", "--force")
    assert code == 0
    assert "would clean a/b/page.html (forced)" in out.splitlines()
    assert "3 to clean" in err
    code, out, _err = invoke(*args, "--no-noise", "--dry-run")
    assert out.count("(options changed)") == 3


def test_jsonl_to_stdout(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    code, out, err = invoke("clean", str(tmp_path / "src"), "--format", "jsonl", "--out", "-")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["source"] for r in rows] == ["a/b/page.html", "a/story.txt.gz", "top.text"]
    assert rows[2]["text"] == GOOD_TEXT
    assert invoke("clean", str(tmp_path / "src"), "--out", "-")[0] == 2  # '-' needs jsonl
    assert invoke("clean", str(tmp_path / "src"), "-o", "x", "--format", "xml")[0] == 2


def test_full_disk_exit_2_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import cleaner.write as write_module

    def full(path: Path, data: bytes, folder: int, *, durable: bool) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    _tree(tmp_path / "src")
    monkeypatch.setattr(write_module, "_stage", full)
    code, _out, err = invoke("clean", str(tmp_path / "src"), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err.count("\n") == 1 and "No space left on device" in err
    assert not list((tmp_path / "out").rglob("*.txt"))


def test_timeout_option_and_fail_fast(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    (src / "a" / "aaa.txt").write_bytes(b"")
    code, _out, err = invoke(
        "clean", str(src), "-o", str(tmp_path / "out"), "--fail-fast", "--timeout", "5"
    )
    assert code == 1 and "stopped at the first failure" in err


def test_progress_bar_only_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from cleaner.progress import Feedback

    assert Feedback.wanted(quiet=False) is False  # pytest's stderr is not a terminal
    with Feedback(enabled=True) as feedback:
        feedback.start(2)
        feedback.advance()
        feedback.print("cleaner: error: x.txt: empty file")
        feedback.advance()
    assert "cleaner: error: x.txt: empty file" in capsys.readouterr().err
    with Feedback(enabled=False) as feedback:
        feedback.start(2)
        feedback.advance()
    assert capsys.readouterr().err == ""


def test_dask_without_the_extra_says_how_to_install_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cleaner.batch.dask

    monkeypatch.setattr(cleaner.batch.dask, "available", lambda: False)
    _tree(tmp_path / "src")
    code, out, err = invoke(
        "clean", str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--dask", "tcp://h:8786"
    )
    assert code == 2 and out == ""
    assert "pip install 'cleaner-news[dask]'" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()  # checked before any work


def test_quiet_prints_only_the_error_lines(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(GOOD_TEXT)
    (src / "empty.txt").write_bytes(b"")
    code, _out, err = invoke("clean", str(src), "-o", str(tmp_path / "o"), "-q")
    assert code == 1
    assert err.splitlines() == [f"cleaner: error: {src}/empty.txt: empty file"]


def test_quiet_and_verbose_together_are_a_usage_error(tmp_path: Path) -> None:
    _tree(tmp_path / "src")
    code, _out, err = invoke("clean", str(tmp_path / "src"), "-o", str(tmp_path / "o"), "-q", "-v")
    assert code == 2 and "--quiet and --verbose" in err
    assert not (tmp_path / "o").exists()


def test_short_help_and_version_flags() -> None:
    code, out, _err = invoke("-h")
    assert code == 0 and "Usage: " in out and "-h, --help" in out
    code, out, _err = invoke("-V")
    assert code == 0 and out.startswith("cleaner ")
    code, out, _err = invoke("clean", "-h")
    assert code == 0 and "<bool>" not in out and "[files|jsonl]" in out


def test_prune_dry_run_lists_what_it_would_delete(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "keep.txt").write_text(GOOD_TEXT)
    (src / "gone.txt").write_text(GOOD_TEXT)
    out = tmp_path / "o"
    assert invoke("clean", str(src), "-o", str(out))[0] == 0
    (src / "gone.txt").unlink()
    code, stdout, err = invoke("clean", str(src), "-o", str(out), "--prune", "--dry-run")
    assert code == 0, err
    assert "would delete gone.txt (its input is gone: --prune)" in stdout
    assert "would delete gone.json (its input is gone: --prune)" in stdout
    assert "1 to prune" in err
    assert (out / "gone.txt").exists()  # a dry run deletes nothing


def test_jsonl_has_no_collisions_of_output_names(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "x.txt").write_text(GOOD_TEXT)
    (src / "x.html").write_text(GOOD_TEXT)
    code, out, err = invoke("clean", str(src), "--format", "jsonl", "--out", "-")
    assert code == 0, err
    assert [json.loads(line)["source"] for line in out.splitlines()] == ["x.html", "x.txt"]


@pytest.mark.parametrize("dest", [[], ["--out", "-"]])
def test_stdin_with_jsonl_prints_one_json_object(dest: list[str]) -> None:
    code, out, err = invoke("clean", "-", "--format", "jsonl", *dest, stdin=GOOD_TEXT)
    assert code == 0, err
    record = json.loads(out)
    assert record["source"] == "<stdin>" and record["text"] and record["metadata"]["sha256"]


def test_explain_help_gives_its_own_exit_codes() -> None:
    code, out, _err = invoke("explain", "-h")
    assert code == 0 and "0 explained" in out and "130" not in out
