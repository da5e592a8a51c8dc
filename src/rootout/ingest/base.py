"""The reader interface and the registry of formats.

A reader turns one input stream into Observations. It must:

* stream: never hold more than one record (or one SBOM document) in memory
  beyond what its format forces;
* raise :class:`~rootout.errors.InputError` naming the file and position (line,
  JSON pointer, or XML line) for malformed input, and nothing else;
* know nothing about vendors.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from rootout.model.observation import Observation

_READERS: dict[str, type[Reader]] = {}


class Reader(ABC):
    """One input format."""

    name: ClassVar[str]
    """Format id, as given to ``--format``."""
    description: ClassVar[str]
    """One line for ``rootout formats`` and docs/inputs.md."""
    priority: ClassVar[int] = 50
    """Detection order: lower sniffs first (specific formats before generic ones)."""

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
