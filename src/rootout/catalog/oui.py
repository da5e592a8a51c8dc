"""Read the IEEE MAC address registry in its common shapes.

Four shapes are recognised from the file's first lines, never from its name:

- IEEE ``oui.csv`` / ``mam.csv`` / ``oui36.csv`` (header
  ``Registry,Assignment,Organization Name,Organization Address``);
- IEEE ``oui.txt`` / ``mam.txt`` / ``oui36.txt`` (blank-line-separated ``(hex)`` /
  ``(base 16)`` blocks; for MA-M and MA-S the ``(base 16)`` line holds the assigned
  range inside the ``(hex)`` OUI);
- arp-scan ``ieee-oui.txt`` (``HEXPREFIX<TAB>Vendor``, ``#`` comments);
- Wireshark ``manuf`` (``prefix[/bits]<TAB>short<TAB>full`` and the older
  ``prefix<TAB>short  # full``).

The file is read line by line. A malformed line becomes a :class:`Problem` with
its ``path:line`` and reading goes on; only a file that is not a registry at all
raises :class:`InputError`. A 6-hex prefix is an MA-L assignment, 7-hex MA-M and
9-hex MA-S (IAB assignments are 9-hex too and count as MA-S).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from rootout.errors import InputError, Location, Problem
from rootout.match.normalize import hex_only


class Block(StrEnum):
    """The IEEE assignment block, named as in signature ids."""

    MA_L = "ma-l"  # 24-bit prefix, 6 hex digits
    MA_M = "ma-m"  # 28-bit prefix, 7 hex digits
    MA_S = "ma-s"  # 36-bit prefix, 9 hex digits (MA-S and the older IAB)


BLOCK_BY_DIGITS: dict[int, Block] = {6: Block.MA_L, 7: Block.MA_M, 9: Block.MA_S}
_DIGITS_BY_BITS = {24: 6, 28: 7, 36: 9}
_CSV_REGISTRIES = {"MA-L": 6, "MA-M": 7, "MA-S": 9, "IAB": 9}


class RegistryFormat(StrEnum):
    IEEE_CSV = "ieee-csv"
    IEEE_TXT = "ieee-txt"
    ARP_SCAN = "arp-scan"
    MANUF = "wireshark-manuf"


@dataclass(frozen=True, slots=True)
class Assignment:
    """One registry assignment: a MAC prefix and who it is registered to."""

    prefix: str  # upper-case hex, 6, 7 or 9 digits
    block: Block
    registrant: str
    line: int


@dataclass(frozen=True)
class Registry:
    """A registry file as read: its assignments, its date and every problem found."""

    path: str
    format: RegistryFormat
    sha256: str
    registry_date: dt.date | None
    assignments: tuple[Assignment, ...]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


@dataclass
class _Sink:
    """Where the line readers put problems and the header date they find."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    date: dt.date | None = None

    def error(self, line: int, message: str, code: str = "malformed") -> None:
        self.problems.append(Problem(Location(self.path, line), code, message))

    def warn(self, line: int, message: str, code: str = "not-an-assignment") -> None:
        self.problems.append(Problem(Location(self.path, line), code, message, "warning"))


Lines = Iterable[tuple[int, str]]
MAX_LINE = 64 * 1024
_PEEK = 64
_DATE_RE = re.compile(r"\b(?:generated|registry date)\b.*?\b(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
_HEX_RE = re.compile(r"^\s*([0-9A-Fa-f]{2})-([0-9A-Fa-f]{2})-([0-9A-Fa-f]{2})\s+\(hex\)\s*(.*)$")
_B16_RE = re.compile(r"^\s*([0-9A-Fa-f]{6})(?:-([0-9A-Fa-f]{6}))?\s+\(base 16\)\s*(.*)$")
_MANUF_START = re.compile(r"^[0-9A-Fa-f]{1,2}[:.-][0-9A-Fa-f]{1,2}")
_ARP_START = re.compile(r"^[0-9A-Fa-f]+\t")
_HEX_DIGITS = re.compile(r"[0-9A-Fa-f]+")


def read_registry(path: Path) -> Registry:
    """Read a registry file of any supported shape; raise InputError if it is none."""
    display = str(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InputError(Location(display), f"cannot read: {exc.strerror or exc}") from exc
    with stream:
        return read_stream(stream, display)


def read_stream(stream: BinaryIO, display: str) -> Registry:
    """Read a registry from a binary stream; ``display`` names it in problems."""
    sink = _Sink(display)
    digest = hashlib.sha256()
    lines = _decoded(stream, digest.update, sink)
    peeked = [item for _, item in zip(range(_PEEK), lines, strict=False)]
    fmt = detect_format(peeked, display)
    records = tuple(_PARSERS[fmt](chain(peeked, lines), sink))
    for _ in lines:  # drain, so the digest covers the whole file
        pass
    return Registry(
        path=display,
        format=fmt,
        sha256=digest.hexdigest(),
        registry_date=sink.date,
        assignments=records,
        problems=tuple(sorted(sink.problems)),
    )


def _decoded(
    stream: BinaryIO, update: Callable[[bytes], object], sink: _Sink
) -> Iterator[tuple[int, str]]:
    """Numbered text lines without their line ends; records header dates as it goes."""
    number = 0
    while raw := stream.readline(MAX_LINE):
        update(raw)
        number += 1
        if len(raw) == MAX_LINE and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream, update)
            sink.error(number, f"line longer than {MAX_LINE} bytes; skipped", "too-long")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            sink.error(number, f"not UTF-8 ({exc.reason}); line skipped", "encoding")
            continue
        text = text.rstrip("\r\n")
        if number == 1:
            text = text.removeprefix("\ufeff")
        if text.lstrip().startswith("#"):
            _note_date(number, text, sink)
        yield number, text


def _skip_rest_of_line(stream: BinaryIO, update: Callable[[bytes], object]) -> None:
    while chunk := stream.readline(MAX_LINE):
        update(chunk)
        if chunk.endswith(b"\n"):
            return


def _note_date(number: int, text: str, sink: _Sink) -> None:
    match = _DATE_RE.search(text)
    if match is None or sink.date is not None:
        return
    try:
        sink.date = dt.date.fromisoformat(match.group(1))
    except ValueError:
        sink.error(number, f"header date {match.group(1)!r} is not a valid date", "bad-date")


def detect_format(lines: list[tuple[int, str]], display: str) -> RegistryFormat:
    """Decide the shape from the first lines of a file."""
    data = [(n, t) for n, t in lines if t.strip() and not t.lstrip().startswith("#")]
    if not data:
        raise InputError(Location(display), "no registry entries found (empty or only comments)")
    first_line, first = data[0]
    if first.lower().startswith("registry,assignment"):
        return RegistryFormat.IEEE_CSV
    if any("(hex)" in t or "(base 16)" in t for _, t in data):
        return RegistryFormat.IEEE_TXT
    if _MANUF_START.match(first):
        return RegistryFormat.MANUF
    if _ARP_START.match(first):
        return RegistryFormat.ARP_SCAN
    raise InputError(
        Location(display, first_line),
        "not a recognised MAC registry: expected an IEEE oui.csv/mam.csv/oui36.csv, an IEEE "
        "oui.txt, an arp-scan ieee-oui.txt or a Wireshark manuf file",
    )


def _assignment(prefix: str, registrant: str, line: int) -> Assignment:
    return Assignment(prefix.upper(), BLOCK_BY_DIGITS[len(prefix)], registrant, line)


# -- IEEE CSV ------------------------------------------------------------------------


def _parse_csv(lines: Lines, sink: _Sink) -> Iterator[Assignment]:
    for number, text in lines:
        if not text.strip():
            continue
        try:
            row = next(csv.reader([text]))
        except (csv.Error, StopIteration) as exc:
            sink.error(number, f"unreadable CSV row: {exc}")
            continue
        if [c.strip().lower() for c in row[:2]] == ["registry", "assignment"]:
            continue
        record = _csv_row(row, number, sink)
        if record is not None:
            yield record


def _csv_row(row: list[str], number: int, sink: _Sink) -> Assignment | None:
    if len(row) < 3:
        sink.error(
            number, f"expected Registry,Assignment,Organization Name,...; got {len(row)} field(s)"
        )
        return None
    registry, prefix, registrant = (c.strip() for c in row[:3])
    digits = _CSV_REGISTRIES.get(registry.upper())
    if digits is None:
        sink.error(number, f"unknown registry {registry!r}; expected MA-L, MA-M, MA-S or IAB")
        return None
    if len(prefix) != digits or not _HEX_DIGITS.fullmatch(prefix):
        sink.error(number, f"{registry} assignment {prefix!r} is not {digits} hex digits")
        return None
    if not registrant:
        sink.error(number, f"assignment {prefix} has no organisation name")
        return None
    return _assignment(prefix, registrant, number)


# -- IEEE oui.txt ----------------------------------------------------------------------


def _parse_txt(lines: Lines, sink: _Sink) -> Iterator[Assignment]:
    pending: tuple[int, str, str] | None = None  # line, 24-bit OUI, organisation
    for number, text in lines:
        if "(hex)" in text:
            if pending is not None:
                sink.error(pending[0], "(hex) line without its (base 16) line")
            pending = None
            hex_match = _HEX_RE.match(text)
            if hex_match is None:
                sink.error(
                    number, "malformed (hex) line; expected 'XX-XX-XX   (hex)<TAB>Organization'"
                )
            else:
                pending = (number, "".join(hex_match.group(1, 2, 3)), hex_match.group(4).strip())
        elif "(base 16)" in text:
            record = _txt_base16(number, text, pending, sink)
            pending = None
            if record is not None:
                yield record
    if pending is not None:
        sink.error(pending[0], "(hex) line without its (base 16) line")


def _txt_base16(
    number: int, text: str, pending: tuple[int, str, str] | None, sink: _Sink
) -> Assignment | None:
    match = _B16_RE.match(text)
    if match is None:
        sink.error(
            number,
            "malformed (base 16) line; expected 'XXXXXX[-XXXXXX]   (base 16)<TAB>Organization'",
        )
        return None
    start, end, organisation = match.group(1), match.group(2), match.group(3).strip()
    line, registrant = number, organisation
    if pending is not None:
        line, registrant = pending[0], organisation or pending[2]
    if not registrant:
        sink.error(line, f"assignment {start} has no organisation name")
        return None
    if end is None:
        if pending is not None and pending[1].upper() != start.upper():
            sink.error(number, f"(base 16) {start} does not match the (hex) line's {pending[1]}")
            return None
        return _assignment(start, registrant, line)
    if pending is None:
        sink.error(number, "(base 16) range without the (hex) line naming its OUI")
        return None
    fixed = _fixed_digits(start.upper(), end.upper())
    if fixed is None:
        sink.error(number, f"range {start}-{end} is not an MA-M or MA-S block")
        return None
    return _assignment(pending[1] + fixed, registrant, line)


def _fixed_digits(start: str, end: str) -> str | None:
    """The assigned digits of a range such as 700000-7FFFFF (→ "7") or F4B000-F4BFFF (→ "F4B")."""
    free = len(start) - len(start.rstrip("0"))
    free = min(free, len(end) - len(end.rstrip("F")))
    fixed = len(start) - free
    if fixed not in (1, 3) or start[:fixed] != end[:fixed]:
        return None
    if start[fixed:] != "0" * free or end[fixed:] != "F" * free:
        return None
    return start[:fixed]


# -- arp-scan ieee-oui.txt --------------------------------------------------------------


def _parse_arp_scan(lines: Lines, sink: _Sink) -> Iterator[Assignment]:
    for number, text in lines:
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        prefix, tab, vendor = text.partition("\t")
        prefix, vendor = prefix.strip(), vendor.strip()
        if not tab or not vendor:
            sink.error(number, "expected <HEX-PREFIX><TAB><Vendor>")
        elif not _HEX_DIGITS.fullmatch(prefix):
            sink.error(number, f"prefix {prefix!r} is not hexadecimal")
        elif len(prefix) not in BLOCK_BY_DIGITS:
            sink.warn(
                number, f"prefix {prefix} has {len(prefix)} hex digits; IEEE blocks have 6, 7 or 9"
            )
        else:
            yield _assignment(prefix, vendor, number)


# -- Wireshark manuf ---------------------------------------------------------------------


def _parse_manuf(lines: Lines, sink: _Sink) -> Iterator[Assignment]:
    for number, text in lines:
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        token, _, rest = (
            text.strip().partition("\t") if "\t" in text else text.strip().partition(" ")
        )
        prefix = _manuf_prefix(token.strip(), number, sink)
        if prefix is None:
            continue
        registrant = _manuf_name(rest)
        if not registrant:
            sink.error(number, f"prefix {token.strip()} has no vendor name")
            continue
        yield _assignment(prefix, registrant, number)


def _manuf_prefix(token: str, number: int, sink: _Sink) -> str | None:
    address, slash, bits_text = token.partition("/")
    groups = re.split(r"[:.-]", address)
    if not all(1 <= len(g) <= 2 and _HEX_DIGITS.fullmatch(g) for g in groups):
        sink.error(number, f"{token!r} is not a MAC prefix")
        return None
    digits = "".join(g.zfill(2) for g in groups)
    if not slash:
        if len(digits) == 6:
            return digits
        sink.warn(number, f"{token} is not a 24-bit OUI (a well-known address?); skipped")
        return None
    wanted = _DIGITS_BY_BITS.get(int(bits_text)) if bits_text.isdecimal() else None
    if wanted is None:
        sink.warn(number, f"/{bits_text} is not an IEEE block size (24, 28 or 36 bits); skipped")
        return None
    if len(digits) < wanted or digits[wanted:].strip("0"):
        sink.error(number, f"{token} does not fit its /{bits_text} mask")
        return None
    return digits[:wanted]


def _manuf_name(rest: str) -> str:
    """The full vendor name: third column, or the ``# comment`` of the older form, or the short name."""
    columns = [c.strip() for c in rest.split("\t") if c.strip()]
    if not columns:
        return ""
    short, _, comment = columns[0].partition("#")
    if comment.strip():
        return comment.strip()
    if len(columns) > 1:
        full = columns[1].lstrip("#").strip()
        return full or short.strip()
    return short.strip()


_PARSERS = {
    RegistryFormat.IEEE_CSV: _parse_csv,
    RegistryFormat.IEEE_TXT: _parse_txt,
    RegistryFormat.ARP_SCAN: _parse_arp_scan,
    RegistryFormat.MANUF: _parse_manuf,
}


# -- lookup ----------------------------------------------------------------------------


class PrefixTable:
    """Longest-prefix lookup over assignments: an MA-S inside an MA-L wins over it."""

    def __init__(self, assignments: Iterable[Assignment]) -> None:
        self._by_prefix: dict[str, list[Assignment]] = {}
        for record in assignments:
            self._by_prefix.setdefault(record.prefix, []).append(record)

    def lookup(self, mac: str) -> tuple[Assignment, ...]:
        """Assignments of the longest registered prefix of ``mac`` (several if the registry repeats it)."""
        digits = hex_only(mac)
        for length in sorted(BLOCK_BY_DIGITS, reverse=True):
            found = self._by_prefix.get(digits[:length]) if len(digits) >= length else None
            if found:
                return tuple(found)
        return ()
