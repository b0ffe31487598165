"""fraud and error flags before payout (issue #23 item 4, ADR 0024): the prestatie's start
and minutes on the local reference (overlaps), the day a rejected flag stopped paying it,
and the flags with their decision (the audit trail: who, when, why)

Revision ID: 2026_12_07_h_fraude_1
Revises: 2026_12_06_h_bevestiging_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "2026_12_07_h_fraude_1"
down_revision = "2026_12_06_h_bevestiging_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("prestaties_ref", sa.Column("start", sa.Time))
    op.add_column("prestaties_ref", sa.Column("minuten", sa.Integer))
    op.add_column("prestaties_ref", sa.Column("afgewezen_op", sa.Date))
    op.create_index("prestaties_ref_wijkwerker_dag", "prestaties_ref", ["wijkwerker_id", "datum"])
    op.create_index("prestaties_ref_gebruiker_dag", "prestaties_ref", ["gebruiker_id", "datum"])
    op.create_table(
        "signalen",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("prestatie_id", UUID(as_uuid=True)),  # NULL: a worker-level flag (gedeelde-rekening)
        sa.Column("regel", sa.Text, nullable=False),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("gebruiker_id", UUID(as_uuid=True)),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("toelichting", sa.Text, nullable=False),
        sa.Column("bedrag_cent", sa.BigInteger, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("besloten_op", sa.Date),
        sa.Column("besloten_door", sa.Text),
        sa.Column("reden", sa.Text),
        sa.Column("gemeld_om", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("besloten_om", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("prestatie_id", "regel", name="signalen_prestatie_regel"),
        sa.CheckConstraint("status IN ('open', 'vrijgegeven', 'afgewezen')", name="signalen_status"),
        sa.CheckConstraint("(status = 'open') = (besloten_op IS NULL)", name="signalen_besloten"),
    )
    op.create_index("signalen_prestatie", "signalen", ["prestatie_id"])
    op.create_index("signalen_wijkwerker", "signalen", ["wijkwerker_id"], postgresql_where=sa.text("prestatie_id IS NULL"))
    op.create_index("signalen_open", "signalen", ["organisator_id", "datum"],
                    postgresql_where=sa.text("status = 'open'"))


def downgrade() -> None:
    op.drop_table("signalen")
    op.drop_index("prestaties_ref_gebruiker_dag", table_name="prestaties_ref")
    op.drop_index("prestaties_ref_wijkwerker_dag", table_name="prestaties_ref")
    for kolom in ("start", "minuten", "afgewezen_op"):
        op.drop_column("prestaties_ref", kolom)
