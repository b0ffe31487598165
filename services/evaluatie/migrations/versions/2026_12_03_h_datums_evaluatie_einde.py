"""the end date an evaluation that ends the trajectory decided (issue #21, defect 1)

Revision ID: 2026_12_03_h_datums_1
Revises: 2026_12_03_h_audit_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_12_03_h_datums_1"
down_revision = "2026_12_03_h_audit_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("evaluaties", sa.Column("einde", sa.Date()))


def downgrade() -> None:
    op.drop_column("evaluaties", "einde")
