"""The overview: counts by entity, basis and status, the trend per scan, deadlines due."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request, Response

from rootout.api.deps import State
from rootout.report import executive, facts, gather
from rootout.web.auth import Viewer
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])
DEADLINES_SHOWN = 20


@router.get("/")
def overview(request: Request, user: Viewer, server: State) -> Response:
    """What the executive report shows, for the logged-in user's tenant."""
    catalog = server.catalog()
    data = gather(server.engine, catalog, tenant=user.tenant, today=server.today)
    summary = executive.context(data)
    active = data.active()
    return page(
        request,
        "overview.html.j2",
        user,
        title="Overview",
        numbers=summary["numbers"],
        by_entity=facts.count_by(active, "entity", catalog),
        by_basis=facts.count_by(active, "basis", catalog),
        by_status=sorted(Counter(r["status"] for r in data.findings).items()),
        by_case_status=sorted(Counter(c.status for c in data.cases or ()).items()),
        entity_chart=summary["by_entity"],
        basis_chart=summary["by_basis"],
        trend=summary["trend"],
        trend_rows=[(s, len(s.sightings)) for s in data.scans],
        deadlines=summary["deadlines"][:DEADLINES_SHOWN],
        more_deadlines=max(0, len(summary["deadlines"]) - DEADLINES_SHOWN),
    )
