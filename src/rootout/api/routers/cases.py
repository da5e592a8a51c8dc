"""``/api/v1/cases``: list, show, and move a case's status."""

from __future__ import annotations

from fastapi import APIRouter

from rootout.api.deps import Reader, State, Triager
from rootout.api.errors import documented
from rootout.api.models import Case, Page, StatusChange
from rootout.cases.lifecycle import change_status
from rootout.cases.model import CaseStatus
from rootout.cases.service import get_case as load_case
from rootout.cases.service import list_cases as load_cases

router = APIRouter(prefix="/cases", tags=["cases"])


@router.get("", response_model=Page[Case], responses=documented(401, 403))
def list_cases(caller: Reader, server: State, status: CaseStatus | None = None) -> Page[Case]:
    """The tenant's removal cases, oldest first, with their deadlines."""
    views = load_cases(
        server.engine,
        server.catalog(),
        tenant=caller.tenant,
        statuses=None if status is None else (status,),
        today=server.today,
    )
    return Page(total=len(views), items=[Case.model_validate(v) for v in views])


@router.get("/{case_id}", response_model=Case, responses=documented(401, 403, 404))
def get_case(case_id: str, caller: Reader, server: State) -> Case:
    """One case (``C3``, ``c3`` or ``3``)."""
    view = load_case(
        server.engine, server.catalog(), case_id, tenant=caller.tenant, today=server.today
    )
    return Case.model_validate(view)


@router.post(
    "/{case_id}/status", response_model=Case, responses=documented(401, 403, 404, 409, 422)
)
def set_status(case_id: str, change: StatusChange, caller: Triager, server: State) -> Case:
    """Move a case (open → planned → removing → removed, or back to open), with a reason."""
    change_status(
        server.engine,
        case_id,
        change.status,
        why=change.why,
        owner=change.owner,
        tenant=caller.tenant,
        actor=caller.actor,
    )
    view = load_case(
        server.engine, server.catalog(), case_id, tenant=caller.tenant, today=server.today
    )
    return Case.model_validate(view)
