"""``/api/v1/findings``: list with filters, and one finding with its explanation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from rootout.api.deps import Reader, State
from rootout.api.errors import documented
from rootout.api.models import Finding, FindingDetail, Page
from rootout.catalog.model import Confidence
from rootout.store import queries, suppress
from rootout.store import repository as repo

router = APIRouter(prefix="/findings", tags=["findings"])

STATUSES = ("active", "waived", "gone")


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "asset_name": row["observation"]["asset"]["name"]}


@router.get("", response_model=Page[Finding], responses=documented(401, 403, 422))
def list_findings(
    caller: Reader,
    server: State,
    entity: Annotated[str | None, Query(max_length=120)] = None,
    basis: Annotated[str | None, Query(max_length=20)] = None,
    min_confidence: Confidence = Confidence.LOW,
    asset: Annotated[str | None, Query(max_length=300)] = None,
    status: Annotated[list[str] | None, Query(description="active, waived, gone")] = None,
    include_historical: bool = True,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[Finding]:
    """The tenant's findings, filtered like `rootout findings`."""
    wanted = tuple(s for s in (status or ["active", "waived"]) if s in STATUSES)
    selection = queries.FindingFilter(
        entity=entity,
        basis=basis,
        min_confidence=min_confidence,
        asset=asset,
        statuses=wanted,
        include_historical=include_historical,
    )
    rows = queries.list_findings(server.engine, selection, tenant=caller.tenant)
    page = rows[offset : offset + limit]
    return Page(total=len(rows), items=[Finding.model_validate(_summary(r)) for r in page])


@router.get("/{finding_id}", response_model=FindingDetail, responses=documented(401, 403, 404))
def get_finding(finding_id: str, caller: Reader, server: State) -> FindingDetail:
    """One finding (by id or unambiguous prefix) with the chain of facts that explains it."""
    row = repo.get_finding(server.engine, finding_id, tenant=caller.tenant)
    rules = suppress.suppressions(server.engine, tenant=caller.tenant)
    (shown,) = suppress.apply([row], rules, server.today or dt.date.today())
    return FindingDetail.model_validate(_summary(shown))
