"""a cheque's validation number in the money read model

A released cheque (its prestatie was corrected down or cancelled) can pay another
prestatie, possibly of another worker whose events travel on another partition; the
latest validation wins and a reversal removes only the validation it names.

Revision ID: 0102
Revises: 0101
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0102"
down_revision = "0101"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rm_cheques_gevalideerd", sa.Column("validatie", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("rm_cheques_gevalideerd", "validatie")
