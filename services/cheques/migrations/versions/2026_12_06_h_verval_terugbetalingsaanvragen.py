"""refund requests for unused cheques, and an index for the expiry job (issue #23 item 2)

Revision ID: 2026_12_06_h_verval_1
Revises: 2026_12_04_h_consumenten_1
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "2026_12_06_h_verval_1"
down_revision = "2026_12_04_h_consumenten_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "terugbetalingsaanvragen",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("serienummer", sa.Text, sa.ForeignKey("cheques.serienummer"), nullable=False),
        sa.Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("gevraagd_op", sa.Date, nullable=False),
        sa.Column("reden", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("beslist_op", sa.Date),
        sa.Column("beslissing_reden", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("status IN ('gevraagd', 'goedgekeurd', 'geweigerd')", name="terugbetalingsaanvraag_status"),
    )
    # One open request per cheque (a second one is refused as aanvraag-bestaat-al).
    op.create_index("terugbetalingsaanvragen_open", "terugbetalingsaanvragen", ["serienummer"], unique=True,
                    postgresql_where=sa.text("status = 'gevraagd'"))
    # The expiry job reads the unused cheques by their last valid day.
    op.create_index("cheques_uitgegeven_geldig_tot", "cheques", ["geldig_tot"],
                    postgresql_where=sa.text("status = 'uitgegeven'"))


def downgrade() -> None:
    op.drop_index("cheques_uitgegeven_geldig_tot", table_name="cheques")
    op.drop_index("terugbetalingsaanvragen_open", table_name="terugbetalingsaanvragen")
    op.drop_table("terugbetalingsaanvragen")
