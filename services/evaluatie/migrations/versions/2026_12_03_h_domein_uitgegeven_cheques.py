"""issued cheques in the money read model: their validity, for the expired stock (A-21)

A cheque is valid through issue date + validity months − 1 day; one neither used nor
refunded by then has expired. RPT-16/17 show the expired stock per organiser and month.

Revision ID: 2026_12_03_h_domein_1
Revises: h_idempotent_0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "2026_12_03_h_domein_1"
down_revision = "h_idempotent_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rm_cheques_uitgegeven",
        sa.Column("serienummer", sa.Text, primary_key=True),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("prijs_cent", sa.Integer, nullable=False),
        sa.Column("uitgegeven_op", sa.Date, nullable=False),
        sa.Column("geldig_tot", sa.Date, nullable=False),
        sa.Column("terugbetaald_op", sa.Date),
    )
    op.create_index("rm_cheques_uitgegeven_geldig_tot", "rm_cheques_uitgegeven", ["geldig_tot", "organisator_id"])


def downgrade() -> None:
    op.drop_table("rm_cheques_uitgegeven")
