"""toeleidingen, trajecten, schorsingen, dated benefit status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trajecten",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), sa.ForeignKey("wijkwerkers.id"), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), sa.ForeignKey("organisatoren.id"), nullable=False),
        sa.Column("toeleiding_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("toeleider_type", sa.Text, nullable=False),
        sa.Column("toeleider_org", sa.Text),
        sa.Column("advies_maanden", sa.Integer),
        sa.Column("ontvangen_op", sa.Date, nullable=False),
        sa.Column("hertoeleiding", sa.Boolean, nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("gepland_einde", sa.Date),
        sa.Column("max_einde", sa.Date),
        sa.Column("overeenkomst_op", sa.Date),
        sa.Column("werkelijk_einde", sa.Date),
        sa.Column("einde_reden", sa.Text),
        sa.Column("vervolg", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("advies_maanden IS NULL OR advies_maanden BETWEEN 1 AND 12", name="advies_1_12"),
    )
    op.create_index("trajecten_wijkwerker", "trajecten", ["wijkwerker_id", "start"])
    op.create_index("trajecten_toeleider", "trajecten", ["toeleider_org"])
    op.create_index(
        "trajecten_open_einde", "trajecten", ["gepland_einde"], postgresql_where=sa.text("werkelijk_einde IS NULL")
    )
    op.create_table(
        "schorsingen",
        sa.Column("traject_id", UUID(as_uuid=True), sa.ForeignKey("trajecten.id"), primary_key=True),
        sa.Column("van", sa.Date, primary_key=True),
        sa.Column("tot", sa.Date, nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("verlengt_einde", sa.Boolean, nullable=False),
    )
    op.create_table(
        "uitkeringsstatussen",
        sa.Column("wijkwerker_id", UUID(as_uuid=True), sa.ForeignKey("wijkwerkers.id"), primary_key=True),
        sa.Column("vanaf", sa.Date, primary_key=True),
        sa.Column("uitkeringsstatus", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("uitkeringsstatussen")
    op.drop_table("schorsingen")
    op.drop_table("trajecten")
