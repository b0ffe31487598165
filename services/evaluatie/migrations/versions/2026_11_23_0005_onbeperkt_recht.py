"""dossiers: the ex-PWA unlimited right (RPT-23)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rm_dossiers", sa.Column("onbeperkt_recht", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("rm_dossiers", sa.Column("domicilie_nis_code", sa.String(5)))


def downgrade() -> None:
    op.drop_column("rm_dossiers", "domicilie_nis_code")
    op.drop_column("rm_dossiers", "onbeperkt_recht")
