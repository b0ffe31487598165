"""reversed validations: a cheque's reversal count, the grants of a day's travel allowance,
and the reversals waiting to be applied

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Numbers the ledger keys of a cheque validated again after a reversal.
    op.add_column("cheques", sa.Column("terugdraaiingen", sa.Integer, nullable=False, server_default="0"))
    # Reversals of a day's travel allowance at a placement: numbers the next grant's key.
    op.create_table(
        "reisdagen",
        sa.Column("koppeling_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("datum", sa.Date, primary_key=True),
        sa.Column("terugdraaiingen", sa.Integer, nullable=False),
    )
    # A prestatie corrected or cancelled: written with the consumed event (inbox), applied
    # in a transaction of its own that locks the worker before it writes (outbox order).
    op.create_table(
        "terugdraai_opdrachten",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),  # the correction's event id
        sa.Column("prestatie_id", UUID(as_uuid=True), nullable=False),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("terugdraai_opdrachten_volgorde", "terugdraai_opdrachten", ["aangemaakt_op"])


def downgrade() -> None:
    op.drop_table("terugdraai_opdrachten")
    op.drop_table("reisdagen")
    op.drop_column("cheques", "terugdraaiingen")
