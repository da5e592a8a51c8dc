"""``/api/v1/reports``: the report formats, and a report of the tenant's data as a download."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Response

from rootout.api.deps import Reader, State
from rootout.api.errors import documented
from rootout.api.models import ReportFormat
from rootout.errors import NotFoundError
from rootout.report import FORMATS, gather, render

router = APIRouter(prefix="/reports", tags=["reports"])

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "sarif": "application/sarif+json",
}


@router.get("", response_model=list[ReportFormat], responses=documented(401, 403))
def formats(_caller: Reader) -> list[ReportFormat]:
    """Every report format and its variants (file types)."""
    return [
        ReportFormat(name=f.name, summary=f.summary, variants=list(f.variants), default=f.default)
        for f in FORMATS.values()
    ]


@router.get(
    "/{name}",
    response_class=Response,
    responses={
        **documented(401, 403, 404, 422),
        200: {"description": "The report file", "content": {t: {} for t in MEDIA_TYPES.values()}},
    },
)
def download(
    name: str,
    caller: Reader,
    server: State,
    variant: Annotated[
        str | None, Query(max_length=10, description="md, json, html, pdf...")
    ] = None,
) -> Response:
    """The report ``name`` over the tenant's store, as an attachment."""
    fmt = FORMATS.get(name)
    if fmt is None:
        raise NotFoundError(f"no report format {name!r}; see GET /api/v1/reports")
    chosen = variant or fmt.default
    if chosen not in fmt.variants:
        raise NotFoundError(f"report {name} has no variant {chosen!r}; it has {list(fmt.variants)}")
    data = gather(server.engine, server.catalog(), tenant=caller.tenant, today=server.today)
    content = render(name, data, Path(f"report.{chosen}"))
    filename = f"rootout-{name}.{chosen}"
    return Response(
        content,
        media_type=MEDIA_TYPES.get(chosen, "application/octet-stream"),
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        },
    )
