"""Initial schema: tenants, scans, inputs, assets, findings, sightings, suppressions, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
    )
    op.create_table(
        "assets",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("first_seen_scan", sa.String(length=40), nullable=False),
        sa.Column("last_seen_scan", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_assets_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "key", name=op.f("pk_assets")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.String(length=120), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_events_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(
        "ix_events_tenant_object", "events", ["tenant_id", "object_type", "object_id"], unique=False
    )
    op.create_table(
        "findings",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("asset_key", sa.String(length=300), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=120), nullable=False),
        sa.Column("matched_entity", sa.String(length=120), nullable=False),
        sa.Column("product", sa.String(length=120), nullable=True),
        sa.Column("signature", sa.String(length=120), nullable=False),
        sa.Column("evidence", sa.String(length=30), nullable=False),
        sa.Column("matched_field", sa.String(length=40), nullable=False),
        sa.Column("matched_value", sa.Text(), nullable=False),
        sa.Column("historical", sa.Boolean(), nullable=False),
        sa.Column("legal", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("observation", sa.JSON(), nullable=False),
        sa.Column("observed_on", sa.String(length=10), nullable=False),
        sa.Column("first_seen_scan", sa.String(length=40), nullable=False),
        sa.Column("last_seen_scan", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("gone_in_scan", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_findings_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_findings")),
    )
    op.create_index(
        "ix_findings_tenant_asset", "findings", ["tenant_id", "asset_key"], unique=False
    )
    op.create_index("ix_findings_tenant_entity", "findings", ["tenant_id", "entity"], unique=False)
    op.create_table(
        "scans",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalog_version", sa.String(length=40), nullable=False),
        sa.Column("engine", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_scans_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_scans")),
    )
    op.create_table(
        "suppressions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("approver", sa.String(length=200), nullable=False),
        sa.Column("expires", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_suppressions_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_suppressions")),
        sa.UniqueConstraint("tenant_id", "scope", "value", name="uq_suppressions_scope_value"),
    )
    op.create_table(
        "inputs",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("scan_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(length=60), nullable=True),
        sa.Column("observations", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "scan_id"],
            ["scans.tenant_id", "scans.id"],
            name=op.f("fk_inputs_tenant_id_scans"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "scan_id", "seq", name=op.f("pk_inputs")),
    )
    op.create_table(
        "scan_assets",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("scan_id", sa.String(length=40), nullable=False),
        sa.Column("asset_key", sa.String(length=300), nullable=False),
        sa.Column("observations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "scan_id"],
            ["scans.tenant_id", "scans.id"],
            name=op.f("fk_scan_assets_tenant_id_scans"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "scan_id", "asset_key", name=op.f("pk_scan_assets")),
    )
    op.create_table(
        "sightings",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("scan_id", sa.String(length=40), nullable=False),
        sa.Column("finding_id", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.String(length=10), nullable=False),
        sa.Column("matched_value", sa.Text(), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "finding_id"],
            ["findings.tenant_id", "findings.id"],
            name=op.f("fk_sightings_tenant_id_findings"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "scan_id"],
            ["scans.tenant_id", "scans.id"],
            name=op.f("fk_sightings_tenant_id_scans"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "scan_id", "finding_id", name=op.f("pk_sightings")),
    )


def downgrade() -> None:
    op.drop_table("sightings")
    op.drop_table("scan_assets")
    op.drop_table("inputs")
    op.drop_table("suppressions")
    op.drop_table("scans")
    op.drop_index("ix_findings_tenant_entity", table_name="findings")
    op.drop_index("ix_findings_tenant_asset", table_name="findings")
    op.drop_table("findings")
    op.drop_index("ix_events_tenant_object", table_name="events")
    op.drop_table("events")
    op.drop_table("assets")
    op.drop_table("tenants")
