"""Removal cases: cases and the findings grouped into them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("group_key", sa.String(length=400), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("entity", sa.String(length=120), nullable=False),
        sa.Column("product", sa.String(length=120), nullable=True),
        sa.Column("matched_entity", sa.String(length=120), nullable=False),
        sa.Column("org_unit", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("identified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("identified_how", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("waiver", sa.JSON(), nullable=True),
        sa.Column("suppressions", sa.JSON(), nullable=False),
        sa.Column("false_positive_reason", sa.Text(), nullable=True),
        sa.Column("removed_scan", sa.String(length=40), nullable=True),
        sa.Column("verified_scan", sa.String(length=40), nullable=True),
        sa.Column("residual_reason", sa.Text(), nullable=True),
        sa.Column("obligations_done", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_cases_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_cases")),
    )
    op.create_index("ix_cases_tenant_group", "cases", ["tenant_id", "group_key"], unique=False)
    op.create_index("ix_cases_tenant_status", "cases", ["tenant_id", "status"], unique=False)
    op.create_table(
        "case_findings",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("finding_id", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "case_id"],
            ["cases.tenant_id", "cases.id"],
            name=op.f("fk_case_findings_tenant_id_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "finding_id"],
            ["findings.tenant_id", "findings.id"],
            name=op.f("fk_case_findings_tenant_id_findings"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "finding_id", name=op.f("pk_case_findings")),
    )
    op.create_index(
        "ix_case_findings_tenant_case", "case_findings", ["tenant_id", "case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_case_findings_tenant_case", table_name="case_findings")
    op.drop_table("case_findings")
    op.drop_index("ix_cases_tenant_status", table_name="cases")
    op.drop_index("ix_cases_tenant_group", table_name="cases")
    op.drop_table("cases")
