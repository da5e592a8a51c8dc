"""Small helpers shared by the text-based readers: decoding, times, MACs, assets.

Everything here is pure or works on a stream it is given; nothing opens files.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any, BinaryIO

from rootout.errors import InputError, Location
from rootout.model.observation import Asset, AssetKind

CHUNK = 64 * 1024
MAX_LINE = 4 * 1024 * 1024
"""Longest line a text reader accepts; a longer one is hostile or not text."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_encoding(head: bytes) -> str:
    """The encoding named by a byte-order mark, else UTF-8."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return "utf-8"


def head_text(head: bytes) -> str:
    """The first bytes of an input as text, for sniffing (never raises)."""
    encoding = sniff_encoding(head)
    if encoding != "utf-8":
        head = head[len(codecs.BOM_UTF8 if encoding == "utf-8-sig" else codecs.BOM_UTF16_LE) :]
        encoding = encoding.removesuffix("-sig")
    return head.decode(encoding, errors="replace")


def iter_lines(stream: BinaryIO, path: str, *, keepends: bool = False) -> Iterator[str]:
    """Decode ``stream`` (BOM-aware, strict) and yield its lines.

    Raises InputError with the line number on bytes that are not valid text,
    or on a line longer than :data:`MAX_LINE`.
    """
    first = stream.read(CHUNK)
    encoding = sniff_encoding(first)
    if encoding == "utf-8-sig":
        first = first[len(codecs.BOM_UTF8) :]
        encoding = "utf-8"
    elif encoding != "utf-8":
        first = first[2:]
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    pending = ""
    line_no = 0
    chunk = first
    while True:
        final = not chunk
        try:
            pending += decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            bad_line = line_no + pending.count("\n") + 1
            raise InputError(
                Location(path, bad_line), f"not {encoding} text: {exc.reason}"
            ) from None
        *complete, pending = pending.split("\n")
        for line in complete:
            line_no += 1
            yield line + "\n" if keepends else line.removesuffix("\r")
        if len(pending) > MAX_LINE:
            raise InputError(Location(path, line_no + 1), f"line longer than {MAX_LINE} characters")
        if final:
            break
        chunk = stream.read(CHUNK)
    if pending:
        yield pending if keepends else pending.removesuffix("\r")


def numbered(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    """Pair lines with their 1-based numbers."""
    return enumerate(lines, start=1)


_EPOCH = re.compile(r"^-?\d{1,12}(\.\d+)?$")


def parse_time(text: str) -> dt.datetime:
    """Epoch seconds (with optional fraction) or ISO 8601; naive times are taken as UTC.

    Raises ValueError for anything else.
    """
    text = text.strip()
    if _EPOCH.match(text):
        return dt.datetime.fromtimestamp(float(text), tz=dt.UTC)
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def epoch_time(value: float) -> dt.datetime:
    """A UTC datetime from epoch seconds; raises ValueError when out of range."""
    try:
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"time {value!r} out of range") from exc


_MAC = re.compile(r"^[0-9A-Fa-f]{1,2}([:-])[0-9A-Fa-f]{1,2}(?:\1[0-9A-Fa-f]{1,2}){4}$")


def mac_address(text: str) -> str | None:
    """A 6-octet MAC as written (``:`` or ``-`` separated) with each octet padded to two digits.

    macOS ``arp -a`` drops leading zeros (``0:11:22:3:44:55``); padding is a
    reading of the format, not a normalisation. Returns None for anything else.
    """
    text = text.strip()
    match = _MAC.match(text)
    if not match:
        return None
    separator = match.group(1)
    return separator.join(octet.rjust(2, "0") for octet in text.split(separator))


def is_unicast(mac: str) -> bool:
    """False for broadcast, multicast (group bit set) and all-zero addresses."""
    digits = re.sub(r"[^0-9A-Fa-f]", "", mac)
    return len(digits) == 12 and digits.strip("0") != "" and not int(digits[:2], 16) & 1


def member_name(path: PurePath | str) -> str:
    """The innermost file name of a display path (``a.zip!dir/b.json`` -> ``b.json``)."""
    return PurePath(str(path).rsplit("!", 1)[-1]).name


def file_asset(path: PurePath | str) -> Asset:
    """The asset for an input that names none: a host named after the file."""
    name = member_name(path)
    stem = PurePath(name).stem or name
    return Asset(kind=AssetKind.HOST, name=stem)


def json_objects(stream: BinaryIO, display: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSON-lines stream.

    A line that is not JSON, or not a JSON object, is an InputError at that line.
    """
    for number, line in enumerate(iter_lines(stream, display), 1):
        if not line.strip():
            continue
        where = Location(display, number)
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise InputError(where, f"not JSON: {exc}") from None
        if not isinstance(record, dict):
            raise InputError(where, "each line must be an object, a JSON object")
        yield number, record
