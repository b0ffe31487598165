"""dossier maintenance: the address on the dossier and the dated history of changes

Revision ID: 2026_12_02_h_partners_dossier
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "2026_12_02_h_partners_dossier"
down_revision = "gebeurtenissen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for kolom in ("adres_straat", "adres_huisnummer", "adres_postcode"):
        op.add_column("wijkwerkers", sa.Column(kolom, sa.Text))
    op.create_table(
        "dossierwijzigingen",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        # Arrival order: of two changes with the same date, the later one wins.
        sa.Column("volgnummer", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("wijkwerker_id", UUID(as_uuid=True), sa.ForeignKey("wijkwerkers.id"), nullable=False),
        sa.Column("gegevens", sa.Text, nullable=False),
        sa.Column("gewijzigd_op", sa.Date, nullable=False),
        sa.Column("waarde", JSONB, nullable=False),
        sa.Column("reden", sa.Text),
        sa.Column("door", sa.Text),
        sa.CheckConstraint("gegevens IN ('iban', 'naam', 'adres')", name="gegevens_bekend"),
    )
    op.create_index("dossierwijzigingen_wijkwerker", "dossierwijzigingen", ["wijkwerker_id", "gegevens", "gewijzigd_op"])


def downgrade() -> None:
    op.drop_table("dossierwijzigingen")
    for kolom in ("adres_straat", "adres_huisnummer", "adres_postcode"):
        op.drop_column("wijkwerkers", kolom)
