"""Compressed inputs (.gz, .zip, .tar), opened as streams with bounded expansion.

Archives are never extracted to disk: each member is read as a stream and named
for display as ``archive.zip!inner/file.json`` (nested: ``a.zip!b.zip!c.log``).
Member names are only ever shown, never used as paths, so "zip-slip" (``../``
in a member name) cannot write anywhere.

Expansion is bounded while streaming: every decompressed byte is counted as it
is read (sizes in archive headers can lie) against a :class:`Budget` shared by
one top-level input and everything nested in it:

* total decompressed bytes (default 4 GiB);
* expansion ratio, decompressed bytes per byte read from the top-level file
  (default 200:1, checked once 1 MiB has come out);
* member count (default 10,000) and nesting depth (default 4).

A nested zip is spooled to a bounded temporary buffer (memory, then a temporary
file) because ``zipfile`` needs to seek; its bytes count against the budget too.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import IO, BinaryIO, Protocol

from rootout.errors import InputError, Location

GIB = 1024**3
MIB = 1024**2


class ArchiveKind(StrEnum):
    GZIP = "gzip"
    ZIP = "zip"
    TAR = "tar"


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on what one top-level input may expand to."""

    max_total_bytes: int = 4 * GIB
    max_ratio: float = 200.0
    ratio_grace_bytes: int = MIB
    max_members: int = 10_000
    max_depth: int = 4
    spool_memory_bytes: int = 16 * MIB


class ArchiveLimitError(InputError):
    """An archive exceeded a :class:`Limits` cap (a decompression bomb, or simply too big)."""


class Budget:
    """Decompressed bytes and members charged so far for one top-level input."""

    def __init__(self, limits: Limits, source_bytes: Callable[[], int]) -> None:
        self.limits = limits
        self._source_bytes = source_bytes
        self.expanded = 0
        self.members = 0
        self.exceeded: str | None = None
        """The limit error's message (with the member where it happened), once a cap is hit."""

    def charge(self, count: int, display: str) -> None:
        self.expanded += count
        limits = self.limits
        if self.expanded > limits.max_total_bytes:
            self._fail(display, f"expands beyond {limits.max_total_bytes} bytes")
        ratio_base = max(self._source_bytes(), 1)
        if (
            self.expanded > limits.ratio_grace_bytes
            and self.expanded > limits.max_ratio * ratio_base
        ):
            self._fail(
                display,
                f"expansion ratio above {limits.max_ratio:g}:1 "
                f"({self.expanded} bytes out of {ratio_base} read): a decompression bomb?",
            )

    def member(self, display: str) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            self._fail(display, f"more than {self.limits.max_members} archive members")

    def _fail(self, display: str, message: str) -> None:
        error = ArchiveLimitError(Location(display), message)
        self.exceeded = str(error)
        raise error


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Expanding(io.RawIOBase):
    """A decompressing stream: charges every byte it yields, reports corruption as InputError."""

    def __init__(self, inner: _Readable, display: str, budget: Budget | None) -> None:
        self._inner = inner
        self._display = display
        self._budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile, tarfile.TarError) as exc:
            raise InputError(Location(self._display), f"corrupt compressed data: {exc}") from None
        count = len(data)
        buffer[:count] = data
        if self._budget is not None:
            self._budget.charge(count, self._display)
        return count


def _stream(inner: _Readable, display: str, budget: Budget | None) -> BinaryIO:
    return io.BufferedReader(_Expanding(inner, display, budget), buffer_size=64 * 1024)


def archive_kind(name: str, head: bytes) -> ArchiveKind | None:
    """Which archive the bytes start with (magic numbers; the name is not trusted)."""
    if head.startswith(b"\x1f\x8b"):
        return ArchiveKind.GZIP
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ArchiveKind.ZIP
    if len(head) >= 262 and head[257:262] == b"ustar":
        return ArchiveKind.TAR
    return None


@dataclass(frozen=True, slots=True)
class Member:
    """One file inside an archive: a stream to read, or why it cannot be read."""

    name: str
    display: str
    stream: BinaryIO | None = None
    error: str | None = None


def members(kind: ArchiveKind, display: str, stream: BinaryIO, budget: Budget) -> Iterator[Member]:
    """The members of one archive level, in archive order; raise InputError if it is corrupt.

    Each member's stream must be read (or abandoned) before asking for the next.
    """
    if kind is ArchiveKind.GZIP:
        yield from _gzip_members(display, stream, budget)
    elif kind is ArchiveKind.ZIP:
        yield from _zip_members(display, stream, budget)
    else:
        yield from _tar_members(display, stream, budget)


def _gzip_members(display: str, stream: BinaryIO, budget: Budget) -> Iterator[Member]:
    outer = PurePosixPath(display.rsplit("!", 1)[-1]).name
    inner = outer[: -len(".gz")] if outer.lower().endswith(".gz") else outer
    inner = inner[: -len(".tgz")] + ".tar" if outer.lower().endswith(".tgz") else inner
    name = f"{display}!{inner}"
    budget.member(name)
    yield Member(inner, name, _stream(gzip.GzipFile(fileobj=stream, mode="rb"), name, budget))


def _seekable(stream: BinaryIO, display: str, budget: Budget) -> IO[bytes]:
    """``stream`` itself when it can seek, else a bounded spooled copy of it."""
    try:
        if stream.seekable():
            return stream
    except (OSError, ValueError):
        pass
    spool = tempfile.SpooledTemporaryFile(max_size=budget.limits.spool_memory_bytes)  # noqa: SIM115
    while chunk := stream.read(1024 * 1024):
        spool.write(chunk)
    spool.seek(0)
    return spool


def _zip_members(display: str, stream: BinaryIO, budget: Budget) -> Iterator[Member]:
    try:
        archive = zipfile.ZipFile(_seekable(stream, display, budget))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise InputError(Location(display), f"not a readable zip archive: {exc}") from None
    with archive:
        for info in infos:
            if info.is_dir():
                continue
            name = f"{display}!{info.filename}"
            budget.member(name)
            if info.flag_bits & 0x1:
                yield Member(info.filename, name, error="encrypted member: cannot be read")
                continue
            try:
                member = archive.open(info)
            except (zipfile.BadZipFile, NotImplementedError, zlib.error, OSError) as exc:
                yield Member(info.filename, name, error=f"cannot open member: {exc}")
                continue
            with member:
                yield Member(info.filename, name, _stream(member, name, budget))


def _tar_members(display: str, stream: BinaryIO, budget: Budget) -> Iterator[Member]:
    try:
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for info in archive:
                if not info.isfile():
                    continue  # directories, links, devices: nothing to read
                name = f"{display}!{info.name}"
                budget.member(name)
                member = archive.extractfile(info)
                if member is not None:
                    yield Member(info.name, name, _stream(member, name, None))
    except tarfile.TarError as exc:
        raise InputError(Location(display), f"not a readable tar archive: {exc}") from None
