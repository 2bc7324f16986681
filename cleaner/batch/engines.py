"""Where the per-file calls of a run go: the local pool of killable workers, or a Dask cluster
(:mod:`cleaner.batch.dask`). Everything else of a run (walk, manifest, profile choice,
recording in input order, report) is the same for both."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from cleaner import settings
from cleaner.batch.inputs import Job
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
    jobs: list[Job], options: Options, *, engine: Engine, timeout: float | None, write: bool
) -> Iterator[Outcome]:
    """Outcomes of cleaning ``jobs``, in order, through ``engine``."""
    return engine.map(
        functools.partial(process, options=options, write=write, durable=not engine.writes_here),
        jobs,
        timeout=timeout,
        on_timeout=timed_out,
        on_crash=crashed,
    )
