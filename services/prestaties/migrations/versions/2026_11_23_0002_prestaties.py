"""trajectory windows (from toeleiding), gebruikers, erkenningen, contacts, activity
catalogue and matrix, placements, prestaties and their history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def _referentie() -> None:
    op.create_table(
        "trajecten_ref",
        _uuid("id", primary_key=True),
        _uuid("wijkwerker_id", nullable=False),
        _uuid("organisator_id", nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("gepland_einde", sa.Date),
        sa.Column("overeenkomst_op", sa.Date),
        sa.Column("werkelijk_einde", sa.Date),
    )
    op.create_index("trajecten_ref_wijkwerker", "trajecten_ref", ["wijkwerker_id", "start"])
    op.create_table(
        "schorsingen_ref",
        _uuid("traject_id", sa.ForeignKey("trajecten_ref.id"), primary_key=True),
        sa.Column("van", sa.Date, primary_key=True),
        sa.Column("tot", sa.Date, nullable=False),
    )


def _gebruikers() -> None:
    op.create_table(
        "gebruikers",
        _uuid("id", primary_key=True),
        sa.Column("categorie", sa.Text, nullable=False),
        sa.Column("naam", sa.Text, nullable=False),
        sa.Column("geslacht", sa.Text),
        sa.Column("aangemeld_op", sa.Date, nullable=False),
        _uuid("aangemeld_bij", nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("geslacht IS NULL OR categorie = 'particulier'", name="geslacht_alleen_particulier"),
    )
    op.create_table(
        "erkenningen",
        _uuid("id", primary_key=True),
        _uuid("gebruiker_id", sa.ForeignKey("gebruikers.id"), nullable=False),
        _uuid("organisator_id", nullable=False),
        sa.Column("overeenkomst_op", sa.Date),
        sa.Column("einde", sa.Date),
        sa.Column("einde_reden", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        # G-2: one erkenning per organiser.
        sa.UniqueConstraint("gebruiker_id", "organisator_id", name="een_erkenning_per_organisator"),
    )
    op.create_index("erkenningen_organisator", "erkenningen", ["organisator_id"])
    op.create_table(
        "erkenning_perioden",
        _uuid("erkenning_id", sa.ForeignKey("erkenningen.id"), primary_key=True),
        sa.Column("geldig_van", sa.Date, primary_key=True),
        sa.Column("geldig_tot", sa.Date, nullable=False),
        sa.Column("inschrijvingsrecht_cent", sa.Integer, sa.CheckConstraint("inschrijvingsrecht_cent >= 0"), nullable=False),
        sa.Column("betaald_op", sa.Date),
    )


def _contacten() -> None:
    op.create_table(
        "contacten",
        _uuid("id", primary_key=True),
        _uuid("gebruiker_id", sa.ForeignKey("gebruikers.id"), nullable=False),
        _uuid("organisator_id", nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("door_rol", sa.Text, nullable=False),
        sa.Column("kanaal", sa.Text, nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("notitie", sa.Text),
    )
    op.create_index("contacten_gebruiker", "contacten", ["gebruiker_id", "datum"])


def _catalogus() -> None:
    op.create_table(
        "activiteiten",
        _uuid("id", primary_key=True),
        _uuid("organisator_id", nullable=False),
        sa.Column("naam", sa.Text, nullable=False),
        sa.Column("categorie", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("organisator_id", "naam", name="activiteit_naam_per_organisator"),
    )
    op.create_table(
        "activiteit_toelatingen",
        _uuid("activiteit_id", sa.ForeignKey("activiteiten.id"), primary_key=True),
        sa.Column("gebruiker_categorie", sa.Text, primary_key=True),
    )
    op.create_table(
        "afwijkingen",
        _uuid("id", primary_key=True),
        _uuid("activiteit_id", sa.ForeignKey("activiteiten.id"), nullable=False),
        _uuid("gebruiker_id", sa.ForeignKey("gebruikers.id"), nullable=False),
        sa.Column("aangevraagd_op", sa.Date, nullable=False),
        sa.Column("goedgekeurd_op", sa.Date, nullable=False),
        sa.Column("geldig_van", sa.Date, nullable=False),
        sa.Column("geldig_tot", sa.Date),
        sa.Column("motivering", sa.Text, nullable=False),
    )
    op.create_index("afwijkingen_activiteit", "afwijkingen", ["activiteit_id"])


def _koppelingen() -> None:
    op.create_table(
        "koppelingen",
        _uuid("id", primary_key=True),
        _uuid("wijkwerker_id", nullable=False),
        _uuid("gebruiker_id", sa.ForeignKey("gebruikers.id"), nullable=False),
        _uuid("organisator_id", nullable=False),
        _uuid("activiteit_id", sa.ForeignKey("activiteiten.id"), nullable=False),
        sa.Column("locatie_nis_code", sa.String(5), nullable=False),
        sa.Column("afstand_km", sa.Integer, sa.CheckConstraint("afstand_km >= 0"), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("einde", sa.Date),
        sa.Column("einde_reden", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("koppelingen_wijkwerker", "koppelingen", ["wijkwerker_id"])
    op.create_index("koppelingen_gebruiker", "koppelingen", ["gebruiker_id"])


def _prestaties() -> None:
    op.create_table(
        "prestaties",
        _uuid("id", primary_key=True),
        _uuid("koppeling_id", sa.ForeignKey("koppelingen.id"), nullable=False),
        _uuid("wijkwerker_id", nullable=False),
        _uuid("gebruiker_id", nullable=False),
        _uuid("organisator_id", nullable=False),
        _uuid("activiteit_id", nullable=False),
        _uuid("traject_id", nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("start", sa.Time, nullable=False),
        sa.Column("minuten", sa.Integer, sa.CheckConstraint("minuten > 0 AND minuten <= 1440"), nullable=False),
        sa.Column("begonnen_uren", sa.Integer, nullable=False),
        sa.Column("afstand_km", sa.Integer, nullable=False),
        sa.Column("recht_op_verplaatsingsvergoeding", sa.Boolean, nullable=False),
        sa.Column("verplaatsingsvergoeding_dag_cent", sa.Integer, nullable=False),
        sa.Column("ingevoerd_door", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    # The caps sum a worker's counting hours per month and year.
    op.create_index(
        "prestaties_wijkwerker_datum", "prestaties", ["wijkwerker_id", "datum"],
        postgresql_where=sa.text("status <> 'geannuleerd'"),
    )
    op.create_index("prestaties_gebruiker_datum", "prestaties", ["gebruiker_id", "datum"])
    op.create_index("prestaties_organisator_datum", "prestaties", ["organisator_id", "datum"])
    op.create_table(
        "prestatie_historiek",
        _uuid("prestatie_id", sa.ForeignKey("prestaties.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("actie", sa.Text, nullable=False),
        sa.Column("door", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("start", sa.Time, nullable=False),
        sa.Column("minuten", sa.Integer, nullable=False),
        sa.Column("reden", sa.Text),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def upgrade() -> None:
    _referentie()
    _gebruikers()
    _contacten()
    _catalogus()
    _koppelingen()
    _prestaties()


def downgrade() -> None:
    for table in (
        "prestatie_historiek", "prestaties", "koppelingen", "afwijkingen", "activiteit_toelatingen",
        "activiteiten", "contacten", "erkenning_perioden", "erkenningen", "gebruikers", "schorsingen_ref",
        "trajecten_ref",
    ):
        op.drop_table(table)
