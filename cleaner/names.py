"""File names as the read stage and the batch walk both see them: the compression suffixes
that say nothing of the kind, and a query string saved into the name (``index.html?p=2``)."""

from __future__ import annotations

PACKED_SUFFIXES = (".gz", ".bz2", ".xz")


def unpacked(name: str) -> str:
    """The name without one compression suffix: ``a.html.bz2`` -> ``a.html``."""
    lowered = name.lower()
    for suffix in PACKED_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def kind_part(name: str) -> str:
    """The part of a name that may tell the kind, lowercased: no compression suffix, no query
    string (``Index.HTML?p=2.gz`` -> ``index.html``)."""
    return unpacked(name).lower().split("?", 1)[0]
