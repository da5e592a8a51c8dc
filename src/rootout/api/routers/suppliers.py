"""``/api/v1/suppliers``: the supplier register, its import and its screening.

Reads need the ``read`` permission; import and screening change the store and need
``triage`` (analyst or admin). Every query is filtered on the caller's tenant.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, Field

from rootout.api.deps import Reader, State, Triager
from rootout.api.errors import documented
from rootout.api.models import NO_NUL, Page
from rootout.errors import InputError, Location

router = APIRouter(prefix="/suppliers", tags=["suppliers"])
MAX_CSV = 1024 * 1024
"""The whole request is limited to 1 MiB (the server's small-body limit)."""


class SupplierFields(BaseModel):
    """What the register says of a supplier; list rows and the detail add the rest."""

    id: str = Field(examples=["SUP-001"])
    name: str = Field(examples=["Northwind Mail Services LLC"])
    uei: str | None = Field(default=None, examples=["N7KQ4RT2XW9A"])
    cage: str | None = None
    duns: str | None = None
    country: str | None = Field(default=None, examples=["US"])
    parent_name: str | None = None
    parent_uei: str | None = None
    provides: list[str] = []
    source: str | None = Field(default=None, description="Import file and line.")


class Supplier(SupplierFields):
    representations: int = Field(description="Representations on file.")
    active_access: int = Field(description="Access agreements active today.")
    deliveries: int
    findings: int = Field(description="Open supplier findings.")


class StoredFinding(BaseModel):
    id: str
    kind: str = Field(examples=["representation_contradicted"])
    title: str
    severity: str = Field(examples=["critical"])
    confidence: str
    entity: str
    explanation: list[dict[str, Any]]


class SupplierDetail(SupplierFields):
    representations: list[dict[str, Any]]
    access: list[dict[str, Any]]
    deliveries: list[dict[str, Any]]
    findings: list[StoredFinding]


class ImportProblemOut(BaseModel):
    line: int
    reason: str = Field(examples=["malformed UEI '0ABC': 12 characters A-Z/0-9"])


class Imported(BaseModel):
    kind: str = Field(examples=["suppliers"])
    rows: int
    added: int
    changed: int
    unchanged: int
    problems: list[ImportProblemOut]


class ScreenFinding(BaseModel):
    id: str
    supplier_id: str
    kind: str
    severity: str
    confidence: str
    title: str
    entity: str | None
    ask: str = Field(description="What to ask the supplier for.")


class Screened(BaseModel):
    scan_id: str
    reused: bool
    new: list[str]
    gone: list[str]
    findings: list[ScreenFinding]


def _today(server: State) -> dt.date:
    return server.today or dt.date.today()


@router.get("", response_model=Page[Supplier], responses=documented(401, 403))
def list_suppliers(caller: Reader, server: State) -> Page[Supplier]:
    """The tenant's suppliers with counts of representations, access and open findings."""
    from rootout.suppliers.views import supplier_list

    rows = supplier_list(server.engine, tenant=caller.tenant, today=_today(server))
    return Page(total=len(rows), items=[Supplier.model_validate(r) for r in rows])


@router.get("/{supplier_id}", response_model=SupplierDetail, responses=documented(401, 403, 404))
def get_supplier(supplier_id: str, caller: Reader, server: State) -> SupplierDetail:
    """One supplier with its representations, access agreements, deliveries and findings."""
    from rootout.suppliers.views import supplier_detail

    data = supplier_detail(server.engine, supplier_id, tenant=caller.tenant, today=_today(server))
    return SupplierDetail.model_validate(data)


@router.post("/import", response_model=Imported, responses=documented(401, 403, 413, 422))
def import_register(
    caller: Triager,
    server: State,
    file: Annotated[UploadFile, File(description="suppliers, representations or access CSV.")],
    kind: Annotated[
        str | None,
        Form(pattern="^(suppliers|representations|access)$", description="Default: from header."),
    ] = None,
    column_map: Annotated[
        str | None,
        Form(
            max_length=2000,
            pattern=NO_NUL,
            description="Column map as SRC=FIELD pairs separated by newlines.",
        ),
    ] = None,
) -> Imported:
    """Import one register CSV: bad rows come back with line and reason, the rest is
    upserted (re-importing the same file changes nothing). Deliveries name files on
    disk and are imported with the CLI."""
    from rootout.suppliers.register import RegisterKind, parse_map
    from rootout.suppliers.service import import_bytes

    data = file.file.read(MAX_CSV + 1)
    if len(data) > MAX_CSV:
        raise InputError(Location(file.filename or "upload"), "the file is larger than 1 MiB")
    pairs = [p for p in (column_map or "").splitlines() if p.strip()]
    outcome = import_bytes(
        server.engine,
        data,
        file.filename or "upload.csv",
        kind=RegisterKind(kind) if kind else None,
        column_map=parse_map(pairs),
        tenant=caller.tenant,
        actor=caller.actor,
    )
    return Imported.model_validate(outcome, from_attributes=True)


@router.post("/screen", response_model=Screened, responses=documented(401, 403))
def screen_suppliers(caller: Triager, server: State) -> Screened:
    """Screen every supplier of the tenant and store the findings (basis ``supplier``)."""
    from rootout.suppliers.service import screen_and_store

    outcome = screen_and_store(
        server.engine, tenant=caller.tenant, today=_today(server), actor=caller.actor
    )
    return Screened(
        scan_id=outcome.saved.scan_id,
        reused=outcome.saved.reused,
        new=list(outcome.saved.new),
        gone=list(outcome.saved.gone),
        findings=[
            ScreenFinding(
                id=f.id,
                supplier_id=f.supplier_id,
                kind=f.kind.value,
                severity=f.severity.value,
                confidence=f.confidence.value,
                title=f.title,
                entity=f.entity,
                ask=f.ask,
            )
            for f in outcome.findings
        ],
    )
