"""payout lifecycle (issue #18 item 2): a run's state and who took each step (four eyes),
each transfer's state as the bank reported it, and no stored SEPA file any more (it held
names and IBANs; the file is generated on demand from the ledger and current bank details)

Revision ID: 2026_12_03_h_uitbetaling_1
Revises: 2026_12_02_h_afsluiting
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "2026_12_03_h_uitbetaling_1"
down_revision = "2026_12_02_h_afsluiting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Runs from before the lifecycle were written and handed over as one step: sent.
    op.add_column("uitbetalingsrondes", sa.Column("status", sa.Text, nullable=False, server_default="verzonden"))
    op.alter_column("uitbetalingsrondes", "status", server_default="opgesteld")
    op.create_check_constraint(
        "uitbetalingsrondes_status", "uitbetalingsrondes",
        "status IN ('opgesteld', 'goedgekeurd', 'verzonden', 'bevestigd', 'geweigerd')")
    op.add_column("uitbetalingsrondes", sa.Column("opgesteld_door", sa.Text))
    op.add_column("uitbetalingsrondes", sa.Column("uitvoeringsdatum", sa.Date))
    op.execute("UPDATE uitbetalingsrondes SET uitvoeringsdatum = uitgevoerd_op::date")
    op.alter_column("uitbetalingsrondes", "uitvoeringsdatum", nullable=False)
    op.drop_column("uitbetalingsrondes", "bestand")

    op.add_column("uitbetalingen", sa.Column("status", sa.Text, nullable=False, server_default="in_behandeling"))
    op.create_check_constraint(
        "uitbetalingen_status", "uitbetalingen",
        "status IN ('in_behandeling', 'betaald', 'geweigerd', 'teruggestort')")
    op.add_column("uitbetalingen", sa.Column("reden", sa.Text))  # the bank's ISO reason code
    op.add_column("uitbetalingen", sa.Column("bankdatum", sa.Date))
    op.create_index("uitbetalingen_wijkwerker", "uitbetalingen", ["wijkwerker_id", "periode"])
    op.create_index("uitbetalingen_end_to_end_id", "uitbetalingen", ["end_to_end_id"], unique=True)

    # Every step of a run with its actor (the principal's subject); append-only.
    op.create_table(
        "uitbetaling_stappen",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("periode", sa.Text, sa.ForeignKey("uitbetalingsrondes.periode"), nullable=False),
        sa.Column("stap", sa.Text, nullable=False),
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("geregistreerd_om", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("bericht_id", sa.Text),  # the bank file's MsgId for an import
        sa.Column("details", JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("uitbetaling_stappen_bericht", "uitbetaling_stappen", ["stap", "bericht_id", "periode"],
                    unique=True, postgresql_where=sa.text("bericht_id IS NOT NULL"))
    op.execute(
        "CREATE FUNCTION uitbetaling_stappen_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'uitbetaling_stappen is append-only'; END $$")
    op.execute(
        "CREATE TRIGGER uitbetaling_stappen_alleen_toevoegen BEFORE UPDATE OR DELETE ON uitbetaling_stappen "
        "FOR EACH ROW EXECUTE FUNCTION uitbetaling_stappen_alleen_toevoegen()")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS uitbetaling_stappen")
    op.execute("DROP FUNCTION IF EXISTS uitbetaling_stappen_alleen_toevoegen()")
    op.drop_index("uitbetalingen_end_to_end_id", "uitbetalingen")
    op.drop_index("uitbetalingen_wijkwerker", "uitbetalingen")
    for kolom in ("bankdatum", "reden", "status"):
        op.drop_column("uitbetalingen", kolom)
    op.add_column("uitbetalingsrondes", sa.Column("bestand", sa.LargeBinary))
    for kolom in ("uitvoeringsdatum", "opgesteld_door", "status"):
        op.drop_column("uitbetalingsrondes", kolom)
