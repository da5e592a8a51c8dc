"""Stored observations per scan input, so a catalog update can re-match without the inputs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observation_chunks",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("scan_id", sa.String(length=40), nullable=False),
        sa.Column("chunk", sa.Integer(), nullable=False),
        sa.Column("input_seq", sa.Integer(), nullable=True),
        sa.Column("observations", sa.Integer(), nullable=False),
        sa.Column("encoding", sa.String(length=20), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "scan_id"],
            ["scans.tenant_id", "scans.id"],
            name=op.f("fk_observation_chunks_tenant_id_scans"),
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "scan_id", "chunk", name=op.f("pk_observation_chunks")
        ),
    )


def downgrade() -> None:
    op.drop_table("observation_chunks")
