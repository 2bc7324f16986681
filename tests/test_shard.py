"""``--shard I/N``: a stable partition by path hash; N shards into one OUT equal one run."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.batch import MANIFEST_NAME, REPORT_NAME, RunOptions, Shard, plan, run
from cleaner.batch.inputs import RUN_FILE_SKIP
from cleaner.batch.lock import LOCK_NAME
from cleaner.config import Options
from tests.test_batch import _site, _snapshot, _tree
from tests.test_cli import invoke

BIN = Path(sys.executable).parent
RUN_FILE = re.compile(r"(\.cleaner-manifest|cleaner-report)(\.shard-[0-9]+-of-[0-9]+)?\.json")


def _src(root: Path) -> Path:
    src = root / "src"
    _tree(src)  # 3 inputs and an unsupported file
    _site(src / "site", 8)  # recurring lines: a batch profile is learned
    (src / "empty.txt").write_bytes(b"")  # a failure
    return src


def _run_files(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if RUN_FILE.fullmatch(p.name)}


def _documents(out: Path) -> dict[str, bytes]:
    """Every output except the run files (manifests and reports)."""
    return {k: v for k, v in _snapshot(out).items() if not RUN_FILE.fullmatch(k)}


@pytest.mark.parametrize("text", ["1/1", "2/3", "3/3", " 4 / 9 "])
def test_parse_accepts_i_of_n(text: str) -> None:
    shard = Shard.parse(text)
    assert 1 <= shard.index <= shard.count


@pytest.mark.parametrize("text", ["0/2", "3/2", "x/y", "1/0", "", "1", "1/2/3", "-1/2", "1.5/2"])
def test_parse_rejects_bad_values(text: str) -> None:
    with pytest.raises(ValueError, match="--shard"):
        Shard.parse(text)


@pytest.mark.parametrize("value", ["0/2", "3/2", "x/y"])
def test_cli_bad_shard_is_a_one_line_usage_error(tmp_path: Path, value: str) -> None:
    _tree(tmp_path / "src")
    code, out, err = invoke(
        "clean", str(tmp_path / "src"), "--out", str(tmp_path / "out"), "--shard", value
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("cleaner: error: --shard")
    assert not (tmp_path / "out").exists()


def test_partition_is_stable_and_complete() -> None:
    names = [f"d{i % 7}/page {i}.html" for i in range(500)] + ["caf\u00e9.txt", "bad\udcff.txt"]
    shards = [Shard(i, 4) for i in range(1, 5)]
    owners = [[s.index for s in shards if s.holds(name)] for name in names]
    assert all(len(found) == 1 for found in owners)  # every input in exactly one shard
    sizes = [sum(found == [i] for found in owners) for i in range(1, 5)]
    assert min(sizes) > 80  # and spread evenly enough
    # The hash is sha256 of the relative path (never Python's salted hash()): fixed forever.
    value = int.from_bytes(hashlib.sha256(b"a/b/page.html").digest()[:8], "big")
    assert Shard(value % 3 + 1, 3).holds("a/b/page.html")
    assert not Shard((value + 1) % 3 + 1, 3).holds("a/b/page.html")


def test_n_shards_into_one_out_equal_one_run(tmp_path: Path) -> None:
    src = _src(tmp_path)
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    run([src], whole, options=Options(), run_options=RunOptions(batch_profile=True))
    reports = []
    for i in (1, 2, 3):
        how = RunOptions(batch_profile=True, shard=Shard(i, 3))
        reports.append(run([src], sharded, options=Options(), run_options=how))
    assert _documents(sharded) == _documents(whole)
    assert _run_files(sharded) == {
        f"{kind}.shard-{i}-of-3.json"
        for kind in (".cleaner-manifest", "cleaner-report")
        for i in (1, 2, 3)
    }
    # The shards' manifests together are the unsharded one: same entries, same profile.
    one = json.loads((whole / MANIFEST_NAME).read_text())
    parts = [
        json.loads((sharded / f".cleaner-manifest.shard-{i}-of-3.json").read_text())
        for i in (1, 2, 3)
    ]
    merged: dict[str, object] = {}
    for part in parts:
        assert not set(merged) & set(part["files"])
        merged.update(part["files"])
        assert {k: v for k, v in part.items() if k != "files"} == {
            k: v for k, v in one.items() if k != "files"
        }
    assert merged == one["files"]
    # ...and their reports add up to the unsharded report.
    total = json.loads((whole / REPORT_NAME).read_text())
    shard_reports = [
        json.loads((sharded / f"cleaner-report.shard-{i}-of-3.json").read_text()) for i in (1, 2, 3)
    ]
    assert [r["shard"] for r in shard_reports] == ["1/3", "2/3", "3/3"]
    for key in ("cleaned", "skipped", "failed"):
        assert sum(r["counts"][key] for r in shard_reports) == total["counts"][key]
    for key in ("failed", "skipped"):
        listed = [x for r in shard_reports for x in r[key]]
        assert sorted(listed, key=lambda x: x["source"]) == total[key]
    assert sum(r.cleaned for r in reports) == 11 and "shard" not in total
    # A shard's re-run is a no-op on its share.
    again = run(
        [src],
        sharded,
        options=Options(),
        run_options=RunOptions(batch_profile=True, shard=Shard(2, 3)),
    )
    assert again.cleaned == 0 and again.up_to_date == reports[1].cleaned


def test_a_shard_prunes_only_its_own_gone_inputs(tmp_path: Path) -> None:
    src = _src(tmp_path)
    (src / "empty.txt").unlink()
    out = tmp_path / "out"
    for i in (1, 2):
        run([src], out, options=Options(), run_options=RunOptions(shard=Shard(i, 2)))
    gone = "site/story3.txt"
    owner = 1 if Shard(1, 2).holds(gone) else 2
    other = 3 - owner
    (src / gone).unlink()
    # The other shard does not own it: it prunes nothing, even though the input is gone.
    how = RunOptions(prune=True, shard=Shard(other, 2))
    assert run([src], out, options=Options(), run_options=how).pruned == 0
    assert (out / "site" / "story3.txt").is_file()
    how = RunOptions(prune=True, shard=Shard(owner, 2))
    assert run([src], out, options=Options(), run_options=how).pruned == 1
    assert not (out / "site" / "story3.txt").exists()
    for i in (1, 2):  # each manifest still lists all of its own entries, and only those
        files = json.loads((out / f".cleaner-manifest.shard-{i}-of-2.json").read_text())["files"]
        assert files and all(Shard(i, 2).holds(name) for name in files)
        assert gone not in files


def test_shard_run_files_are_never_inputs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    _tree(src)
    for name in (".cleaner-manifest.shard-1-of-2.json", "cleaner-report.shard-2-of-2.json"):
        (src / name).write_text("{}")
    (src / LOCK_NAME).write_text("")
    the_plan = plan([src], tmp_path / "out")
    assert dict(the_plan.skipped) == {
        ".cleaner-lock": RUN_FILE_SKIP,
        ".cleaner-manifest.shard-1-of-2.json": RUN_FILE_SKIP,
        "cleaner-report.shard-2-of-2.json": RUN_FILE_SKIP,
        "image.png": "unsupported file type",
    }
    assert not the_plan.errors


def test_concurrent_shards_share_one_out(tmp_path: Path) -> None:
    """Two processes of a job array at once: no lost file, no clobbered manifest or temp."""
    src = _src(tmp_path)
    out, whole = tmp_path / "out", tmp_path / "whole"
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [
        subprocess.Popen(
            [
                str(BIN / "cleaner"),
                "clean",
                str(src),
                "--out",
                str(out),
                "-q",
                "--jobs",
                "1",
                "--shard",
                f"{i}/2",
            ],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 2)
    ]
    codes = [proc.wait(timeout=120) for proc in procs]
    assert sorted(codes) == [0, 1]  # empty.txt fails, in its shard only
    code, _out, err = invoke("clean", str(src), "--out", str(whole), "-q")
    assert code == 1, err
    assert _documents(out) == _documents(whole)
