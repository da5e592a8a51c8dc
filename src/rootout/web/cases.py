"""Removal cases: list, detail with the event log, and the forms that change them (analyst+)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from rootout.api.deps import State
from rootout.api.roles import Permission
from rootout.cases.grouping import open_cases
from rootout.cases.lifecycle import change_status
from rootout.cases.model import BY_SCAN_ONLY, TRANSITIONS, WITH_OWN_COMMAND, CaseError, CaseStatus
from rootout.cases.service import case_log, get_case, list_cases
from rootout.report import facts
from rootout.web.auth import Viewer, allow
from rootout.web.listing import BLANK_IS_NONE
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])


def form_choices(current: CaseStatus) -> list[str]:
    """Statuses the form offers: the allowed moves a reason alone can make, the steps forward
    in the case's life first (planned, removing, removed), then the steps back."""
    allowed = TRANSITIONS[current] - BY_SCAN_ONLY - WITH_OWN_COMMAND
    order = list(CaseStatus)
    here = order.index(current)
    return [s.value for s in sorted(allowed, key=lambda s: (order.index(s) < here, order.index(s)))]


@router.get("/cases")
def cases_list(
    request: Request,
    user: Viewer,
    server: State,
    status: Annotated[CaseStatus | None, BLANK_IS_NONE] = None,
    notice: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    views = list_cases(
        server.engine,
        server.catalog(),
        tenant=user.tenant,
        statuses=None if status is None else (status,),
        today=server.today,
    )
    return page(
        request,
        "cases.html.j2",
        user,
        title="Cases",
        cases=views,
        selected=status.value if status else "",
        statuses=[s.value for s in CaseStatus],
        notice=notice,
    )


@router.post("/cases/open")
def cases_open(
    user: Viewer,
    server: State,
    csrf_token: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    """Group new in-force findings into cases, like ``rootout case open --auto``."""
    allow(user, Permission.TRIAGE, csrf_token)
    result = open_cases(
        server.engine, server.catalog(), tenant=user.tenant, actor=user.actor, today=server.today
    )
    notice = f"{len(result.created)} new, {len(result.extended)} extended, {len(result.reopened)} reopened"
    return RedirectResponse("/cases?" + urlencode({"notice": notice}), status_code=303)


def _detail(
    request: Request,
    user: Viewer,
    server: State,
    case_id: str,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    catalog = server.catalog()
    view = get_case(server.engine, catalog, case_id, tenant=user.tenant, today=server.today)
    return page(
        request,
        "case.html.j2",
        user,
        status_code=status,
        title=f"Case {view.id}: {view.title}",
        case=view,
        log=case_log(server.engine, view.id, tenant=user.tenant),
        choices=form_choices(view.status),
        may_triage=user.may(Permission.TRIAGE),
        error=error,
        notice=notice,
        catalog=catalog,
        facts=facts,
    )


@router.get("/cases/{case_id}")
def case_detail(
    case_id: str,
    request: Request,
    user: Viewer,
    server: State,
    notice: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    return _detail(request, user, server, case_id, notice=notice)


@router.post("/cases/{case_id}/status")
def case_status(
    case_id: str,
    request: Request,
    user: Viewer,
    server: State,
    status: Annotated[CaseStatus, Form()],
    why: Annotated[str, Form(max_length=2000)] = "",
    owner: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    """Move the case like ``POST /api/v1/cases/{id}/status``; a refused move is shown on the page."""
    allow(user, Permission.TRIAGE, csrf_token)
    try:
        change_status(
            server.engine,
            case_id,
            status,
            why=why,
            owner=owner.strip() or None,
            tenant=user.tenant,
            actor=user.actor,
        )
    except CaseError as exc:
        return _detail(request, user, server, case_id, status=409, error=str(exc))
    view = get_case(server.engine, server.catalog(), case_id, tenant=user.tenant)
    target = f"/cases/{view.id}?" + urlencode({"notice": f"status changed to {status.value}"})
    return RedirectResponse(target, status_code=303)
