"""Streaming JSON for large documents: ijson push parsers behind a depth guard.

A 250 MB SBOM loaded with :func:`json.load` costs about five times its size in
memory; ijson's C backend (yajl) builds one array item at a time instead. Two
hazards of ijson are handled here:

* nesting: ijson keeps the dotted prefix of every open container, so memory
  grows with the square of the depth (a 200 KB file of ``[`` exhausts memory).
  :class:`DepthGuard` counts brackets outside strings, chunk by chunk, and
  stops the document before ijson sees a chunk that nests too deep;
* errors carry no line: :class:`JsonFeed` counts lines as it feeds, and reports
  the line where the failing chunk starts.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Iterator
from itertools import accumulate
from typing import Any, BinaryIO, NoReturn, Protocol

import ijson  # type: ignore[import-untyped]

from rootout.errors import InputError, Location

CHUNK = 64 * 1024
MAX_DEPTH = 256
"""Deepest nesting of JSON arrays and objects a streamed document may have."""

_STRINGS = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_DELTAS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class Sink(Protocol):
    """An ijson push coroutine."""

    def send(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class DepthGuard:
    """Tracks the nesting depth of a JSON text fed in chunks, ignoring strings.

    Escapes are dropped first (``\\\\`` then ``\\"``), so every remaining quote
    opens or closes a string; brackets between a closing and the next opening
    quote are structure.
    """

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self._in_string = False
        self._backslash = b""

    def exceeded(self, chunk: bytes) -> bool:
        """Feed the next chunk; whether the document nests deeper than the limit in it."""
        data = (self._backslash + chunk).replace(b"\\\\", b"")
        self._backslash = b"\\" if data.endswith(b"\\") else b""
        if self._backslash:
            data = data[:-1]
        marks = data.replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
        if self._in_string:
            marks = b'"' + marks
        marks = _STRINGS.sub(b"", marks.replace(b'""', b""))
        open_quote = marks.find(b'"')
        self._in_string = open_quote >= 0
        if self._in_string:
            marks = marks[:open_quote]
        if not marks:
            return False
        deltas = array("b", marks.translate(_DELTAS))
        peak = max(accumulate(deltas, initial=self.depth))
        self.depth += sum(deltas)
        return peak > self.limit


def utf8_chunks(stream: BinaryIO, path: str) -> Iterator[bytes]:
    """The stream as UTF-8 chunks: a UTF-8 BOM is dropped, UTF-16/32 (with BOM) re-encoded."""
    first = stream.read(CHUNK)
    encoding, skip = "utf-8", 0
    for bom, name in _BOMS:
        if first.startswith(bom):
            encoding, skip = name, len(bom)
            break
    chunk = first[skip:]
    if encoding == "utf-8":
        while chunk:
            yield chunk
            chunk = stream.read(CHUNK)
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    while True:
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise InputError(Location(path), f"not {encoding} text: {exc.reason}") from None
        if text:
            yield text.encode("utf-8", errors="surrogatepass")
        if not chunk:
            return
        chunk = stream.read(CHUNK)


def items_sink(prefix: str, into: list[Any]) -> Sink:
    """A push parser that appends every value found at ``prefix`` (ijson syntax) to ``into``."""
    coro: Sink = ijson.items_coro(_Append(into), prefix, use_float=True)
    return coro


class _Append:
    """The target ijson sends finished values to."""

    def __init__(self, into: list[Any]) -> None:
        self.into = into

    def send(self, value: Any) -> None:
        self.into.append(value)


class _Discard:
    """A target that drops what ijson sends it."""

    def send(self, value: Any) -> None:
        return None


class JsonFeed:
    """Feeds chunks to ijson push parsers and turns every failure into InputError.

    On a syntax error, a seekable stream is parsed again (events only, no
    values built) up to the failing chunk, and that chunk line by line, to name
    the exact line; otherwise the line where the failing chunk starts is named.
    """

    def __init__(self, path: str, stream: BinaryIO | None = None) -> None:
        self.path = path
        self.stream = stream
        self.line = 1
        self.chunks = 0
        self.guard = DepthGuard()

    def feed(self, chunk: bytes, sinks: list[Sink]) -> None:
        if self.guard.exceeded(chunk):
            self.fail(f"JSON nested deeper than {self.guard.limit} levels")
        for sink in sinks:
            self._call(sink.send, chunk)
        self.line += chunk.count(b"\n")
        self.chunks += 1

    def close(self, sinks: list[Sink]) -> None:
        for sink in sinks:
            self._call(sink.close)

    def _call(self, method: Any, *args: bytes) -> None:
        try:
            method(*args)
        except ijson.JSONError as exc:
            self.line = self._error_line()
            self.fail(f"malformed JSON: {_yajl_message(exc)}")
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            self.fail(f"malformed JSON: {exc}")

    def _error_line(self) -> int:
        stream, line = self.stream, 1
        try:
            if stream is None or not stream.seekable():
                return self.line
            stream.seek(0)
            parser = ijson.basic_parse_coro(_Discard())
            for index, chunk in enumerate(utf8_chunks(stream, self.path)):
                for piece in [chunk] if index < self.chunks else chunk.splitlines(keepends=True):
                    parser.send(piece)
                    line += piece.count(b"\n")
            parser.close()
        except ijson.JSONError:
            return line
        except Exception:  # the second pass is best effort; the first error stands
            return self.line
        return self.line

    def fail(self, message: str) -> NoReturn:
        raise InputError(Location(self.path, self.line), message)


def _yajl_message(exc: BaseException) -> str:
    """yajl's message and the text around the error, on one line."""
    text = exc.args[0] if exc.args else ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    near = f" near: {lines[1]}" if len(lines) > 1 and "(right here)" not in lines[1] else ""
    return lines[0] + near
