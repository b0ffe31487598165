"""organisatoren, werkingsgebied, tarieven, wijkwerkers, outbox, inbox

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
        "organisatoren",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("naam", sa.Text, nullable=False),
        sa.Column("samenwerkingsverband", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "werkingsgebied",
        sa.Column("organisator_id", UUID(as_uuid=True), sa.ForeignKey("organisatoren.id"), primary_key=True),
        sa.Column("nis_code", sa.String(5), primary_key=True),
        sa.Column("naam", sa.Text, nullable=False),
    )
    op.create_index("werkingsgebied_nis", "werkingsgebied", ["nis_code"])
    op.create_table(
        "tarieven",
        sa.Column("organisator_id", UUID(as_uuid=True), sa.ForeignKey("organisatoren.id"), primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("prijs_cent", sa.Integer, sa.CheckConstraint("prijs_cent > 0"), nullable=False),
    )
    op.create_table(
        "wijkwerkers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("insz", sa.String(11), nullable=False, unique=True),
        sa.Column("voornaam", sa.Text, nullable=False),
        sa.Column("achternaam", sa.Text, nullable=False),
        sa.Column("domicilie_nis_code", sa.String(5), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), sa.ForeignKey("organisatoren.id"), nullable=False),
        sa.Column("uitkeringsstatus", sa.Text, nullable=False),
        sa.Column("vdab_ingeschreven", sa.Boolean, nullable=False),
        sa.Column("ex_pwa", sa.Boolean, nullable=False),
        sa.Column("onbeperkt_recht", sa.Boolean, nullable=False),
        sa.Column("iban", sa.String(34), nullable=False),
        sa.Column("ingeschreven_op", sa.Date, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("wijkwerkers_organisator_status", "wijkwerkers", ["organisator_id", "status"])


def downgrade() -> None:
    op.drop_table("wijkwerkers")
    op.drop_table("tarieven")
    op.drop_table("werkingsgebied")
    op.drop_table("organisatoren")
    drop_messaging_tables(op)
