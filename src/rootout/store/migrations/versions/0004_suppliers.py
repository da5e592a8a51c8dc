"""Suppliers and contractors: register, representations, access agreements, deliveries,
and imported screening-list entries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suppliers",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("uei", sa.String(length=12), nullable=True),
        sa.Column("cage", sa.String(length=5), nullable=True),
        sa.Column("duns", sa.String(length=9), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("parent_name", sa.String(length=300), nullable=True),
        sa.Column("parent_uei", sa.String(length=12), nullable=True),
        sa.Column("provides", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_suppliers_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_suppliers")),
    )
    op.create_index("ix_suppliers_tenant_uei", "suppliers", ["tenant_id", "uei"], unique=False)
    op.create_table(
        "supplier_representations",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.String(length=120), nullable=False),
        sa.Column("clause", sa.String(length=10), nullable=False),
        sa.Column("signed_on", sa.String(length=10), nullable=False),
        sa.Column("provides", sa.Boolean(), nullable=True),
        sa.Column("uses", sa.Boolean(), nullable=True),
        sa.Column("disclosure", sa.Text(), nullable=True),
        sa.Column("signer", sa.String(length=200), nullable=False),
        sa.Column("expires_on", sa.String(length=10), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_supplier_representations_tenant_id_tenants"),
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id",
            "supplier_id",
            "clause",
            "signed_on",
            name=op.f("pk_supplier_representations"),
        ),
    )
    op.create_table(
        "supplier_access",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.String(length=120), nullable=False),
        sa.Column("system", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.String(length=10), nullable=False),
        sa.Column("end_on", sa.String(length=10), nullable=True),
        sa.Column("access_tenant", sa.String(length=200), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_supplier_access_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "supplier_id", "system", "start_on", name=op.f("pk_supplier_access")
        ),
    )
    op.create_table(
        "supplier_deliveries",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.String(length=120), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("delivered_on", sa.String(length=10), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_supplier_deliveries_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "supplier_id", "path", name=op.f("pk_supplier_deliveries")
        ),
    )
    op.create_table(
        "screening_entries",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("list_name", sa.String(length=30), nullable=False),
        sa.Column("entry_id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("alt_names", sa.JSON(), nullable=False),
        sa.Column("uei", sa.String(length=20), nullable=True),
        sa.Column("cage", sa.String(length=20), nullable=True),
        sa.Column("duns", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=60), nullable=True),
        sa.Column("start_on", sa.String(length=10), nullable=True),
        sa.Column("end_on", sa.String(length=10), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_screening_entries_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "list_name", "entry_id", name=op.f("pk_screening_entries")
        ),
    )


def downgrade() -> None:
    op.drop_index("ix_suppliers_tenant_uei", table_name="suppliers")
    op.drop_table("screening_entries")
    op.drop_table("supplier_deliveries")
    op.drop_table("supplier_access")
    op.drop_table("supplier_representations")
    op.drop_table("suppliers")
