"""prestaties, gebruikers, erkenningen, contacts and cheques read models

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _uuid(name: str, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), **kw)


def upgrade() -> None:
    op.create_table(
        "rm_prestaties",
        _uuid("prestatie_id", primary_key=True),
        _uuid("wijkwerker_id", nullable=False),
        _uuid("gebruiker_id", nullable=False),
        _uuid("organisator_id", nullable=False),
        sa.Column("activiteit_categorie", sa.Text, nullable=False),
        sa.Column("gebruiker_categorie", sa.Text, nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("begonnen_uren", sa.Integer, nullable=False),
        sa.Column("geannuleerd", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("rm_prestaties_datum", "rm_prestaties", ["datum", "organisator_id"])
    op.create_index("rm_prestaties_wijkwerker", "rm_prestaties", ["wijkwerker_id"])
    op.create_index("rm_prestaties_gebruiker", "rm_prestaties", ["gebruiker_id"])
    op.create_table(
        "rm_gebruikers",
        _uuid("gebruiker_id", primary_key=True),
        sa.Column("categorie", sa.Text, nullable=False),
        sa.Column("geslacht", sa.Text),
        sa.Column("aangemeld_op", sa.Date, nullable=False),
        _uuid("aangemeld_bij", nullable=False),
    )
    op.create_table(
        "rm_erkenningen",
        _uuid("erkenning_id", primary_key=True),
        _uuid("gebruiker_id", nullable=False, index=True),
        _uuid("organisator_id", nullable=False),
        sa.Column("overeenkomst_op", sa.Date),
        sa.Column("stopgezet_tot", sa.Date),
    )
    op.create_table(
        "rm_erkenning_perioden",
        _uuid("erkenning_id", primary_key=True),
        sa.Column("geldig_van", sa.Date, primary_key=True),
        sa.Column("geldig_tot", sa.Date, nullable=False),
        sa.Column("betaald_op", sa.Date),
        sa.Column("bedrag_cent", sa.Integer),
    )
    op.create_table(
        "rm_contacten",
        _uuid("contact_id", primary_key=True),
        _uuid("gebruiker_id", nullable=False),
        _uuid("organisator_id", nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("kanaal", sa.Text, nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
    )
    op.create_table(
        "rm_bestellingen",
        _uuid("bestelling_id", primary_key=True),
        _uuid("organisator_id", nullable=False),
        sa.Column("drager", sa.Text, nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
        sa.Column("totaal_cent", sa.BigInteger, nullable=False),
        sa.Column("besteld_op", sa.Date, nullable=False),
    )
    op.create_table(
        "rm_cheques_gevalideerd",
        sa.Column("serienummer", sa.Text, primary_key=True),
        _uuid("organisator_id", nullable=False),
        _uuid("wijkwerker_id", nullable=False),
        sa.Column("drager", sa.Text, nullable=False),
        sa.Column("prestatie_datum", sa.Date, nullable=False),
        sa.Column("gevalideerd_op", sa.Date, nullable=False),
        sa.Column("prijs_cent", sa.Integer, nullable=False),
        sa.Column("wijkwerker_cent", sa.Integer, nullable=False),
        sa.Column("verzekering_cent", sa.Integer, nullable=False),
        sa.Column("reisfonds_cent", sa.Integer, nullable=False),
        sa.Column("uitgever_cent", sa.Integer, nullable=False),
        sa.Column("organisator_cent", sa.Integer, nullable=False),
    )
    op.create_index("rm_cheques_prestatiemaand", "rm_cheques_gevalideerd", ["prestatie_datum", "organisator_id"])
    op.create_index("rm_cheques_validatiemaand", "rm_cheques_gevalideerd", ["gevalideerd_op", "organisator_id"])
    op.create_table(
        "rm_reisvergoedingen",
        _uuid("koppeling_id", primary_key=True),
        sa.Column("datum", sa.Date, primary_key=True),
        _uuid("organisator_id", nullable=False),
        sa.Column("gevalideerd_op", sa.Date, nullable=False),
        sa.Column("bedrag_cent", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("rm_reisvergoedingen", "rm_cheques_gevalideerd", "rm_bestellingen", "rm_contacten",
                  "rm_erkenning_perioden", "rm_erkenningen", "rm_gebruikers", "rm_prestaties"):
        op.drop_table(table)
