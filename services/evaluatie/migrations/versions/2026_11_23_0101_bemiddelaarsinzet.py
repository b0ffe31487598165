"""bemiddelaar FTE per organiser, dated (PR-23, RPT-24); trajectories by end date (RPT-21/22)

VDAB records the staff it puts at an organiser's disposal from a date on; nobody else
records it, so evaluatie owns it (not a read model: a rebuild keeps it).

Revision ID: 0101
Revises: 0100
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0101"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bemiddelaarsinzet",
        sa.Column("organisator_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("fte", sa.Numeric(6, 2), nullable=False),
        sa.Column("inwoners", sa.Integer),
        sa.Column("geregistreerd_door", sa.Text, nullable=False),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("fte >= 0", name="fte_niet_negatief"),
        sa.CheckConstraint("inwoners IS NULL OR inwoners >= 0", name="inwoners_niet_negatief"),
    )
    op.create_index("rm_trajecten_einde", "rm_trajecten", ["werkelijk_einde", "organisator_id"])


def downgrade() -> None:
    op.drop_index("rm_trajecten_einde", table_name="rm_trajecten")
    op.drop_table("bemiddelaarsinzet")
