"""the confirmation window of a prestatie (issue #23 item 3): when it opened and closes,
its reminder, the answer's date, a dispute's reason and resolution; an index for the job
that records reminders and confirmations by silence

Revision ID: 2026_12_06_h_bevestiging_1
Revises: 2026_12_06_h_tellers_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_12_06_h_bevestiging_1"
down_revision = "2026_12_06_h_tellers_1"
branch_labels = None
depends_on = None

_KOLOMMEN = ("termijn_vanaf", "bevestigen_tot", "herinnering_op", "beoordeeld_op", "herinnerd_tot", "beslecht_op")


def upgrade() -> None:
    # Prestaties from before have no window (NULL): nothing confirms them by silence.
    for kolom in _KOLOMMEN:
        op.add_column("prestaties", sa.Column(kolom, sa.Date))
    op.add_column("prestaties", sa.Column("bevestigd_automatisch", sa.Boolean, nullable=False,
                                          server_default=sa.false()))
    op.add_column("prestaties", sa.Column("betwisting_reden", sa.Text))
    op.add_column("prestaties", sa.Column("uitkomst", sa.Text))
    op.create_index("prestaties_open_termijn", "prestaties", ["bevestigen_tot"],
                    postgresql_where=sa.text("status = 'geregistreerd'"))
    op.create_index("prestaties_betwist", "prestaties", ["organisator_id"],
                    postgresql_where=sa.text("status = 'betwist'"))


def downgrade() -> None:
    op.drop_index("prestaties_betwist", table_name="prestaties")
    op.drop_index("prestaties_open_termijn", table_name="prestaties")
    for kolom in (*_KOLOMMEN, "bevestigd_automatisch", "betwisting_reden", "uitkomst"):
        op.drop_column("prestaties", kolom)
