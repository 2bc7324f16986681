"""Where the per-file calls of a run go: the local pool of killable workers, or a Dask cluster
(:mod:`cleaner.batch.dask`). Everything else of a run (walk, manifest, profile choice,
recording in input order, report) is the same for both."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from cleaner import settings
from cleaner.batch.inputs import Job
from cleaner.batch.pages import (
    PageJob,
    WholeJob,
    page_crashed,
    page_timed_out,
    process_page,
    process_whole,
    whole_crashed,
    whole_timed_out,
)
from cleaner.batch.pool import PoolConfig, ordered_map
from cleaner.batch.work import Outcome, crashed, process, scan, timed_out, warm_up
from cleaner.config import Options
from cleaner.profile import Profile

A = TypeVar("A")
R = TypeVar("R")


class Engine(Protocol):
    """Runs a function over a run's files: :class:`LocalEngine` or
    :class:`cleaner.batch.dask.DaskEngine`."""

    def map(
        self,
        fn: Callable[[A], R],
        items: Sequence[A],
        *,
        timeout: float | None,
        on_timeout: Callable[[A, float], R],
        on_crash: Callable[[A, int | None], R],
    ) -> Iterator[R]:
        """``fn`` over ``items``, results in input order; a file over ``timeout`` seconds or
        whose worker dies gets ``on_timeout`` / ``on_crash``. Closing the iterator early stops
        the work still pending."""
        ...

    def close(self) -> None:
        """Release what the engine holds (a cluster connection); called once at the end."""
        ...

    @property
    def writes_here(self) -> bool:
        """True when the workers write on this machine, so that the driver's sync of OUT
        (before each manifest save) makes their outputs durable; otherwise each worker fsyncs
        every file it writes."""
        ...


def _pool_config(jobs: int, timeout: float | None, max_memory: int | None) -> PoolConfig:
    return PoolConfig(
        workers=jobs,
        timeout=timeout,
        chunk_size=settings.POOL_CHUNK_SIZE,
        max_ahead=jobs * settings.POOL_MAX_AHEAD_PER_WORKER,
        max_memory=max_memory,
    )


@dataclass(frozen=True, slots=True)
class LocalEngine:
    """The killable local pool of :mod:`cleaner.batch.pool`, with ``workers`` processes, each
    limited to ``max_memory`` bytes of address space (None: no limit)."""

    workers: int = 1
    max_memory: int | None = None

    def map(
        self,
        fn: Callable[[A], R],
        items: Sequence[A],
        *,
        timeout: float | None,
        on_timeout: Callable[[A, float], R],
        on_crash: Callable[[A, int | None], R],
    ) -> Iterator[R]:
        if not items:
            return iter(())
        warm_up()
        return ordered_map(
            fn,
            items,
            config=_pool_config(self.workers, timeout, self.max_memory),
            on_timeout=on_timeout,
            on_crash=on_crash,
        )

    def close(self) -> None:
        return None

    @property
    def writes_here(self) -> bool:
        return True


def make_engine(jobs: int, dask: str | None, *, max_memory: int | None = None) -> Engine:
    """The local pool of ``jobs`` workers, or the Dask cluster at ``dask`` (which connects only
    when first used). ``max_memory``: bytes a local worker may use (None: no limit); Dask
    workers are the cluster's to limit (``dask worker --memory-limit``)."""
    if dask is None:
        return LocalEngine(jobs, max_memory)
    from cleaner.batch.dask import DaskEngine  # imports no Dask until it connects

    return DaskEngine(dask)


def _no_lines(_job: Job, _detail: float | int | None) -> set[str]:
    return set()


def learn_profile(
    jobs: list[Job], options: Options, *, engine: Engine, timeout: float | None = None
) -> Profile:
    """Learn the batch's boilerplate lines from every plain-text input (see
    :func:`cleaner.batch.work.scan`)."""
    from cleaner.profile import learn

    if not jobs:
        return learn((), min_files=settings.PROFILE_MIN_FILES, min_share=settings.PROFILE_MIN_SHARE)
    lines = engine.map(
        functools.partial(scan, options=options),
        jobs,
        timeout=timeout,
        on_timeout=_no_lines,
        on_crash=_no_lines,
    )
    return learn(
        lines, min_files=settings.PROFILE_MIN_FILES, min_share=settings.PROFILE_MIN_SHARE
    )


def clean_all(
    jobs: Sequence[Job | PageJob | WholeJob],
    options: Options,
    *,
    engine: Engine,
    timeout: float | None,
    write: bool,
) -> Iterator[Outcome]:
    """Outcomes of cleaning ``jobs`` (files, and archives' pages), in order, through
    ``engine``: one per file or page. Runs of files and pages go to the engine together; an
    archive gzipped whole goes alone, with the time limit of all its pages."""
    how = {"options": options, "write": write, "durable": not engine.writes_here}
    for run in _runs(jobs):
        if isinstance(run, WholeJob):
            yield from _clean_whole(run, how, engine, timeout)
        else:
            yield from _clean_run(run, how, engine, timeout)


def _clean_whole(
    whole: WholeJob, how: dict[str, Any], engine: Engine, timeout: float | None
) -> Iterator[Outcome]:
    limit = None if timeout is None else timeout * len(whole.pages)
    fn = functools.partial(process_whole, **how)
    mapped = engine.map(fn, [whole], timeout=limit, on_timeout=whole_timed_out,
                        on_crash=whole_crashed)  # fmt: skip
    try:
        for outcomes in mapped:
            yield from outcomes
    finally:
        close_outcomes(mapped)  # closed early, it stops its worker


def _clean_run(
    run: list[Job | PageJob], how: dict[str, Any], engine: Engine, timeout: float | None
) -> Iterator[Outcome]:
    files = [job for job in run if isinstance(job, Job)]
    if len(files) == len(run):  # files alone: the file functions, as in a run without archives
        each = functools.partial(process, **how)
        return engine.map(each, files, timeout=timeout, on_timeout=timed_out, on_crash=crashed)
    mixed = functools.partial(_process, **how)
    return engine.map(mixed, run, timeout=timeout, on_timeout=_timed_out, on_crash=_crashed)


def _runs(
    jobs: Sequence[Job | PageJob | WholeJob],
) -> Iterator[list[Job | PageJob] | WholeJob]:
    """The jobs cut into runs of files and pages, each archive gzipped whole alone."""
    run: list[Job | PageJob] = []
    for job in jobs:
        if isinstance(job, WholeJob):
            if run:
                yield run
            run = []
            yield job
        else:
            run.append(job)
    if run:
        yield run


def _process(job: Job | PageJob, options: Options, *, write: bool, durable: bool) -> Outcome:
    if isinstance(job, PageJob):
        return process_page(job, options, write=write, durable=durable)
    return process(job, options, write=write, durable=durable)


def _timed_out(job: Job | PageJob, limit: float) -> Outcome:
    return page_timed_out(job, limit) if isinstance(job, PageJob) else timed_out(job, limit)


def _crashed(job: Job | PageJob, code: int | None) -> Outcome:
    return page_crashed(job, code) if isinstance(job, PageJob) else crashed(job, code)


def close_outcomes(outcomes: Iterator[object]) -> None:
    """Close a map's results early: the work still pending stops (its workers are killed)."""
    close = getattr(outcomes, "close", None)
    if close is not None:
        close()
