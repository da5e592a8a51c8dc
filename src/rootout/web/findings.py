"""Findings: the filtered, searchable, paged list and one finding with its explanation chain."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from rootout.api.deps import State
from rootout.catalog.model import Confidence
from rootout.model.finding import Basis
from rootout.report import facts
from rootout.store import queries, suppress
from rootout.store import repository as repo
from rootout.web.auth import Viewer
from rootout.web.listing import BLANK_IS_NONE, PageNo, Text, paginate, query_builder, search
from rootout.web.reads import case_of
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])


class Status(StrEnum):
    OPEN = "open"
    """Active and waived: what the API and the CLI list by default."""
    ACTIVE = "active"
    WAIVED = "waived"
    GONE = "gone"
    ALL = "all"


STATUSES = {
    Status.OPEN: ("active", "waived"),
    Status.ACTIVE: ("active",),
    Status.WAIVED: ("waived",),
    Status.GONE: ("gone",),
    Status.ALL: ("active", "waived", "gone"),
}


@router.get("/findings")
def list_findings(
    request: Request,
    user: Viewer,
    server: State,
    entity: Annotated[str | None, Query(max_length=120)] = None,
    basis: Annotated[Basis | None, BLANK_IS_NONE] = None,
    status: Status = Status.OPEN,
    confidence: Confidence = Confidence.LOW,
    asset: Text = None,
    q: Text = None,
    page_no: PageNo = 1,
) -> Response:
    """The tenant's findings, filtered like ``rootout findings``; every filter is in the URL."""
    catalog = server.catalog()
    selection = queries.FindingFilter(
        entity=entity or None,
        basis=basis.value if basis else None,
        min_confidence=confidence,
        asset=asset or None,
        statuses=STATUSES[status],
    )
    rows = search(
        queries.list_findings(server.engine, selection, tenant=user.tenant), q or "", catalog
    )
    filters = {
        "entity": entity,
        "basis": basis.value if basis else None,
        "status": status.value if status is not Status.OPEN else None,
        "confidence": confidence.value if confidence is not Confidence.LOW else None,
        "asset": asset,
        "q": q,
    }
    entities = sorted(
        ((e.id, e.name) for e in catalog.entities.values()), key=lambda pair: pair[1].lower()
    )
    return page(
        request,
        "findings.html.j2",
        user,
        title="Findings",
        paged=paginate(rows, page_no),
        query=query_builder(filters),
        filters=filters,
        entities=entities,
        bases=[b.value for b in Basis],
        statuses=[s.value for s in Status],
        confidences=[c.value for c in (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)],
        catalog=catalog,
        facts=facts,
    )


@router.get("/findings/{finding_id}")
def show_finding(finding_id: str, request: Request, user: Viewer, server: State) -> Response:
    """One finding: the raw field value, the chain of catalog facts, each fact's sources."""
    row = repo.get_finding(server.engine, finding_id, tenant=user.tenant)
    rules = suppress.suppressions(server.engine, tenant=user.tenant)
    (shown,) = suppress.apply([row], rules, server.today or dt.date.today())
    catalog = server.catalog()
    return page(
        request,
        "finding.html.j2",
        user,
        title=f"Finding {shown['id']}",
        f=shown,
        catalog=catalog,
        facts=facts,
        events=repo.events_for(server.engine, "finding", shown["id"], tenant=user.tenant),
        case=case_of(server.engine, user.tenant, shown["id"]),
    )
