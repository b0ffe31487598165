"""the dossier status is derived as of a date from the trajectories, no longer stored
as computed on the day of the last write (issue #21, defect 6; A-09)

Revision ID: 2026_12_03_h_datums_2
Revises: 2026_12_03_h_datums_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_12_03_h_datums_2"
down_revision = "2026_12_03_h_datums_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_column("wijkwerkers", "status")


def downgrade() -> None:
    op.add_column("wijkwerkers", sa.Column("status", sa.Text(), nullable=False, server_default="voorlopig"))
