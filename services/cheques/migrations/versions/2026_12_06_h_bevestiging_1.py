"""disputed prestaties are held from the payout run until resolved (issue #23 item 3): the
dispute's and the resolution's dates on the local prestatie reference

Revision ID: 2026_12_06_h_bevestiging_1
Revises: 2026_12_06_h_verval_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_12_06_h_bevestiging_1"
down_revision = "2026_12_06_h_verval_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("prestaties_ref", sa.Column("betwist_op", sa.Date))
    op.add_column("prestaties_ref", sa.Column("beslecht_op", sa.Date))
    op.add_column("prestaties_ref", sa.Column("uitkomst", sa.Text))
    op.create_index("prestaties_ref_betwist", "prestaties_ref", ["wijkwerker_id"],
                    postgresql_where=sa.text("betwist_op IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("prestaties_ref_betwist", table_name="prestaties_ref")
    for kolom in ("betwist_op", "beslecht_op", "uitkomst"):
        op.drop_column("prestaties_ref", kolom)
