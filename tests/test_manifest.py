from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

import cleaner.manifest as manifest_module
from cleaner.batch import Hooks, RunOptions, run
from cleaner.batch.pool import PoolConfig, ordered_map
from cleaner.config import Options
from cleaner.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    Entry,
    Manifest,
    Stat,
    inputs_digest,
    load,
    run_key,
    sha256_file,
    stale_reason,
)
from tests.test_batch import GOOD_TEXT

KEY = run_key("1.0", "abc")


def _entry_for(path: Path, *, key: str = KEY) -> Entry:
    stat = Stat.of(path)
    return Entry(stat.size, stat.mtime_ns, key, ("x.txt", "x.json"), sha256_file(path))


def test_round_trip_is_byte_stable(tmp_path: Path) -> None:
    manifest = Manifest({"b": Entry(1, 2, KEY), "a": Entry(3, 4, KEY, ("a.txt",), "f" * 64)})
    manifest.version, manifest.key = "1.0", KEY
    manifest.save(tmp_path)
    first = (tmp_path / MANIFEST_NAME).read_bytes()
    again = load(tmp_path)
    assert again.entries == manifest.entries
    again.save(tmp_path)
    assert (tmp_path / MANIFEST_NAME).read_bytes() == first


def test_missing_or_corrupt_manifest_means_everything_is_new(tmp_path: Path) -> None:
    assert load(tmp_path).entries == {}
    (tmp_path / MANIFEST_NAME).write_text("{not json")
    assert load(tmp_path).entries == {}
    (tmp_path / MANIFEST_NAME).write_text('{"format": "other"}')
    assert load(tmp_path).entries == {}


def test_a_missing_manifest_is_no_problem(tmp_path: Path) -> None:
    assert load(tmp_path) == Manifest()
    assert load(tmp_path / "no-such-folder") == Manifest()
    (tmp_path / "a-file").write_text("")
    assert load(tmp_path / "a-file") == Manifest()  # OUT is a file: no manifest in it


GOOD_ENTRY: dict[str, Any] = {
    "size": 5,
    "mtime_ns": 7,
    "key": KEY,
    "outputs": ["a.txt", "a.json"],
    "sha256": "f" * 64,
    "failed": False,
}
PROFILE = {"lines": ["menu", "share"], "files": 4, "min_files": 2}


def _manifest(**top: Any) -> dict[str, Any]:
    """A valid manifest as saved, with top-level keys replaced."""
    data: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "cleaner_version": "1.0",
        "key": KEY,
        "profile": PROFILE,
        "profile_inputs": "d" * 32,
        "files": {"a.html": GOOD_ENTRY, "b/c.html": dict(GOOD_ENTRY, failed=True)},
    }
    data.update(top)
    return data


def _with_entry(**fields: Any) -> dict[str, Any]:
    return _manifest(files={"a.html": dict(GOOD_ENTRY, **fields)})


def _with_profile(profile: Any, inputs: Any = "d" * 32) -> dict[str, Any]:
    return _manifest(profile=profile, profile_inputs=inputs)


def _write(out: Path, body: dict[str, Any] | bytes) -> None:
    blob = body if isinstance(body, bytes) else json.dumps(body).encode()
    (out / MANIFEST_NAME).write_bytes(blob)


# Valid manifests, loaded as before: (body, entries expected).
GOOD_MANIFESTS: list[tuple[dict[str, Any], dict[str, Entry]]] = [
    (
        _manifest(),
        {
            "a.html": Entry(5, 7, KEY, ("a.txt", "a.json"), "f" * 64),
            "b/c.html": Entry(5, 7, KEY, ("a.txt", "a.json"), "f" * 64, failed=True),
        },
    ),
    (_manifest(files={}, profile=None, profile_inputs=None), {}),
    ({"format": MANIFEST_FORMAT}, {}),
    # optional fields absent; a file dated before 1970
    (_manifest(files={"x": {"size": 0, "mtime_ns": -5, "key": "k"}}), {"x": Entry(0, -5, "k")}),
    # the names cleaner.batch.inputs.portable writes: undecodable byte, backslash, dot files
    (
        _with_entry(outputs=["caf\\xe9.txt", "a\\\\b.json", ".hidden/x.txt", "a/..b/c...txt"]),
        {
            "a.html": Entry(
                5, 7, KEY, ("caf\\xe9.txt", "a\\\\b.json", ".hidden/x.txt", "a/..b/c...txt"),
                "f" * 64,
            )
        },
    ),
    (_with_entry(sha256=None, outputs=[]), {"a.html": Entry(5, 7, KEY)}),
]


@pytest.mark.parametrize(("body", "entries"), GOOD_MANIFESTS)
def test_good_manifest(tmp_path: Path, body: dict[str, Any], entries: dict[str, Entry]) -> None:
    _write(tmp_path, body)
    manifest = load(tmp_path)
    assert manifest.problem is None and manifest.entries == entries
    assert manifest.profile == body.get("profile")
    assert manifest.profile_inputs == body.get("profile_inputs")
    assert manifest.version == body.get("cleaner_version", "")
    assert manifest.key == body.get("key", "")


CORRUPT = "corrupt manifest ("
AGAIN = "all inputs are cleaned again"

# Crafted or corrupt manifests: all treated as absent, with a problem holding the substring.
BAD_MANIFESTS: list[tuple[dict[str, Any] | bytes, str]] = [
    (b"{not json", CORRUPT + "JSONDecodeError: Expecting property name"),
    (b"", CORRUPT + "JSONDecodeError"),
    (b"[" * 100_000, CORRUPT + "RecursionError: maximum recursion depth exceeded"),
    (b"\xff\xfe{}", CORRUPT + "UnicodeDecodeError"),
    (b"1" * 5000, CORRUPT + "ValueError: Exceeds the limit"),
    (b"null", CORRUPT + "not a JSON object"),
    (b"[]", CORRUPT + "not a JSON object"),
    (b'{"format": "other"}', "not a cleaner manifest: format 'other', not cleaner-manifest/1"),
    (b"{}", "not a cleaner manifest: format None"),
    (_manifest(format=1), "not a cleaner manifest: format 1"),
    (_manifest(format="x" * 500), "format 'xxxxx"),
    (_manifest(format="cleaner-manifest/2"), "by a newer cleaner (format cleaner-manifest/2)"),
    ({"format": "cleaner-manifest/10", "files": []}, "newer cleaner (format cleaner-manifest/10)"),
    (_manifest(files=[]), "'files' is not an object"),
    (_manifest(files=None), "'files' is not an object"),
    (_manifest(cleaner_version=5), "'cleaner_version' is not a string"),
    (_manifest(key=[]), "'key' is not a string"),
    (_manifest(files={"": GOOD_ENTRY}), "input name '' is not a non-empty string"),
    (_manifest(files={"a.html": None}), "entry 'a.html': not an object"),
    (_manifest(files={"a.html": [1, 2]}), "entry 'a.html': not an object"),
    (_with_entry(size="x"), "entry 'a.html': size must be a whole number >= 0"),
    (_with_entry(size=-1), "size must be a whole number >= 0"),
    (_with_entry(size=True), "size must be a whole number >= 0"),
    (_with_entry(size=5.0), "size must be a whole number >= 0"),
    (json.dumps(_with_entry(size=0)).replace('"size": 0', '"size": 1e400').encode(), "size must"),
    (json.dumps(_with_entry(size=0)).replace('"size": 0', '"size": NaN').encode(), "size must"),
    (_with_entry(mtime_ns=None), "mtime_ns must be a whole number"),
    (_with_entry(key=7), "key must be a string"),
    (_with_entry(outputs=5), "outputs must be a list of relative paths inside OUT"),
    (_with_entry(outputs="a.txt"), "outputs must be a list"),
    (_with_entry(outputs=["a", 3]), "outputs must be a list"),
    (_with_entry(outputs=["/etc/passwd"]), "outputs must be a list"),
    (_with_entry(outputs=["../victim.txt"]), "outputs must be a list"),
    (_with_entry(outputs=["a/../../victim.txt"]), "outputs must be a list"),
    (_with_entry(outputs=["a/.."]), "outputs must be a list"),
    (_with_entry(outputs=["."]), "outputs must be a list"),
    (_with_entry(outputs=["a/./b"]), "outputs must be a list"),
    (_with_entry(outputs=["a//b"]), "outputs must be a list"),
    (_with_entry(outputs=["sub/"]), "outputs must be a list"),
    (_with_entry(outputs=[""]), "outputs must be a list"),
    (_with_entry(outputs=["a\0b.txt"]), "outputs must be a list"),
    (_with_entry(outputs=["\\x2e\\x2e.txt"]), "outputs must be a list"),  # not portable()'s
    (_with_entry(sha256=7), "sha256 must be a string or null"),
    (_with_entry(failed="yes"), "failed must be true or false"),
    (_with_entry(failed=0), "failed must be true or false"),
    (_manifest(files={"a\nb" * 50: None}), "entry 'a\\nba\\nb"),
]


@pytest.mark.parametrize(("body", "expected"), BAD_MANIFESTS)
def test_bad_manifest_is_absent_with_a_problem(
    tmp_path: Path, body: dict[str, Any] | bytes, expected: str
) -> None:
    _write(tmp_path, body)
    manifest = load(tmp_path)
    assert manifest.entries == {} and manifest.profile is None and manifest.profile_inputs is None
    assert manifest.problem is not None and expected in manifest.problem
    assert manifest.problem.endswith(AGAIN) and "\n" not in manifest.problem
    assert len(manifest.problem) < 200


def test_unreadable_manifest(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).mkdir()
    problem = load(tmp_path).problem
    assert problem == f"cannot read manifest (IsADirectoryError: Is a directory), {AGAIN}"


def test_non_string_input_names_are_rejected() -> None:
    # JSON keys are always strings; the check guards the mapping the parser hands over.
    with pytest.raises(ValueError, match="input name 5"):
        manifest_module._entries({5: GOOD_ENTRY})


# A bad cached profile drops only the profile (it is learned again); the entries are kept.
BAD_PROFILES: list[dict[str, Any] | bytes] = [
    _with_profile("x"),
    _with_profile([]),
    _with_profile({"lines": "ab", "files": 1, "min_files": 1}),
    _with_profile({"lines": [1], "files": 1, "min_files": 1}),
    _with_profile({"lines": None, "files": 1, "min_files": 1}),
    _with_profile({"lines": [], "files": "3", "min_files": 1}),
    _with_profile({"lines": [], "files": 3}),
    _with_profile({"lines": [], "files": 3, "min_files": -1}),
    _with_profile({"lines": [], "files": 3, "min_files": True}),
    json.dumps(_with_profile({"lines": [], "files": 0, "min_files": 1}))
    .replace('"files": 0', '"files": 1e400')
    .encode(),
    _with_profile(PROFILE, inputs=5),
]


@pytest.mark.parametrize("body", BAD_PROFILES)
def test_bad_cached_profile_is_learned_again(tmp_path: Path, body: dict[str, Any] | bytes) -> None:
    _write(tmp_path, body)
    manifest = load(tmp_path)
    assert manifest.profile is None and manifest.profile_inputs is None
    assert manifest.problem == "invalid cached batch profile, it is learned again"
    assert set(manifest.entries) == {"a.html", "b/c.html"}


def test_problem_is_not_saved_nor_part_of_the_header(tmp_path: Path) -> None:
    manifest = Manifest(problem="corrupt")
    assert "problem" not in manifest.as_json()
    assert manifest.header() == Manifest().header()


def test_a_crafted_manifest_cannot_make_prune_delete_outside_out(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    (src / "a.txt").write_text(GOOD_TEXT)
    victim = tmp_path / "victim.txt"
    victim.write_text("not cleaner's")
    _write(out, _manifest(files={"gone.txt": dict(GOOD_ENTRY, outputs=["../victim.txt"])}))
    notices: list[str] = []
    report = run(
        [src],
        out,
        options=Options(),
        run_options=RunOptions(prune=True, batch_profile=True),
        hooks=Hooks(notice=notices.append),
    )
    assert victim.read_text() == "not cleaner's"
    assert report.cleaned == 1 and report.pruned == 0
    assert any("corrupt manifest" in n and "outputs must be" in n for n in notices)
    assert load(out).problem is None  # the run wrote a sound manifest over it


def test_stale_reasons(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("hello")
    entry = _entry_for(path)
    stat = Stat.of(path)
    assert stale_reason(None, stat, path, key=KEY, force=False) == ("new", None)
    assert stale_reason(entry, stat, path, key=KEY, force=False) == (None, None)
    assert stale_reason(entry, stat, path, key=KEY, force=True)[0] == "forced"
    assert stale_reason(entry, stat, path, key="other", force=False)[0] == "options changed"
    failed = Entry(stat.size, stat.mtime_ns, KEY, failed=True)
    assert stale_reason(failed, stat, path, key=KEY, force=False)[0] == "failed before"


def test_touch_is_not_a_change_but_new_bytes_are(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("hello")
    entry = _entry_for(path)
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))
    reason, touched = stale_reason(entry, Stat.of(path), path, key=KEY, force=False)
    assert reason is None and touched is not None and touched.mtime_ns == later
    path.write_text("HELLO")  # same size, other bytes
    assert stale_reason(entry, Stat.of(path), path, key=KEY, force=False)[0] == "changed"
    path.write_text("longer text")
    assert stale_reason(entry, Stat.of(path), path, key=KEY, force=False)[0] == "changed"


def test_inputs_digest_moves_with_any_stat() -> None:
    base = [("a", Stat(1, 2)), ("b", Stat(3, 4))]
    assert inputs_digest(base) == inputs_digest(list(base))
    assert inputs_digest(base) != inputs_digest([("a", Stat(1, 2)), ("b", Stat(3, 5))])
    assert inputs_digest(base) != inputs_digest(base[:1])


def _square_or_misbehave(n: int) -> int:
    if n == 3:
        time.sleep(60)
    if n == 5:
        os._exit(7)
    return n * n


def test_pool_kills_hung_and_survives_dead_workers_in_order() -> None:
    for workers in (1, 2):
        results = list(
            ordered_map(
                _square_or_misbehave,
                range(9),
                config=PoolConfig(workers=workers, timeout=1.0, chunk_size=3, max_ahead=8),
                on_timeout=lambda n, limit: -1000 - n,
                on_crash=lambda n, code: -2000 - n if code == 7 else 0,
            )
        )
        assert results == [0, 1, 4, -1003, 16, -2005, 36, 49, 64]


def test_pool_early_close_kills_workers() -> None:
    it = ordered_map(
        _square_or_misbehave,
        iter(range(100)),
        config=PoolConfig(workers=2, timeout=None),
        on_timeout=lambda n, limit: 0,
        on_crash=lambda n, code: 0,
    )
    assert next(it) == 0
    started = time.monotonic()
    it.close()  # type: ignore[attr-defined]
    assert time.monotonic() - started < 5  # did not wait for the 60 s sleep of item 3
