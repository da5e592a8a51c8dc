"""Byte streams for the scanner: counting and hashing as bytes go by, and replaying a sniffed head."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import BinaryIO

HEAD_BYTES = 64 * 1024
"""How much of each input readers may sniff."""


class Tap(io.RawIOBase):
    """Pass-through reader that counts bytes, hashes them once in order, and reports progress.

    It may seek (zip needs to); :meth:`finish` then reads on from the first byte
    not yet hashed, so the digest always covers the whole input exactly once.
    """

    def __init__(self, inner: BinaryIO, on_read: Callable[[int], None] | None = None) -> None:
        self._inner = inner
        self._on_read = on_read
        self._pos = 0
        self._hashed = 0
        self._digest = hashlib.sha256()
        self.count = 0
        """Bytes read from ``inner``, re-reads included (the base of the expansion ratio)."""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        try:
            return self._inner.seekable()
        except (OSError, ValueError):
            return False

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = self._inner.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        start, self._pos = self._pos, self._pos + count
        self.count += count
        if start <= self._hashed < self._pos:
            self._digest.update(data[self._hashed - start :])
            self._hashed = self._pos
        if self._on_read is not None:
            self._on_read(self._hashed)
        return count

    def finish(self) -> tuple[str, int]:
        """Read what is left unhashed; return (sha256 hex, size in bytes)."""
        if self._pos != self._hashed and self.seekable():
            self.seek(self._hashed)
        while self.read(1024 * 1024):
            pass
        return self._digest.hexdigest(), self._hashed


class Replay(io.RawIOBase):
    """The head already read for sniffing, then the rest of the stream."""

    def __init__(self, head: bytes, rest: io.RawIOBase) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        return self._rest.readinto(buffer) or 0


def read_head(tap: Tap) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < HEAD_BYTES and (chunk := tap.read(HEAD_BYTES - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def rewound(tap: Tap, head: bytes) -> BinaryIO:
    """A stream from the first byte again: by seeking when possible, else by replaying the head."""
    raw: io.RawIOBase = tap
    if tap.seekable():
        tap.seek(0)
    else:
        raw = Replay(head, tap)
    return io.BufferedReader(raw, buffer_size=256 * 1024)
