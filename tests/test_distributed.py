"""The Dask engine against a local run: same bytes, a lost worker, a time limit, a dask.bag.

Each cluster is a ``LocalCluster`` of two single-threaded worker processes bound to 127.0.0.1
(no dashboard, scratch space in a temp folder). Skipped when the ``dask`` extra is missing;
``make test`` installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster

import cleaner.batch.dask as distributed_module
import cleaner.batch.engines as engines_module
import cleaner.batch.work as work_module
from cleaner.batch import Hooks, Job, Outcome, RunOptions, run
from cleaner.config import Options
from cleaner.write import TEMP_PREFIX
from tests.conftest import FIXTURES
from tests.test_batch import _snapshot
from tests.test_cli import invoke

# Read by worker processes (they inherit the environment when the cluster starts them).
LOG_ENV = "CLEANER_TEST_DASK_LOG"
UNREACHABLE = "tcp://127.0.0.1:9"  # the discard port: nothing listens
SLOW_SECONDS = 0.3
HANG_NAME = "hang-me.txt"
HANG_SECONDS = 120.0
CRASH_NAME = "crash-me.txt"
REAL_PROCESS = work_module.process  # taken at import, before any test patches it


def slow_process(
    job: Job, options: Options, *, write: bool = True, durable: bool = True
) -> Outcome:
    """:func:`cleaner.batch.process` made slow (and hanging for ``HANG_NAME``, crashing for
    ``CRASH_NAME``), logging the start and the end of each execution with its process id: run
    on the workers in place of the real one (pickled by reference)."""
    _log("start", job.source)
    if job.source.endswith(HANG_NAME):
        time.sleep(HANG_SECONDS)
    if job.source.endswith(CRASH_NAME):
        os._exit(1)  # as a crash in C code: the worker process dies
    time.sleep(SLOW_SECONDS)
    outcome = REAL_PROCESS(job, options, write=write, durable=durable)
    _log("end", job.source)
    return outcome


def _log(event: str, source: str) -> None:
    log = os.environ.get(LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {event} {source}\n")


def _executions(log: Path) -> list[tuple[int, str, str]]:
    """(process id, "start" or "end", source) of each line the workers logged, in order."""
    lines = [line.split(" ", 2) for line in log.read_text().splitlines()]
    return [(int(pid), event, source) for pid, event, source in lines]


def _cluster(scratch: Path, **scheduler: Any) -> LocalCluster:
    return LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,  # no dashboard; its health routes on a free local port:
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0", **scheduler},
        local_directory=str(scratch),
    )


def _big_chunks(monkeypatch: pytest.MonkeyPatch, most: int) -> None:
    """Chunks of up to ``most`` files even for the 14-15 fixture files (by default they get 2)."""
    monkeypatch.setattr(distributed_module, "CHUNKS_PER_THREAD", 1)
    monkeypatch.setattr(distributed_module, "CHUNK_MAX_FILES", most)


def test_chunk_size_is_large_mid_run_and_shrinks_at_the_end() -> None:
    size = distributed_module.chunk_size
    most = distributed_module.CHUNK_MAX_FILES
    assert size(1678, 2) == most  # a big run: few tasks, little per-task overhead
    assert size(14, 2) == 2  # the fixtures: still several tasks per worker
    assert size(3, 2) == 1 and size(1, 8) == 1 and size(0, 2) == 1  # the tail: single files
    assert size(100, 0) == most  # no thread reported yet: as one


def test_chunks_cover_every_file_once_in_order() -> None:
    """The chunks a run submits: contiguous, in order, every file once, each within bounds."""
    remaining, start, chunks = 1678, 0, []
    while remaining:
        chunk = distributed_module.chunk_size(remaining, 2)
        chunks.append(range(start, start + min(chunk, remaining)))
        start, remaining = start + len(chunks[-1]), remaining - len(chunks[-1])
    assert [i for chunk in chunks for i in chunk] == list(range(1678))
    assert len(chunks) < 1678 // 8  # far fewer tasks than files
    assert [len(c) for c in chunks[-3:]] == [1, 1, 1]  # the tail is balanced


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    with _cluster(tmp_path_factory.mktemp("dask-scratch")) as local:
        yield local


@pytest.fixture(scope="module")
def fragile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalCluster, Path]]:
    """A cluster whose workers log every file they process (see :func:`slow_process`)."""
    log = tmp_path_factory.mktemp("dask-log") / "executions.log"
    os.environ[LOG_ENV] = str(log)
    try:
        with _cluster(tmp_path_factory.mktemp("dask-scratch")) as local:
            yield local, log
    finally:
        os.environ.pop(LOG_ENV, None)


def _inputs(root: Path) -> Path:
    """fixtures/inputs plus a file that fails and one that is skipped: a report with lists."""
    src = root / "src"
    shutil.copytree(FIXTURES / "inputs", src)
    (src / "text" / "empty.txt").write_bytes(b"")
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return src


def _temps(root: Path) -> list[Path]:
    return list(root.rglob(TEMP_PREFIX + "*"))


def test_dask_run_is_byte_identical_to_local_jobs_2(cluster: LocalCluster, tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    local, remote = tmp_path / "local", tmp_path / "remote"
    code, _out, err = invoke("clean", str(src), "--out", str(local), "--jobs", "2")
    assert code == 1, err  # empty.txt fails
    address = cluster.scheduler_address
    code, _out, err = invoke("clean", str(src), "--out", str(remote), "--dask", address)
    assert code == 1, err
    assert f"cleaner: error: {src}/text/empty.txt: empty file" in err.splitlines()
    assert _snapshot(remote) == _snapshot(local)  # outputs, manifest and report, byte for byte
    assert not _temps(remote)
    # Incremental: a file gone (pruned), the profile re-learned on the cluster, still the same.
    (src / "text" / "empty.txt").unlink()
    for out, engine in ((local, ["--jobs", "2"]), (remote, ["--dask", address])):
        code, _out, err = invoke("clean", str(src), "--out", str(out), "--prune", *engine)
        assert code == 0, err
        assert "0 cleaned, 1 skipped, 0 failed, 14 up to date, 1 pruned" in err
    assert _snapshot(remote) == _snapshot(local)
    # Nothing stale: the cluster is never contacted, so an unreachable address does no harm.
    code, _out, err = invoke("clean", str(src), "--out", str(remote), "--dask", UNREACHABLE)
    assert code == 0, err
    assert "0 cleaned, 1 skipped, 0 failed, 14 up to date" in err


def test_dask_with_a_scheduler_file_and_jsonl(cluster: LocalCluster, tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    (src / "text" / "empty.txt").unlink()
    scheduler_file = tmp_path / "scheduler.json"
    # What `dask scheduler --scheduler-file` writes, reduced to what a client reads.
    scheduler_file.write_text(json.dumps({"address": cluster.scheduler_address}))
    code, _out, err = invoke(
        "clean", str(src), "--format", "jsonl", "--out", str(tmp_path / "local.jsonl")
    )
    assert code == 0, err
    code, _out, err = invoke(
        "clean",
        str(src),
        "--format",
        "jsonl",
        "--out",
        str(tmp_path / "remote.jsonl"),
        "--dask",
        str(scheduler_file),
    )
    assert code == 0, err
    assert (tmp_path / "remote.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()


def test_a_crawl_on_dask_is_byte_identical_to_local_jobs_2(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    """The archive is scanned and its pages cleaned on the cluster's workers (which see the
    same files): the outputs, manifest and report are the local run's."""
    pytest.importorskip("fastwarc")
    from tests.warc.common import fixture_recs, write_warc

    src = tmp_path / "crawl"
    src.mkdir()
    write_warc(src / "crawl.warc.gz", fixture_recs())
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert invoke("clean", str(src), "--out", str(local), "--jobs", "2")[0] == 0
    code, _out, err = invoke("clean", str(src), "--out", str(remote), "--dask",
                             cluster.scheduler_address)  # fmt: skip
    assert code == 0 and "14 cleaned" in err, err
    assert _snapshot(remote) == _snapshot(local)


def test_unreachable_scheduler_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(distributed_module, "CONNECT_TIMEOUT_SECONDS", 1)
    src = _inputs(tmp_path)
    code, _out, err = invoke(
        "clean", str(src), "--out", str(tmp_path / "out"), "--dask", UNREACHABLE
    )
    assert code == 2
    assert f"cannot connect to the Dask scheduler at {UNREACHABLE}" in err


@pytest.mark.parametrize("most", [None, 4], ids=["default-chunks", "chunks-of-4"])
def test_a_worker_lost_mid_run_loses_and_doubles_nothing(
    fragile: tuple[LocalCluster, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    most: int | None,
) -> None:
    """A worker SIGKILLed while it cleans a file: with chunks of up to 4 (5 tasks for 14 files)
    it dies mid-chunk, and the files of its chunk it had already cleaned are cleaned again."""
    cluster, log = fragile
    if most is not None:
        _big_chunks(monkeypatch, most)
    src = _inputs(tmp_path)
    (src / "text" / "empty.txt").unlink()
    local = tmp_path / "local"
    run([src], local, options=Options(), run_options=RunOptions(jobs=2, batch_profile=True))

    monkeypatch.setattr(engines_module, "process", slow_process)
    seen: list[str] = []
    killed: list[str] = []

    def on_progress(outcome: Outcome) -> None:
        """After a first result, SIGKILL the worker of the file that started last and has not
        ended (done but not yet recorded is not running: with chunks, results come back late)."""
        seen.append(outcome.source)
        if killed:
            return
        events = _executions(log)
        ended = {(pid, source) for pid, event, source in events if event == "end"}
        running = [
            (pid, source)
            for pid, event, source in events
            if event == "start" and (pid, source) not in ended
        ]
        if running:
            pid, source = running[-1]
            os.kill(pid, signal.SIGKILL)
            killed.append(source)

    log.write_text("")
    remote = tmp_path / "remote"
    how = RunOptions(jobs=2, batch_profile=True, dask=cluster.scheduler_address)
    report = run(
        [src], remote, options=Options(), run_options=how, hooks=Hooks(progress=on_progress)
    )
    assert killed
    assert report.cleaned == 14 and not report.failed
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 14  # each file recorded once
    assert _snapshot(remote) == _snapshot(local)
    assert not _temps(remote)
    executions = [source for _pid, event, source in _executions(log) if event == "start"]
    assert set(executions) == set(seen)
    assert executions.count(killed[0]) >= 2  # the lost worker's file ran again elsewhere


@pytest.mark.parametrize("most", [None, 5], ids=["default-chunks", "chunks-of-5"])
def test_a_file_over_the_time_limit_restarts_its_worker(
    fragile: tuple[LocalCluster, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    most: int | None,
) -> None:
    """With chunks of 5, the hanging file (input 9 of 15) is the 4th of the 2nd chunk: the time
    limit names it, not its chunk, and the files around it are cleaned."""
    cluster, _log = fragile
    if most is not None:
        _big_chunks(monkeypatch, most)
    src = _inputs(tmp_path)
    (src / "text" / "empty.txt").unlink()
    shutil.copy(src / "text" / "seed-syria.txt", src / "text" / HANG_NAME)
    monkeypatch.setattr(engines_module, "process", slow_process)
    errors: list[tuple[str, str]] = []
    how = RunOptions(jobs=2, timeout=2.0, batch_profile=False, dask=cluster.scheduler_address)
    started = time.monotonic()
    report = run(
        [src],
        tmp_path / "out",
        options=Options(),
        run_options=how,
        hooks=Hooks(error=lambda s, r: errors.append((s, r))),
    )
    assert time.monotonic() - started < HANG_SECONDS / 2
    assert errors == [(f"text/{HANG_NAME}", "timed out after 2 s")]
    assert report.cleaned == 14
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 14
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)  # the hung worker was replaced


def test_a_file_that_kills_its_workers_is_found_in_its_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk whose task kills workers is split into one task per file, so only the culprit is
    reported ``worker process died`` (as a local crash), the files around it are cleaned."""
    _big_chunks(monkeypatch, 5)  # the crashing file (input 8 of 15) is the 3rd of chunk 2
    src = _inputs(tmp_path)
    (src / "text" / "empty.txt").unlink()
    shutil.copy(src / "text" / "seed-syria.txt", src / "text" / CRASH_NAME)
    monkeypatch.setattr(engines_module, "process", slow_process)
    errors: list[tuple[str, str]] = []
    # One death is enough to give up on a task (default 3: slower, the same path).
    with _cluster(tmp_path / "dask-scratch", allowed_failures=0) as cluster:
        how = RunOptions(jobs=2, batch_profile=False, dask=cluster.scheduler_address)
        report = run(
            [src],
            tmp_path / "out",
            options=Options(),
            run_options=how,
            hooks=Hooks(error=lambda s, r: errors.append((s, r))),
        )
    assert (f"text/{CRASH_NAME}", "worker process died") in errors
    assert report.cleaned + len(errors) == 15
    # A file queued on the dying worker may share its fate; most of the chunk is cleaned.
    assert report.cleaned >= 12


def _clean_path(path: str) -> dict[str, Any]:
    """The docs/distributed.md dask.bag example's function (a module-level one pickles by
    reference; a lambda or a local function works as well)."""
    from cleaner import InputError, clean

    with open(path, "rb") as handle:
        data = handle.read()
    try:
        result = clean(data, name=os.path.basename(path))
    except InputError as exc:
        return {"source": path, "error": exc.reason}
    return {"source": path, "text": result.text, "metadata": result.metadata}


def test_the_pure_api_maps_over_a_dask_bag(cluster: LocalCluster) -> None:
    import dask.bag as db

    paths = sorted(str(p) for p in (FIXTURES / "inputs").rglob("*") if p.is_file())
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        bag = db.from_sequence(paths, npartitions=4).map(_clean_path)
        remote = client.compute(bag).result()
    assert [r["source"] for r in remote] == paths
    assert remote == [_clean_path(p) for p in paths]
