"""the outbox notifies the relay on commit (LISTEN/NOTIFY instead of polling)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from alembic import op

from wijkwerk.db.messaging_ddl import create_outbox_notify, drop_outbox_notify

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_notify(op)


def downgrade() -> None:
    drop_outbox_notify(op)
