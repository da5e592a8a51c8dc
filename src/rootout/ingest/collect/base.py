"""The collector core: sources, coverage, and reading files under a root.

A *source* is one thing a collector reads on this machine (the dpkg database,
the trust store, browser extension folders...). It is a generator function
``(host, tally) -> observations``. :func:`run_sources` runs every source in
turn and turns what happened into one :class:`CoverageItem` per source:

* ``read``: the source was read completely (``reason`` may carry notes);
* ``skipped``: the source is not there or cannot be read on this machine (a
  missing file, a tool that is not installed, a live-only source run against a
  captured tree); the source raised :class:`Skipped`;
* ``failed``: something could not be read. ``count`` still holds the
  observations read before or around the problem, so a partial read is never
  mistaken for a complete one.

A source never stops the collection: anything it raises is recorded as
``failed`` and the next source runs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from rootout.model.observation import EMPTY, Asset, Observation, ObservationKind, SourceRef

CollectProgress = Callable[[int, int, str], None]
"""Observer called after each source with (sources done, sources in total, source name)."""

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest file a source reads whole (dpkg status files of big servers stay well below)."""
MAX_SMALL_FILE_BYTES = 4 * 1024 * 1024
"""Largest manifest, plist or unit file read."""
MAX_PROBLEMS_SHOWN = 3
_LINK_HOPS = 16


class CoverageStatus(StrEnum):
    READ = "read"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class CoverageItem:
    """What came of reading one source on this machine."""

    source: str
    status: CoverageStatus
    count: int = 0
    """Observations the source produced (also when it failed part-way)."""
    reason: str = ""
    """Why it was skipped or failed, or notes on a complete read."""
    location: str = ""
    """The files, folders, commands or registry keys the source looks at."""


@dataclass(frozen=True, slots=True)
class CollectResult:
    asset: Asset
    observations: list[Observation] = field(repr=False)
    coverage: list[CoverageItem]

    @property
    def complete(self) -> bool:
        """No source failed (skipped sources are absent, not unread)."""
        return all(item.status is not CoverageStatus.FAILED for item in self.coverage)


class Skipped(Exception):
    """Raised by a source that is not present or cannot run here; the message says why."""


class Problem(Exception):
    """A record or file inside a source could not be read (the rest of the source goes on)."""


RECOVERABLE: tuple[type[BaseException], ...] = (
    OSError,
    ValueError,  # includes UnicodeDecodeError, json.JSONDecodeError, plistlib.InvalidFileException
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
    Problem,
)
"""What reading hostile or broken files raises; a guard records these and goes on."""


@dataclass
class Tally:
    """What one source noticed while running: problems (making it ``failed``) and notes."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, where: str, error: BaseException | str) -> None:
        self.problems.append(f"{where}: {describe(error)}")

    def note(self, text: str) -> None:
        self.notes.append(text)

    @contextmanager
    def guard(self, where: str) -> Iterator[None]:
        """Record a recoverable error raised in the block as a problem at ``where``."""
        try:
            yield
        except RECOVERABLE as exc:
            self.problem(where, exc)


def describe(error: BaseException | str) -> str:
    """A one-line, user-facing description of an error."""
    if isinstance(error, str):
        return error
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "not found"
    if isinstance(error, UnicodeDecodeError):
        return f"not valid {error.encoding} text at byte {error.start}"
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def summarise(lines: list[str]) -> str:
    shown = "; ".join(lines[:MAX_PROBLEMS_SHOWN])
    more = len(lines) - MAX_PROBLEMS_SHOWN
    return f"{shown} (and {more} more)" if more > 0 else shown


# --------------------------------------------------------------------------- the host


@dataclass(frozen=True, slots=True)
class Host:
    """The machine being collected: where its files are, and what observations it gets."""

    root: Path
    system: str
    """``Linux``, ``Darwin`` or ``Windows`` (as :func:`platform.system` says)."""
    asset: Asset
    format: str
    """The SourceRef format of every observation, e.g. ``collect-linux``."""
    drive: str = "C:"
    """Windows only: the drive letter shown for paths under ``root``."""
    observed_at: dt.datetime | None = None
    """When the machine was looked at: the collection start on a live machine, else unknown."""

    @property
    def live(self) -> bool:
        """The root is this machine's own root (tools and /proc describe it)."""
        return self.root == Path("/")

    def path(self, shown: str) -> Path:
        """The file under ``root`` for a path as shown (``/var/lib/dpkg/status``, ``C:\\Users``)."""
        text = shown.replace("\\", "/")
        if len(text) >= 2 and text[1] == ":":
            text = text[2:]
        return self.root.joinpath(*[part for part in text.split("/") if part])

    def shown(self, path: Path) -> str:
        """A path under ``root`` as it is on the machine (absolute, native separators)."""
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            parts = path.parts[1:]
        if self.system == "Windows":
            return self.drive + "\\" + "\\".join(parts)
        return "/" + "/".join(parts)

    def real(self, path: Path) -> Path:
        """``path`` with symbolic links at its end followed inside ``root``.

        Under a captured or mounted tree an absolute link target (``/usr/lib/...``)
        names a file of that tree, not of the machine running rootout.
        """
        if self.live:
            return path
        for _ in range(_LINK_HOPS):
            if not path.is_symlink():
                return path
            target = os.readlink(path)
            path = self.path(target) if os.path.isabs(target) else path.parent / target
        raise Problem("too many levels of symbolic links")

    def observe(
        self,
        kind: ObservationKind,
        fields: Mapping[str, str],
        where: str,
        *,
        line: int = 0,
        pointer: str = "",
        extra: Mapping[str, str] | None = None,
    ) -> Observation:
        return Observation(
            kind=kind,
            fields=_clean(fields),
            asset=self.asset,
            source=SourceRef(where, line, pointer, self.format),
            observed_at=self.observed_at,
            extra=_clean(extra) if extra else EMPTY,
        )


def _clean(values: Mapping[str, str]) -> dict[str, str]:
    return {key: value.strip() for key, value in values.items() if value and value.strip()}


# --------------------------------------------------------------------------- reading


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole file; :class:`Problem` when it is larger than ``limit``."""
    with open(path, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise Problem(f"larger than {limit} bytes; not read")
    return data


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The file as UTF-8 text (a BOM is dropped); invalid bytes raise UnicodeDecodeError."""
    return read_bytes(path, limit).decode("utf-8-sig")


def children(path: Path) -> list[Path]:
    """Entries of a folder in name order; empty when it does not exist."""
    try:
        with os.scandir(path) as entries:
            return sorted(Path(entry.path) for entry in entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def subfolders(path: Path) -> list[Path]:
    """Sub-folders of a folder (links to folders included), in name order."""
    return [child for child in children(path) if child.is_dir()]


def present(paths: Iterable[Path]) -> list[Path]:
    return [path for path in paths if path.exists() or path.is_symlink()]


# --------------------------------------------------------------------------- running


@dataclass(frozen=True, slots=True)
class Source:
    """One thing to read: a name for the coverage table, where it looks, and the reader."""

    name: str
    location: str
    run: Callable[[Host, Tally], Iterable[Observation]]


def run_sources(
    host: Host, sources: Iterable[Source], progress: CollectProgress | None = None
) -> CollectResult:
    """Run every source; a source that raises is recorded, never propagated."""
    plan = list(sources)
    observations: list[Observation] = []
    coverage: list[CoverageItem] = []
    for done, source in enumerate(plan, start=1):
        found: list[Observation] = []
        coverage.append(_run_one(host, source, found))
        observations.extend(found)
        if progress is not None:
            progress(done, len(plan), source.name)
    return CollectResult(host.asset, observations, coverage)


def _run_one(host: Host, source: Source, found: list[Observation]) -> CoverageItem:
    tally = Tally()
    try:
        for observation in source.run(host, tally):
            found.append(observation)  # kept when the source fails later on
    except Skipped as skipped:
        return _item(source, CoverageStatus.SKIPPED, found, str(skipped))
    except Exception as exc:  # a source must never stop the collection: record and go on
        tally.problem(source.location, exc)
    if tally.problems:
        return _item(source, CoverageStatus.FAILED, found, summarise(tally.problems))
    return _item(source, CoverageStatus.READ, found, summarise(tally.notes))


def _item(
    source: Source, status: CoverageStatus, found: list[Observation], reason: str
) -> CoverageItem:
    return CoverageItem(source.name, status, len(found), reason, source.location)
