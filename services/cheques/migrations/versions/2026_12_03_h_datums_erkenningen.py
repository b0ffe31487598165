"""the gebruikers' erkenningen as prestaties publishes them, so an order is accepted only
for an organiser where the gebruiker holds an active erkenning (A-14; issue #21, defect 4)

Revision ID: 2026_12_03_h_datums_1
Revises: 2026_12_03_h_audit_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "2026_12_03_h_datums_1"
down_revision = "2026_12_03_h_audit_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erkenningen_ref",
        sa.Column("erkenning_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("overeenkomst_op", sa.Date()),
        sa.Column("einde", sa.Date()),
    )
    op.create_index("ix_erkenningen_ref_gebruiker", "erkenningen_ref", ["gebruiker_id", "organisator_id"])
    op.create_table(
        "erkenning_perioden_ref",
        sa.Column("erkenning_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("geldig_van", sa.Date(), primary_key=True),
        sa.Column("geldig_tot", sa.Date(), nullable=False),
        sa.Column("betaald_op", sa.Date()),
    )


def downgrade() -> None:
    op.drop_table("erkenning_perioden_ref")
    op.drop_table("erkenningen_ref")
