"""``cleaner clean --dask`` on a warmed LocalCluster against ``--jobs 2``, alternated (``--only
dask``), and the overhead target of issue 6."""

from __future__ import annotations

import contextlib
import importlib.util
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.speed.report import Row, Target, ratio
from bench.speed.runner import fresh_run

# Target of issue 6: a 2-worker LocalCluster's wall time over --jobs 2's, minus one.
TARGET_DASK_OVERHEAD = 0.15
DASK_WORKERS = 2


def _warm_dask_worker() -> None:
    """Worker-side: import the pipeline and clean one page (what a local run does before it
    forks its workers), so the timing is of a standing, warmed cluster."""
    from cleaner.batch.work import warm_up

    warm_up()


@contextlib.contextmanager
def dask_cluster(scratch: Path) -> Iterator[str]:
    """A LocalCluster of DASK_WORKERS single-threaded processes on 127.0.0.1, warmed up; yields
    its scheduler address. Its scratch space stays under ``scratch``."""
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=DASK_WORKERS,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,  # no dashboard; its health routes on a free local port:
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        local_directory=str(scratch / "dask-scratch"),
    ) as cluster:
        with Client(cluster.scheduler_address, set_as_default=False) as client:
            client.run(_warm_dask_worker)
        yield cluster.scheduler_address


def measure_alternating(src: Path, scratch: Path, repeats: int) -> tuple[Row, Row]:
    """``--jobs 2`` and ``--dask`` rows, their runs alternated: per repeat, a ``--jobs 2`` run
    with no cluster up, then a ``--dask`` run on a cluster started and warmed for it."""
    n = sum(1 for _ in src.iterdir())
    local: list[float] = []
    remote: list[float] = []
    for _ in range(repeats):
        local.append(fresh_run(src, scratch, "--jobs", "2")())
        with dask_cluster(scratch) as address:
            remote.append(fresh_run(src, scratch, "--dask", address)())
        print(f"  --jobs 2 {local[-1]:.2f} s, --dask {remote[-1]:.2f} s", file=sys.stderr)
    rows = []
    for what, runs in (
        ("cleaner clean --jobs 2", local),
        (f"cleaner clean --dask (LocalCluster, {DASK_WORKERS} workers)", remote),
    ):
        median = statistics.median(runs)
        rows.append(Row(what, median, runs, n, n / median))
    return rows[0], rows[1]


def dask_available() -> bool:
    return importlib.util.find_spec("distributed") is not None


def dask_target(rows: tuple[Row, Row] | None) -> Target:
    what = f"--dask LocalCluster({DASK_WORKERS}) wall over --jobs 2"
    goal = f"<= {TARGET_DASK_OVERHEAD:+.0%}"
    if rows is None:
        return Target(what, "not measured (no dask extra)", goal, None)
    overhead = ratio(rows[1].seconds, rows[0].seconds) - 1
    return Target(what, f"{overhead:+.0%}", goal, overhead <= TARGET_DASK_OVERHEAD)
