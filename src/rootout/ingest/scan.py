"""Read a set of input files and folders into observations, recording what was read.

:func:`read_inputs` walks the paths (folders recursively, in sorted order),
opens archives, picks a reader per file (``--format`` or detection on the first
64 KiB) and streams observations. Every input gets an :class:`InputRecord`: its
SHA-256, size, format and observation count, or why it could not be read. A bad
file never stops the scan.

Walking rules: names starting with ``.`` are skipped inside folders (not when
given explicitly); symbolic links inside folders are not followed (listed as
skipped: their targets are read when inside the folder); anything that is not
a regular file (FIFOs, devices, sockets) is listed as skipped.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

from rootout.errors import InputError, Location, NotFoundError
from rootout.ingest.archive import ArchiveKind, ArchiveLimitError, Budget, Limits, archive_kind
from rootout.ingest.archive import members as archive_members
from rootout.ingest.base import Reader, all_readers, detect
from rootout.ingest.collect.base import CoverageStatus
from rootout.ingest.formats.generic import MappedReader
from rootout.ingest.streams import Tap, read_head, rewound
from rootout.model.observation import Observation

Progress = Callable[[int, int], None]
"""Observer called with (bytes read so far, total bytes of the top-level inputs)."""


class InputStatus(StrEnum):
    READ = "read"
    FAILED = "failed"
    UNRECOGNISED = "unrecognised"
    SKIPPED = "skipped"
    ARCHIVE = "archive"


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input (file, archive, or archive member) and what came of reading it."""

    path: str
    status: InputStatus
    format: str = ""
    count: int = 0
    """Observations read (for an archive: from all its members)."""
    sha256: str = ""
    size: int = 0
    """Bytes read (for archive members: decompressed bytes)."""
    error: str = ""
    """Why it was not (completely) read: an InputError message with file and position."""
    archive: bool = False
    """The input is an archive (``format`` is then gzip, zip or tar)."""
    bad_records: int = 0
    """Records the reader skipped or read in part, and reported (``error`` names the first ones)."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a scan could and could not read."""

    inputs: int
    read: int
    failed: int
    unrecognised: int
    skipped: int
    archives: int
    observations: int
    observations_by_format: Mapping[str, int]
    inputs_by_format: Mapping[str, int]
    bad_records: int = 0

    @property
    def complete(self) -> bool:
        """Every input was read whole (skipped links and special files do not count against it)."""
        return self.failed == 0 and self.unrecognised == 0 and self.bad_records == 0


@dataclass(frozen=True, slots=True)
class ScanResult:
    inputs: tuple[InputRecord, ...]
    observations: tuple[Observation, ...] = field(repr=False)
    total: int = -1
    """Observations read; differs from ``len(observations)`` when they went to a sink."""

    def iter_observations(self) -> Iterator[Observation]:
        """Observations in read order (a later store streams from here)."""
        return iter(self.observations)

    @property
    def problems(self) -> tuple[InputRecord, ...]:
        """Inputs that failed, were not recognised, were skipped, or had bad records."""
        bad = (InputStatus.FAILED, InputStatus.UNRECOGNISED, InputStatus.SKIPPED)
        return tuple(r for r in self.inputs if r.status in bad or r.bad_records)

    @property
    def coverage(self) -> Coverage:
        statuses = Counter(record.status for record in self.inputs)
        by_format: Counter[str] = Counter()
        inputs_by_format: Counter[str] = Counter()
        for record in self.inputs:
            if record.format and not record.archive:
                by_format[record.format] += record.count
                inputs_by_format[record.format] += 1
        return Coverage(
            inputs=len(self.inputs),
            read=statuses[InputStatus.READ],
            failed=statuses[InputStatus.FAILED],
            unrecognised=statuses[InputStatus.UNRECOGNISED],
            skipped=statuses[InputStatus.SKIPPED],
            archives=statuses[InputStatus.ARCHIVE],
            observations=self.total if self.total >= 0 else len(self.observations),
            observations_by_format=dict(sorted(by_format.items())),
            inputs_by_format=dict(sorted(inputs_by_format.items())),
            bad_records=sum(record.bad_records for record in self.inputs),
        )


class BadRecords:
    """Bad records one reader reported: counted, the first few kept with file and line."""

    KEEP = 5

    def __init__(self, display: str) -> None:
        self.display = display
        self.count = 0
        self.skipped = 0
        self.first: list[str] = []

    def add(self, error: InputError, skipped: bool) -> None:
        self.count += 1
        self.skipped += skipped
        if len(self.first) < self.KEEP:
            self.first.append(str(error))

    def summary(self) -> str:
        if not self.count:
            return ""
        return (
            f"{self.display}: {self.count} bad record(s), {self.skipped} skipped, "
            f"{self.count - self.skipped} read in part; first: {'; '.join(self.first)}"
        )


# --------------------------------------------------------------------------- walking


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    skip: str = ""


def _walk(paths: Iterable[Path]) -> Iterator[_Entry]:
    for path in paths:
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.is_file():
            yield _Entry(path)
        elif path.exists() or path.is_symlink():
            yield _Entry(path, "not a regular file" if path.exists() else "broken symbolic link")
        else:
            yield _Entry(path, "no such file or folder")


def _walk_folder(folder: Path) -> Iterator[_Entry]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield _Entry(folder, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            yield _Entry(path, "symbolic link not followed")
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk_folder(path)
        elif entry.is_file(follow_symlinks=False):
            yield _Entry(path)
        else:
            yield _Entry(path, "not a regular file")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --------------------------------------------------------------------------- the scan


def reader_factory(column_map: Mapping[str, str] | None) -> Callable[[type[Reader]], Reader]:
    """How readers are made: readers driven by a column map get it, the rest take no arguments."""

    def make(cls: type[Reader]) -> Reader:
        if issubclass(cls, MappedReader):
            return cls(column_map)
        return cls()

    return make


class _Scan:
    def __init__(
        self,
        forced: type[Reader] | None,
        make: Callable[[type[Reader]], Reader],
        limits: Limits,
        progress: Progress | None,
        sink: Callable[[Observation], None] | None = None,
    ) -> None:
        self.forced = forced
        self.make = make
        self.limits = limits
        self.progress = progress
        self.records: list[InputRecord] = []
        self.observations: list[Observation] = []
        self.sink = sink or self.observations.append
        self.total = 0
        self.done_bytes = 0
        self.total_bytes = 0

    def run(self, entries: list[_Entry]) -> ScanResult:
        self.total_bytes = sum(_size(e.path) for e in entries if not e.skip)
        for entry in entries:
            if entry.skip:
                record = InputRecord(str(entry.path), InputStatus.SKIPPED, error=entry.skip)
                self.records.append(record)
            else:
                self._top_level(entry.path)
        return ScanResult(tuple(self.records), tuple(self.observations), self.total)

    def _top_level(self, path: Path) -> None:
        size = _size(path)
        try:
            with path.open("rb") as handle:
                tap = Tap(handle, self._reporter(size))
                self._consume(path, str(path), tap, 0, Budget(self.limits, lambda: tap.count))
        except ArchiveLimitError:
            pass  # recorded on the archive
        except OSError as exc:
            error = f"{path}: cannot read: {exc.strerror or exc}"
            self.records.append(InputRecord(str(path), InputStatus.FAILED, size=size, error=error))
        self.done_bytes += size
        if self.progress is not None:
            self.progress(self.done_bytes, self.total_bytes)

    def _reporter(self, size: int) -> Callable[[int], None] | None:
        progress = self.progress
        if progress is None:
            return None

        def report(count: int) -> None:
            progress(self.done_bytes + min(count, size), self.total_bytes)

        return report

    def _consume(self, name: Path, display: str, tap: Tap, depth: int, budget: Budget) -> None:
        """Read one stream: an archive (recursively) or a file for a reader."""
        try:
            head = read_head(tap)
        except InputError as exc:  # corrupt compressed data, or a limit hit already
            if budget.exceeded:
                self._limit_hit(display, "", 0, tap, budget.exceeded)
            self.records.append(
                InputRecord(display, InputStatus.FAILED, "", 0, "", tap.count, str(exc))
            )
            return
        kind = archive_kind(name.name, head)
        stream = rewound(tap, head)
        if kind is not None:
            self._archive(kind, display, tap, stream, depth, budget)
            return
        reader = self.forced or detect(name, head)
        if reader is not None:
            self._leaf(reader, display, tap, stream, budget)
            return
        sha256, size = self._finish(tap, display, budget)
        if budget.exceeded:
            self._limit_hit(display, "", 0, tap, budget.exceeded)
        self.records.append(InputRecord(display, InputStatus.UNRECOGNISED, "", 0, sha256, size))

    def _limit_hit(self, display: str, reader: str, count: int, tap: Tap, error: str) -> None:
        record = InputRecord(display, InputStatus.FAILED, reader, count, "", tap.count, error)
        self.records.append(record)
        raise ArchiveLimitError(Location(display), error)

    def _leaf(
        self, reader: type[Reader], display: str, tap: Tap, stream: BinaryIO, budget: Budget
    ) -> None:
        count, error = 0, ""
        bad = BadRecords(display)
        try:
            sink = self.sink
            instance = self.make(reader)
            instance.on_bad_record = bad.add
            for observation in instance.read(Path(display), stream):
                sink(observation)
                count += 1
        except InputError as exc:  # an ArchiveLimitError too: budget.exceeded is set
            error = str(exc)
        except OSError as exc:
            error = f"{display}: read error: {exc.strerror or exc}"
        except Exception as exc:  # a reader bug must not stop the scan; it is recorded
            error = (
                f"{display}: internal error in reader {reader.name}: {type(exc).__name__}: {exc}"
            )
        self.total += count
        sha256, size = ("", 0) if budget.exceeded else self._finish(tap, display, budget)
        if budget.exceeded:
            self._limit_hit(display, reader.name, count, tap, budget.exceeded)
        status = InputStatus.FAILED if error else InputStatus.READ
        error = "; ".join(e for e in (error, bad.summary()) if e)
        record = InputRecord(display, status, reader.name, count, sha256, size, error)
        self.records.append(replace(record, bad_records=bad.count))

    def _archive(
        self,
        kind: ArchiveKind,
        display: str,
        tap: Tap,
        stream: BinaryIO,
        depth: int,
        budget: Budget,
    ) -> None:
        index, before = len(self.records), self.total
        self.records.append(InputRecord(display, InputStatus.ARCHIVE, kind.value, archive=True))
        error = ""
        try:
            if depth >= self.limits.max_depth:
                raise InputError(Location(display), f"archives nested deeper than {depth} levels")
            for member in archive_members(kind, display, stream, budget):
                if member.stream is None:
                    error_text = f"{member.display}: {member.error}"
                    self.records.append(
                        InputRecord(member.display, InputStatus.FAILED, error=error_text)
                    )
                    continue
                self._consume(
                    Path(member.name), member.display, Tap(member.stream), depth + 1, budget
                )
        except InputError as exc:  # ArchiveLimitError included
            error = str(exc)
        sha256, size = ("", tap.count) if budget.exceeded else self._finish(tap, display, budget)
        error = budget.exceeded or error
        status = InputStatus.FAILED if error else InputStatus.ARCHIVE
        count = self.total - before
        record = InputRecord(display, status, kind.value, count, sha256, size, error, archive=True)
        self.records[index] = record
        if budget.exceeded and depth > 0:
            raise ArchiveLimitError(Location(display), budget.exceeded)

    def _finish(self, tap: Tap, display: str, budget: Budget) -> tuple[str, int]:
        try:
            return tap.finish()
        except InputError:
            return "", tap.count


def read_inputs(
    paths: Iterable[Path | str],
    *,
    format: str | None = None,
    column_map: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
    sink: Callable[[Observation], None] | None = None,
) -> ScanResult:
    """Read every input under ``paths``; never stops at a bad file (see :class:`InputRecord`).

    With ``sink``, each observation is handed to it as it is read and none is kept
    (bounded memory for large inputs); ``ScanResult.observations`` is then empty.

    ``format`` forces one reader for every file (archives are still opened);
    ``column_map`` goes to the readers that take one (``csv``, ``jsonl``).
    Raises NotFoundError for an unknown ``format``.
    """
    readers = all_readers()
    forced = None
    if format is not None:
        forced = readers.get(format)
        if forced is None:
            known = ", ".join(sorted(readers))
            raise NotFoundError(f"unknown format {format!r}; known formats: {known}")
    entries = list(_walk(Path(p) for p in paths))
    scan = _Scan(forced, reader_factory(column_map), limits or Limits(), progress, sink)
    return scan.run(entries)


class _Covered(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def status(self) -> CoverageStatus: ...
    @property
    def count(self) -> int: ...
    @property
    def reason(self) -> str: ...


_COVERAGE = {
    CoverageStatus.READ: InputStatus.READ,
    CoverageStatus.SKIPPED: InputStatus.SKIPPED,
    CoverageStatus.FAILED: InputStatus.FAILED,
}


def coverage_records(
    items: Iterable[_Covered], *, prefix: str, format: str, sha256: str
) -> tuple[InputRecord, ...]:
    """A collection's sources (this machine, an agent) as input records ``prefix + source``."""
    return tuple(
        InputRecord(
            path=f"{prefix}{item.source}",
            status=_COVERAGE[item.status],
            format=format,
            count=item.count,
            sha256=sha256,
            error=item.reason if item.status is not CoverageStatus.READ else "",
        )
        for item in items
    )
