"""dossier read model per organiser, outbox, inbox

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
        "rm_organisatoren",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("naam", sa.Text, nullable=False),
        sa.Column("samenwerkingsverband", sa.Text, nullable=False),
    )
    op.create_table(
        "rm_dossiers",
        sa.Column("wijkwerker_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("ex_pwa", sa.Boolean, nullable=False),
        sa.Column("uitkeringsstatus", sa.Text, nullable=False),
        sa.Column("ingeschreven_op", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rm_dossiers")
    op.drop_table("rm_organisatoren")
    drop_messaging_tables(op)
