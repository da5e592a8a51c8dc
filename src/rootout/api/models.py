"""Request and response models: the API's documented contract (see ``/docs``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rootout.api.roles import Role
from rootout.cases.model import CaseStatus
from rootout.store.clock import as_utc

Item = TypeVar("Item")


UtcDateTime = Annotated[dt.datetime, AfterValidator(as_utc)]
"""A time in UTC with its offset (SQLite hands back the store's UTC times without one)."""

NO_NUL = r"^[^\x00]*$"
"""Text fields refuse NUL characters, which PostgreSQL cannot store."""


class Page(BaseModel, Generic[Item]):
    total: int = Field(description="How many items match, over all pages.", examples=[1])
    items: list[Item]


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    version: str = Field(examples=["0.1.0"])
    database: str = Field(examples=["sqlite"])


class LoginRequest(BaseModel):
    username: str = Field(
        min_length=1, max_length=200, pattern=NO_NUL, examples=["alice@example.org"]
    )
    password: str = Field(min_length=1, max_length=1000, examples=["correct horse battery"])


class Me(BaseModel):
    tenant: str = Field(examples=["acme"])
    actor: str = Field(examples=["alice@example.org"])
    role: Role
    csrf_token: str | None = Field(
        default=None, description="Send as X-CSRF-Token on changes made with the session cookie."
    )


class Scan(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "S3f5a9c0d1e2b4a6",
                    "started_at": "2026-11-28T10:00:00Z",
                    "finished_at": "2026-11-28T10:00:02Z",
                    "catalog_version": "2026.11.1",
                    "engine": "python",
                    "label": "ws-0042 weekly",
                    "summary": {"inputs": 1, "observations": 14, "findings": 2},
                }
            ]
        }
    )
    id: str
    started_at: UtcDateTime
    finished_at: UtcDateTime
    catalog_version: str

    engine: str
    label: str | None
    summary: dict[str, Any]


class ScanInput(BaseModel):
    path: str = Field(examples=["ws-0042/programs.json"])
    sha256: str | None
    size: int | None
    format: str | None = Field(examples=["osquery"])
    observations: int
    error: str | None


class ScanDetail(Scan):
    inputs: list[ScanInput]


class Uploaded(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "scan_id": "S3f5a9c0d1e2b4a6",
                    "reused": False,
                    "observations": 14,
                    "findings": 2,
                    "new": ["F0a1b2c3d4e5f607"],
                    "gone": [],
                }
            ]
        }
    )
    scan_id: str
    reused: bool = Field(description="The same file was stored before: nothing changed.")
    observations: int
    findings: int
    new: list[str]
    gone: list[str]


class Finding(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "F0a1b2c3d4e5f607",
                    "asset_key": "host:name:ws-0042",
                    "asset_name": "ws-0042",
                    "basis": "direct",
                    "confidence": "high",
                    "entity": "kaspersky-lab",
                    "matched_entity": "kaspersky-lab",
                    "product": "kaspersky-endpoint-security",
                    "matched_field": "name",
                    "matched_value": "Kaspersky Endpoint Security for Windows",
                    "historical": False,
                    "status": "active",
                    "observed_on": "2026-11-28",
                    "first_seen_scan": "S3f5a9c0d1e2b4a6",
                    "last_seen_scan": "S3f5a9c0d1e2b4a6",
                }
            ]
        }
    )
    id: str
    asset_key: str
    asset_name: str
    basis: str
    confidence: str
    entity: str
    matched_entity: str
    product: str | None
    matched_field: str
    matched_value: str
    historical: bool
    status: str
    observed_on: str
    first_seen_scan: str
    last_seen_scan: str


class SourceRef(BaseModel):
    id: str
    url: str | None
    title: str | None
    reliability: str | None


class ExplanationStep(BaseModel):
    kind: str = Field(examples=["signature"])
    text: str
    ref: str | None = None
    sources: list[SourceRef]


class FindingDetail(Finding):
    signature: str
    evidence: str
    legal: list[dict[str, str]] = Field(
        description="Legal bases that apply on the observation date."
    )
    explanation: list[ExplanationStep] = Field(
        description="The chain from the raw field value to the covered entity, each step sourced."
    )
    observation: dict[str, Any] = Field(description="The observation as read, with its source.")


class Deadline(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    obligation_id: str
    legal_basis_short: str
    action: str
    due: dt.date
    days_left: int
    at_risk: bool
    report_id: str | None
    done_on: dt.date | None
    met: bool


class Waiver(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    justification: str
    approver: str
    expires: dt.date | None
    expired: bool


class Case(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str = Field(examples=["C1"])
    title: str
    entity: str
    product: str | None
    org_unit: str
    status: CaseStatus
    owner: str | None
    identified_at: UtcDateTime
    finding_ids: list[str]
    asset_names: list[str]
    deadlines: list[Deadline]
    waiver: Waiver | None
    false_positive_reason: str | None
    verified_scan: str | None
    removed_scan: str | None
    events: int


class StatusChange(BaseModel):
    status: CaseStatus = Field(examples=["planned"])
    why: str = Field(
        min_length=1, max_length=2000, pattern=NO_NUL, examples=["replacement scheduled for Monday"]
    )
    owner: str | None = Field(default=None, max_length=200, pattern=NO_NUL, examples=["it-ops"])


class Entity(BaseModel):
    id: str = Field(examples=["kaspersky-lab"])
    name: str = Field(examples=["AO Kaspersky Lab"])
    country: str | None = Field(examples=["RU"])
    designated_under: list[str] = Field(examples=[["BOD 17-01"]])


class CatalogObject(BaseModel):
    id: str
    kind: str = Field(examples=["entities"])
    location: str = Field(description="Pack file and line that define it.")
    data: dict[str, Any]
    sources: list[dict[str, Any]]


class ReportFormat(BaseModel):
    name: str = Field(examples=["csv"])
    summary: str
    variants: list[str] = Field(examples=[["csv"]])
    default: str


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, pattern=NO_NUL, examples=["agent on ws-0042"])
    role: Role = Field(examples=["agent"])


class Token(BaseModel):
    id: str = Field(examples=["T1a2b3c4d5e6f"])
    name: str
    role: Role
    created_by: str
    created_at: UtcDateTime
    revoked_at: UtcDateTime | None


class TokenCreated(Token):
    token: str = Field(description="The secret: shown this once, stored only as a hash.")
