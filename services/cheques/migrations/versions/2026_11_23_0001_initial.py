"""organiser and tariff reference data (from toeleiding events), outbox, inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from wijkwerk.db.messaging_ddl import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables(op)
    op.create_table(
        "organisatoren_ref",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("naam", sa.Text, nullable=False),
    )
    op.create_table(
        "tarieven_ref",
        sa.Column("organisator_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("prijs_cent", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tarieven_ref")
    op.drop_table("organisatoren_ref")
    drop_messaging_tables(op)
