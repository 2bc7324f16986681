"""The package version, recorded in every metadata file (outputs change when it does).

The distribution is called ``cleaner-news`` (``cleaner`` on PyPI is an unrelated project);
the import package and the command are ``cleaner``.
"""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "cleaner-news"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
