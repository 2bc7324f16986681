"""The one error type the API raises for input it cannot clean.

``clean()`` either returns a result or raises :class:`InputError` whose message is a single line
naming the reason; the batch runner prefixes the file name. Anything else escaping ``clean()`` is a
bug, and the property tests check that.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(CleanerError):
    """The input cannot be cleaned (empty, binary, corrupt compression, too large...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(" ".join(reason.split()))
        self.reason = " ".join(reason.split())


class ConfigError(CleanerError):
    """Options or a configuration file are invalid (a usage error: exit code 2)."""


class OutputError(CleanerError):
    """The output folder or file cannot be written (full, read-only...): exit code 2."""


class Interrupted(CleanerError):
    """The run was interrupted (Ctrl-C) after ``done`` of ``total`` files; what is done is
    recorded, so a re-run resumes: exit code 130."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted: {done} of {total} done, re-run to resume")
        self.done = done
        self.total = total
