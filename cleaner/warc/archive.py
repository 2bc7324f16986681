"""Clean every page of a WARC archive, in archive order: the Python API of WARC input.

Each page record is read with the charset its HTTP header declares and cleaned like a file;
its metadata gains ``warc`` (the archive, the record's id, offset and target URI) and
``fetched`` (``WARC-Date``), and ``url`` is the target URI when the page names none of its
own. ``source`` is the record's output stem under the archive's folder
(:mod:`cleaner.warc.mapping`), so every record of an archive has one of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.config import Options
from cleaner.errors import InputError
from cleaner.names import archive_stem
from cleaner.warc.mapping import Stems
from cleaner.warc.records import Record, records

if TYPE_CHECKING:
    from cleaner.pipeline import CleanResult

TEXT_TYPES = ("text/plain",)


@dataclass(frozen=True, slots=True)
class Item:
    """One record of the archive: cleaned (``result``), skipped (``record.skip``) or failed
    (``error``: the record's or the cleaning's reason). ``stem``: where its outputs go, under
    OUT (pages only)."""

    record: Record
    stem: str | None = None
    result: CleanResult | None = None
    error: str | None = None


def clean_archive(
    path: Path, *, name: str | None = None, options: Options | None = None
) -> Iterator[Item]:
    """Every record of the archive at ``path`` (``name``: its path as shown and mapped, the
    file name by default), in order."""
    opts = options or Options()
    found = records(path, max_bytes=opts.max_bytes)
    folder = archive_stem(name or path.name) + "/"
    return items(found, folder=folder, archive=name or path.name, options=opts)


def items(
    found: Iterable[Record], *, folder: str, archive: str, options: Options
) -> Iterator[Item]:
    """The records in order as items, each page cleaned and named ``folder`` + its stem
    (:class:`~cleaner.warc.mapping.Stems`, in archive order)."""
    stems = Stems()
    for record in found:
        if record.body is None:
            yield Item(record, error=record.error)
            continue
        stem = folder + stems.claim(record.uri, record.record_id)
        yield cleaned_item(record, stem, archive, options)


def cleaned_item(record: Record, stem: str, archive: str, options: Options) -> Item:
    """A page record as an :class:`Item`: cleaned, or with why it could not be."""
    try:
        result = clean_record(record, stem=stem, archive=archive, options=options)
    except InputError as exc:
        return Item(record, stem, error=exc.reason)
    return Item(record, stem, result)


def clean_record(record: Record, *, stem: str, archive: str, options: Options) -> CleanResult:
    """One page record cleaned as the document ``stem`` of ``archive`` (its path as shown),
    with the WARC fields in its metadata; InputError when it cannot be read."""
    from cleaner.pipeline import clean  # lazy, as in the batch workers
    from cleaner.read import read

    assert record.body is not None
    suffix = ".txt" if record.content_type in TEXT_TYPES else ".html"
    decoded = read(
        record.body, name=stem + suffix, max_bytes=options.max_bytes, charset=record.charset
    )
    result = clean(decoded, name=stem, options=options)
    result.metadata.update(_warc_fields(record, archive, result.metadata.get("url")))
    return result


def _warc_fields(record: Record, archive: str, url: object) -> dict[str, object]:
    return {
        "url": url or record.uri or None,
        "warc": {
            "file": archive,
            "record_id": record.record_id,
            "offset": record.offset,
            "uri": record.uri,
        },
        "fetched": record.date or None,
    }
