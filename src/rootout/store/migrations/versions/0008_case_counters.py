"""Case counters: one row per tenant holding the number of its newest case id.

Case ids (``C<n>``) come from bumping this row, which locks it until the transaction ends, so
two transactions opening cases for one tenant never pick the same id. Tenants that already have
cases start from their highest existing number.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_counters",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_case_counters_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_case_counters")),
    )
    op.execute(
        "INSERT INTO case_counters (tenant_id, last_number) "
        "SELECT tenant_id, MAX(CAST(SUBSTR(id, 2) AS INTEGER)) FROM cases GROUP BY tenant_id"
    )


def downgrade() -> None:
    op.drop_table("case_counters")
