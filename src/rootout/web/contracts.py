"""Contracts: procurement findings (who bought what from a covered vendor, for how much, when)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response

from rootout.api.deps import State
from rootout.catalog.catalog import Catalog
from rootout.procurement.records import parse_amount
from rootout.report import facts
from rootout.store import queries
from rootout.web.auth import Viewer
from rootout.web.findings import STATUSES, Status
from rootout.web.listing import PageNo, Text, paginate, query_builder
from rootout.web.render import page
from rootout.web.routing import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, tags=["web"])
CONTRACT_KIND = "contract_award"


@dataclass(frozen=True)
class ContractLine:
    finding_id: str
    action_date: str
    agency: str
    recipient: str
    amount: Decimal | None
    piid: str
    entity: str
    purpose: str
    """purchase, or removal (a contract to take the covered product out)."""
    description: str


def contract_line(row: Mapping[str, Any], catalog: Catalog) -> ContractLine:
    observation = row["observation"]
    fields: Mapping[str, str] = observation["fields"]
    return ContractLine(
        finding_id=row["id"],
        action_date=fields.get("action_date", ""),
        agency=fields.get("agency", ""),
        recipient=fields.get("recipient") or fields.get("supplier", ""),
        amount=parse_amount(fields.get("amount")),
        piid=fields.get("piid", ""),
        entity=facts.entity_name(catalog, row["entity"]),
        purpose=observation["extra"].get("purpose", "purchase"),
        description=fields.get("item_description", ""),
    )


def contract_lines(rows: Sequence[Mapping[str, Any]], catalog: Catalog) -> list[ContractLine]:
    """Contract-award findings, newest action first."""
    lines = [contract_line(r, catalog) for r in rows if r["observation"]["kind"] == CONTRACT_KIND]
    return sorted(lines, key=lambda line: (line.action_date, line.finding_id), reverse=True)


def money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"${amount:,.2f}"


@router.get("/contracts")
def contracts(
    request: Request,
    user: Viewer,
    server: State,
    agency: Text = None,
    page_no: PageNo = 1,
) -> Response:
    """Like the tables of ``rootout contracts scan``, over the stored procurement findings."""
    catalog = server.catalog()
    rows = queries.list_findings(
        server.engine, queries.FindingFilter(statuses=STATUSES[Status.ALL]), tenant=user.tenant
    )
    wanted = (agency or "").lower()
    lines = [line for line in contract_lines(rows, catalog) if wanted in line.agency.lower()]
    total = sum((line.amount for line in lines if line.amount is not None), Decimal(0))
    return page(
        request,
        "contracts.html.j2",
        user,
        title="Contracts",
        paged=paginate(lines, page_no),
        query=query_builder({"agency": agency}),
        agency=agency or "",
        total=money(total),
        money=money,
    )
