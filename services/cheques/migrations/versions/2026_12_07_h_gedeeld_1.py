"""the keyed fingerprints of workers' and gebruikers' IBAN and address (issue #23 item 4,
ADR 0024): the rule gedeelde-iban-of-adres compares them, the values stay in toeleiding and
prestaties

Revision ID: 2026_12_07_h_gedeeld_1
Revises: 2026_12_07_h_fraude_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "2026_12_07_h_gedeeld_1"
down_revision = "2026_12_07_h_fraude_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vingerafdrukken",
        sa.Column("partij_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("iban", sa.Text),
        sa.Column("adres", sa.Text),
        sa.CheckConstraint("soort IN ('wijkwerker', 'gebruiker')", name="vingerafdrukken_soort"),
    )


def downgrade() -> None:
    op.drop_table("vingerafdrukken")
