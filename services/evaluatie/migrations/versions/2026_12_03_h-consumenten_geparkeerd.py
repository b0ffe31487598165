"""dead letters per consumer in the service's own database, parked and halted per key for
the money streams (issue #22 item 3; wijkwerk.messaging.parkeren)

Revision ID: 2026_12_04_h_consumenten_1
Revises: 2026_12_03_h_datums_1
Create Date: 2026-12-03
"""

from alembic import op

from wijkwerk.db.messaging_ddl import create_geparkeerd, drop_geparkeerd

revision = "2026_12_04_h_consumenten_1"
down_revision = "2026_12_03_h_datums_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_geparkeerd(op)


def downgrade() -> None:
    drop_geparkeerd(op)
