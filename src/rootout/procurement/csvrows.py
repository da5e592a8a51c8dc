"""Stream a large delimited file row by row, keeping bad rows from stopping the read.

USAspending downloads are CSV (or TSV, or pipe-separated text) of millions of
rows with quoted fields that may hold newlines. :func:`rows` yields each row
with its first line number, or a :class:`BadRow` saying what is wrong with it
(wrong number of fields, bytes that are not text in the file's encoding, a
malformed quote) so the reader can report it and go on. Only a problem that
makes the rest of the file unreadable (a line over :data:`MAX_LINE`) raises.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from rootout.errors import InputError, Location
from rootout.ingest.textio import CHUNK, MAX_LINE, sniff_encoding

DELIMITERS = (",", "\t", "|")


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    """1-based line the row starts on."""
    cells: list[str]


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    message: str


def _lines(stream: BinaryIO, path: str) -> Iterator[str]:
    """Decoded lines with their endings; undecodable bytes become lone surrogates."""
    first = stream.read(CHUNK)
    encoding = sniff_encoding(first)
    if encoding == "utf-8-sig":
        first, encoding = first[3:], "utf-8"
    elif encoding != "utf-8":
        first = first[2:]
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    pending, chunk, line_no = "", first, 0
    while True:
        final = not chunk
        pending += decoder.decode(chunk, final=final)
        *complete, pending = pending.split("\n")
        for line in complete:
            line_no += 1
            yield line + "\n"
        if final and pending:
            yield pending
            return
        if len(pending) > MAX_LINE:
            raise InputError(Location(path, line_no + 1), f"line longer than {MAX_LINE} characters")
        if final:
            return
        chunk = stream.read(CHUNK)


def delimiter_of(header_line: str) -> str:
    """The delimiter the header line uses most (comma, tab or pipe)."""
    return max(DELIMITERS, key=header_line.count)


def rows(
    stream: BinaryIO, path: str, read: Callable[[list[str]], Collection[int]] | None = None
) -> tuple[list[str], Iterator[Row | BadRow]]:
    """The header cells and an iterator over the data rows (see the module docstring).

    ``read`` gives, from the header, the indexes of the cells the caller reads: only
    those must be text (a bad byte in a column nobody reads does not lose the row).
    """
    lines = _lines(stream, path)
    first = next(lines, "")
    if not first.strip():
        raise InputError(Location(path, 1), "empty file: no header line")
    delimiter = delimiter_of(first)
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(Location(path, 1), f"not a well-formed header line: {exc}") from None
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    checked = sorted(read(header)) if read else list(range(len(header)))
    return header, _data(lines, delimiter, len(header), checked)


def _data(
    lines: Iterator[str], delimiter: str, width: int, checked: list[int]
) -> Iterator[Row | BadRow]:
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    done = 1  # lines consumed so far (the header)
    while True:
        start = done + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            done = 1 + reader.line_num
            yield BadRow(start, f"not a well-formed row: {exc}")
            continue
        done = 1 + reader.line_num
        if not cells or cells == [""]:
            continue
        if len(cells) != width:
            yield BadRow(start, f"row has {len(cells)} fields, the header has {width}")
            continue
        if not _is_text([cells[i] for i in checked]):
            yield BadRow(start, "bytes that are not text in the file's encoding")
            continue
        yield Row(start, cells)


def _is_text(cells: list[str]) -> bool:
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
