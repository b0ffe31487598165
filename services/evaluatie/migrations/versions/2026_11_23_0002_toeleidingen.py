"""referrals read model (RPT-05, RPT-07)

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
        "rm_toeleidingen",
        sa.Column("toeleiding_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("toeleider_type", sa.Text, nullable=False),
        sa.Column("advies_maanden", sa.Integer),
        sa.Column("ontvangen_op", sa.Date, nullable=False),
        sa.Column("uitkeringsstatus", sa.Text, nullable=False),
        sa.Column("ex_pwa", sa.Boolean, nullable=False),
        sa.Column("hertoeleiding", sa.Boolean, nullable=False),
    )
    op.create_index("rm_toeleidingen_ontvangen", "rm_toeleidingen", ["ontvangen_op", "organisator_id"])


def downgrade() -> None:
    op.drop_table("rm_toeleidingen")
