from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    Time,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = MetaData()

organisatoren_ref = Table(
    "organisatoren_ref",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("naam", Text, nullable=False),
)

tarieven_ref = Table(
    "tarieven_ref",
    metadata,
    Column("organisator_id", UUID(as_uuid=True), primary_key=True),
    Column("geldig_vanaf", Date, primary_key=True),
    Column("prijs_cent", Integer, nullable=False),
)

verdeeltarieven = Table(
    "verdeeltarieven",
    metadata,
    Column("soort", Text, primary_key=True),
    Column("geldig_vanaf", Date, primary_key=True),
    Column("waarde", Integer, nullable=False),
)

prestaties_ref = Table(
    "prestaties_ref",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("koppeling_id", UUID(as_uuid=True), nullable=False),
    Column("datum", Date, nullable=False),
    Column("begonnen_uren", Integer, nullable=False),
    Column("verplaatsingsvergoeding_dag_cent", Integer, nullable=False),
    Column("geannuleerd", Boolean, nullable=False),
    Column("referentie", Text),  # wijkwerk.prestatiecode; None for prestaties from before it existed
    # Issue #23 item 3: disputed on, resolved on, how (gehandhaafd | afgewezen): held from payout meanwhile.
    Column("betwist_op", Date),
    Column("beslecht_op", Date),
    Column("uitkomst", Text),
    # Issue #23 item 4: the hours' start and length (overlaps), and the day a rejected flag stopped paying it.
    Column("start", Time),
    Column("minuten", Integer),
    Column("afgewezen_op", Date),
)

bestellingen = Table(
    "bestellingen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("uitgever", Text, nullable=False),
    Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("aantal", Integer, nullable=False),
    Column("drager", Text, nullable=False),
    Column("besteld_op", Date, nullable=False),
    Column("prijs_cent", Integer, nullable=False),
)

cheques = Table(
    "cheques",
    metadata,
    Column("serienummer", Text, primary_key=True),
    Column("bestelling_id", UUID(as_uuid=True), ForeignKey("bestellingen.id"), nullable=False),
    Column("uitgegeven_op", Date, nullable=False),
    Column("geldig_tot", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("prestatie_id", UUID(as_uuid=True)),
    Column("gevalideerd_op", Date),
    Column("afgesloten_op", Date),
    Column("terugdraaiingen", Integer, nullable=False),
)

webhook_inbox = Table(
    "webhook_inbox",
    metadata,
    Column("uitgever", Text, primary_key=True),
    Column("delivery_id", Text, primary_key=True),
    Column("type", Text, nullable=False),
    Column("ondertekend_op", DateTime(timezone=True), nullable=False),
    Column("ontvangen_op", DateTime(timezone=True)),
    Column("body", LargeBinary, nullable=False),
)

grootboek_transacties = Table(
    "grootboek_transacties",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("sleutel", Text, nullable=False, unique=True),
    Column("soort", Text, nullable=False),
    Column("boekdatum", Date, nullable=False),
    Column("boekmaand", Date, nullable=False),
    Column("omschrijving", Text, nullable=False),
    Column("geboekt_op", DateTime(timezone=True)),
    # Who caused the posting (issue #18): the command's principal, or the actor of the
    # event that caused it; NULL for postings from before the audit trail.
    Column("door_subject", Text),
    Column("door_org", Text),
    Column("door_org_type", Text),
)

grootboek_boekingen = Table(
    "grootboek_boekingen",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("transactie_id", BigInteger, ForeignKey("grootboek_transacties.id"), nullable=False),
    Column("rekening", Text, nullable=False),
    Column("debet_cent", BigInteger, nullable=False),
    Column("credit_cent", BigInteger, nullable=False),
)

uitbetalingsrondes = Table(
    "uitbetalingsrondes",
    metadata,
    Column("periode", Text, primary_key=True),
    Column("uitgevoerd_op", DateTime(timezone=True)),
    Column("aantal", Integer, nullable=False),
    Column("totaal_cent", BigInteger, nullable=False),
    Column("zonder_bankgegevens", JSONB, nullable=False),
    Column("status", Text, nullable=False),
    Column("opgesteld_door", Text),
    Column("uitvoeringsdatum", Date, nullable=False),  # the SEPA requested execution date
)

uitbetalingen = Table(
    "uitbetalingen",
    metadata,
    Column("periode", Text, ForeignKey("uitbetalingsrondes.periode"), primary_key=True),
    Column("wijkwerker_id", UUID(as_uuid=True), primary_key=True),
    Column("bedrag_cent", BigInteger, nullable=False),
    Column("end_to_end_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("reden", Text),
    Column("bankdatum", Date),
)

uitbetaling_stappen = Table(
    "uitbetaling_stappen",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("periode", Text, ForeignKey("uitbetalingsrondes.periode"), nullable=False),
    Column("stap", Text, nullable=False),
    Column("door", Text, nullable=False),
    Column("geregistreerd_om", DateTime(timezone=True)),
    Column("bericht_id", Text),
    Column("details", JSONB, nullable=False),
)

herberekening_saldi = Table(
    "herberekening_saldi",
    metadata,
    Column("run_id", UUID(as_uuid=True), primary_key=True),
    Column("rekening", Text, primary_key=True),
    Column("maand", Date, primary_key=True),
    Column("saldo_cent", BigInteger, nullable=False),
)

herberekeningen = Table(
    "herberekeningen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("uitgevoerd_op", DateTime(timezone=True)),
    Column("events", Integer, nullable=False),
    Column("verschil_cent", BigInteger, nullable=False),
    Column("rapport", JSONB, nullable=False),
)

# The shared outbox (wijkwerk.db.messaging_ddl); only its backlog is read here.
outbox_backlog = Table(
    "outbox",
    MetaData(),
    Column("id", BigInteger, primary_key=True),
    Column("published_at", DateTime(timezone=True)),
)

reisdagen = Table(
    "reisdagen",
    metadata,
    Column("koppeling_id", UUID(as_uuid=True), primary_key=True),
    Column("datum", Date, primary_key=True),
    Column("terugdraaiingen", Integer, nullable=False),
)

terugdraai_opdrachten = Table(
    "terugdraai_opdrachten",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("prestatie_id", UUID(as_uuid=True), nullable=False),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("datum", Date, nullable=False),
    Column("reden", Text, nullable=False),
    Column("aangemaakt_op", DateTime(timezone=True)),
    Column("actor", JSONB),  # who corrected or cancelled (the event's actor): the storno names them
)

periode_afsluitingen = Table(
    "periode_afsluitingen",
    metadata,
    Column("maand", Date, primary_key=True),
    Column("van", Date, nullable=False),
    Column("volgnummer", Integer, nullable=False, unique=True),
    Column("afgesloten_op", Date, nullable=False),
    Column("geregistreerd_om", DateTime(timezone=True), nullable=False),
    Column("door", Text, nullable=False),
    Column("vorige_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Column("transacties", Integer, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
)

periode_saldi = Table(
    "periode_saldi",
    metadata,
    Column("maand", Date, primary_key=True),
    Column("rekening", Text, primary_key=True),
    Column("debet_cent", BigInteger, nullable=False),
    Column("credit_cent", BigInteger, nullable=False),
    Column("saldo_cent", BigInteger, nullable=False),
)

periode_afstemmingen = Table(
    "periode_afstemmingen",
    metadata,
    Column("maand", Date, ForeignKey("periode_afsluitingen.maand"), primary_key=True),
    Column("organisator_id", UUID(as_uuid=True), primary_key=True),
    Column("afstemming", JSONB, nullable=False),
)

# A-14: the gebruikers' erkenningen as prestaties publishes them (an order needs an active
# one of the gebruiker at the order's organiser).
erkenningen_ref = Table(
    "erkenningen_ref",
    metadata,
    Column("erkenning_id", UUID(as_uuid=True), primary_key=True),
    Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("overeenkomst_op", Date),
    Column("einde", Date),  # the last valid day after a stop
)

erkenning_perioden_ref = Table(
    "erkenning_perioden_ref",
    metadata,
    Column("erkenning_id", UUID(as_uuid=True), primary_key=True),
    Column("geldig_van", Date, primary_key=True),
    Column("geldig_tot", Date, nullable=False),
    Column("betaald_op", Date),
)

terugbetalingsaanvragen = Table(
    "terugbetalingsaanvragen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("serienummer", Text, ForeignKey("cheques.serienummer"), nullable=False),
    Column("gebruiker_id", UUID(as_uuid=True), nullable=False),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("gevraagd_op", Date, nullable=False),
    Column("reden", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("beslist_op", Date),
    Column("beslissing_reden", Text, nullable=False),
)

# Issue #23 item 4 (ADR 0024): fraud and error flags, one per prestatie and rule, with their decision.
signalen = Table(
    "signalen",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("prestatie_id", UUID(as_uuid=True)),  # None: a worker-level flag (gedeelde-rekening)
    Column("regel", Text, nullable=False),
    Column("wijkwerker_id", UUID(as_uuid=True), nullable=False),
    Column("gebruiker_id", UUID(as_uuid=True)),
    Column("organisator_id", UUID(as_uuid=True), nullable=False),
    Column("datum", Date, nullable=False),
    Column("toelichting", Text, nullable=False),
    Column("bedrag_cent", BigInteger, nullable=False),
    Column("status", Text, nullable=False),
    Column("besloten_op", Date),
    Column("besloten_door", Text),
    Column("reden", Text),
    Column("gemeld_om", DateTime(timezone=True)),
    Column("besloten_om", DateTime(timezone=True)),
)

# ADR 0024: the keyed fingerprints (wijkwerk.vingerafdruk) of a worker's (toeleiding) and a
# gebruiker's (prestaties) IBAN and address, from their events; never the values.
vingerafdrukken = Table(
    "vingerafdrukken",
    metadata,
    Column("partij_id", UUID(as_uuid=True), primary_key=True),  # a wijkwerker_id or a gebruiker_id
    Column("soort", Text, nullable=False),  # wijkwerker, gebruiker
    Column("iban", Text),
    Column("adres", Text),
)
