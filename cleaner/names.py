"""File names as the read stage and the batch walk both see them: the compression suffixes
that say nothing of the kind, a query string saved into the name (``index.html?p=2``), and
the WARC archives whose pages go into a folder named after them."""

from __future__ import annotations

import functools

PACKED_SUFFIXES = (".gz", ".bz2", ".xz")
WARC_SUFFIXES = (".warc", ".warc.gz")  # a crawl archive (see cleaner.batch.archives)
SERVER_SIDE_SUFFIXES = (
    ".php", ".php3", ".php5", ".phtml", ".asp", ".aspx", ".jsp", ".jspx", ".shtml", ".shtm",
    ".cfm", ".cgi", ".do",
)  # fmt: skip


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


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def archive_stem(relative: str) -> str:
    """The folder an archive's outputs go in: its path under SRC without ``.warc(.gz)``."""
    base = unpacked(relative) if relative.lower().endswith(".warc.gz") else relative
    return base[: -len(".warc")] if base.lower().endswith(".warc") else base


@functools.cache
def document_suffixes() -> tuple[str, ...]:
    """The extensions of the pages and texts the read stage takes (``.html``, ``.txt`` ...)."""
    from cleaner.read import SUPPORTED_SUFFIXES  # lazy: read imports this module

    return SUPPORTED_SUFFIXES


def tells_kind(suffix: str) -> bool:
    """Is this extension one that names a page or a text (``.html``, ``.txt``, ``.php`` ...),
    and so not part of the document's name?"""
    lowered = suffix.lower()
    return lowered in document_suffixes() or lowered in SERVER_SIDE_SUFFIXES
