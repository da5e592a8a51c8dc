"""The store's tables (SQLAlchemy Core). Alembic migrations create them.

Every table carries ``tenant_id`` and every query in
:mod:`rootout.store.repository` filters on it: the embedded single-user store
uses the tenant ``default``; the server gives each customer its own.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

tenants = Table(
    "tenants",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

scans = Table(
    "scans",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("catalog_version", String(40), nullable=False),
    Column("engine", String(20), nullable=False),
    Column("label", String(200), nullable=True),
    Column("summary", JSON, nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

inputs = Table(
    "inputs",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("scan_id", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=True),
    Column("size", Integer, nullable=True),
    Column("format", String(60), nullable=True),
    Column("observations", Integer, nullable=False),
    Column("error", Text, nullable=True),
    ForeignKeyConstraint(["tenant_id", "scan_id"], ["scans.tenant_id", "scans.id"]),
)

assets = Table(
    "assets",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("key", String(300), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(300), nullable=False),
    Column("identifiers", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("first_seen_scan", String(40), nullable=False),
    Column("last_seen_scan", String(40), nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

scan_assets = Table(
    "scan_assets",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("scan_id", String(40), primary_key=True),
    Column("asset_key", String(300), primary_key=True),
    Column("observations", Integer, nullable=False),
    ForeignKeyConstraint(["tenant_id", "scan_id"], ["scans.tenant_id", "scans.id"]),
)

findings = Table(
    "findings",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(20), primary_key=True),
    Column("asset_key", String(300), nullable=False),
    Column("basis", String(20), nullable=False),
    Column("confidence", String(10), nullable=False),
    Column("entity", String(120), nullable=False),
    Column("matched_entity", String(120), nullable=False),
    Column("product", String(120), nullable=True),
    Column("signature", String(120), nullable=False),
    Column("evidence", String(30), nullable=False),
    Column("matched_field", String(40), nullable=False),
    Column("matched_value", Text, nullable=False),
    Column("historical", Boolean, nullable=False),
    Column("legal", JSON, nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("observation", JSON, nullable=False),
    Column("observed_on", String(10), nullable=False),
    Column("first_seen_scan", String(40), nullable=False),
    Column("last_seen_scan", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("gone_in_scan", String(40), nullable=True),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index("ix_findings_tenant_entity", "tenant_id", "entity"),
    Index("ix_findings_tenant_asset", "tenant_id", "asset_key"),
)

sightings = Table(
    "sightings",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("scan_id", String(40), primary_key=True),
    Column("finding_id", String(20), primary_key=True),
    Column("confidence", String(10), nullable=False),
    Column("matched_value", Text, nullable=False),
    Column("version", String(100), nullable=True),
    ForeignKeyConstraint(["tenant_id", "scan_id"], ["scans.tenant_id", "scans.id"]),
    ForeignKeyConstraint(["tenant_id", "finding_id"], ["findings.tenant_id", "findings.id"]),
)

suppressions = Table(
    "suppressions",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("scope", String(20), nullable=False),
    Column("value", String(300), nullable=False),
    Column("justification", Text, nullable=False),
    Column("approver", String(200), nullable=False),
    Column("expires", String(10), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    UniqueConstraint("tenant_id", "scope", "value", name="uq_suppressions_scope_value"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("object_type", String(30), nullable=False),
    Column("object_id", String(120), nullable=False),
    Column("detail", JSON, nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index("ix_events_tenant_object", "tenant_id", "object_type", "object_id"),
)

cases = Table(
    "cases",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(20), primary_key=True),
    Column("group_key", String(400), nullable=False),
    Column("title", String(300), nullable=False),
    Column("entity", String(120), nullable=False),
    Column("product", String(120), nullable=True),
    Column("matched_entity", String(120), nullable=False),
    Column("org_unit", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("owner", String(200), nullable=True),
    Column("identified_at", DateTime(timezone=True), nullable=False),
    Column("identified_how", Text, nullable=False),
    Column("notes", Text, nullable=True),
    Column("waiver", JSON, nullable=True),
    Column("suppressions", JSON, nullable=False),
    Column("false_positive_reason", Text, nullable=True),
    Column("removed_scan", String(40), nullable=True),
    Column("verified_scan", String(40), nullable=True),
    Column("residual_reason", Text, nullable=True),
    Column("obligations_done", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index("ix_cases_tenant_status", "tenant_id", "status"),
    Index("ix_cases_tenant_group", "tenant_id", "group_key"),
)

case_findings = Table(
    "case_findings",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("finding_id", String(20), primary_key=True),
    Column("case_id", String(20), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["tenant_id", "case_id"], ["cases.tenant_id", "cases.id"]),
    ForeignKeyConstraint(["tenant_id", "finding_id"], ["findings.tenant_id", "findings.id"]),
    Index("ix_case_findings_tenant_case", "tenant_id", "case_id"),
)

users = Table(
    "users",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("username", String(200), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index("ix_api_tokens_tenant", "tenant_id"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", String(40), nullable=False),
    Column("tenant_id", String(64), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["user_id"], ["users.id"]),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(20), primary_key=True),
    Column("url", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("events", JSON, nullable=False),
    Column("secret", String(100), nullable=False),
    Column("description", String(200), nullable=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant_id", String(64), nullable=False),
    Column("webhook_id", String(20), nullable=False),
    Column("event", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index("ix_webhook_deliveries_tenant_webhook", "tenant_id", "webhook_id"),
    Index("ix_webhook_deliveries_status", "status"),
)

deadline_alerts = Table(
    "deadline_alerts",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("case_id", String(20), primary_key=True),
    Column("obligation_id", String(120), primary_key=True),
    Column("due", String(10), primary_key=True),
    Column("threshold", String(20), primary_key=True),
    Column("alerted_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

ingest_jobs = Table(
    "ingest_jobs",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("scan_id", String(36), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("error", Text, nullable=True),
    Column("payload", LargeBinary, nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    Column("host", String(300), nullable=False),
    Column("observations", Integer, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("stored_scan_id", String(40), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index("ix_ingest_jobs_status_lease", "status", "lease_until"),
)

observation_chunks = Table(
    "observation_chunks",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("scan_id", String(40), primary_key=True),
    Column("chunk", Integer, primary_key=True),
    Column("input_seq", Integer, nullable=True),
    Column("observations", Integer, nullable=False),
    Column("encoding", String(20), nullable=False),
    Column("data", LargeBinary, nullable=False),
    ForeignKeyConstraint(["tenant_id", "scan_id"], ["scans.tenant_id", "scans.id"]),
)

suppliers = Table(
    "suppliers",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(120), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("uei", String(12), nullable=True),
    Column("cage", String(5), nullable=True),
    Column("duns", String(9), nullable=True),
    Column("country", String(2), nullable=True),
    Column("parent_name", String(300), nullable=True),
    Column("parent_uei", String(12), nullable=True),
    Column("provides", JSON, nullable=False),
    Column("source", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
    Index("ix_suppliers_tenant_uei", "tenant_id", "uei"),
)

supplier_representations = Table(
    "supplier_representations",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("supplier_id", String(120), primary_key=True),
    Column("clause", String(10), primary_key=True),
    Column("signed_on", String(10), primary_key=True),
    Column("provides", Boolean, nullable=True),
    Column("uses", Boolean, nullable=True),
    Column("disclosure", Text, nullable=True),
    Column("signer", String(200), nullable=False),
    Column("expires_on", String(10), nullable=True),
    Column("source", Text, nullable=False),
    Column("line", Integer, nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

supplier_access = Table(
    "supplier_access",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("supplier_id", String(120), primary_key=True),
    Column("system", String(200), primary_key=True),
    Column("start_on", String(10), primary_key=True),
    Column("end_on", String(10), nullable=True),
    Column("access_tenant", String(200), nullable=True),
    Column("source", Text, nullable=False),
    Column("line", Integer, nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

supplier_deliveries = Table(
    "supplier_deliveries",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("supplier_id", String(120), primary_key=True),
    Column("path", String(1000), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("delivered_on", String(10), nullable=True),
    Column("source", Text, nullable=False),
    Column("line", Integer, nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

screening_entries = Table(
    "screening_entries",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("list_name", String(30), primary_key=True),
    Column("entry_id", String(120), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("source", Text, nullable=False),
    Column("alt_names", JSON, nullable=False),
    Column("uei", String(20), nullable=True),
    Column("cage", String(20), nullable=True),
    Column("duns", String(20), nullable=True),
    Column("country", String(60), nullable=True),
    Column("start_on", String(10), nullable=True),
    Column("end_on", String(10), nullable=True),
    Column("detail", Text, nullable=False),
    Column("line", Integer, nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)

case_counters = Table(
    "case_counters",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("last_number", Integer, nullable=False),
    ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
)
