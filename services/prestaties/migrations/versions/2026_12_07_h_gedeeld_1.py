"""a gebruiker's optional IBAN and address (issue #23 item 4, ADR 0024): kept here only, the
events carry their keyed fingerprints so cheques can flag a worker sharing one

Revision ID: 2026_12_07_h_gedeeld_1
Revises: 2026_12_06_h_bevestiging_1
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "2026_12_07_h_gedeeld_1"
down_revision = "2026_12_06_h_bevestiging_1"
branch_labels = None
depends_on = None

_KOLOMMEN = ("iban", "adres_straat", "adres_huisnummer", "adres_postcode")


def upgrade() -> None:
    for kolom in _KOLOMMEN:
        op.add_column("gebruikers", sa.Column(kolom, sa.Text))


def downgrade() -> None:
    for kolom in _KOLOMMEN:
        op.drop_column("gebruikers", kolom)
