"""rates, prestatie reference, orders, cheques, webhook inbox, the double-entry ledger,
payout runs and the recompute scratch table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# DOMAIN §3.6, §3.7, A-13, A-15: every rate valid from the start of the scheme until changed.
BEGIN_REGELING = date(2018, 1, 1)
STARTTARIEVEN = {
    "loon_per_uur": 410,
    "verzekering": 42,
    "reisfonds": 10,
    "uitgeverkost_papier": 58,
    "uitgeverkost_elektronisch": 48,
    "geldigheid_maanden": 12,
}

EVENWICHT = """
CREATE FUNCTION grootboek_controleer_evenwicht() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tid bigint;
    regels integer;
    verschil bigint;
BEGIN
    IF TG_TABLE_NAME = 'grootboek_transacties' THEN
        tid := NEW.id;
    ELSE
        tid := NEW.transactie_id;
    END IF;
    SELECT count(*), COALESCE(sum(debet_cent - credit_cent), 0) INTO regels, verschil
    FROM grootboek_boekingen WHERE transactie_id = tid;
    IF regels = 0 THEN
        RAISE EXCEPTION 'grootboektransactie % heeft geen boekingen', tid USING ERRCODE = 'check_violation';
    END IF;
    IF verschil <> 0 THEN
        RAISE EXCEPTION 'grootboektransactie % is niet in evenwicht (debet - credit = %)', tid, verschil
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$
"""

ALLEEN_TOEVOEGEN = """
CREATE FUNCTION grootboek_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'het grootboek wordt niet gewijzigd: boek een correctie' USING ERRCODE = 'check_violation';
END $$
"""


def upgrade() -> None:
    op.create_table(
        "verdeeltarieven",
        sa.Column("soort", sa.Text, primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("waarde", sa.Integer, nullable=False),
        sa.CheckConstraint("waarde >= 0", name="waarde_niet_negatief"),
    )
    op.bulk_insert(
        sa.table("verdeeltarieven", sa.column("soort"), sa.column("geldig_vanaf"), sa.column("waarde")),
        [{"soort": s, "geldig_vanaf": BEGIN_REGELING, "waarde": w} for s, w in STARTTARIEVEN.items()],
    )
    op.create_table(
        "prestaties_ref",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("koppeling_id", UUID(as_uuid=True), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("begonnen_uren", sa.Integer, nullable=False),
        sa.Column("verplaatsingsvergoeding_dag_cent", sa.Integer, nullable=False),
        sa.Column("geannuleerd", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "bestellingen",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("uitgever", sa.Text, nullable=False),
        sa.Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
        sa.Column("organisator_id", UUID(as_uuid=True), nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("drager", sa.Text, nullable=False),
        sa.Column("besteld_op", sa.Date, nullable=False),
        sa.Column("prijs_cent", sa.Integer, nullable=False),
        sa.CheckConstraint("aantal > 0 AND prijs_cent > 0", name="bestelling_positief"),
    )
    op.create_index("bestellingen_organisator", "bestellingen", ["organisator_id", "besteld_op"])
    op.create_table(
        "cheques",
        sa.Column("serienummer", sa.Text, primary_key=True),
        sa.Column("bestelling_id", UUID(as_uuid=True), sa.ForeignKey("bestellingen.id"), nullable=False),
        sa.Column("uitgegeven_op", sa.Date, nullable=False),
        sa.Column("geldig_tot", sa.Date, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("prestatie_id", UUID(as_uuid=True)),
        sa.Column("gevalideerd_op", sa.Date),
        sa.Column("afgesloten_op", sa.Date),
        sa.CheckConstraint(
            "(status = 'gevalideerd') = (prestatie_id IS NOT NULL AND gevalideerd_op IS NOT NULL)",
            name="gevalideerd_heeft_prestatie",
        ),
    )
    op.create_index("cheques_bestelling", "cheques", ["bestelling_id"])
    op.create_index("cheques_prestatie", "cheques", ["prestatie_id"], postgresql_where=sa.text("prestatie_id IS NOT NULL"))
    op.create_table(
        "webhook_inbox",
        sa.Column("uitgever", sa.Text, primary_key=True),
        sa.Column("delivery_id", sa.Text, primary_key=True),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("ondertekend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("body", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "grootboek_transacties",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("sleutel", sa.Text, nullable=False, unique=True),
        sa.Column("soort", sa.Text, nullable=False),
        sa.Column("boekdatum", sa.Date, nullable=False),
        sa.Column("boekmaand", sa.Date, nullable=False),
        sa.Column("omschrijving", sa.Text, nullable=False),
        sa.Column("geboekt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("boekmaand = date_trunc('month', boekdatum)::date", name="boekmaand_van_boekdatum"),
    )
    op.create_table(
        "grootboek_boekingen",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("transactie_id", sa.BigInteger, sa.ForeignKey("grootboek_transacties.id"), nullable=False),
        sa.Column("rekening", sa.Text, nullable=False),
        sa.Column("debet_cent", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("credit_cent", sa.BigInteger, nullable=False, server_default="0"),
        sa.CheckConstraint(
            "debet_cent >= 0 AND credit_cent >= 0 AND (debet_cent = 0) <> (credit_cent = 0)", name="een_kant"
        ),
    )
    op.create_index("grootboek_boekingen_transactie", "grootboek_boekingen", ["transactie_id"])
    op.create_index("grootboek_boekingen_rekening", "grootboek_boekingen", ["rekening"])
    op.execute(EVENWICHT)
    op.execute(ALLEEN_TOEVOEGEN)
    for tabel, wanneer in (("grootboek_boekingen", "INSERT OR UPDATE"), ("grootboek_transacties", "INSERT")):
        op.execute(
            f"CREATE CONSTRAINT TRIGGER {tabel}_in_evenwicht AFTER {wanneer} ON {tabel} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION grootboek_controleer_evenwicht()"
        )
        op.execute(
            f"CREATE TRIGGER {tabel}_alleen_toevoegen BEFORE UPDATE OR DELETE ON {tabel} "
            "FOR EACH ROW EXECUTE FUNCTION grootboek_alleen_toevoegen()"
        )
    op.create_table(
        "uitbetalingsrondes",
        sa.Column("periode", sa.Text, primary_key=True),
        sa.Column("uitgevoerd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("totaal_cent", sa.BigInteger, nullable=False),
        sa.Column("bestand", sa.LargeBinary),
        sa.Column("zonder_bankgegevens", JSONB, nullable=False, server_default="[]"),
    )
    op.create_table(
        "uitbetalingen",
        sa.Column("periode", sa.Text, sa.ForeignKey("uitbetalingsrondes.periode"), primary_key=True),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("bedrag_cent", sa.BigInteger, nullable=False),
        sa.Column("end_to_end_id", sa.Text, nullable=False),
    )
    # Scratch space of the recompute: one run's independently recomputed balances.
    op.execute(
        "CREATE UNLOGGED TABLE herberekening_saldi (run_id uuid NOT NULL, rekening text NOT NULL, "
        "maand date NOT NULL, saldo_cent bigint NOT NULL, PRIMARY KEY (run_id, rekening, maand))"
    )
    op.create_table(
        "herberekeningen",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("uitgevoerd_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("verschil_cent", sa.BigInteger, nullable=False),
        sa.Column("rapport", JSONB, nullable=False),
    )


def downgrade() -> None:
    for tabel in ("herberekeningen", "herberekening_saldi", "uitbetalingen", "uitbetalingsrondes",
                  "grootboek_boekingen", "grootboek_transacties", "webhook_inbox", "cheques", "bestellingen",
                  "prestaties_ref", "verdeeltarieven"):
        op.execute(f"DROP TABLE IF EXISTS {tabel}")
    op.execute("DROP FUNCTION IF EXISTS grootboek_controleer_evenwicht()")
    op.execute("DROP FUNCTION IF EXISTS grootboek_alleen_toevoegen()")
