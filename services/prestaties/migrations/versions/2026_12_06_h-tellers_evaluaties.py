"""the workers' evaluations as evaluatie publishes them, for the next evaluation due on a
worker's counters (issue #23 item 1; prestaties.domain.tellers)

Revision ID: 2026_12_06_h_tellers_1
Revises: 2026_12_04_h_consumenten_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "2026_12_06_h_tellers_1"
down_revision = "2026_12_04_h_consumenten_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluaties_ref",
        sa.Column("evaluatie_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("traject_id", UUID(as_uuid=True), nullable=False),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
    )
    op.create_index("evaluaties_ref_wijkwerker", "evaluaties_ref", ["wijkwerker_id"])


def downgrade() -> None:
    op.drop_table("evaluaties_ref")
