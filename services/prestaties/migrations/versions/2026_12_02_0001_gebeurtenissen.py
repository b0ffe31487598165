"""the event archive: every published event kept for years (issue #17, ADR 0004)

Revision ID: gebeurtenissen
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op

from wijkwerk.db.messaging_ddl import create_archief, drop_archief

revision = "gebeurtenissen"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_archief(op)


def downgrade() -> None:
    drop_archief(op)
