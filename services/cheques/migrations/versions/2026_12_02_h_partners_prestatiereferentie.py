"""the prestatie reference (wijkwerk.prestatiecode) beside the prestatie cheques pays,
so the issuer can validate by it

Revision ID: 2026_12_02_h_partners_referentie
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_12_02_h_partners_referentie"
down_revision = "gebeurtenissen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("prestaties_ref", sa.Column("referentie", sa.Text))
    op.create_index("prestaties_ref_referentie", "prestaties_ref", ["referentie"], unique=True,
                    postgresql_where=sa.text("referentie IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("prestaties_ref_referentie", "prestaties_ref")
    op.drop_column("prestaties_ref", "referentie")
