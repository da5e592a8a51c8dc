"""Inventory uploads: spool to disk under a size limit, read whole or reject, then store.

An upload is read with the same readers as ``rootout scan`` (detection by the
original file name's extension and content). It is stored only when every part
of it was read without a problem: a malformed file is answered with the reader's
message and position, and nothing of it reaches the store. The file is read and
stored within the request; a durable spool that answers before matching is
agent work still to come (docs/server.md).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from rootout.api.errors import TooLarge, UploadRejected
from rootout.api.webhook_events import scan_stored
from rootout.ingest.base import all_readers
from rootout.ingest.scan import InputStatus, ScanResult, read_inputs
from rootout.scanning import store_observations
from rootout.store import repository as repo

CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the request gave it."""

    stream: BinaryIO
    filename: str | None
    folder: str | None = None
    """The asset folder to read it under (``ws-0042``), for files named like ``programs.json``."""
    label: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class Stored:
    scan_id: str
    reused: bool
    observations: int
    findings: int
    new: tuple[str, ...]
    gone: tuple[str, ...]


def safe_name(name: str | None, default: str) -> str:
    """A file or folder name without directories or odd characters; the extension is kept."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._")[-120:]
    return cleaned or default


def _folder_of(upload: Upload) -> str:
    if upload.folder:
        return safe_name(upload.folder, "upload")
    parts = (upload.filename or "").replace("\\", "/").rsplit("/", 2)
    return safe_name(parts[-2], "upload") if len(parts) > 1 else "upload"


def spool(source: BinaryIO, target: Path, limit: int) -> int:
    """Copy ``source`` to ``target`` in chunks; stop with :class:`TooLarge` past ``limit`` bytes."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise TooLarge(f"the upload is larger than the limit of {limit} bytes")
            out.write(chunk)
    return written


def _relative(read: ScanResult, root: Path) -> ScanResult:
    """Paths as the client named them, without the spool folder (ids stay stable)."""
    prefix = f"{root}/"
    records = tuple(
        replace(r, path=r.path.removeprefix(prefix), error=r.error.replace(prefix, ""))
        for r in read.inputs
    )
    observations = tuple(
        o._replace(source=o.source._replace(path=o.source.path.removeprefix(prefix)))
        for o in read.observations
    )
    return ScanResult(records, observations, read.total)


def problems(read: ScanResult) -> list[str]:
    """Why an upload cannot be stored whole, one message per input; empty when it can."""
    found = []
    for record in read.inputs:
        if record.status is InputStatus.UNRECOGNISED:
            found.append(
                f"{record.path}: format not recognised; give the file its usual extension "
                "or name the format (form field `format`)"
            )
        elif record.status in (InputStatus.FAILED, InputStatus.SKIPPED) or record.bad_records:
            found.append(record.error or f"{record.path}: {record.status.value}")
    return found


def read_upload(upload: Upload, root: Path, limit: int) -> ScanResult:
    """Spool the upload under ``root`` and read it; raise unless it was read whole."""
    readers = all_readers()
    if upload.format is not None and upload.format not in readers:
        known = ", ".join(readers)
        raise UploadRejected(f"unknown format {upload.format!r}; known formats: {known}")
    folder = root / _folder_of(upload)
    folder.mkdir()
    target = folder / safe_name(upload.filename, "upload")
    spool(upload.stream, target, limit)
    read = _relative(read_inputs([target], format=upload.format), root)
    found = problems(read)
    if found:
        raise UploadRejected("; ".join(found) + " — nothing was stored")
    return read


def ingest(
    upload: Upload,
    *,
    engine: Engine,
    tenant: str,
    actor: str,
    limit: int,
    upload_dir: Path | None = None,
    today: dt.date | None = None,
) -> Stored:
    """Read an uploaded inventory file and store it as a scan of ``tenant``."""
    root = Path(tempfile.mkdtemp(prefix="rootout-upload-", dir=upload_dir))
    try:
        read = read_upload(upload, root, limit)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    try:
        outcome = store_observations(
            read, engine=engine, tenant=tenant, label=upload.label, today=today
        )
    except IntegrityError:  # a concurrent upload stored the same scan or asset first: rerun
        outcome = store_observations(
            read, engine=engine, tenant=tenant, label=upload.label, today=today
        )
    with engine.begin() as conn:
        detail = {"files": [r.path for r in read.inputs], "reused": outcome.reused}
        repo.log_event(conn, tenant, actor, "scan.uploaded", "scan", outcome.scan_id, detail)
    if not outcome.reused:  # metrics and ``finding.new`` webhooks, queued: returns at once
        scan_stored(engine, tenant, outcome.scan_id, outcome.saved.new)
    return Stored(
        outcome.scan_id,
        outcome.reused,
        read.coverage.observations,
        len(outcome.findings),
        outcome.saved.new,
        outcome.saved.gone,
    )
