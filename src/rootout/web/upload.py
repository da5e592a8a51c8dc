"""Upload an inventory file: the same path as ``POST /api/v1/scans`` (readers, limits, errors).

A rejected file (malformed, unrecognised, too large) is answered with the form
again and the reader's message; nothing of it is stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from rootout.api import uploads
from rootout.api.deps import State
from rootout.api.errors import TooLarge, UploadRejected
from rootout.api.roles import Permission
from rootout.errors import InputError
from rootout.ingest.base import all_readers
from rootout.web.auth import Viewer, allow
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])
UPLOAD_PATH = "/upload"
"""The page that takes an inventory file: it has the upload size limit, not the small one."""


def _form(
    request: Request,
    user: Viewer,
    server: State,
    *,
    status: int = 200,
    error: str | None = None,
    stored: uploads.Stored | None = None,
) -> Response:
    return page(
        request,
        "upload.html.j2",
        user,
        status_code=status,
        title="Upload an inventory",
        formats=sorted(all_readers()),
        limit=server.settings.max_upload_bytes,
        may_ingest=user.may(Permission.INGEST),
        error=error,
        stored=stored,
    )


@router.get(UPLOAD_PATH)
def upload_form(request: Request, user: Viewer, server: State) -> Response:
    return _form(request, user, server)


@router.post(UPLOAD_PATH)
def upload(
    request: Request,
    user: Viewer,
    server: State,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str | None, Form(max_length=100)] = None,
    folder: Annotated[str, Form(max_length=200)] = "",
    label: Annotated[str, Form(max_length=200)] = "",
    format: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    allow(user, Permission.INGEST, csrf_token)
    try:
        stored = uploads.ingest(
            uploads.Upload(file.file, file.filename, folder or None, label or None, format or None),
            engine=server.engine,
            tenant=user.tenant,
            actor=user.actor,
            limit=server.settings.max_upload_bytes,
            upload_dir=server.settings.upload_dir,
            today=server.today,
        )
    except (UploadRejected, TooLarge, InputError) as exc:
        status = 413 if isinstance(exc, TooLarge) else 422
        return _form(request, user, server, status=status, error=str(exc))
    return _form(request, user, server, status=201, stored=stored)
