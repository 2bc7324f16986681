"""The package version, recorded in every metadata file (outputs change when it does)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cleaner")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
