"""Where the outputs of a WARC record go: ``<warc name>/<host>/<path>`` under OUT.

The mapping is read from the record's ``WARC-Target-URI`` alone, so a reader can find the
output of a page they know by its address: the host in lower case (with ``_<port>`` for a
port other than the scheme's), then the path's segments percent-decoded, without an
extension that only tells the kind (``.html``, ``.php`` ...), and ``index`` for a path that
ends in ``/``. A query string stays in the name (``list?page=2``), as it does for files.

Whatever the URI holds, a name never escapes its folder (``.`` and ``..`` segments go, a
``/`` or a control character inside a segment is escaped) and fits a file system's 255-byte
limit (a long segment is cut and given a short hash of itself). Two records with the same
stem in one archive (a page fetched twice, ``a`` and ``a.html``) are told apart by
:class:`Stems`: the first in archive order keeps the name, each later one gets ``~`` and 8
hex digits of its record id's SHA-256, so the mapping does not depend on ``--jobs``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from cleaner.names import tells_kind

DEFAULT_PORTS = {"http": 80, "https": 443}
NO_HOST = "_no-host"  # a target URI without one (a resource record named by a path)
INDEX = "index"
SEGMENT_BYTES = 200  # a segment longer than this (UTF-8) is cut: room for ~hash and .json
HASH_CHARS = 8
# An output's name must not be one of these (or look like one): the .txt/.json pair of an
# output is the stem plus a suffix, so a folder called "x.txt" would collide with stem "x".
RESERVED_ENDINGS = (".txt", ".json")


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]


def _escaped(segment: str) -> str:
    """A decoded segment as one safe file name: ``/``, ``\\``, ``%`` and control characters
    become ``%XX`` again (so distinct segments stay distinct)."""
    return "".join(_quoted(c) if c in "/\\%" or not c.isprintable() else c for c in segment)


def _quoted(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogateescape"))


def _fitted(segment: str) -> str:
    """The segment cut to :data:`SEGMENT_BYTES` bytes (on a character boundary) with a hash of
    the whole, when it is longer."""
    raw = segment.encode("utf-8", "surrogatepass")
    if len(raw) <= SEGMENT_BYTES:
        return segment
    cut = raw[: SEGMENT_BYTES - HASH_CHARS - 1].decode("utf-8", "ignore")
    return f"{cut}~{_short_hash(segment)}"


def _safe(segment: str) -> str:
    name = _fitted(_escaped(segment))
    if name.lower().endswith(RESERVED_ENDINGS) or name.startswith("."):
        name = "_" + name  # never a hidden name, nor a folder that reads as an output
    return name


def _host(uri: str) -> str:
    parts = urlsplit(uri)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return NO_HOST
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        port = None
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}_{port}"
    return _safe(host)


def _last(name: str, query: str) -> str:
    """The file name: without an extension that tells the kind, ``index`` when empty, the
    query string kept."""
    head, dot, ext = name.rpartition(".")
    if head and tells_kind(dot + ext):
        name = head
    name = name or INDEX
    return f"{name}?{query}" if query else name


def uri_stem(uri: str) -> str:
    """``https://Example.com:8443/News/a%20b.html?p=2#top`` -> ``example.com_8443/News/a b?p=2``."""
    parts = urlsplit(uri.strip())
    segments = [unquote(s, errors="surrogateescape") for s in parts.path.split("/")]
    kept = [s for s in segments[:-1] if s not in ("", ".", "..")]
    last = segments[-1] if segments and segments[-1] not in (".", "..") else ""
    name = _last(last, unquote(parts.query, errors="surrogateescape"))
    return "/".join([_host(uri), *(_safe(s) for s in kept), _safe(name)])


@dataclass(slots=True)
class Stems:
    """The stems given so far in one archive, to tell later records with the same one apart."""

    used: set[str] = field(default_factory=set)

    def claim(self, uri: str, record_id: str) -> str:
        """The stem for this record: :func:`uri_stem`, or with ``~hash`` of ``record_id``
        when an earlier record of the archive has it."""
        base = stem = uri_stem(uri)
        tries = 0
        while stem.lower() in self.used:  # case-blind: the same file on a case-blind disk
            tries += 1  # a record id repeated (a broken archive) must not overwrite either
            stem = f"{base}~{_short_hash(record_id if tries == 1 else f'{record_id}#{tries}')}"
        self.used.add(stem.lower())
        return stem
