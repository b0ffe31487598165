"""the audit trail: who changed what and who read personal data (issue #18)

Revision ID: 2026_12_03_h_audit_1
Revises: 2026_12_03_h_uitbetaling_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from wijkwerk.db.audit import create_audit, drop_audit

revision = "2026_12_03_h_audit_1"
down_revision = "2026_12_03_h_uitbetaling_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit(op)
    # Who caused each ledger posting (the ledger is append-only: new rows carry it).
    for kolom in ("door_subject", "door_org", "door_org_type"):
        op.add_column("grootboek_transacties", sa.Column(kolom, sa.Text))
    # A reversal order keeps the actor of the correction that caused it, for its storno.
    op.add_column("terugdraai_opdrachten", sa.Column("actor", JSONB))


def downgrade() -> None:
    op.drop_column("terugdraai_opdrachten", "actor")
    for kolom in ("door_subject", "door_org", "door_org_type"):
        op.drop_column("grootboek_transacties", kolom)
    drop_audit(op)
