"""A streaming parser for regedit ``.reg`` exports (REGEDIT4 and version 5.00).

Syntax: Microsoft KB 310516 (formats.md §2.2). Keys are ``[FULL\\PATH]`` lines
followed by ``"Name"=value`` lines; ``@`` names the default value; hex values
wrap with a trailing backslash; ``[-KEY]`` and ``"Name"=-`` delete.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from rootout.ingest.formats._endpoint_io import fail

HEADERS = ("Windows Registry Editor Version 5.00", "REGEDIT4")
MAX_STRING_LINES = 1000
"""A REG_SZ holding line breaks spans several lines; give up after this many."""
_HEX_TYPE = re.compile(r"hex(?:\(([0-9a-fA-F]{1,8})\))?:", re.ASCII)
_HEX_BYTES = re.compile(r"(?:[0-9a-fA-F]{1,2}(?:\s*,\s*[0-9a-fA-F]{1,2})*)?\s*,?", re.ASCII)


@dataclass(frozen=True, slots=True)
class RegKey:
    """One key of a .reg file: its full path, the line it starts on and its values."""

    path: str
    line: int
    values: dict[str, str] = field(default_factory=dict)
    deleted: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit("\\", 1)[-1]


def parse_reg(lines: Iterator[tuple[int, str]], path: PurePath | str) -> Iterator[RegKey]:
    """Yield every key of a .reg file in order, with its decoded values."""
    ansi = _read_header(lines, path)
    key: RegKey | None = None
    for number, text in _logical_lines(lines, path):
        stripped = text.strip()
        if not stripped or stripped.startswith(";"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            if key is not None:
                yield key
            key = _key_line(stripped, number, path)
            continue
        if key is None:
            fail(path, number, "value line before any [KEY] line")
        name, value = parse_value_line(stripped, number, path, ansi)
        if value is not None and not key.deleted:
            key.values[name] = value
    if key is not None:
        yield key


def _read_header(lines: Iterator[tuple[int, str]], path: PurePath | str) -> bool:
    for number, text in lines:
        stripped = text.strip().lstrip("\ufeff")
        if not stripped:
            continue
        if stripped not in HEADERS:
            fail(path, number, f"not a .reg export: expected {HEADERS[0]!r} or 'REGEDIT4'")
        return stripped == "REGEDIT4"
    fail(path, 1, "empty .reg file")


def _logical_lines(
    lines: Iterator[tuple[int, str]], path: PurePath | str
) -> Iterator[tuple[int, str]]:
    """Join hex continuation lines (trailing ``\\``) and REG_SZ values that span lines."""
    for number, text in lines:
        joined = text
        extra = 0
        while _continues(joined):
            nxt = next(lines, None)
            extra += 1
            if nxt is None or extra > MAX_STRING_LINES:
                fail(path, number, "value continues past the end of the file")
            joined = _join(joined, nxt[1])
        yield number, joined


def _continues(text: str) -> bool:
    stripped = text.rstrip()
    if "=hex" in stripped and stripped.endswith("\\"):
        return True
    return _open_string(stripped)


def _join(text: str, following: str) -> str:
    stripped = text.rstrip()
    if "=hex" in stripped and stripped.endswith("\\"):
        return stripped[:-1] + following.strip()
    return text + "\n" + following


def _open_string(text: str) -> bool:
    """Whether a ``"Name"="...`` line has an unterminated string value."""
    if not text.startswith(('"', "@")):
        return False
    pos = _skip_name(text)
    if pos is None or not text.startswith('="', pos):
        return False
    return _string_end(text, pos + 2) is None


def _skip_name(text: str) -> int | None:
    if text.startswith("@"):
        return 1
    end = _string_end(text, 1)
    return None if end is None else end + 1


def _string_end(text: str, pos: int) -> int | None:
    """Index of the closing quote of a string starting at ``pos`` (after its opening quote)."""
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == '"':
            return pos
        pos += 1
    return None


def _unescape(text: str) -> str:
    return re.sub(r'\\([\\"])', r"\1", text)


def _key_line(stripped: str, number: int, path: PurePath | str) -> RegKey:
    inner = stripped[1:-1].strip()
    deleted = inner.startswith("-")
    inner = inner.lstrip("-").strip()
    if not inner:
        fail(path, number, "empty key name")
    return RegKey(inner, number, {}, deleted)


def parse_value_line(
    text: str, number: int, path: PurePath | str, ansi: bool
) -> tuple[str, str | None]:
    """The name and decoded value of a ``"Name"=value`` line (value None for ``=-``)."""
    if not text.startswith(('"', "@")):
        fail(path, number, 'expected [KEY] or "Name"=value')
    end = _skip_name(text)
    if end is None or not text.startswith("=", end):
        fail(path, number, "malformed value name")
    name = "" if text.startswith("@") else _unescape(text[1 : end - 1])
    data = text[end + 1 :].strip()
    if data == "-":
        return name, None
    return name, _decode_data(data, number, path, ansi)


def _decode_data(data: str, number: int, path: PurePath | str, ansi: bool) -> str:
    if data.startswith('"'):
        close = _string_end(data, 1)
        if close is None or data[close + 1 :].strip():
            fail(path, number, "malformed string value")
        return _unescape(data[1:close])
    if data.lower().startswith("dword:"):
        digits = data[6:].strip()
        if not re.fullmatch(r"[0-9a-fA-F]{1,8}", digits):
            fail(path, number, f"malformed dword value {digits[:20]!r}")
        return str(int(digits, 16))
    match = _HEX_TYPE.match(data)
    if match is None:
        fail(path, number, f"unknown value type in {data[:30]!r}")
    kind = int(match.group(1), 16) if match.group(1) else 3
    return decode_typed(kind, _hex_bytes(data[match.end() :], number, path), ansi)


def _hex_bytes(text: str, number: int, path: PurePath | str) -> bytes:
    text = text.strip()
    if not _HEX_BYTES.fullmatch(text):
        fail(path, number, "malformed hex data")
    return bytes(int(part, 16) for part in text.replace(" ", "").split(",") if part)


def decode_typed(kind: int, raw: bytes, ansi: bool = False) -> str:
    """Text of registry data of type ``kind`` (REG_SZ=1, EXPAND_SZ=2, DWORD=4, MULTI_SZ=7...)."""
    if kind in (1, 2, 7):
        if ansi:
            text = raw.decode("cp1252", errors="replace")
        else:
            text = raw[: len(raw) - len(raw) % 2].decode("utf-16-le", errors="replace")
        if kind == 7:
            return "\n".join(part for part in text.split("\0") if part)
        return text.split("\0", 1)[0]
    if kind == 4 and len(raw) == 4:
        return str(int.from_bytes(raw, "little"))
    if kind == 5 and len(raw) == 4:
        return str(int.from_bytes(raw, "big"))
    if kind == 11 and len(raw) == 8:
        return str(int.from_bytes(raw, "little"))
    return raw.hex()
