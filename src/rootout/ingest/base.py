"""The reader interface and the registry of formats.

A reader turns one input stream into Observations. It must:

* stream: never hold more than one record (or one SBOM document) in memory
  beyond what its format forces;
* raise :class:`~rootout.errors.InputError` naming the file and position (line,
  JSON pointer, or XML line) for malformed input, and nothing else;
* know nothing about vendors.

Record-oriented readers of large files (a contracts CSV of millions of rows)
may instead report one bad record with :meth:`Reader.bad_record` and go on:
the scanner listens (``on_bad_record``), counts them and names the first ones
with file and line in the input's record. Without a listener a skipped record
raises, as before.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from rootout.errors import InputError
from rootout.model.observation import Observation

BadRecordListener = Callable[[InputError, bool], None]
"""Called with the error and whether the record was skipped (False: read in part)."""

_READERS: dict[str, type[Reader]] = {}


class Reader(ABC):
    """One input format."""

    name: ClassVar[str]
    """Format id, as given to ``--format``."""
    description: ClassVar[str]
    """One line for ``rootout formats`` and docs/inputs.md."""
    priority: ClassVar[int] = 50
    """Detection order: lower sniffs first (specific formats before generic ones)."""
    on_bad_record: BadRecordListener | None = None
    """Set by the scanner on the instance: where :meth:`bad_record` reports."""

    def bad_record(self, error: InputError, *, skipped: bool = True) -> None:
        """Report one bad record and go on; with nobody listening a skipped record raises ``error``."""
        if self.on_bad_record is not None:
            self.on_bad_record(error, skipped)
        elif skipped:
            raise error

    @classmethod
    @abstractmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """Whether this reader recognises the input from its name and first bytes (up to 64 KiB)."""

    @abstractmethod
    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        """Yield observations; raise InputError (with position) on malformed input.

        ``path`` is the display path (for archives, ``archive.zip!member``); read
        the bytes from ``stream``, never reopen ``path``.
        """


def register(cls: type[Reader]) -> type[Reader]:
    """Class decorator: add a reader to the registry under ``cls.name``."""
    if cls.name in _READERS and _READERS[cls.name] is not cls:
        raise RuntimeError(f"two readers claim the format name {cls.name!r}")
    _READERS[cls.name] = cls
    return cls


def all_readers() -> dict[str, type[Reader]]:
    """Every registered reader by name (imports every module in ``rootout.ingest.formats``)."""
    from rootout.ingest import formats

    for module in pkgutil.iter_modules(formats.__path__):
        importlib.import_module(f"{formats.__name__}.{module.name}")
    return dict(sorted(_READERS.items(), key=lambda kv: (kv[1].priority, kv[0])))


def detect(path: Path, head: bytes) -> type[Reader] | None:
    """The first reader, in priority order, that recognises the input."""
    for reader in all_readers().values():
        if reader.sniff(path, head):
            return reader
    return None
