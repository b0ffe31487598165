"""the audit trail: who changed what and who read personal data (issue #18)

Revision ID: 2026_12_03_h_audit_1
Revises: 2026_12_03_h_domein_1
Create Date: 2026-12-03
"""

from alembic import op

from wijkwerk.db.audit import create_audit, drop_audit

revision = "2026_12_03_h_audit_1"
down_revision = "2026_12_03_h_domein_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit(op)


def downgrade() -> None:
    drop_audit(op)
