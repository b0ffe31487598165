"""read models: indexes the monthly reports need at scale (bench figure 4)

RPT-02/03/05 look up each worker's first referral (``ORDER BY ontvangen_op LIMIT 1`` per
worker): without this index that is a sequential scan of ``rm_toeleidingen`` per worker
(18 s for one month over 1,000,000 prestaties and 20,000 workers).

Revision ID: 0100
Revises: 0005
Create Date: 2026-11-23
"""

from alembic import op

revision = "0100"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("rm_toeleidingen_wijkwerker", "rm_toeleidingen", ["wijkwerker_id", "ontvangen_op"])


def downgrade() -> None:
    op.drop_index("rm_toeleidingen_wijkwerker", table_name="rm_toeleidingen")
