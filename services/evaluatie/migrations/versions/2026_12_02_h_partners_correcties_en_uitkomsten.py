"""corrections of evaluations and outflow measurements (versions), and what a referrer
needs to see its referrals' outcomes (the referring organisation, the referral of a
trajectory)

Revision ID: 2026_12_02_h_partners_correcties
Revises: 0103
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "2026_12_02_h_partners_correcties"
down_revision = "gebeurtenissen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rm_toeleidingen", sa.Column("toeleider_org", sa.Text))
    op.add_column("rm_trajecten", sa.Column("toeleiding_id", UUID(as_uuid=True)))
    op.create_index("rm_toeleidingen_toeleider", "rm_toeleidingen", ["toeleider_org"])
    op.create_table(
        "correcties",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("volgnummer", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("doel_id", UUID(as_uuid=True), nullable=False),
        sa.Column("gecorrigeerd_op", sa.Date, nullable=False),
        sa.Column("waarden", JSONB, nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("door", sa.Text),
        sa.Column("geregistreerd_op", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("soort IN ('evaluatie', 'uitstroommeting')", name="soort_bekend"),
    )
    op.create_index("correcties_doel", "correcties", ["doel_id", "gecorrigeerd_op", "volgnummer"])


def downgrade() -> None:
    op.drop_table("correcties")
    op.drop_index("rm_toeleidingen_toeleider", "rm_toeleidingen")
    op.drop_column("rm_trajecten", "toeleiding_id")
    op.drop_column("rm_toeleidingen", "toeleider_org")
