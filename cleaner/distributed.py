"""The Dask engine: a batch's per-file work on a Dask cluster, the rest exactly as a local run.

``cleaner clean SRC --out OUT --dask tcp://HOST:8786`` (or ``--dask scheduler.json``) runs the
same driver as a local run (:func:`cleaner.batch.run`): it walks SRC, reads the manifest, decides
what is stale, learns the batch profile, records outcomes in input order and writes the manifest
and the report. Only the per-file calls (:func:`cleaner.batch.scan` for the profile,
:func:`cleaner.batch.process` for the cleaning) go to the cluster, through :class:`DaskEngine`,
which plays the part of :func:`cleaner.pool.ordered_map`. So outputs, manifest and report are
byte-identical to ``--jobs N`` on the same folder.

Who writes: the workers, exactly as local workers do (:func:`cleaner.write.write_outputs`: each
pair staged in temp files beside its destination, fsynced, then renamed), so SRC and OUT must be
on a file system that the driver and every worker see at the same paths. The driver writes only
the manifest and the report. Writing on the workers keeps the driver from becoming the
bottleneck (one fsync'd pair per file) and keeps the texts off the network.

A lost worker: Dask reschedules the tasks it held on other workers; a file is recorded once, when
its task's result reaches the driver, so nothing is lost or doubled (a file may be *cleaned*
twice, the second time rewriting the same bytes, which :func:`cleaner.write.write_files` then
skips). A file whose task kills ``distributed.scheduler.allowed-failures`` workers in a row is
reported as ``worker process died``, like a crash of a local worker.

Time limit (``--timeout``): Dask cannot stop a running task, so a file running longer than the
limit gets its *worker* restarted through its nanny (as a local worker is killed and replaced):
each task notes on its worker when it started, and while the driver waits for a file that was
submitted longer than the limit ago it asks the workers (about once a second) which tasks are
overdue. Differences from a local run: the limit is checked to about a second, not to 10 ms; a
worker started without a nanny (``dask worker --no-nanny``) cannot be restarted, so the file is
reported timed out but its thread runs on; and restarting a worker also re-runs the other tasks
that were running on it (rescheduled elsewhere, nothing lost).

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
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cleaner.errors import CleanerError

if TYPE_CHECKING:
    from distributed import Client, Future

A = TypeVar("A")
R = TypeVar("R")

INSTALL_HINT = "pip install 'cleaner[dask]'"
CONNECT_TIMEOUT_SECONDS = 30
# Results waiting in the driver for a slow predecessor, and tasks queued on the scheduler, per
# worker thread (as POOL_MAX_AHEAD_PER_WORKER locally): enough to keep every worker busy.
AHEAD_PER_THREAD = 16
MIN_AHEAD = 32
POLL_SECONDS = 1.0  # how often overdue tasks are looked for while waiting on one
RESTART_TIMEOUT_SECONDS = 60

# Worker-side: the token of each task running in this worker process -> when it started.
_STARTED: dict[str, float] = {}


def available() -> bool:
    """True when the ``dask`` extra is installed (checked without importing it)."""
    return importlib.util.find_spec("distributed") is not None


def _call(fn: Callable[[A], R], item: A, token: str) -> R:
    """The task run on a worker: ``fn(item)``, noting while it runs (for the time limit)."""
    _STARTED[token] = time.monotonic()
    try:
        return fn(item)
    finally:
        _STARTED.pop(token, None)


def _running() -> dict[str, float]:
    """Worker-side: seconds each task of this process has been running, by token."""
    now = time.monotonic()
    return {token: now - since for token, since in list(_STARTED.items())}


def _worker_identity() -> tuple[str, str]:
    """Worker-side: import and warm up the pipeline (as a local run does before forking), and
    say which cleaner and models this worker runs."""
    from cleaner.batch import _warm_up
    from cleaner.config import models_digest
    from cleaner.version import __version__

    _warm_up()
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
        :func:`cleaner.pool.ordered_map`; ``on_crash`` gets ``None`` as exit code). Closing
        the iterator early cancels what is still queued."""
        if not items:
            return iter(())
        return _Mapping(self.client(), fn, items, timeout, on_timeout, on_crash).results()


class _Mapping:
    """One ordered map: a window of futures, the head awaited, overdue tasks expired."""

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
        threads = sum(client.nthreads().values()) or 1
        self.ahead = max(MIN_AHEAD, AHEAD_PER_THREAD * threads)
        # (index, future, monotonic time of submission), in input order
        self.flight: deque[tuple[int, Future[Any], float]] = deque()
        self.decided: dict[int, Any] = {}  # results settled before their task ended (timeouts)
        self.next_in = 0

    def _submit(self) -> None:
        """Top the window up: the scheduler queues what exceeds the workers' slots."""
        count = min(self.ahead - len(self.flight), len(self.items) - self.next_in)
        if count <= 0:
            return
        indices = range(self.next_in, self.next_in + count)
        tokens = [f"{self.prefix}{i}" for i in indices]
        futures = self.client.map(
            _call,
            [self.fn] * count,
            [self.items[i] for i in indices],
            tokens,
            key=tokens,
            pure=False,
        )
        now = time.monotonic()
        self.flight.extend((i, future, now) for i, future in zip(indices, futures, strict=True))
        self.next_in += count

    def results(self) -> Iterator[Any]:
        try:
            while self.flight or self.next_in < len(self.items):
                self._submit()
                index, future, submitted = self.flight[0]
                if index in self.decided:
                    self.flight.popleft()
                    yield self.decided.pop(index)
                    continue
                value = self._await(index, future, submitted)
                if value is _PENDING:
                    continue
                self.flight.popleft()
                yield value
        finally:
            if self.flight:
                self.client.cancel([future for _i, future, _t in self.flight], force=True)
                self.flight.clear()

    def _await(self, index: int, future: Future[Any], submitted: float) -> Any:
        from distributed import CancelledError, KilledWorker

        wait = None if self.timeout is None else POLL_SECONDS
        try:
            return future.result(timeout=wait)
        except TimeoutError:
            if self.timeout is not None and time.monotonic() - submitted > self.timeout:
                self._expire(self.timeout)
            return _PENDING
        except (KilledWorker, CancelledError):
            return self.on_crash(self.items[index], None)
        except Exception as exc:  # not a file's failure (process() catches those): stop
            raise CleanerError(
                f"Dask task failed for {self.items[index]!r}: {type(exc).__name__}: {exc}"
            ) from exc

    def _expire(self, limit: float) -> None:
        """Settle every task running longer than ``limit`` as timed out and restart its worker
        (the only way to stop it); the worker's other tasks are rescheduled by Dask."""
        running: dict[str, dict[str, float]] = self.client.run(_running, on_error="ignore")
        by_token = {f"{self.prefix}{i}": (i, future) for i, future, _t in self.flight}
        restart: set[str] = set()
        for address, tasks in running.items():
            if not isinstance(tasks, dict):
                continue
            for token, seconds in tasks.items():
                if seconds > limit and token in by_token:
                    index, future = by_token[token]
                    if index not in self.decided:
                        self.decided[index] = self.on_timeout(self.items[index], limit)
                        future.cancel()
                        restart.add(address)
        if restart:
            self.client.restart_workers(
                sorted(restart), timeout=RESTART_TIMEOUT_SECONDS, raise_for_error=False
            )


_PENDING: Any = object()
