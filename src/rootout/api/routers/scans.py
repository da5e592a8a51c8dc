"""``/api/v1/scans``: list, show, and upload an inventory file as a new scan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from rootout.api import reads, uploads
from rootout.api.deps import Ingester, Reader, State
from rootout.api.errors import documented
from rootout.api.models import NO_NUL, Page, Scan, ScanDetail, Uploaded
from rootout.store import repository as repo

router = APIRouter(prefix="/scans", tags=["scans"])


@router.get("", response_model=Page[Scan], responses=documented(401, 403))
def list_scans(caller: Reader, server: State) -> Page[Scan]:
    """The tenant's scans, newest first."""
    rows = repo.scan_rows(server.engine, tenant=caller.tenant)[::-1]
    return Page(total=len(rows), items=[Scan.model_validate(r) for r in rows])


@router.get("/{scan_id}", response_model=ScanDetail, responses=documented(401, 403, 404))
def get_scan(scan_id: str, caller: Reader, server: State) -> ScanDetail:
    """One scan with every input it read (hash, size, format, count, error)."""
    return ScanDetail.model_validate(reads.scan_detail(server.engine, caller.tenant, scan_id))


@router.post(
    "",
    status_code=201,
    response_model=Uploaded,
    responses=documented(401, 403, 413, 422),
)
def upload_scan(
    caller: Ingester,
    server: State,
    file: Annotated[UploadFile, File(description="An inventory file, any format rootout reads.")],
    label: Annotated[str | None, Form(max_length=200, pattern=NO_NUL)] = None,
    folder: Annotated[
        str | None,
        Form(max_length=200, description="Asset folder for generic file names (programs.json)."),
    ] = None,
    format: Annotated[
        str | None, Form(max_length=60, description="Force a reader instead of detection.")
    ] = None,
) -> Uploaded:
    """Read the file with the same readers as `rootout scan` and store it as a scan.

    A file that cannot be read whole is rejected (422, with the reader's message and
    position) and nothing is stored; a file over the size limit gets 413.
    """
    stored = uploads.ingest(
        uploads.Upload(file.file, file.filename, folder, label, format),
        engine=server.engine,
        tenant=caller.tenant,
        actor=caller.actor,
        limit=server.settings.max_upload_bytes,
        upload_dir=server.settings.upload_dir,
        today=server.today,
    )
    return Uploaded.model_validate(stored, from_attributes=True)
