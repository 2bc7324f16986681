"""cleaner: scraped news files in, clean article text and metadata out.

    >>> from cleaner import clean
    >>> result = clean(b"<html>...</html>", name="page.html")
    >>> result.text, result.metadata["title"]

``clean``, ``explain`` and ``CleanResult`` are imported on first use: the pipeline loads
trafilatura, lxml and langdetect (about half a second), which a no-op incremental run never needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cleaner.config import Options
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.profile import Profile
from cleaner.version import __version__

if TYPE_CHECKING:
    from cleaner.pipeline import CleanResult, clean, explain

_LAZY = frozenset({"CleanResult", "clean", "explain"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from cleaner import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")


__all__ = [
    "CleanResult",
    "CleanerError",
    "ConfigError",
    "InputError",
    "Options",
    "Profile",
    "__version__",
    "clean",
    "explain",
]
