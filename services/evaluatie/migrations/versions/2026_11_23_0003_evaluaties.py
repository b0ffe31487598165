"""trajectory read model, evaluations, outflow measurements

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rm_trajecten",
        sa.Column("traject_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("gepland_einde", sa.Date),
        sa.Column("werkelijk_einde", sa.Date),
        sa.Column("einde_reden", sa.Text),
        sa.Column("vervolg", sa.Text),
        sa.Column("overeenkomst_op", sa.Date),
    )
    op.create_index("rm_trajecten_organisator", "rm_trajecten", ["organisator_id", "start"])
    op.create_table(
        "evaluaties",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("traject_id", UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("uitkomst", sa.Text, nullable=False),
        sa.Column("vervolg", sa.Text),
        sa.Column("opmerkingen", sa.Text),
        sa.Column("evaluator_organisatie", sa.Text),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("evaluaties_organisator_datum", "evaluaties", ["organisator_id", "datum"])
    op.create_table(
        "uitstroommetingen",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("traject_id", UUID(as_uuid=True), nullable=False),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("horizon_maanden", sa.Integer, nullable=False),
        sa.Column("gemeten_op", sa.Date, nullable=False),
        sa.Column("categorieen", ARRAY(sa.Text), nullable=False),
        sa.Column("subcategorieen", ARRAY(sa.Text), nullable=False),
        sa.UniqueConstraint("traject_id", "horizon_maanden", name="een_meting_per_horizon"),
    )


def downgrade() -> None:
    op.drop_table("uitstroommetingen")
    op.drop_table("evaluaties")
    op.drop_table("rm_trajecten")
