"""idempotency keys of partner POSTs, stored with their answer in the effect's transaction

Revision ID: h_idempotent_0001
Revises: 0103
Create Date: 2026-12-02
"""

from alembic import op

from wijkwerk.db.idempotency import create_idempotency_table, drop_idempotency_table

revision = "h_idempotent_0001"
down_revision = "2026_12_02_h_partners_correcties"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_idempotency_table(op)


def downgrade() -> None:
    drop_idempotency_table(op)
