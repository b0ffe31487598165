"""monthly period close (issue #17): the closes with their hash chain, the closing balances
per account and month, the organisers' reconciliations, and a trigger that refuses any
ledger row booked into a closed month

Revision ID: 2026_12_02_h_afsluiting
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "2026_12_02_h_afsluiting"
down_revision = "h_idempotent_0001"
branch_labels = None
depends_on = None

# Bookings hold this lock shared, a close holds it exclusively (cheques.adapters.afsluitingen):
# a booking that saw a month open commits before that month's close reads the ledger.
SLOT = "hashtext('cheques:periode-afsluiting')"

PERIODE_OPEN = f"""
CREATE FUNCTION grootboek_periode_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    laatste date;
    m date;
BEGIN
    PERFORM pg_advisory_xact_lock_shared({SLOT});
    SELECT max(maand) INTO laatste FROM periode_afsluitingen;
    IF laatste IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'grootboek_transacties' THEN
        m := NEW.boekmaand;
    ELSE
        SELECT boekmaand INTO m FROM grootboek_transacties WHERE id = NEW.transactie_id;
    END IF;
    IF m <= laatste THEN
        RAISE EXCEPTION 'periode-afgesloten: % is afgesloten (afgesloten tot en met %)', to_char(m, 'YYYY-MM'),
            to_char(laatste, 'YYYY-MM') USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$
"""

ALLEEN_TOEVOEGEN = """
CREATE FUNCTION periode_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'een afsluiting wordt niet gewijzigd' USING ERRCODE = 'check_violation';
END $$
"""


def upgrade() -> None:
    op.create_table(
        "periode_afsluitingen",
        sa.Column("maand", sa.Date, primary_key=True),  # the month closed, first day
        sa.Column("van", sa.Date, nullable=False),  # first month covered (a first close: all before it)
        sa.Column("volgnummer", sa.Integer, nullable=False, unique=True),
        sa.Column("afgesloten_op", sa.Date, nullable=False),  # the request's business date
        sa.Column("geregistreerd_om", sa.DateTime(timezone=True), nullable=False),  # the moment of the close
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("vorige_hash", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False),
        sa.Column("transacties", sa.Integer, nullable=False),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False),  # its PeriodeAfgesloten event
        sa.CheckConstraint("maand = date_trunc('month', maand)::date AND van = date_trunc('month', van)::date "
                           "AND van <= maand", name="hele_maanden"),
    )
    # Per account and month covered by a close: the month's debits and credits and the
    # account's balance (debit − credit, cumulative) at the month's end. Accounts without
    # movement in the month and with a zero balance have no row.
    op.create_table(
        "periode_saldi",
        sa.Column("maand", sa.Date, primary_key=True),
        sa.Column("rekening", sa.Text, primary_key=True),
        sa.Column("debet_cent", sa.BigInteger, nullable=False),
        sa.Column("credit_cent", sa.BigInteger, nullable=False),
        sa.Column("saldo_cent", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "periode_afstemmingen",
        sa.Column("maand", sa.Date, sa.ForeignKey("periode_afsluitingen.maand"), primary_key=True),
        sa.Column("organisator_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("afstemming", JSONB, nullable=False),
    )
    op.execute(ALLEEN_TOEVOEGEN)
    for tabel in ("periode_afsluitingen", "periode_saldi", "periode_afstemmingen"):
        op.execute(f"CREATE TRIGGER {tabel}_alleen_toevoegen BEFORE UPDATE OR DELETE ON {tabel} "
                   "FOR EACH ROW EXECUTE FUNCTION periode_alleen_toevoegen()")
    # A close reads its months' transactions in (month, key) order.
    op.create_index("grootboek_transacties_boekmaand", "grootboek_transacties", ["boekmaand", "sleutel"])
    op.execute(PERIODE_OPEN)
    for tabel in ("grootboek_transacties", "grootboek_boekingen"):
        op.execute(f"CREATE TRIGGER {tabel}_periode_open BEFORE INSERT ON {tabel} "
                   "FOR EACH ROW EXECUTE FUNCTION grootboek_periode_open()")


def downgrade() -> None:
    for tabel in ("grootboek_transacties", "grootboek_boekingen"):
        op.execute(f"DROP TRIGGER IF EXISTS {tabel}_periode_open ON {tabel}")
    op.execute("DROP FUNCTION IF EXISTS grootboek_periode_open()")
    op.drop_index("grootboek_transacties_boekmaand", "grootboek_transacties")
    for tabel in ("periode_afstemmingen", "periode_saldi", "periode_afsluitingen"):
        op.execute(f"DROP TABLE IF EXISTS {tabel}")
    op.execute("DROP FUNCTION IF EXISTS periode_alleen_toevoegen()")
