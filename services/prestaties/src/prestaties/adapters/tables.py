"""SQLAlchemy Core tables of the prestaties schema (migrations/ creates them)."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    Lateral,
    MetaData,
    Row,
    String,
    Table,
    Text,
    Time,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import UUID, aggregate_order_by

metadata = MetaData()


def _uuid(name: str, **kw) -> Column:
    return Column(name, UUID(as_uuid=True), **kw)


# The repositories build the statements of the hot path (registering a prestatie) once, at
# import, with bind parameters (a statement object reused for every call skips building the
# expression and its cache key), and load a parent with its children in one round trip:


def als_lijsten(tabel: Table, sleutel: Column, ouder: Column, naam: str, *volgorde: Column) -> Lateral:
    """The rows of ``tabel`` that belong to the outer row (``sleutel = ouder``) as one row of
    arrays, one per other column, labelled ``<naam>_<column>``, each in ``volgorde`` (make
    it a total order: every array must list the rows in the same order). Joined ``ON true``
    (an aggregate always yields one row) it loads a parent with its children in one
    statement instead of two."""
    return (
        select(*(
            func.array_agg(aggregate_order_by(c, *volgorde)).label(f"{naam}_{c.name}")
            for c in tabel.c if c is not sleutel
        ))
        .where(sleutel == ouder)
        .lateral(naam)
    )


def uit_lijsten(row: Row[Any] | Any, naam: str, *kolommen: str) -> Iterator[tuple[Any, ...]]:
    """The child rows :func:`als_lijsten` packed into ``row``, as tuples of ``kolommen``."""
    return zip(*(getattr(row, f"{naam}_{k}") or () for k in kolommen), strict=True)


# --- reference data from toeleiding events ----------------------------------------

organisatoren_ref = Table(
    "organisatoren_ref",
    metadata,
    _uuid("id", primary_key=True),
    Column("naam", Text, nullable=False),
    Column("samenwerkingsverband", Text, nullable=False),
)

werkingsgebied_ref = Table(
    "werkingsgebied_ref",
    metadata,
    _uuid("organisator_id", primary_key=True),
    Column("nis_code", String(5), primary_key=True),
)

trajecten_ref = Table(
    "trajecten_ref",
    metadata,
    _uuid("id", primary_key=True),
    _uuid("wijkwerker_id", nullable=False),
    _uuid("organisator_id", nullable=False),
    Column("start", Date, nullable=False),
    Column("gepland_einde", Date),
    Column("overeenkomst_op", Date),
    Column("werkelijk_einde", Date),
)

schorsingen_ref = Table(
    "schorsingen_ref",
    metadata,
    _uuid("traject_id", primary_key=True),
    Column("van", Date, primary_key=True),
    Column("tot", Date, nullable=False),
)

# The workers' evaluations from evaluatie's events (the next evaluation due on the counters).
evaluaties_ref = Table(
    "evaluaties_ref",
    metadata,
    _uuid("evaluatie_id", primary_key=True),
    _uuid("traject_id", nullable=False),
    _uuid("wijkwerker_id", nullable=False),
    Column("datum", Date, nullable=False),
)

# --- gebruikers, erkenningen, contacts --------------------------------------------

gebruikers = Table(
    "gebruikers",
    metadata,
    _uuid("id", primary_key=True),
    Column("categorie", Text, nullable=False),
    Column("naam", Text, nullable=False),
    Column("geslacht", Text),
    Column("aangemeld_op", Date, nullable=False),
    _uuid("aangemeld_bij", nullable=False),
    Column("version", Integer, nullable=False),
    # Optional personal data (ADR 0024): never in an event, only its fingerprint.
    Column("iban", Text),
    Column("adres_straat", Text),
    Column("adres_huisnummer", Text),
    Column("adres_postcode", Text),
)

erkenningen = Table(
    "erkenningen",
    metadata,
    _uuid("id", primary_key=True),
    _uuid("gebruiker_id", nullable=False),
    _uuid("organisator_id", nullable=False),
    Column("overeenkomst_op", Date),
    Column("einde", Date),
    Column("einde_reden", Text),
    Column("version", Integer, nullable=False),
)

erkenning_perioden = Table(
    "erkenning_perioden",
    metadata,
    _uuid("erkenning_id", primary_key=True),
    Column("geldig_van", Date, primary_key=True),
    Column("geldig_tot", Date, nullable=False),
    Column("inschrijvingsrecht_cent", Integer, nullable=False),
    Column("betaald_op", Date),
)

contacten = Table(
    "contacten",
    metadata,
    _uuid("id", primary_key=True),
    _uuid("gebruiker_id", nullable=False),
    _uuid("organisator_id", nullable=False),
    Column("datum", Date, nullable=False),
    Column("door", Text, nullable=False),
    Column("door_rol", Text, nullable=False),
    Column("kanaal", Text, nullable=False),
    Column("reden", Text, nullable=False),
    Column("notitie", Text),
)

# --- catalogue and placements --------------------------------------------------------

activiteiten = Table(
    "activiteiten",
    metadata,
    _uuid("id", primary_key=True),
    _uuid("organisator_id", nullable=False),
    Column("naam", Text, nullable=False),
    Column("categorie", Text, nullable=False),
    Column("version", Integer, nullable=False),
)

toelatingen = Table(
    "activiteit_toelatingen",
    metadata,
    _uuid("activiteit_id", primary_key=True),
    Column("gebruiker_categorie", Text, primary_key=True),
)

afwijkingen = Table(
    "afwijkingen",
    metadata,
    _uuid("id", primary_key=True),
    _uuid("activiteit_id", nullable=False),
    _uuid("gebruiker_id", nullable=False),
    Column("aangevraagd_op", Date, nullable=False),
    Column("goedgekeurd_op", Date, nullable=False),
    Column("geldig_van", Date, nullable=False),
    Column("geldig_tot", Date),
    Column("motivering", Text, nullable=False),
)

koppelingen = Table(
    "koppelingen",
    metadata,
    _uuid("id", primary_key=True),
    _uuid("wijkwerker_id", nullable=False),
    _uuid("gebruiker_id", nullable=False),
    _uuid("organisator_id", nullable=False),
    _uuid("activiteit_id", nullable=False),
    Column("locatie_nis_code", String(5), nullable=False),
    Column("afstand_km", Integer, nullable=False),
    Column("start", Date, nullable=False),
    Column("einde", Date),
    Column("einde_reden", Text),
    Column("version", Integer, nullable=False),
)

# --- prestaties ------------------------------------------------------------------------

prestaties = Table(
    "prestaties",
    metadata,
    _uuid("id", primary_key=True),
    _uuid("koppeling_id", nullable=False),
    _uuid("wijkwerker_id", nullable=False),
    _uuid("gebruiker_id", nullable=False),
    _uuid("organisator_id", nullable=False),
    _uuid("activiteit_id", nullable=False),
    _uuid("traject_id", nullable=False),
    Column("datum", Date, nullable=False),
    Column("start", Time, nullable=False),
    Column("minuten", Integer, nullable=False),
    Column("begonnen_uren", Integer, nullable=False),
    Column("afstand_km", Integer, nullable=False),
    Column("recht_op_verplaatsingsvergoeding", Boolean, nullable=False),
    Column("verplaatsingsvergoeding_dag_cent", Integer, nullable=False),
    Column("ingevoerd_door", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("referentie", Text, nullable=False, unique=True),  # wijkwerk.prestatiecode: what partners see
    # The confirmation window (issue #23 item 3); NULL on prestaties from before it.
    Column("termijn_vanaf", Date),
    Column("bevestigen_tot", Date),
    Column("herinnering_op", Date),
    Column("beoordeeld_op", Date),
    Column("bevestigd_automatisch", Boolean, nullable=False),
    Column("herinnerd_tot", Date),
    Column("betwisting_reden", Text),
    Column("beslecht_op", Date),
    Column("uitkomst", Text),
)

prestatie_historiek = Table(
    "prestatie_historiek",
    metadata,
    _uuid("prestatie_id", primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("actie", Text, nullable=False),
    Column("door", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("start", Time, nullable=False),
    Column("minuten", Integer, nullable=False),
    Column("reden", Text),
    Column("op", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
