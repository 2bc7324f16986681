"""Which files of the walk are inputs: by name, by content where the name says nothing, and by
the user's ``--include`` / ``--exclude`` patterns.

A file with a known extension (``.html``, ``.txt`` ..., optionally ``.gz``, ``.bz2``, ``.xz``)
is an input. So is a file whose name gives no kind, when its first bytes look like HTML: no
extension at all (wget without ``-E`` saves ``story``), a server-side one (``page.php``,
``a.aspx``, ``article.shtml``) or a query string (``index.html?p=2``). Any other file is skipped,
and the report says why.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cleaner.names import SERVER_SIDE_SUFFIXES, document_suffixes, kind_part, unpacked

# Bytes read to tell HTML by its content: enough for a doctype, a head and a few tags.
SNIFF_BYTES = 4096
UNSUPPORTED = "unsupported file type"
NOT_HTML = "no known extension and not HTML by its content"


@dataclass(frozen=True, slots=True)
class Selection:
    """``--include`` / ``--exclude`` glob patterns. A pattern with a ``/`` is matched against
    the relative path, one without against the file name; ``*`` crosses folders in the first."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def reason(self, rel: str) -> str | None:
        """Why the user's patterns leave this file out (None: they do not)."""
        for pattern in self.exclude:
            if _matches(rel, pattern):
                return f"excluded by --exclude {pattern}"
        if self.include and not any(_matches(rel, p) for p in self.include):
            return "not matched by --include"
        return None


def _matches(rel: str, pattern: str) -> bool:
    target = rel if "/" in pattern else PurePosixPath(rel).name
    return fnmatch.fnmatchcase(target, pattern)


def known(name: str) -> bool:
    """Does the name say HTML or text (``.html``, ``.txt`` ..., optionally compressed)?"""
    return kind_part(name).endswith(document_suffixes())


def content_decides(name: str) -> bool:
    """Does the name say nothing of the kind, so that the content must: no extension, a
    server-side one, or a query string?"""
    base = unpacked(name)
    if "?" in base:
        return True
    suffix = PurePosixPath(base).suffix.lower()
    return not suffix or suffix in SERVER_SIDE_SUFFIXES or not suffix[1:].isalpha()


def skip_reason(path: Path, name: str) -> str | None:
    """Why a file that is not known by name is no input (None: its content is HTML)."""
    if not content_decides(name):
        return UNSUPPORTED
    return None if _looks_like_html(path) else NOT_HTML


def _looks_like_html(path: Path) -> bool:
    from cleaner.read import sniff_kind  # lazy: read imports ftfy and charset detection

    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return True  # let the read fail and report why
    return sniff_kind(_head_text(head), "") == "html"


def _head_text(head: bytes) -> str:
    """The first bytes as text for the sniff: a UTF-16 or UTF-8 byte-order mark is honoured
    (a cut-off last character does not matter), anything else read as latin-1."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    return head.decode("latin-1")
