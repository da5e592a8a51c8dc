"""Reports: every format of the report package, downloaded through the API's own function."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from rootout.api.deps import State
from rootout.api.routers import reports as api_reports
from rootout.web.auth import Viewer
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])


@router.get("/reports")
def reports_list(request: Request, user: Viewer) -> Response:
    return page(
        request, "reports.html.j2", user, title="Reports", formats=api_reports.formats(user)
    )


@router.get("/reports/{name}")
def report_download(
    name: str,
    user: Viewer,
    server: State,
    variant: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """The same attachment as ``GET /api/v1/reports/{name}`` (with its own strict CSP)."""
    return api_reports.download(name, user, server, variant)
