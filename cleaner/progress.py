"""Feedback while a batch runs: a rich progress bar on stderr, only when stderr is a terminal.

In a Makefile or CI log a bar is noise (and its control codes garble the log), so anything
that is not a terminal gets nothing but the summary line. rich is imported only when a bar is
shown, and the bar is refreshed from the main thread (no refresh thread): the batch forks
worker processes, and forking while another thread holds a lock is unsafe.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any


class Feedback:
    """A progress bar when ``enabled``; otherwise every method does nothing."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    @staticmethod
    def wanted(*, quiet: bool) -> bool:
        return not quiet and sys.stderr.isatty()

    def __enter__(self) -> Feedback:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def phase(self, what: str) -> None:
        """Say what a long step before the cleaning does (the profile's first pass), so the
        terminal does not sit silent; the bar replaces the line when the cleaning starts."""
        if self.enabled:
            sys.stderr.write(f"cleaner: {what}...\r")
            sys.stderr.flush()

    def start(self, total: int) -> None:
        """Show the bar for ``total`` files (nothing when there is nothing to do)."""
        if not self.enabled or total == 0:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("cleaning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed ·"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed, about"),
            TimeRemainingColumn(),
            TextColumn("left (estimate)"),
            console=Console(stderr=True),
            auto_refresh=False,
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("clean", total=total, failed=0, rate="")

    def advance(self, *, failed: bool = False) -> None:
        if self._progress is None:
            return
        task = self._progress.tasks[0]
        speed = task.speed
        rate = f"{speed:.1f} files/s ·" if speed else ""
        self._progress.update(
            self._task, advance=1, failed=task.fields["failed"] + failed, rate=rate
        )
        self._progress.refresh()

    def print(self, line: str) -> None:
        """A line on stderr that does not tear the bar."""
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
