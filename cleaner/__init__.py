"""cleaner: scraped news files in, clean article text and metadata out.

    >>> from cleaner import clean
    >>> result = clean(b"<html>...</html>", name="page.html")
    >>> result.text, result.metadata["title"]
"""

from cleaner.config import Options
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.pipeline import CleanResult, clean, explain
from cleaner.profile import Profile
from cleaner.version import __version__

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
