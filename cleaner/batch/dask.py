"""The Dask engine: a batch's per-file work on a Dask cluster, the rest exactly as a local run.

``cleaner clean SRC --out OUT --dask tcp://HOST:8786`` (or ``--dask scheduler.json``) runs the
same driver as a local run (:func:`cleaner.batch.driver.run`): it walks SRC, reads the manifest,
decides what is stale, learns the batch profile, records outcomes in input order and writes the
manifest and the report. Only the per-file calls (:func:`cleaner.batch.work.scan` for the profile,
:func:`cleaner.batch.work.process` for the cleaning) go to the cluster, through :class:`DaskEngine`,
which plays the part of :func:`cleaner.batch.pool.ordered_map`. So outputs, manifest and report are
byte-identical to ``--jobs N`` on the same folder.

Who writes: the workers, exactly as local workers do (:func:`cleaner.write.write_outputs`: each
pair staged in temp files beside its destination, fsynced, then renamed), so SRC and OUT must be
on a file system that the driver and every worker see at the same paths. The driver writes only
the manifest and the report. Writing on the workers keeps the driver from becoming the
bottleneck (one fsync'd pair per file) and keeps the texts off the network.

Chunks: files go to the cluster several per task (up to ``CHUNK_MAX_FILES``, fewer towards the
end of a run; see :func:`chunk_size`), as the local pool sends them in chunks. A Dask task is
not free: each cost the scheduler ~6 ms of CPU and its worker a ~6 ms idle gap (measured on a
2-worker LocalCluster on 2 cores, where that CPU is taken from the cleaning), ~10% of a
70-120 ms file; one task per file made ``--dask`` ~30% slower than ``--jobs 2``. Results stay
per file: a chunk's results are recorded in input order, each file once.

A lost worker: Dask reschedules the tasks it held on other workers; a file is recorded once, when
its chunk's result reaches the driver, so nothing is lost or doubled (a file may be *cleaned*
twice, the second time rewriting the same bytes, which :func:`cleaner.write.write_files` then
skips; with chunks, every file of the lost worker's chunks is). A chunk whose task kills
``distributed.scheduler.allowed-failures`` workers in a row is split into one task per file, so
that only the file that kills workers is reported as ``worker process died``, like a crash of a
local worker.

Time limit (``--timeout``): Dask cannot stop a running task, so a file running longer than the
limit gets its *worker* restarted through its nanny (as a local worker is killed and replaced):
each task notes on its worker which file of its chunk runs and since when, and while the driver
waits for a chunk that was submitted longer than the limit ago it asks the workers (about once a
second) which files are overdue. The overdue file is reported timed out (by name, not its chunk)
and the rest of its chunk is submitted again, ahead of the queued tasks. Differences from a
local run: the limit is checked to about a second, not to 10 ms; a worker started without a
nanny (``dask worker --no-nanny``) cannot be restarted, so the file is reported timed out but
its thread runs on; and restarting a worker also re-runs the other tasks that were running on it
(rescheduled elsewhere, nothing lost) and the files of the overdue file's chunk already cleaned.

Dask workers sample every thread's stack every 10 ms for their statistical profiler (the
dashboard's "Profile" page). On this CPU-bound pure-Python work that sampling takes the GIL from
the cleaning thread so often that a file takes about twice as long (measured: 2 workers of a
LocalCluster were barely faster than one process). So the engine pauses the profiler of the
workers it finds when it connects and resumes it when the run ends; workers that join later
keep theirs. Start workers with ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False`` to keep it
off for good.

Workers must run the same cleaner version with the same models as the driver (the manifest's run
key depends on them): this is checked when connecting. Start them with one thread each
(``dask worker --nthreads 1``, as many workers as cores): cleaning is CPU-bound Python, so more
threads per process do not help, and langdetect's random generator is shared within a process.
"""

from __future__ import annotations

import importlib.util
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cleaner.errors import CleanerError

if TYPE_CHECKING:
    from distributed import Client, Future

A = TypeVar("A")
R = TypeVar("R")

INSTALL_HINT = "pip install 'cleaner-news[dask]' (from a checkout: pip install '.[dask]')"
CONNECT_TIMEOUT_SECONDS = 30
# Files are sent in chunks, several per task. Every Dask task costs the scheduler a few
# milliseconds of CPU and its worker a round trip during which it computes nothing (measured on
# a 2-worker LocalCluster, 2 cores: ~6 ms of scheduler CPU and a ~6 ms gap per task, i.e. ~10%
# of a ~70-120 ms file each), and on a machine whose cores all clean that CPU is taken from the
# cleaning. Guided self-scheduling: a chunk is 1/CHUNKS_PER_THREAD of what remains per worker
# thread, capped at CHUNK_MAX_FILES, so chunks are large in the middle of a run and shrink to
# single files at its end (no worker idles long while another finishes a big last chunk).
CHUNK_MAX_FILES = 16
CHUNKS_PER_THREAD = 4
# Tasks in flight per worker thread (running, queued on the worker or on the scheduler, or done
# and waiting in the driver for a slow predecessor): enough that no worker waits for the
# driver, few enough that results held for ordering stay small (at most this many chunks).
AHEAD_PER_THREAD = 4
MIN_AHEAD = 8
POLL_SECONDS = 1.0  # how often overdue tasks are looked for while waiting on one
RESTART_TIMEOUT_SECONDS = 60
# Priority of a chunk submitted again (the rest of a chunk whose worker was restarted or
# killed): it holds the files the driver records next, so it runs before the queued ones.
RESUBMIT_PRIORITY = 1

# Worker-side: the token of each task running in this worker process -> the position in its
# chunk of the file being cleaned and when that file started (for the time limit).
_STARTED: dict[str, tuple[int, float]] = {}


def chunk_size(remaining: int, threads: int) -> int:
    """Files in the next task when ``remaining`` files are still to submit to ``threads``
    worker threads (see ``CHUNKS_PER_THREAD``): at least 1, at most ``CHUNK_MAX_FILES``."""
    per_chunk = -(-remaining // (max(threads, 1) * CHUNKS_PER_THREAD))  # ceiling
    return max(1, min(CHUNK_MAX_FILES, per_chunk))


def available() -> bool:
    """True when the ``dask`` extra is installed (checked without importing it)."""
    return importlib.util.find_spec("distributed") is not None


def _call_chunk(fn: Callable[[A], R], items: Sequence[A], token: str) -> list[R]:
    """The task run on a worker: ``[fn(item) for item in items]``, noting which item runs and
    since when (for the time limit, which must name the file, not the chunk)."""
    results: list[R] = []
    try:
        for position, item in enumerate(items):
            _STARTED[token] = (position, time.monotonic())
            results.append(fn(item))
    finally:
        _STARTED.pop(token, None)
    return results


def _running() -> dict[str, tuple[int, float]]:
    """Worker-side: for each task of this process, by token, the position in its chunk of the
    file being cleaned and for how many seconds it has been."""
    now = time.monotonic()
    return {token: (position, now - since) for token, (position, since) in list(_STARTED.items())}


def _worker_identity() -> tuple[str, str]:
    """Worker-side: import and warm up the pipeline (as a local run does before forking), and
    say which cleaner and models this worker runs."""
    from cleaner.batch.work import warm_up
    from cleaner.config import models_digest
    from cleaner.version import __version__

    warm_up()
    return __version__, models_digest()


def _pause_profiler(dask_worker: Any) -> bool:
    """Worker-side (run on its event loop): stop the statistical profiler; True if it ran."""
    callback = dask_worker.periodic_callbacks.get("profile")
    if callback is None or not callback.is_running():
        return False
    callback.stop()
    return True


def _resume_profiler(dask_worker: Any) -> None:
    """Worker-side: restart the profiler that :func:`_pause_profiler` stopped."""
    callback = dask_worker.periodic_callbacks.get("profile")
    if callback is not None and not callback.is_running():
        callback.start()


def connect(target: str) -> Client:
    """A client of the scheduler at ``target``: an address (``tcp://host:8786``, ``host:port``)
    or the path of a scheduler file (``dask scheduler --scheduler-file PATH``).

    Raises :class:`CleanerError` when the extra is missing or the scheduler cannot be reached.
    """
    if not available():
        raise CleanerError(f"--dask needs the Dask extra: {INSTALL_HINT}")
    from distributed import Client

    try:
        if Path(target).is_file():
            return Client(
                scheduler_file=target, timeout=CONNECT_TIMEOUT_SECONDS, set_as_default=False
            )
        return Client(target, timeout=CONNECT_TIMEOUT_SECONDS, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise CleanerError(f"cannot connect to the Dask scheduler at {target}: {exc}") from exc


def check_workers(client: Client) -> None:
    """Warm up every worker and check that each runs this cleaner with these models: outputs
    and the manifest's run key depend on both, so a mixed cluster would give mixed outputs."""
    from cleaner.config import models_digest
    from cleaner.version import __version__

    expected = (__version__, models_digest())
    found: dict[str, Any] = client.run(_worker_identity)
    for address, identity in sorted(found.items()):
        if tuple(identity) != expected:
            raise CleanerError(
                f"Dask worker {address} runs cleaner {identity[0]} (models {identity[1]}),"
                f" this driver {expected[0]} (models {expected[1]}): install the same on both"
            )


class DaskEngine:
    """Ordered, windowed mapping of per-file calls over a Dask cluster (see the module doc).

    Connects on the first :meth:`map`, so a run with nothing stale never contacts the cluster
    (nor imports Dask). The driver's view of a result is the only one that counts: a file is
    recorded once, whatever number of times a lost worker made Dask run it.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self._client: Client | None = None
        self._paused: list[str] = []  # workers whose profiler this run paused

    @property
    def writes_here(self) -> bool:
        return False  # the workers may be other machines: each fsyncs its own files

    def client(self) -> Client:
        if self._client is None:
            client = connect(self.target)
            try:
                check_workers(client)
                paused: dict[str, bool] = client.run(_pause_profiler)
            except BaseException:
                client.close()
                raise
            self._paused = sorted(address for address, done in paused.items() if done)
            self._client = client
        return self._client

    def close(self) -> None:
        if self._client is None:
            return
        try:
            if self._paused:
                self._client.run(_resume_profiler, workers=self._paused, on_error="ignore")
        finally:
            self._client.close()
            self._client = None
            self._paused = []

    def map(
        self,
        fn: Callable[[A], R],
        items: Sequence[A],
        *,
        timeout: float | None,
        on_timeout: Callable[[A, float], R],
        on_crash: Callable[[A, int | None], R],
    ) -> Iterator[R]:
        """``map(fn, items)`` on the cluster, results in input order (see
        :func:`cleaner.batch.pool.ordered_map`; ``on_crash`` gets ``None`` as exit code). Closing
        the iterator early cancels what is still queued."""
        if not items:
            return iter(())
        return _Mapping(self.client(), fn, items, timeout, on_timeout, on_crash).results()


@dataclass(slots=True)
class _Chunk:
    """One task in flight: the input positions it cleans (ascending) and its future."""

    indices: list[int]
    token: str
    future: Future[Any]
    submitted: float  # monotonic time of submission


class _Mapping:
    """One ordered map: a window of chunk futures, the head awaited, overdue files expired.

    Invariant: every input position below ``next_in`` is either yielded, in ``ready``, or in
    exactly one chunk of ``flight``, whose chunks are in input order and disjoint. So the
    position the driver records next is in ``ready`` or in ``flight[0]``.
    """

    def __init__(
        self,
        client: Client,
        fn: Callable[[Any], Any],
        items: Sequence[Any],
        timeout: float | None,
        on_timeout: Callable[[Any, float], Any],
        on_crash: Callable[[Any, int | None], Any],
    ) -> None:
        self.client = client
        self.fn = fn
        self.items = items
        self.timeout = timeout
        self.on_timeout = on_timeout
        self.on_crash = on_crash
        self.prefix = f"cleaner-{uuid.uuid4().hex[:12]}-"
        self.serial = 0  # tasks submitted so far: the next token's number
        self.threads = sum(client.nthreads().values()) or 1
        self.ahead = max(MIN_AHEAD, AHEAD_PER_THREAD * self.threads)
        self.flight: deque[_Chunk] = deque()
        self.ready: dict[int, Any] = {}  # results settled, waiting for their turn
        self.next_in = 0  # the first position not submitted yet
        self.next_out = 0  # the position the driver records next

    def _tokens(self, count: int) -> list[str]:
        first = self.serial
        self.serial += count
        return [f"{self.prefix}{n}" for n in range(first, first + count)]

    def _submit(self) -> None:
        """Top the window up, in one message: the scheduler queues what exceeds the workers'
        slots."""
        chunks: list[list[int]] = []
        start = self.next_in
        while len(self.flight) + len(chunks) < self.ahead and start < len(self.items):
            size = chunk_size(len(self.items) - start, self.threads)
            chunks.append(list(range(start, min(start + size, len(self.items)))))
            start = chunks[-1][-1] + 1
        if not chunks:
            return
        self.flight.extend(self._launch(chunks))
        self.next_in = start

    def _launch(self, chunks: list[list[int]], **map_options: Any) -> list[_Chunk]:
        """One task per chunk of item positions, submitted in one ``client.map`` call."""
        tokens = self._tokens(len(chunks))
        futures = self.client.map(
            _call_chunk,
            [self.fn] * len(chunks),
            [[self.items[i] for i in indices] for indices in chunks],
            tokens,
            key=tokens,
            pure=False,
            **map_options,
        )
        now = time.monotonic()
        return [
            _Chunk(indices, token, future, now)
            for indices, token, future in zip(chunks, tokens, futures, strict=True)
        ]

    def _resubmit(self, chunk: _Chunk, parts: list[list[int]]) -> None:
        """Replace ``chunk`` (in its place in the window) by tasks for ``parts``, ahead of the
        queued ones; empty parts are dropped (their files are all settled)."""
        at = self.flight.index(chunk)
        del self.flight[at]
        parts = [part for part in parts if part]
        if not parts:
            return
        for offset, chunk in enumerate(self._launch(parts, priority=RESUBMIT_PRIORITY)):
            self.flight.insert(at + offset, chunk)

    def results(self) -> Iterator[Any]:
        try:
            while self.next_out < len(self.items):
                if self.next_out in self.ready:
                    self.next_out += 1
                    yield self.ready.pop(self.next_out - 1)
                    continue
                self._submit()
                self._await(self.flight[0])
        finally:
            if self.flight:
                self.client.cancel([chunk.future for chunk in self.flight], force=True)
                self.flight.clear()

    def _await(self, chunk: _Chunk) -> None:
        """Wait (at most POLL_SECONDS with a time limit) for the head chunk; settle its files
        into ``ready`` when it ends, or expire overdue files when it is late."""
        from distributed import CancelledError, KilledWorker

        wait = None if self.timeout is None else POLL_SECONDS
        try:
            values = chunk.future.result(timeout=wait)
        except TimeoutError:
            if self.timeout is not None and time.monotonic() - chunk.submitted > self.timeout:
                self._expire(self.timeout)
            return
        except (KilledWorker, CancelledError):
            if len(chunk.indices) > 1:  # find the file that kills workers: one per task
                self._resubmit(chunk, [[index] for index in chunk.indices])
                return
            (index,) = chunk.indices
            self.ready[index] = self.on_crash(self.items[index], None)
        except Exception as exc:  # not a file's failure (process() catches those): stop
            names = ", ".join(repr(self.items[i]) for i in chunk.indices)
            raise CleanerError(
                f"Dask task failed for {names}: {type(exc).__name__}: {exc}"
            ) from exc
        else:
            self.ready.update(zip(chunk.indices, values, strict=True))
        self.flight.popleft()

    def _expire(self, limit: float) -> None:
        """Settle every file running longer than ``limit`` as timed out and restart its worker
        (the only way to stop it). The rest of its chunk is submitted again (what it had
        cleaned is cleaned again, the same bytes); the worker's other tasks are rescheduled by
        Dask."""
        running: dict[str, Any] = self.client.run(_running, on_error="ignore")
        by_token = {chunk.token: chunk for chunk in self.flight}
        restart: set[str] = set()
        for address, tasks in running.items():
            if not isinstance(tasks, dict):
                continue
            for token, (position, seconds) in tasks.items():
                chunk = by_token.get(token)
                if seconds <= limit or chunk is None or chunk.future.done():
                    continue
                index = chunk.indices[position]
                self.ready[index] = self.on_timeout(self.items[index], limit)
                chunk.future.cancel()
                self._resubmit(chunk, [[i for i in chunk.indices if i != index]])
                restart.add(address)
        if restart:
            self.client.restart_workers(
                sorted(restart), timeout=RESTART_TIMEOUT_SECONDS, raise_for_error=False
            )
