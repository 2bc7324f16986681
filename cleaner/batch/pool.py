"""An ordered process pool whose workers can be killed: a per-file time limit that really holds.

``concurrent.futures`` cannot stop one task: a file on which the extractor loops inside C code
would hold its worker (and the run) forever, and ``signal.alarm`` cannot interrupt a long C call
either. Here each worker is a forked process fed over its own pipe, in chunks, and it answers
once per item, so the parent knows which item each worker is on and since when. An item that
exceeds the time limit gets its worker killed (SIGKILL) and replaced; an item whose worker dies
(a crash in C code, the OOM killer) is reported the same way; the rest of that worker's chunk
is handed to the replacement. Results are yielded in input order, whatever the number of
workers, and at most ``max_ahead`` of them wait in memory for a slow predecessor.

Workers are forked, so they share the parent's already imported modules (no per-worker start-up
cost) and take the function with them without pickling. Linux/macOS only.

``PoolConfig.max_memory`` caps each worker's address space (``RLIMIT_AS``, set right after the
fork), so an item that needs too much memory gets a MemoryError in its own worker instead of
taking the machine: the function should turn that into its result; if it escapes, the worker
exits with :data:`OUT_OF_MEMORY_EXIT` and the item goes to ``on_crash`` like any other death.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar

A = TypeVar("A")
R = TypeVar("R")

_STOP = None
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# Exit status of a worker whose function let a MemoryError escape (sysexits.h's EX_OSERR).
OUT_OF_MEMORY_EXIT = 71
# A worker always gets at least this much address space beyond what it has at the fork: a caller
# whose process is already bigger than max_memory (a notebook with large libraries loaded)
# would otherwise see every item fail.
MIN_MEMORY_HEADROOM = 256 * 1024 * 1024


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when the parent dies (e.g. ``kill -9`` of the run), so
    no orphan keeps writing into OUT while the next run starts. Best effort elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux ``/proc``), or None where it is unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def limit_memory(max_memory: int | None) -> None:
    """Cap this process's address space (RLIMIT_AS: mapped memory, not RSS, so a limit also
    covers what is reserved but not yet touched) at ``max_memory`` bytes, or at its current
    size plus MIN_MEMORY_HEADROOM if that is more. Best effort: some systems refuse it."""
    if max_memory is None:
        return
    current = _address_space()
    if current is not None:
        max_memory = max(max_memory, current + MIN_MEMORY_HEADROOM)
    with contextlib.suppress(OSError, ValueError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            max_memory = min(max_memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, hard))


def _serve(conn: Connection, fn: Callable[[A], R], parent: int, max_memory: int | None) -> None:
    """Worker loop: receive a chunk of (index, item), send back (index, result) for each."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent)
    limit_memory(max_memory)
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is _STOP:
            return
        for index, item in chunk:
            try:
                conn.send((index, fn(item)))
            except (BrokenPipeError, ConnectionResetError):
                return
            except MemoryError:  # a traceback on stderr would be the only trace otherwise
                os._exit(OUT_OF_MEMORY_EXIT)


@dataclass(slots=True)
class _Worker(Generic[A]):
    process: BaseProcess
    conn: Connection
    pending: deque[tuple[int, A]] = field(default_factory=deque)
    since: float = 0.0  # when the item at the head of ``pending`` started


@dataclass(frozen=True, slots=True)
class PoolConfig:
    """How a pool runs: worker count, per-item time limit (seconds), chunk and look-ahead, and
    the address space in bytes each worker may use (None: no limit)."""

    workers: int = 1
    timeout: float | None = None
    chunk_size: int = 4
    max_ahead: int = 64
    max_memory: int | None = None


def ordered_map(
    fn: Callable[[A], R],
    items: Iterable[A],
    *,
    config: PoolConfig,
    on_timeout: Callable[[A, float], R],
    on_crash: Callable[[A, int | None], R],
) -> Iterator[R]:
    """``map(fn, items)`` over forked worker processes, results in input order.

    ``on_timeout(item, seconds)`` and ``on_crash(item, exitcode)`` give the result of an item
    whose worker was killed or died. Closing the iterator early kills the workers.
    """
    runner = _Runner(fn, iter(items), config, on_timeout, on_crash)
    try:
        yield from runner.results()
    finally:
        runner.shutdown()


class _Runner(Generic[A, R]):
    def __init__(
        self,
        fn: Callable[[A], R],
        items: Iterator[A],
        config: PoolConfig,
        on_timeout: Callable[[A, float], R],
        on_crash: Callable[[A, int | None], R],
    ) -> None:
        self.fn = fn
        self.items = enumerate(items)
        self.config = config
        self.on_timeout = on_timeout
        self.on_crash = on_crash
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker[A]] = []
        self.done: dict[int, R] = {}
        self.next_out = 0
        self.next_in = 0
        self.exhausted = False

    def _spawn(self) -> _Worker[A]:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_serve,
            args=(child, self.fn, os.getpid(), self.config.max_memory),
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _feed(self, worker: _Worker[A]) -> None:
        """Keep a worker one chunk ahead so it never waits for the parent."""
        if len(worker.pending) > 1 or self.exhausted:
            return
        chunk: list[tuple[int, A]] = []
        while len(chunk) < self.config.chunk_size and self.next_in - self.next_out < (
            self.config.max_ahead
        ):
            try:
                index, item = next(self.items)
            except StopIteration:
                self.exhausted = True
                break
            chunk.append((index, item))
            self.next_in = index + 1
        if chunk:
            if not worker.pending:
                worker.since = time.monotonic()
            worker.pending.extend(chunk)
            worker.conn.send(chunk)

    def _replace(self, worker: _Worker[A], result: R) -> None:
        """Record the head item's result, kill the worker, hand its other items to a new one."""
        index, _item = worker.pending.popleft()
        self.done[index] = result
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        fresh = self._spawn()
        self.workers[self.workers.index(worker)] = fresh
        rest = list(worker.pending)
        if rest:
            fresh.pending.extend(rest)
            fresh.since = time.monotonic()
            fresh.conn.send(rest)

    def _receive(self, worker: _Worker[A]) -> None:
        try:
            index, result = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join()
            self._replace(worker, self.on_crash(worker.pending[0][1], worker.process.exitcode))
            return
        head, _item = worker.pending.popleft()
        assert head == index, "worker answered out of order"
        self.done[index] = result
        worker.since = time.monotonic()

    def _expire(self, now: float) -> None:
        limit = self.config.timeout
        if limit is None:
            return
        for worker in list(self.workers):
            if worker.pending and now - worker.since > limit:
                self._replace(worker, self.on_timeout(worker.pending[0][1], limit))

    def _wait_time(self, now: float) -> float | None:
        if self.config.timeout is None:
            return None
        busy = [w.since for w in self.workers if w.pending]
        if not busy:
            return None
        return max(0.0, min(busy) + self.config.timeout - now) + 0.01

    def results(self) -> Iterator[R]:
        self.workers = [self._spawn() for _ in range(max(1, self.config.workers))]
        while True:
            for worker in self.workers:
                self._feed(worker)
            while self.next_out in self.done:
                yield self.done.pop(self.next_out)
                self.next_out += 1
            busy = [w for w in self.workers if w.pending]
            if not busy:
                if self.exhausted:
                    return
                continue
            ready = wait([w.conn for w in busy], timeout=self._wait_time(time.monotonic()))
            for worker in busy:
                if worker.conn in ready:
                    self._receive(worker)
            self._expire(time.monotonic())

    def shutdown(self) -> None:
        for worker in self.workers:
            if worker.pending or not self.exhausted:
                worker.process.kill()
            else:
                try:
                    worker.conn.send(_STOP)
                except OSError:
                    worker.process.kill()
            worker.process.join()
            worker.conn.close()
        self.workers = []
