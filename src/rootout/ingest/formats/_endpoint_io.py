"""Input helpers shared by the endpoint readers (osquery, Windows, MDM exports).

Every function here turns bad bytes into :class:`~rootout.errors.InputError`
with the file and line, and never lets a decoding, JSON or CSV exception escape.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any, BinaryIO, NoReturn

from rootout.errors import InputError, Location
from rootout.model.observation import Asset, AssetKind

MAX_LINE_BYTES = 64 * 1024 * 1024
"""Longest line a line-oriented reader accepts (bounded memory on hostile input)."""
_CHUNK = 1024 * 1024
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MSI_GUID = re.compile(r"\{[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}")
"""An MSI ProductCode: a GUID in braces."""
CSV_DELIMITERS = (",", ";", "\t", "|")
"""The only delimiters a CSV reader considers (no open-ended sniffing)."""


def fail(path: PurePath | str, line: int, message: str) -> NoReturn:
    raise InputError(Location(str(path), line), message)


def detect_encoding(head: bytes) -> tuple[str, int]:
    """The codec of a text file from its first bytes, and the length of its BOM.

    ``"8bit"`` means no BOM and no UTF-16 pattern: each line is UTF-8, else cp1252.
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return "utf-16-le", 0
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
        return "utf-16-be", 0
    return "8bit", 0


def head_text(head: bytes) -> str:
    """Best-effort text of a file head, for sniffing only (never raises)."""
    codec, skip = detect_encoding(head)
    data = head[skip:]
    if codec.startswith("utf-16") and len(data) % 2:
        data = data[:-1]
    return data.decode("utf-8" if codec == "8bit" else codec, errors="replace")


def _decode_8bit(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _chunks(stream: BinaryIO, first: bytes) -> Iterator[bytes]:
    if first:
        yield first
    while chunk := stream.read(_CHUNK):
        yield chunk


def iter_lines(stream: BinaryIO, path: PurePath | str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` for every line, without its line ending.

    Detects a UTF-8/UTF-16 BOM (and BOM-less UTF-16); other files are read as
    UTF-8 line by line, falling back to cp1252 for a line that is not UTF-8.
    """
    head = stream.read(4)
    codec, skip = detect_encoding(head)
    chunks = _chunks(stream, head[skip:])
    if codec == "8bit":
        yield from _split_bytes(chunks, path)
    else:
        yield from _split_text(chunks, codec, path)


def _split_bytes(chunks: Iterable[bytes], path: PurePath | str) -> Iterator[tuple[int, str]]:
    for number, raw in _split(chunks, b"\n", path):
        yield number, _decode_8bit(raw.removesuffix(b"\r"))


def _split_text(
    chunks: Iterable[bytes], codec: str, path: PurePath | str
) -> Iterator[tuple[int, str]]:
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    state = {"line": 1}

    def texts() -> Iterator[str]:
        for chunk in _with_final(chunks):
            try:
                yield decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                before = chunk[: exc.start].decode(codec, errors="replace").count("\n")
                fail(path, state["line"] + before, f"not valid {codec.upper()}: {exc.reason}")

    for number, text in _split(texts(), "\n", path):
        state["line"] = number + 1
        yield number, text.removesuffix("\r")


def _split(chunks: Iterable[Any], newline: Any, path: PurePath | str) -> Iterator[tuple[int, Any]]:
    """Split a stream of ``bytes`` or ``str`` chunks into numbered lines (bounded length)."""
    parts: list[Any] = []
    size = 0
    number = 0
    for chunk in chunks:
        start = 0
        while (end := chunk.find(newline, start)) >= 0:
            if size + end - start > MAX_LINE_BYTES:
                fail(path, number + 1, f"line longer than {MAX_LINE_BYTES} bytes")
            parts.append(chunk[start:end])
            number += 1
            yield number, newline[:0].join(parts)
            parts.clear()
            size = 0
            start = end + 1
        if start < len(chunk):
            parts.append(chunk[start:])
            size += len(chunk) - start
            if size > MAX_LINE_BYTES:
                fail(path, number + 1, f"line longer than {MAX_LINE_BYTES} bytes")
    if parts:
        yield number + 1, newline[:0].join(parts)


def _with_final(chunks: Iterable[bytes]) -> Iterator[bytes]:
    yield from chunks
    yield b""


def read_text(stream: BinaryIO, path: PurePath | str) -> str:
    """The whole stream as text (BOM-aware; UTF-8 when there is no BOM)."""
    data = stream.read()
    codec, skip = detect_encoding(data[:4])
    try:
        return data[skip:].decode("utf-8" if codec == "8bit" else codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1 if codec == "8bit" else 0
        fail(path, line, f"not valid {'UTF-8' if codec == '8bit' else codec.upper()} text")


# --- JSON ---------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


def _json_error(path: PurePath | str, exc: Exception, line: int) -> NoReturn:
    if isinstance(exc, json.JSONDecodeError):
        fail(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
    fail(path, line, "JSON nested too deeply")


def parse_json(text: str, path: PurePath | str, line: int = 0) -> Any:
    """``json.loads`` with errors as InputError; ``line`` is added for one-line documents."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(path, line or exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        fail(path, line or 1, "JSON nested too deeply")


def iter_json_items(text: str, path: PurePath | str) -> Iterator[tuple[int, int, Any]]:
    """Yield ``(index, line, value)`` for each element of a top-level JSON array.

    A top-level object is yielded as the single element ``(0, line, object)``
    with index -1 so callers can tell the two shapes apart.
    """
    pos = _WS.match(text).end()  # type: ignore[union-attr]
    if text.startswith("{", pos):
        line = text.count("\n", 0, pos) + 1
        value, end = _decode_at(text, pos, path)
        _expect_end(text, end, path)
        yield -1, line, value
        return
    if not text.startswith("[", pos):
        fail(path, text.count("\n", 0, pos) + 1, "expected a JSON array or object")
    yield from _array_items(text, pos + 1, path)


def _array_items(text: str, pos: int, path: PurePath | str) -> Iterator[tuple[int, int, Any]]:
    line, counted, index = 1 + text.count("\n", 0, pos), pos, 0
    pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        _expect_end(text, pos + 1, path)
        return
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        value, pos = _decode_at(text, pos, path)
        yield index, line, value
        index += 1
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            _expect_end(text, pos + 1, path)
            return
        if not text.startswith(",", pos):
            fail(path, line + text.count("\n", counted, pos), "expected ',' or ']' in JSON array")
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]


def _decode_at(text: str, pos: int, path: PurePath | str) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except (json.JSONDecodeError, RecursionError) as exc:
        _json_error(path, exc, text.count("\n", 0, pos) + 1)


def _expect_end(text: str, pos: int, path: PurePath | str) -> None:
    end = _WS.match(text, pos).end()  # type: ignore[union-attr]
    if end != len(text):
        fail(path, text.count("\n", 0, end) + 1, "unexpected data after the JSON document")


def scalar_text(value: Any) -> str | None:
    """A JSON scalar as text (``None`` for null, objects and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return None


# --- CSV ----------------------------------------------------------------------------------------


def detect_delimiter(header: str) -> str:
    """The delimiter from :data:`CSV_DELIMITERS` that splits the header into the most fields."""
    best, best_count = ",", 1
    for candidate in CSV_DELIMITERS:
        try:
            count = len(next(csv.reader([header], delimiter=candidate), []))
        except csv.Error:
            continue
        if count > best_count:
            best, best_count = candidate, count
    return best


def iter_csv(
    lines: Iterator[tuple[int, str]], path: PurePath | str
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and ``(line, row)`` pairs of a CSV document; skips a PowerShell ``#TYPE`` line.

    Rows shorter than the header are padded with empty values; longer rows
    are an error. Blank lines are skipped.
    """
    first = next(lines, None)
    while first is not None and first[1].startswith("#TYPE"):
        first = next(lines, None)
    if first is None:
        fail(path, 1, "empty CSV file: no header line")
    header_line, header_text = first
    delimiter = detect_delimiter(header_text)
    header = _parse_header(header_text, delimiter, path, header_line)
    return header, _csv_rows(lines, header, delimiter, path, header_line)


def _parse_header(text: str, delimiter: str, path: PurePath | str, line: int) -> list[str]:
    try:
        names = next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error as exc:
        fail(path, line, f"invalid CSV header: {exc}")
    return [name.strip() for name in names]


def _csv_rows(
    lines: Iterator[tuple[int, str]],
    header: list[str],
    delimiter: str,
    path: PurePath | str,
    header_line: int,
) -> Iterator[tuple[int, dict[str, str]]]:
    last_line = header_line
    physical = ((number, text + "\n") for number, text in lines)
    numbers: list[int] = []

    def feed() -> Iterator[str]:
        for number, text in physical:
            numbers.append(number)
            yield text

    reader = csv.reader(feed(), delimiter=delimiter)
    while True:
        start = last_line + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            fail(path, numbers[-1] if numbers else start, f"invalid CSV: {exc}")
        if row is None:
            return
        start = numbers[0] if len(numbers) > 0 else start
        last_line = numbers[-1] if numbers else start
        numbers.clear()
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            fail(path, start, f"{len(row)} fields but the header has {len(header)}")
        yield start, dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=True))


# --- assets -------------------------------------------------------------------------------------


def asset_from_path(path: PurePath | str, generic_stems: Iterable[str] = ()) -> Asset:
    """A HOST asset named after the input file when the input names no host.

    When the file's stem is one of ``generic_stems`` (``programs``, ``SOFTWARE``...),
    the parent folder's name is used instead, so per-host folders stay apart.
    """
    pure = PurePath(str(path).replace("\\", "/").split("!")[-1])
    name = pure.stem or pure.name or str(path)
    if name.lower() in {stem.lower() for stem in generic_stems} and pure.parent.name:
        name = pure.parent.name
    return Asset(kind=AssetKind.HOST, name=name, tags=(("derived_from", "file_name"),))
